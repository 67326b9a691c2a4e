/**
 * The stores a `toolwire gateway` config file may name, made into the objects `createGateway`
 * takes: the credential store of a `per-user` `upstreamAuth` entry (`{ "type": "memory",
 * "credentials": { "<subject>": { "<server>": { "token" } } } }` or `{ "type": "redis", "url",
 * "prefix" }`) and `policy.rateLimitStore` (`{ "type": "memory" }` or `{ "type": "redis", "url",
 * "prefix" }`). Each distinct setting is made once and kept across reloads: a reload with the
 * same setting keeps the same store, so its upstream is not reconnected and rate-limit counters
 * go on. One Redis client (ioredis) per URL, tuned to fail fast (the gateway reports a store
 * outage) and named `toolwire-gateway:<pid>` (Redis `CLIENT LIST`). Once a reload is in place, the
 * stores and Redis clients the new configuration no longer names are let go (a client `QUIT`s
 * after its pending commands); a rejected reload lets go of what it made instead. The rest close
 * when the gateway stops. Messages name a Redis URL without its credentials.
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
  /** Store setting → the store, and the Redis URL it uses. */
  private readonly made = new Map<string, { store: Promise<unknown>; url: string | undefined }>();
  /** The settings the configuration being served uses (once `settle`d). */
  private inUse = new Set<string>();
  /** The settings the configuration being read (not yet applied) uses. */
  private reading = new Set<string>();

  /** The credential store a `per-user` entry names. */
  async credentialStore(setting: StoreSetting): Promise<UpstreamCredentialStore> {
    return this.once(`credentials ${JSON.stringify(setting)}`, setting, async () =>
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
    return this.once(`rate-limits ${JSON.stringify(setting)}`, setting, async () =>
      setting.type === 'memory'
        ? createMemoryRateLimitStore()
        : createRedisRateLimitStore({
            redis: await this.redis(setting.url),
            ...(setting.prefix ? { prefix: setting.prefix } : {}),
          }),
    );
  }

  /**
   * Ends a reading of the file: `applied` (the gateway now runs on it) keeps the stores it named
   * and lets go of the others; otherwise (rejected) the configuration served before keeps its
   * stores and what the reading made alone is let go. Closes the Redis clients no kept store uses.
   */
  async settle(applied: boolean): Promise<void> {
    const keep = applied ? this.reading : this.inUse;
    this.inUse = keep;
    this.reading = new Set();
    const urls = new Set<string>();
    for (const [key, { url }] of this.made) {
      if (!keep.has(key)) this.made.delete(key);
      else if (url !== undefined) urls.add(url);
    }
    const unused = [...this.clients].filter(([url]) => !urls.has(url));
    for (const [url] of unused) this.clients.delete(url);
    await Promise.allSettled(unused.map(([, client]) => client.then(quit)));
  }

  /** Closes the Redis clients. */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    this.made.clear();
    await Promise.allSettled(clients.map((client) => client.then(quit)));
  }

  private async once<T>(key: string, setting: StoreSetting, make: () => Promise<T>): Promise<T> {
    this.reading.add(key);
    let made = this.made.get(key);
    if (!made) {
      made = { store: make(), url: setting.type === 'redis' ? setting.url : undefined };
      this.made.set(key, made);
      // A store that could not be made is made again next time.
      made.store.catch(() => {
        if (this.made.get(key) === made) this.made.delete(key);
      });
    }
    return made.store as Promise<T>;
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
          // Which process holds a connection, in Redis's `CLIENT LIST`.
          connectionName: `toolwire-gateway:${process.pid}`,
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

/** Closes a client once its pending commands are answered; at once when Redis is away. */
async function quit(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
