/**
 * Task status notifications (SEP-2663 `notifications/tasks`) on 2026-07-28 `subscriptions/listen`
 * streams (SEP-2575). Two principals with real tokens from a real OAuth server (oidc-provider on
 * loopback) each open a stream that asks for `tasks`; each hears every status change of its own
 * task (status message → input_required → working → completed, result inlined) and nothing of the other
 * principal's task. A stream that did not ask for tasks gets none; progress that keeps the
 * status message is no status change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';
import { listen, modernCall, modernRequest } from './support/modern-mcp.js';
import {
  type OAuthServer,
  PUBLISHER_RESOURCE,
  publisherAuth,
  startOAuthServer,
} from './support/oauth-server.js';
import { parseSSE } from './support/raw-mcp.js';

const TASKS = 'io.modelcontextprotocol/tasks';
const withTasks = { elicitation: {}, extensions: { [TASKS]: {} } };
const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';

interface Message {
  method?: string;
  id?: unknown;
  params?: Record<string, unknown> & { _meta?: Record<string, unknown> };
  result?: Record<string, unknown>;
}

/** Every message of a live stream as it arrives, and a way to wait for one. */
function collect(response: Response) {
  const messages: Message[] = [];
  const waiters = new Set<() => void>();
  const done = (async () => {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      const end = buffer.lastIndexOf('\n\n');
      if (end < 0) continue;
      for (const event of parseSSE(buffer.slice(0, end + 2))) messages.push(JSON.parse(event.data));
      buffer = buffer.slice(end + 2);
      for (const wake of [...waiters]) wake();
    }
    for (const wake of [...waiters]) wake();
  })();
  return {
    messages,
    done,
    async until(predicate: (messages: Message[]) => boolean): Promise<Message[]> {
      while (!predicate(messages)) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
        });
      }
      return messages;
    },
  };
}

let oauth: OAuthServer;
let publisher: Publisher | undefined;
let listening: ListeningPublisher;
let tokenA: string;
let tokenB: string;

