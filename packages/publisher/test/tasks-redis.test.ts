/**
 * Two publisher instances sharing a Redis task store: a task started on instance A is read,
 * awaited and cancelled through instance B, and a client restarted against B picks up the result
 * of a task A runs; B's cancellation reaches the tool running on A. Needs Redis at
 * 127.0.0.1:6379 (or REDIS_URL): fails under CI=true when it is missing, skips loudly otherwise.
 */
import { randomUUID } from 'node:crypto';
import { createRegistry, type Registry, silentLogger, ToolwireError } from '@toolwire/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';
import { createRedisTaskStore } from '../src/redis.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const available = await redisAvailable();
if (!available) {
  if (process.env.CI === 'true')
    throw new Error(`Redis is required in CI and is not reachable at ${redisUrl}.`);
  console.warn(`\n!!! Redis not reachable at ${redisUrl}: the Redis task store test is SKIPPED !!!\n`);
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe.skipIf(!available)('two publishers sharing a Redis task store', () => {
  const prefix = `toolwire-test:${randomUUID()}`;
  let redis: Redis;
  const publishers: Publisher[] = [];
  const endpoints: ListeningPublisher[] = [];
  const registries: Registry[] = [];
  const ranOn: string[] = [];
  const release = deferred();
  const started = deferred();
  const aborted = deferred<unknown>();

  beforeAll(async () => {
    redis = new Redis(redisUrl);
    for (const instance of ['A', 'B']) {
      const publisher = createPublisher({
        name: 'fleet-tasks',
        version: '1.0.0',
        tasks: { store: createRedisTaskStore({ redis, prefix }), pollIntervalMs: 20, watchIntervalMs: 20 },
        tools: [
          defineTool({
            name: 'wait_for_release',
            description: 'Runs until the test releases it.',
            task: 'required',
            async execute() {
              ranOn.push(instance);
              await release.promise;
              return `released on ${instance}`;
            },
          }),
          defineTool({
            name: 'until_cancelled',
            description: 'Runs until cancelled.',
            task: 'required',
            async execute(_args, context) {
              started.resolve();
              await new Promise((_resolve, reject) => {
                const stop = () => {
                  aborted.resolve({ instance, reason: context.signal.reason });
                  reject(context.signal.reason);
                };
                if (context.signal.aborted) stop();
                else context.signal.addEventListener('abort', stop, { once: true });
              });
            },
          }),
        ],
        onError: () => {},
      });
      publishers.push(publisher);
      endpoints.push(await publisher.listen());
    }
  });

  afterAll(async () => {
    release.resolve();
    await Promise.all(registries.map((registry) => registry.close()));
    await Promise.all(publishers.map((publisher) => publisher.close({ drainMs: 1_000 })));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  /** A registry whose server "fleet" is the given instance (a load balancer's choice). */
  async function clientOf(index: number): Promise<Registry> {
    const registry = await createRegistry({
      servers: { fleet: { url: (endpoints[index] as ListeningPublisher).url, toolPrefix: false } },
      cache: 'none',
      logger: silentLogger,
    });
    registries.push(registry);
    return registry;
  }

  it('a task started on A is resumed through B by a restarted client, and its result arrives', async () => {
    const first = await clientOf(0);
    const task = await first.startTask('wait_for_release', {});
    if (!('taskId' in task)) throw new Error('expected a task');
    await first.close();
    // The client restarts, and its requests now land on instance B.
    const second = await clientOf(1);
    const resumed = await second.resumeTask(task.ref);
    expect((await resumed.get()).status).toBe('working');
    release.resolve();
    const result = await resumed.result();
    expect(result.text).toBe('released on A');
    expect(ranOn).toEqual(['A']);
  });

  it('a cancellation received by B reaches the tool running on A', async () => {
    const client = await clientOf(0);
    const task = await client.startTask('until_cancelled', {});
    if (!('taskId' in task)) throw new Error('expected a task');
    await started.promise;
    const other = await clientOf(1);
    const remote = await other.resumeTask(task.ref);
    await remote.cancel();
    const { instance, reason } = (await aborted.promise) as { instance: string; reason: ToolwireError };
    expect(instance).toBe('A');
    expect(ToolwireError.isInstance(reason) && reason.code).toBe('CANCELLED');
    await expect(task.result()).rejects.toMatchObject({ code: 'CANCELLED', server: 'fleet' });
  });

  it('the Redis store replaces a record only at the version the writer read', async () => {
    const store = createRedisTaskStore({ redis, prefix });
    const now = new Date().toISOString();
    const base = {
      taskId: `cas-${randomUUID()}`,
      version: 1,
      status: 'working' as const,
      createdAt: now,
      lastUpdatedAt: now,
      ttlMs: 60_000,
      pollIntervalMs: 1000,
      tool: 'tool',
      owner: 'anonymous',
    };
    await store.create(base);
    await expect(store.create(base)).rejects.toThrow(/already taken/);
    expect(await store.replace({ ...base, version: 2, status: 'cancelled' }, 1)).toBe(true);
    expect(await store.replace({ ...base, version: 2, status: 'completed' }, 1)).toBe(false);
    expect((await store.get(base.taskId))?.status).toBe('cancelled');
    expect(await store.get('unknown')).toBeUndefined();
  });
});
