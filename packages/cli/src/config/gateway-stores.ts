/**
 * The stores a `toolwire gateway` config file may name, made into the objects `createGateway`
 * takes: the credential store of a `per-user` `upstreamAuth` entry (`{ "type": "memory",
 * "credentials": { "<subject>": { "<server>": { "token" } } } }` or `{ "type": "redis", "url",
 * "prefix" }`) and `policy.rateLimitStore` (`{ "type": "memory" }` or `{ "type": "redis", "url",
 * "prefix" }`). Each distinct setting is made once and kept across reloads: a reload with the
 * same setting keeps the same store, so its upstream is not reconnected and rate-limit counters
 * go on. One Redis client (ioredis) per URL, tuned to fail fast (the gateway reports a store
 * outage), closed when the gateway stops. Messages name a Redis URL without its credentials.
 */
import {
  createMemoryCredentialStore,
  createMemoryRateLimitStore,
  createRedisCredentialStore,
  createRedisRateLimitStore,
  type RateLimitStore,
  type UpstreamCredential,
  type UpstreamCredentialStore,
} from '@toolwire/gateway';
import type { Redis } from 'ioredis';

/** A store as the config file names it. */
export type StoreSetting =
  | { type: 'memory'; credentials?: Record<string, Record<string, UpstreamCredential>> }
  | { type: 'redis'; url: string; prefix?: string };

/**
 * Checks a store setting at `path` (`gateway.upstreamAuth.<server>.store`, `gateway.policy.rateLimitStore`),
 * reporting each problem; `credentials` is allowed on a memory credential store only.
 */
export function checkStoreSetting(
  value: unknown,
  path: string,
  problem: (key: string, message: string) => void,
  holdsCredentials: boolean,
): void {
  const shapes = holdsCredentials
    ? '{ "type": "memory", "credentials": { "<subject>": { "<server>": { "token" } } } } or { "type": "redis", "url", "prefix" }'
    : '{ "type": "memory" } or { "type": "redis", "url", "prefix" }';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem(path, `expected ${shapes}`);
    return;
  }
  const setting = value as Record<string, unknown>;
  const allowed =
    setting.type === 'memory'
      ? holdsCredentials
        ? ['type', 'credentials']
        : ['type']
      : ['type', 'url', 'prefix'];
  if (setting.type !== 'memory' && setting.type !== 'redis') {
    problem(`${path}.type`, 'expected "memory" or "redis"');
    return;
  }
  for (const key of Object.keys(setting))
    if (!allowed.includes(key)) problem(`${path}.${key}`, 'unknown key');
  if (setting.type === 'redis') {
    if (typeof setting.url !== 'string' || !/^rediss?:\/\//.test(setting.url)) {
      problem(`${path}.url`, 'expected a redis:// or rediss:// URL');
    }
    if (setting.prefix !== undefined && (typeof setting.prefix !== 'string' || setting.prefix === '')) {
      problem(`${path}.prefix`, 'expected a non-empty string');
    }
    return;
  }
  const credentials = setting.credentials;
  if (credentials === undefined) return;
  const isObject = (item: unknown): item is Record<string, unknown> =>
    typeof item === 'object' && item !== null && !Array.isArray(item);
  if (!isObject(credentials)) {
    problem(`${path}.credentials`, 'expected { "<subject>": { "<server>": { "token" } } }');
    return;
  }
  for (const [subject, servers] of Object.entries(credentials)) {
    if (!isObject(servers)) {
      problem(`${path}.credentials.${subject}`, 'expected { "<server>": { "token" } }');
      continue;
    }
    for (const [server, credential] of Object.entries(servers)) {
      const at = `${path}.credentials.${subject}.${server}`;
      if (!isObject(credential)) problem(at, 'expected { "token" } or { "headers" }');
      else if (credential.token !== undefined && typeof credential.token !== 'string') {
        problem(`${at}.token`, 'expected a string');
      }
    }
  }
}

/** The stores made from a config file, kept across its reloads. */
export class GatewayStores {
  private readonly clients = new Map<string, Promise<Redis>>();
  private readonly made = new Map<string, unknown>();

  /** The credential store a `per-user` entry names. */
  async credentialStore(setting: StoreSetting): Promise<UpstreamCredentialStore> {
    return this.once(`credentials ${JSON.stringify(setting)}`, async () =>
      setting.type === 'memory'
        ? createMemoryCredentialStore(setting.credentials ?? {})
        : createRedisCredentialStore({
            redis: await this.redis(setting.url),
            ...(setting.prefix ? { prefix: setting.prefix } : {}),
          }),
    );
  }

  /** The rate-limit store `policy.rateLimitStore` names. */
  async rateLimitStore(setting: StoreSetting): Promise<RateLimitStore> {
    return this.once(`rate-limits ${JSON.stringify(setting)}`, async () =>
      setting.type === 'memory'
        ? createMemoryRateLimitStore()
        : createRedisRateLimitStore({
            redis: await this.redis(setting.url),
            ...(setting.prefix ? { prefix: setting.prefix } : {}),
          }),
    );
  }

  /** Closes the Redis clients. */
  async close(): Promise<void> {
    const clients = await Promise.allSettled([...this.clients.values()]);
    this.clients.clear();
    await Promise.allSettled(
      clients.map((client) => (client.status === 'fulfilled' ? client.value.quit() : undefined)),
    );
  }

  private async once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (this.made.has(key)) return this.made.get(key) as T;
    const made = await make();
    this.made.set(key, made);
    return made;
  }

  private redis(url: string): Promise<Redis> {
    let client = this.clients.get(url);
    if (!client) {
      client = import('ioredis').then(({ Redis }) => {
        const redis = new Redis(url, {
          // Fail fast while Redis is away: the gateway reports the outage (STORE_UNAVAILABLE, AUTH_FAILED).
          maxRetriesPerRequest: 1,
          connectTimeout: 2_000,
          retryStrategy: (times) => Math.min(200 * times, 5_000),
        });
        // Every failed command is reported where it is used; ioredis would also print each reconnect failure.
        redis.on('error', () => {});
        return redis;
      });
      this.clients.set(url, client);
    }
    return client;
  }
}
