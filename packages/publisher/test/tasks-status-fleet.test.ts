/**
 * Task status notifications across a fleet: two publisher instances share a Redis store (sessions
 * and the fleet bus) and a Redis task store. A task runs on instance A; a `subscriptions/listen`
 * stream held by instance B hears of its status changes, and a stream on A hears of each once
 * (its own change is not echoed back by the bus). Needs Redis at 127.0.0.1:6379 (or REDIS_URL):
 * fails under CI=true when it is missing, skips loudly otherwise.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSharedRedis, deletePrefix, uniquePrefix } from '../../core/test/support/redis-servers.js';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';
import { createRedisStore, createRedisTaskStore } from '../src/redis.js';
import { listen, modernCall } from './support/modern-mcp.js';
import { parseSSE } from './support/raw-mcp.js';

const TASKS = 'io.modelcontextprotocol/tasks';
const withTasks = { extensions: { [TASKS]: {} } };

interface Message {
  method?: string;
  params?: Record<string, unknown>;
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
    async until(predicate: (messages: Message[]) => boolean): Promise<void> {
      while (!predicate(messages)) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
        });
      }
    },
  };
}

const statusesOf = (messages: Message[], taskId: string) =>
  messages
    .filter((message) => message.method === 'notifications/tasks' && message.params?.taskId === taskId)
    .map((message) => message.params?.status);

const redis = await connectSharedRedis();

describe.skipIf(!redis)('task status notifications on a fleet (Redis)', () => {
  const prefix = uniquePrefix('task-status');
  const publishers: Publisher[] = [];
  const endpoints: ListeningPublisher[] = [];
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });

  beforeAll(async () => {
    for (const name of ['A', 'B']) {
      const publisher = createPublisher({
        name: `fleet-${name}`,
        version: '1.0.0',
        tasks: { store: createRedisTaskStore({ redis: redis as Redis, prefix }), pollIntervalMs: 20 },
        tools: [
          defineTool({
            name: 'step',
            description: 'Reports a step, waits for the test, then answers.',
            task: 'required',
            async execute(_args, context) {
              await context.reportProgress({ progress: 1, message: `step on ${name}` });
              await released;
              return `done on ${name}`;
            },
          }),
        ],
        http: { store: createRedisStore({ redis: redis as Redis, prefix }) },
        onError: () => {},
      });
      publishers.push(publisher);
      endpoints.push(await publisher.listen());
    }
  });

  afterAll(async () => {
    release();
    await Promise.all(publishers.map((publisher) => publisher.close({ drainMs: 200 })));
    if (redis) await deletePrefix(redis, prefix);
    redis?.disconnect();
  });

  it('a stream on instance B hears of a task instance A runs; one on A hears of it once', async () => {
    const [a, b] = endpoints as [ListeningPublisher, ListeningPublisher];
    const onB = await listen(b.url, { tasks: true }, { id: 31 });
    const onA = await listen(a.url, { tasks: true }, { id: 32 });
    const streamB = collect(onB.response);
    const streamA = collect(onA.response);
    await streamB.until((seen) => seen.length >= 1);
    await streamA.until((seen) => seen.length >= 1);

    const call = await modernCall(a.url, 'step', {}, {}, { capabilities: withTasks });
    const taskId = String(call.body.result?.taskId);
    await streamB.until((seen) => statusesOf(seen, taskId).length >= 1);
    release();
    await streamB.until((seen) => statusesOf(seen, taskId).includes('completed'));
    await streamA.until((seen) => statusesOf(seen, taskId).includes('completed'));

    expect(statusesOf(streamB.messages, taskId)).toEqual(['working', 'completed']);
    expect(statusesOf(streamA.messages, taskId)).toEqual(['working', 'completed']);
    const completed = streamB.messages.find((message) => message.params?.status === 'completed');
    expect(completed?.params).toMatchObject({
      taskId,
      result: { content: [{ type: 'text', text: 'done on A' }] },
      _meta: { 'io.modelcontextprotocol/subscriptionId': 31 },
    });
    onA.controller.abort();
    onB.controller.abort();
    await Promise.all([streamA.done, streamB.done]);
  });
});
