/**
 * Task tools end to end: our publisher as the server and @toolwire/core as the client, over
 * Streamable HTTP (2026-07-28) and stdio. A call to a task tool waits for the task like any call
 * (progress on the way, task events); `startTask` hands out the task at once; a new registry (a
 * client restarted mid-task) picks the result up by task id; aborting the call cancels the task
 * and the running tool's signal fires; the tool's questions are answered by `onElicitation`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createRegistry,
  type Registry,
  silentLogger,
  type TaskRef,
  type TaskUpdateEvent,
  ToolwireError,
} from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

const gates = new Map<string, { promise: Promise<void>; resolve: () => void }>();
const gate = (label: string) => {
  let entry = gates.get(label);
  if (!entry) {
    entry = deferred<void>();
    gates.set(label, entry);
  }
  return entry;
};
const aborted = deferred<unknown>();
const running = deferred();

let publisher: Publisher;
let listening: ListeningPublisher;
const registries: Registry[] = [];

async function openRegistry(transport: 'http' | 'stdio' = 'http'): Promise<Registry> {
  const registry = await createRegistry({
    servers:
      transport === 'http'
        ? { pub: { url: listening.url, toolPrefix: false } }
        : {
            stdio: {
              command: process.execPath,
              args: [join(here, 'fixtures', 'stdio-task-publisher.mjs')],
              // stdio servers default to the 2025 era, which has no tasks.
              protocol: '2026-07-28',
            },
          },
    cache: 'none',
    logger: silentLogger,
    onElicitation: async (request) => ({ action: 'accept', content: { ok: request.message === 'Proceed?' } }),
    roots: [{ uri: 'file:///task/root', name: 'task' }],
  });
  registries.push(registry);
  return registry;
}

beforeAll(async () => {
  publisher = createPublisher({
    name: 'e2e-tasks',
    version: '1.0.0',
    tasks: { pollIntervalMs: 20 },
    tools: [
      defineTool({
        name: 'report',
        description: 'Reports progress, then waits for the test to open its gate.',
        inputSchema: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] },
        task: 'optional',
        async execute({ label }, context) {
          await context.reportProgress({ progress: 1, total: 2, message: `working on ${String(label)}` });
          await gate(String(label)).promise;
          return `report ${String(label)} done`;
        },
      }),
      defineTool({
        name: 'forever',
        description: 'Runs until cancelled.',
        task: 'required',
        async execute(_args, context) {
          running.resolve();
          await new Promise((_resolve, reject) => {
            if (context.signal.aborted) {
              aborted.resolve(context.signal.reason);
              reject(context.signal.reason);
            }
            context.signal.addEventListener('abort', () => {
              aborted.resolve(context.signal.reason);
              reject(context.signal.reason);
            });
          });
        },
      }),
      defineTool({
        name: 'ask_first',
        description: 'Asks a question inside the task.',
        task: true,
        async execute(_args, context) {
          const answer = await context.elicit({
            message: 'Proceed?',
            requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
          });
          return `answered ${answer.action}, ok=${String(answer.content?.ok)}`;
        },
      }),
      defineTool({
        name: 'roots_first',
        description: 'Asks for the client roots inside the task.',
        task: true,
        async execute(_args, context) {
          const roots = await context.listRoots();
          return `roots ${roots.map((root) => `${root.name}=${root.uri}`).join(',')}`;
        },
      }),
    ],
    onError: () => {},
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  for (const entry of gates.values()) entry.resolve();
  await Promise.all(registries.map((registry) => registry.close()));
  await publisher?.close({ drainMs: 1_000 });
});

describe('task tools through @toolwire/core over Streamable HTTP', () => {
  it('waits for the task like any call, with progress and task events on the way', async () => {
    const registry = await openRegistry();
    const progress: (string | undefined)[] = [];
    const events: TaskUpdateEvent[] = [];
    registry.on('task:update', (event) => events.push(event));
    let ref: TaskRef | undefined;
    const call = registry.callTool(
      'report',
      { label: 'a' },
      {
        onTask: (task) => {
          ref = task;
        },
        onProgress: (update) => {
          progress.push(update.message);
          // The tool has reported: let it finish.
          if (update.message === 'working on a') gate('a').resolve();
        },
      },
    );
    const result = await call;
    expect(result.text).toBe('report a done');
    expect(result.isError).toBe(false);
    expect(ref).toEqual({ server: 'pub', taskId: expect.any(String), tool: 'report' });
    expect(progress).toContain('working on a');
    expect(events.at(-1)).toMatchObject({
      server: 'pub',
      tool: 'report',
      taskId: ref?.taskId,
      status: 'completed',
    });
  });

  it('startTask hands out the task at once; a restarted client picks the result up by task id', async () => {
    const first = await openRegistry();
    const started = await first.startTask('report', { label: 'b' });
    if (!('taskId' in started)) throw new Error('expected a task');
    expect(started.ref).toEqual({ server: 'pub', taskId: started.taskId, tool: 'report' });
    const snapshot = await started.get();
    expect(['working', 'completed']).toContain(snapshot.status);
    // The client process "restarts": its registry goes, a new one resumes from the reference.
    await first.close();
    const second = await openRegistry();
    const resumed = await second.resumeTask(started.ref);
    gate('b').resolve();
    const result = await resumed.result();
    expect(result.text).toBe('report b done');
    expect(resumed.status).toBe('completed');
  });

  it('aborting the call cancels the task, and the running tool sees its signal fire', async () => {
    const registry = await openRegistry();
    const controller = new AbortController();
    // Aborted once the task exists (its id reached the client), so the task can be cancelled.
    const call = registry.callTool(
      'forever',
      {},
      { signal: controller.signal, onTask: () => controller.abort() },
    );
    await running.promise;
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    const reason = (await aborted.promise) as ToolwireError;
    expect(ToolwireError.isInstance(reason) && reason.code).toBe('CANCELLED');
  });

  it('answers the questions of a task through onElicitation', async () => {
    const registry = await openRegistry();
    const result = await registry.callTool('ask_first', {});
    expect(result.text).toBe('answered accept, ok=true');
  });

  it("answers a task's roots question with the registry's roots", async () => {
    const registry = await openRegistry();
    const result = await registry.callTool('roots_first', {});
    expect(result.text).toBe('roots task=file:///task/root');
  });

  it('rejects an unknown task id with TASK_NOT_FOUND, and an unknown server with CONFIG_INVALID', async () => {
    const registry = await openRegistry();
    await expect(registry.resumeTask({ server: 'pub', taskId: 'no-such-task' })).rejects.toMatchObject({
      code: 'TASK_NOT_FOUND',
      server: 'pub',
    });
    await expect(registry.resumeTask({ server: 'nope', taskId: 'x' })).rejects.toBeInstanceOf(Error);
  });
});

describe('task tools through @toolwire/core over stdio', () => {
  it('runs the call as a task and returns its result', async () => {
    const registry = await openRegistry('stdio');
    let ref: TaskRef | undefined;
    const messages: (string | undefined)[] = [];
    const result = await registry.callTool(
      'stdio__square',
      { n: 7 },
      { onTask: (task) => (ref = task), onProgress: (update) => messages.push(update.message) },
    );
    expect(result.text).toBe('49 (task yes)');
    expect(ref?.server).toBe('stdio');
    expect(messages).toContain('squaring');
  });
});
