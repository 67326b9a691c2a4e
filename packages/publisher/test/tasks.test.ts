/**
 * Task tools (MCP Tasks extension, SEP-2663) on the 2026-07-28 wire, driven by hand-made
 * requests: a task tool answers a client that declared the extension with a task at once and
 * runs on; `tasks/get` shows its progress and inlines its result; a question makes it
 * `input_required` until `tasks/update` answers; `tasks/cancel` reaches the tool's signal; a
 * `'required'` tool refuses a client without the extension (`-32021`); 2025-era clients call
 * task tools as plain calls.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';
import { type ModernAnswer, modernCall, modernRequest } from './support/modern-mcp.js';

const TASKS = 'io.modelcontextprotocol/tasks';
const withTasks = { elicitation: {}, extensions: { [TASKS]: {} } };

/** A promise and the functions that settle it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

let publisher: Publisher;
let listening: ListeningPublisher;
let url: string;
const gate = deferred();
const cancelled = deferred<unknown>();
const started = deferred();

beforeAll(async () => {
  publisher = createPublisher({
    name: 'tasks',
    version: '1.0.0',
    tasks: { pollIntervalMs: 50 },
    tools: [
      defineTool({
        name: 'report',
        description: 'Reports progress, waits for the test, then answers.',
        task: 'optional',
        async execute(_args, context) {
          await context.reportProgress({ progress: 1, total: 2, message: 'half way' });
          await gate.promise;
          return `report done in task ${context.taskId}`;
        },
      }),
      defineTool({
        name: 'forever',
        description: 'Runs until cancelled.',
        task: 'required',
        async execute(_args, context) {
          started.resolve();
          await new Promise((_resolve, reject) => {
            context.signal.addEventListener('abort', () => {
              cancelled.resolve(context.signal.reason);
              reject(context.signal.reason);
            });
          });
        },
      }),
      defineTool({
        name: 'confirm',
        description: 'Asks for a confirmation inside the task.',
        task: true,
        async execute(_args, context) {
          const answer = await context.elicit(
            {
              message: 'Sure?',
              requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
            },
            { key: 'sure' },
          );
          return `ok=${String(answer.content?.ok)}`;
        },
      }),
    ],
  });
  listening = await publisher.listen();
  url = listening.url;
});

afterAll(async () => {
  gate.resolve();
  await publisher.close({ drainMs: 1_000 });
});

const taskRequest = (method: string, params: Record<string, unknown>, capabilities = withTasks) =>
  modernRequest(url, method, params, {
    capabilities,
    headers: { 'mcp-name': String(params.taskId) },
  });

async function untilStatus(taskId: string, statuses: string[]): Promise<Record<string, unknown>> {
  for (;;) {
    const { body } = await taskRequest('tasks/get', { taskId });
    const task = body.result as Record<string, unknown>;
    if (statuses.includes(String(task.status))) return task;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const created = (answer: ModernAnswer) => answer.body.result as Record<string, unknown> & { taskId: string };

describe('a task tool on 2026-07-28', () => {
  it('answers with a task at once, shows its progress, then inlines the result', async () => {
    const task = created(await modernCall(url, 'report', {}, {}, { capabilities: withTasks }));
    expect(task).toMatchObject({ resultType: 'task', status: 'working', pollIntervalMs: 50 });
    expect(task).not.toHaveProperty('result');
    const working = await untilStatus(task.taskId, ['working']);
    expect(working.taskId).toBe(task.taskId);
    // The progress the tool reported is the status message.
    const progressed = await (async () => {
      for (;;) {
        const { body } = await taskRequest('tasks/get', { taskId: task.taskId });
        if (body.result?.statusMessage === 'half way') return body.result;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    expect(progressed._meta).toMatchObject({
      'dev.toolwire/progress': { progress: 1, total: 2, message: 'half way' },
    });
    gate.resolve();
    const done = await untilStatus(task.taskId, ['completed', 'failed', 'cancelled']);
    expect(done).toMatchObject({
      status: 'completed',
      resultType: 'complete',
      result: { content: [{ type: 'text', text: `report done in task ${task.taskId}` }] },
    });
  });

  it('cancellation reaches the running tool', async () => {
    const task = created(await modernCall(url, 'forever', {}, {}, { capabilities: withTasks }));
    await started.promise;
    const ack = await taskRequest('tasks/cancel', { taskId: task.taskId });
    expect(ack.body.result).toEqual(expect.objectContaining({ resultType: 'complete' }));
    expect(ack.body.result).not.toHaveProperty('status');
    const reason = (await cancelled.promise) as { code?: string };
    expect(reason.code).toBe('CANCELLED');
    expect((await untilStatus(task.taskId, ['cancelled', 'completed', 'failed'])).status).toBe('cancelled');
    // Cancelling a finished task is the same empty acknowledgement.
    expect((await taskRequest('tasks/cancel', { taskId: task.taskId })).body.result).toMatchObject({
      resultType: 'complete',
    });
  });

  it('asks inside the task: input_required until tasks/update answers', async () => {
    const task = created(await modernCall(url, 'confirm', {}, {}, { capabilities: withTasks }));
    const waiting = await untilStatus(task.taskId, ['input_required']);
    expect(waiting.inputRequests).toEqual({
      sure: expect.objectContaining({ method: 'elicitation/create' }),
    });
    const ack = await taskRequest('tasks/update', {
      taskId: task.taskId,
      inputResponses: { sure: { action: 'accept', content: { ok: true } } },
    });
    expect(ack.body.result).toMatchObject({ resultType: 'complete' });
    const done = await untilStatus(task.taskId, ['completed', 'failed', 'cancelled']);
    expect(done.result).toEqual({ content: [{ type: 'text', text: 'ok=true' }] });
  });

  it('refuses a task-only tool, and the task methods, to a client without the extension', async () => {
    const call = await modernCall(url, 'forever', {}, {}, { capabilities: {} });
    expect(call.body.error).toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { extensions: { [TASKS]: {} } } },
    });
    const get = await taskRequest('tasks/get', { taskId: 'any' }, {} as typeof withTasks);
    expect(get.body.error?.code).toBe(-32021);
  });

  it('runs an optional task tool as a plain call for a client without the extension', async () => {
    const answer = await modernCall(url, 'confirm', {}, {}, { capabilities: { elicitation: {} } });
    expect(answer.body.result?.resultType).toBe('input_required');
  });

  it('answers -32602 for an unknown task id', async () => {
    const unknown = await taskRequest('tasks/get', { taskId: 'no-such-task' });
    expect(unknown.body.error?.code).toBe(-32602);
  });

  it('runs task tools as plain calls for 2025-era clients (no task marker in their tool list)', async () => {
    const client = new Client(
      { name: 'legacy', version: '1.0.0' },
      { versionNegotiation: { mode: 'legacy' } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      const legacyTools = await client.listTools();
      expect(legacyTools.tools.find((tool) => tool.name === 'forever')?.execution).toBeUndefined();
      const result = await client.callTool({ name: 'report', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'report done in task undefined' }]);
    } finally {
      await client.close();
    }
  });
});

describe('a task belongs to the principal that created it', () => {
  let secured: Publisher;
  let securedUrl: string;

  beforeAll(async () => {
    secured = createPublisher({
      name: 'tasks-auth',
      version: '1.0.0',
      tools: [
        defineTool({
          name: 'mine',
          description: 'Answers at once, as a task.',
          task: 'required',
          execute: (_args, context) => `task ${context.taskId} of ${context.authInfo?.extra?.subject}`,
        }),
        // Gathers a name in a plain input round, then becomes a task (start: 'explicit').
        defineTool({
          name: 'ask_then_task',
          description: 'Asks first, then runs as a task.',
          task: { support: 'required', start: 'explicit' },
          async execute(_args, context) {
            const answer = await context.elicit(
              {
                message: 'Name?',
                requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
              },
              { key: 'name' },
            );
            const before = context.taskId;
            const became = await context.startTask();
            return `${String(answer.content?.name)}: before=${String(before)} became=${became}`;
          },
        }),
      ],
      http: {
        auth: {
          verify: async (token) => ({
            token,
            clientId: 'tests',
            scopes: [],
            expiresAt: Math.floor(Date.now() / 1000) + 3600,
            extra: { issuer: 'https://issuer.test', subject: token.replace('token-', '') },
          }),
          authorizationServers: ['https://issuer.test'],
        },
      },
      onError: () => {},
    });
    securedUrl = (await secured.listen()).url;
  });

  afterAll(async () => {
    await secured.close({ drainMs: 1_000 });
  });

  const as = (token: string, method: string, params: Record<string, unknown>) =>
    modernRequest(securedUrl, method, params, {
      token,
      capabilities: withTasks,
      ...(typeof params.taskId === 'string' ? { headers: { 'mcp-name': params.taskId } } : {}),
    });

  it('another caller gets -32602 for it, as for an unknown task', async () => {
    const created = (await as('token-alice', 'tools/call', { name: 'mine', arguments: {} })).body.result as {
      taskId: string;
    };
    for (;;) {
      const own = await as('token-alice', 'tasks/get', { taskId: created.taskId });
      if (own.body.result?.status === 'completed') {
        expect(own.body.result.result).toEqual({
          content: [{ type: 'text', text: `task ${created.taskId} of alice` }],
        });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const other = await as('token-mallory', 'tasks/get', { taskId: created.taskId });
    expect(other.body.error?.code).toBe(-32602);
    const cancel = await as('token-mallory', 'tasks/cancel', { taskId: created.taskId });
    expect(cancel.body.error?.code).toBe(-32602);
  });

  it("start: 'explicit' asks in a plain input round first, then becomes a task", async () => {
    const round = await as('token-alice', 'tools/call', { name: 'ask_then_task', arguments: {} });
    expect(round.body.result?.resultType).toBe('input_required');
    expect(round.body.result).not.toHaveProperty('taskId');
    const retry = await as('token-alice', 'tools/call', {
      name: 'ask_then_task',
      arguments: {},
      inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } },
      requestState: round.body.result?.requestState,
    });
    const task = retry.body.result as { resultType: string; taskId: string };
    expect(task.resultType).toBe('task');
    expect(task).not.toHaveProperty('requestState');
    for (;;) {
      const state = await as('token-alice', 'tasks/get', { taskId: task.taskId });
      if (state.body.result?.status === 'completed') {
        expect(state.body.result.result).toEqual({
          content: [{ type: 'text', text: 'Ada: before=undefined became=true' }],
        });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
