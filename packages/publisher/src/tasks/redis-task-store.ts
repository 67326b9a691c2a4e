/**
 * A task store in Redis, shared by every instance of a publisher fleet: any instance answers
 * `tasks/get`, `tasks/update` and `tasks/cancel` for a task another instance runs, and the running
 * instance notices a cancellation or an answer written elsewhere at its next read
 * (`tasks.watchIntervalMs`). Each record is one JSON value that expires `ttlMs` after its last
 * change; a replace happens in a Lua script only while the stored version is the one the writer
 * read, so concurrent writers never lose each other's changes.
 */
import { type RedisClientLike, runScript } from '../store/redis-client.js';
import type { TaskRecord } from './task-record.js';
import type { TaskStore } from './task-store.js';

/** Options of {@link createRedisTaskStore}. */
export interface RedisTaskStoreOptions {
  /** An ioredis client (not closed by the store). */
  redis: RedisClientLike;
  /** Key prefix; give each deployment (and each test run) its own. Default `toolwire:publisher`. */
  prefix?: string | undefined;
}

// KEYS[1]: the task; ARGV: the record (JSON), its ttl in ms. Fails when the id is taken.
const CREATE = `
return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') and 1 or 0
`;

// KEYS[1]: the task; ARGV: the expected version, the new record (JSON), its ttl in ms.
const REPLACE = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if tonumber(cjson.decode(current).version) ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

/**
 * Creates a Redis task store for `createPublisher({ tasks: { store } })`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisTaskStore } from '@toolwire/publisher/redis';
 *
 * const tasks = { store: createRedisTaskStore({ redis: new Redis(process.env.REDIS_URL!), prefix: 'finance-tools' }) };
 * ```
 */
export function createRedisTaskStore(options: RedisTaskStoreOptions): TaskStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'toolwire:publisher';
  const key = (taskId: string) => `${prefix}:task:${taskId}`;
  return {
    async create(record) {
      const created = await runScript(
        redis,
        CREATE,
        [key(record.taskId)],
        [JSON.stringify(record), record.ttlMs],
      );
      if (Number(created) !== 1) throw new Error(`task id ${record.taskId} is already taken`);
    },
    async get(taskId) {
      const raw = await redis.get(key(taskId));
      if (raw === null) return undefined;
      try {
        const record = JSON.parse(raw) as Partial<TaskRecord>;
        return typeof record.version === 'number' && typeof record.status === 'string'
          ? (record as TaskRecord)
          : undefined;
      } catch {
        return undefined;
      }
    },
    async replace(record, expectedVersion) {
      const replaced = await runScript(
        redis,
        REPLACE,
        [key(record.taskId)],
        [expectedVersion, JSON.stringify(record), record.ttlMs],
      );
      return Number(replaced) === 1;
    },
  };
}
