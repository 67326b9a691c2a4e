/**
 * The tasks of one publisher: creating them (durably, before the `CreateTaskResult` goes out),
 * answering `tasks/get`, `tasks/update` and `tasks/cancel` from the store (so any instance of a
 * fleet sharing it can), and the local side of each task this instance runs (`TaskRun`): it
 * settles the record when the tool settles, aborts the tool when the task is cancelled (by this
 * instance or another one), and hands the tool the answers to its questions.
 */
import { type CallToolResult, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import { TaskEvents } from './task-events.js';
import {
  isTerminal,
  type TaskError,
  type TaskProgress,
  type TaskRecord,
  type TaskStatus,
} from './task-record.js';
import { type TaskStore, updateTask } from './task-store.js';

/** The publisher-wide task settings (`PublisherOptions.tasks`, resolved). */
export interface TaskSettings {
  store: TaskStore;
  /** Default time a task is kept after its last change. */
  ttlMs: number;
  /** Default poll interval suggested to clients. */
  pollIntervalMs: number;
  /** How often a running task checks a store without `watch` for cancellation and answers. */
  watchIntervalMs: number;
}

/** What `tasks/get` and friends answer for a task that is unknown, expired or someone else's. */
export function unknownTaskError(taskId: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown or expired task "${limit(taskId)}".`);
}

export class TaskManager {
  private readonly runs = new Map<string, TaskRun>();
  /** Status changes of the tasks this process writes (`notifications/tasks`). */
  readonly events: TaskEvents;
  readonly settings: TaskSettings;

  constructor(
    settings: TaskSettings,
    private readonly onError: (error: Error) => void,
  ) {
    this.events = new TaskEvents(onError);
    this.settings = { ...settings, store: this.events.wrap(settings.store) };
  }

  /** Stores a new `working` task for `tool`, owned by `owner`; resolves once it is durable. */
  async create(
    tool: string,
    owner: string,
    overrides: { ttlMs?: number | undefined; pollIntervalMs?: number | undefined },
  ): Promise<TaskRecord> {
    const now = new Date().toISOString();
    const record: TaskRecord = {
      taskId: crypto.randomUUID(),
      version: 1,
      status: 'working',
      createdAt: now,
      lastUpdatedAt: now,
      ttlMs: overrides.ttlMs ?? this.settings.ttlMs,
      pollIntervalMs: overrides.pollIntervalMs ?? this.settings.pollIntervalMs,
      tool,
      owner,
    };
    await this.settings.store.create(record);
    return record;
  }

  /** Starts the local side of a task this instance runs; `abort` stops the tool. */
  attach(record: TaskRecord, abort: (reason: unknown) => void): TaskRun {
    const run = new TaskRun(record, this.settings, abort, this.onError, () =>
      this.runs.delete(record.taskId),
    );
    this.runs.set(record.taskId, run);
    return run;
  }

  /** The task as its owner may see it; `-32602` when unknown, expired or another caller's. */
  async get(taskId: string, owner: string): Promise<TaskRecord> {
    const record = await this.settings.store.get(taskId);
    if (!record || record.owner !== owner) throw unknownTaskError(taskId);
    return record;
  }

  /**
   * Delivers answers to a task's open questions (`tasks/update`): answers to keys it is not
   * waiting for are ignored; the task goes back to `working` once every question is answered.
   */
  async update(taskId: string, owner: string, responses: Record<string, unknown>): Promise<void> {
    await this.get(taskId, owner);
    await updateTask(this.settings.store, taskId, (record) => {
      const open = record.inputRequests ?? {};
      const answered = Object.keys(responses).filter((key) => key in open);
      if (answered.length === 0 || record.status !== 'input_required') return undefined;
      const inputResponses = { ...(record.inputResponses ?? {}) };
      for (const key of answered) {
        inputResponses[key] = responses[key];
        delete open[key];
      }
      const stillOpen = Object.keys(open).length > 0;
      return {
        ...record,
        status: stillOpen ? 'input_required' : 'working',
        inputRequests: stillOpen ? open : undefined,
        inputResponses,
      };
    });
    this.runs.get(taskId)?.check();
  }

  /** Cancels a task (`tasks/cancel`); a finished task stays as it is. */
  async cancel(taskId: string, owner: string): Promise<void> {
    await this.get(taskId, owner);
    await updateTask(this.settings.store, taskId, (record) =>
      isTerminal(record.status)
        ? undefined
        : {
            ...record,
            status: 'cancelled',
            statusMessage: 'Cancelled by the client.',
            inputRequests: undefined,
            inputResponses: undefined,
          },
    );
    // The tool runs here: stop it now rather than at the next check.
    this.runs.get(taskId)?.check();
  }
}

const CANCELLED = 'cancelled' satisfies TaskStatus;

/** The local side of one running task. */
export class TaskRun {
  private stopWatching: (() => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private finished = false;
  private checking: Promise<void> | undefined;
  private recheck = false;
  private readonly waiters = new Set<() => void>();
  private nextKey = 0;

  constructor(
    private record: TaskRecord,
    private readonly settings: TaskSettings,
    private readonly abort: (reason: unknown) => void,
    private readonly onError: (error: Error) => void,
    private readonly onDone: () => void,
  ) {
    const { store } = settings;
    if (store.watch) {
      this.stopWatching = store.watch(record.taskId, () => this.check());
    } else {
      this.timer = setInterval(() => this.check(), settings.watchIntervalMs);
      (this.timer as { unref?: () => void }).unref?.();
    }
    // A record expires `ttlMs` after its last change: a tool that runs longer without reporting
    // anything keeps its task alive by rewriting it every half TTL. Not while it waits for
    // answers: a task whose client went away expires, and the check then stops the tool.
    this.keepAlive = setInterval(
      () => {
        updateTask(store, record.taskId, (current) =>
          isTerminal(current.status) || current.status === 'input_required' ? undefined : current,
        )
          .then(() => this.check())
          .catch((error) => this.onError(asError(error)));
      },
      Math.max(1000, Math.floor(record.ttlMs / 2)),
    );
    (this.keepAlive as { unref?: () => void }).unref?.();
  }

  get taskId(): string {
    return this.record.taskId;
  }

  /** Reads the record again: a cancelled (or vanished) task aborts the tool; answers wake askers. */
  check(): void {
    if (this.finished) return;
    // One read at a time; a change noticed meanwhile gets a read of its own afterwards.
    if (this.checking) {
      this.recheck = true;
      return;
    }
    this.checking = this.settings.store
      .get(this.record.taskId)
      .then((record) => {
        if (this.finished) return;
        if (!record || record.status === CANCELLED) {
          this.abort(
            new ToolwireError({
              code: 'CANCELLED',
              message: record ? 'The client cancelled the task.' : 'The task expired or was deleted.',
            }),
          );
          this.wake();
          return;
        }
        this.record = record;
        this.wake();
      })
      .catch((error) => this.onError(asError(error)))
      .finally(() => {
        this.checking = undefined;
        if (this.recheck) {
          this.recheck = false;
          this.check();
        }
      });
  }

  /** The key of the next question: the one the tool gave, or `toolwire-<n>`. */
  keyFor(requested: string | undefined): string {
    return requested ?? `toolwire-${this.nextKey++}`;
  }

  /**
   * Asks the client `questions` (by key) through the task: the task turns `input_required` with
   * them, and this resolves with the raw answers once `tasks/update` delivered all of them.
   * Rejects when the task is cancelled or the tool's signal aborts meanwhile.
   */
  async ask(questions: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>> {
    const keys = Object.keys(questions);
    await updateTask(this.settings.store, this.record.taskId, (record) =>
      isTerminal(record.status)
        ? undefined
        : {
            ...record,
            status: 'input_required',
            inputRequests: { ...(record.inputRequests ?? {}), ...(questions as TaskRecord['inputRequests']) },
          },
    );
    this.check();
    for (;;) {
      signal.throwIfAborted();
      const delivered = this.record.inputResponses ?? {};
      if (keys.every((key) => key in delivered)) break;
      // Woken by the store's change notifications (or the poll timer) and by the signal.
      await new Promise<void>((resolve) => {
        const done = () => {
          this.waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
    // Take the answers out of the record, so a later question with the same key waits again.
    const taken: Record<string, unknown> = {};
    const stored = await updateTask(this.settings.store, this.record.taskId, (record) => {
      const remaining = { ...(record.inputResponses ?? {}) };
      for (const key of keys) {
        taken[key] = remaining[key];
        delete remaining[key];
      }
      return { ...record, inputResponses: Object.keys(remaining).length > 0 ? remaining : undefined };
    });
    if (stored) this.record = stored;
    return taken;
  }

  /** Records the tool's latest progress (shown on `tasks/get` as `statusMessage` and `_meta`). */
  async progress(progress: TaskProgress): Promise<void> {
    if (this.finished) return;
    const statusMessage =
      progress.message ??
      (progress.total === undefined ? `${progress.progress}` : `${progress.progress}/${progress.total}`);
    await updateTask(this.settings.store, this.record.taskId, (record) =>
      isTerminal(record.status) ? undefined : { ...record, progress, statusMessage },
    );
  }

  /** The tool finished with a result (an `isError` one included): the task is `completed`. */
  complete(result: CallToolResult): Promise<void> {
    return this.settle((record) => ({ ...record, status: 'completed', result, statusMessage: undefined }));
  }

  /** The task failed with a protocol-level error. */
  fail(error: TaskError): Promise<void> {
    return this.settle((record) => ({ ...record, status: 'failed', error, statusMessage: undefined }));
  }

  private async settle(change: (record: TaskRecord) => TaskRecord): Promise<void> {
    this.finished = true;
    this.stopWatching?.();
    clearInterval(this.timer);
    clearInterval(this.keepAlive);
    this.wake();
    this.onDone();
    try {
      await updateTask(this.settings.store, this.record.taskId, (record) =>
        // A cancelled task stays cancelled, whatever the tool did after it was told to stop.
        isTerminal(record.status)
          ? undefined
          : { ...change(record), inputRequests: undefined, inputResponses: undefined },
      );
    } catch (error) {
      this.onError(asError(error));
    }
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function limit(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