beforeAll(async () => {
  oauth = await startOAuthServer();
  tokenA = await oauth.token({ resource: PUBLISHER_RESOURCE, scope: 'mcp' });
  tokenB = await oauth.token({ resource: PUBLISHER_RESOURCE, scope: 'mcp', client: 'agent-b' });
  publisher = createPublisher({
    name: 'task-status',
    version: '1.0.0',
    tasks: { pollIntervalMs: 50 },
    tools: [
      defineTool({
        name: 'confirm',
        description: 'Reports progress, then asks for a confirmation inside the task.',
        task: true,
        async execute(_args, context) {
          await context.reportProgress({ progress: 1, total: 3, message: 'half way' });
          await context.reportProgress({ progress: 2, total: 3, message: 'half way' });
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
    http: {
      auth: publisherAuth(oauth),
    },
    onError: () => {},
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  await publisher?.close({ drainMs: 200 });
  await oauth?.close();
});

const taskRequest = (method: string, params: Record<string, unknown>, token: string) =>
  modernRequest(listening.url, method, params, {
    capabilities: withTasks,
    token,
    headers: { 'mcp-name': String(params.taskId) },
  });

const statusesOf = (messages: Message[], taskId: string) =>
  messages
    .filter((message) => message.method === 'notifications/tasks' && message.params?.taskId === taskId)
    .map((message) => message.params?.status);

describe('notifications/tasks on subscriptions/listen', () => {
  it("tells each principal of its own task's status changes, and only of its own", async () => {
    const a = await listen(listening.url, { tasks: true, toolsListChanged: true }, { token: tokenA, id: 11 });
    const b = await listen(listening.url, { tasks: true, toolsListChanged: true }, { token: tokenB, id: 12 });
    const plain = await listen(listening.url, { toolsListChanged: true }, { token: tokenA, id: 13 });
    const streamA = collect(a.response);
    const streamB = collect(b.response);
    const streamPlain = collect(plain.response);
    for (const stream of [streamA, streamB, streamPlain]) await stream.until((seen) => seen.length >= 1);
    expect(streamA.messages[0]).toMatchObject({
      method: 'notifications/subscriptions/acknowledged',
      params: { notifications: { tasks: true, toolsListChanged: true }, _meta: { [SUBSCRIPTION_ID]: 11 } },
    });
    expect(streamPlain.messages[0]?.params?.notifications).toEqual({ toolsListChanged: true });

    const callA = await modernCall(
      listening.url,
      'confirm',
      {},
      {},
      { capabilities: withTasks, token: tokenA },
    );
    const callB = await modernCall(
      listening.url,
      'confirm',
      {},
      {},
      { capabilities: withTasks, token: tokenB },
    );
    const taskA = String(callA.body.result?.taskId);
    const taskB = String(callB.body.result?.taskId);
    expect(taskA).not.toBe(taskB);

    const asked = await streamA.until((seen) => statusesOf(seen, taskA).includes('input_required'));
    const question = asked.find((message) => message.params?.status === 'input_required');
    expect(question?.params).toMatchObject({
      taskId: taskA,
      inputRequests: { sure: expect.objectContaining({ method: 'elicitation/create' }) },
      _meta: { [SUBSCRIPTION_ID]: 11 },
    });
    await streamB.until((seen) => statusesOf(seen, taskB).includes('input_required'));

    const answer = { sure: { action: 'accept', content: { ok: true } } };
    await taskRequest('tasks/update', { taskId: taskA, inputResponses: answer }, tokenA);
    await taskRequest('tasks/update', { taskId: taskB, inputResponses: answer }, tokenB);
    const finished = await streamA.until((seen) => statusesOf(seen, taskA).includes('completed'));
    await streamB.until((seen) => statusesOf(seen, taskB).includes('completed'));

    // The progress message is the status message: its change is one notification; progress
    // with the same message is none.
    expect(statusesOf(finished, taskA)).toEqual(['working', 'input_required', 'working', 'completed']);
    expect(finished.find((message) => message.params?.status === 'working')?.params).toMatchObject({
      statusMessage: expect.stringContaining('half way'),
    });
    expect(finished.find((message) => message.params?.status === 'completed')?.params).toMatchObject({
      taskId: taskA,
      result: { content: [{ type: 'text', text: 'ok=true' }] },
      _meta: { [SUBSCRIPTION_ID]: 11 },
    });
    // Never the other principal's task, and nothing on a stream that did not ask for tasks.
    expect(statusesOf(streamA.messages, taskB)).toEqual([]);
    expect(statusesOf(streamB.messages, taskA)).toEqual([]);
    expect(streamPlain.messages.filter((message) => message.method === 'notifications/tasks')).toEqual([]);

    for (const stream of [a, b, plain]) stream.controller.abort();
    await Promise.all([streamA.done, streamB.done, streamPlain.done]);
  });

  it('keeps a stream that asks for tasks alone open, and ends it when the publisher closes', async () => {
    const only = await listen(listening.url, { tasks: true }, { token: tokenA, id: 21 });
    const stream = collect(only.response);
    await stream.until((seen) => seen.length >= 1);
    expect(stream.messages[0]).toMatchObject({
      method: 'notifications/subscriptions/acknowledged',
      params: { notifications: { tasks: true }, _meta: { [SUBSCRIPTION_ID]: 21 } },
    });

    const call = await modernCall(
      listening.url,
      'confirm',
      {},
      {},
      { capabilities: withTasks, token: tokenA },
    );
    const taskId = String(call.body.result?.taskId);
    await stream.until((seen) => statusesOf(seen, taskId).includes('input_required'));
    const answer = { sure: { action: 'accept', content: { ok: true } } };
    await taskRequest('tasks/update', { taskId, inputResponses: answer }, tokenA);
    await stream.until((seen) => statusesOf(seen, taskId).includes('completed'));

    // Shutdown ends the held stream (as the SDK ends its own) instead of waiting for it.
    const closing = publisher?.close({ drainMs: 200 });
    publisher = undefined;
    await Promise.all([closing, stream.done]);
    expect(statusesOf(stream.messages, taskId)).toEqual([
      'working',
      'input_required',
      'working',
      'completed',
    ]);
  });
});
