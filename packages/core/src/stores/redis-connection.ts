/**
 * The Redis connection behind a Redis store (Node-only, reached through `@toolwire/core/redis`):
 * either the client you passed, which we use and never close, or one we create from a `url`
 * (ioredis, an optional peer loaded on demand) and therefore own. An owned client is created on
 * first use, tuned to fail fast while Redis is away (the registry then works without the
 * store), and closed without leaving a reconnect timer behind when the store is closed or the
 * last registry using it closes (see `store-hooks.ts`); a later use opens a fresh one. Messages
 * name the server as `redis://host:port/db`, never with its credentials.
 */
import { withDeadline } from '../util/abort.js';
import { LeaseCounter } from './store-hooks.js';

/** What any client we might close exposes (ioredis does). */
interface ClosableClient {
  status?: string;
  quit?(): Promise<unknown>;
  disconnect?(reconnect?: boolean): void;
  options?: { host?: unknown; port?: unknown; db?: unknown; tls?: unknown; path?: unknown };
}

export interface RedisConnectionOptions<Client> {
  /** The caller's client: used as is, never closed. */
  client?: Client | undefined;
  /** A `redis://` / `rediss://` URL: we create, and close, our own ioredis client. */
  url?: string | undefined;
  /** The factory's name, for messages (`createRedisTokenStore`). */
  factory: string;
}

/** How long a polite QUIT may take before we drop the connection. */
const QUIT_TIMEOUT_MS = 1_000;

export class RedisConnection<Client extends object> {
  /** `redis://host:port/db` without credentials, or a note when it cannot be known. */
  readonly location: string;
  private readonly ownsClient: boolean;
  private readonly url: string | undefined;
  private readonly factory: string;
  private pending: Promise<Client> | undefined;
  private readonly leases = new LeaseCounter(() => this.close());

  constructor(options: RedisConnectionOptions<Client>) {
    if (!options.client && !options.url) {
      throw new TypeError(`${options.factory} needs a \`redis\` client or a \`url\``);
    }
    this.factory = options.factory;
    this.ownsClient = options.client === undefined;
    this.url = options.url;
    this.pending = options.client ? Promise.resolve(options.client) : undefined;
    this.location = options.client
      ? describeClient(options.client as ClosableClient)
      : describeRedisURL(options.url ?? '');
  }

  /** The client, creating our own on first use. */
  client(): Promise<Client> {
    this.pending ??= createIORedisClient(this.url ?? '', this.factory) as Promise<Client>;
    return this.pending;
  }

  /** A lease for one registry (see `store-hooks.ts`); only owned clients are ever closed. */
  retain(): () => Promise<void> {
    return this.leases.retain();
  }

  /**
   * Drops the connection of a client we created and lets it reconnect: called after an
   * operation hung past its deadline, since a stalled connection never answers again. Commands
   * still queued on it fail or are re-sent by ioredis. A client you passed is left alone.
   */
  reset(): void {
    if (!this.ownsClient || !this.pending) return;
    void this.pending.then(
      (client) => (client as ClosableClient).disconnect?.(true),
      () => {},
    );
  }

  /** Closes the client we created (a QUIT when connected, then no reconnects). Yours stays open. */
  async close(): Promise<void> {
    if (!this.ownsClient || !this.pending) return;
    const pending = this.pending;
    this.pending = undefined;
    const created = (await pending.catch(() => undefined)) as ClosableClient | undefined;
    if (!created) return;
    if (created.status === 'ready' && created.quit) {
      await withDeadline(created.quit(), QUIT_TIMEOUT_MS, () => new Error('QUIT timed out')).catch(() => {});
    }
    // Also stops ioredis from reconnecting (its retry timer is what keeps a process alive).
    created.disconnect?.();
  }
}

/** `redis://host:port/db` from a URL, with user, password and query left out. */
export function describeRedisURL(value: string): string {
  try {
    const url = new URL(value);
    const database = url.pathname && url.pathname !== '/' ? url.pathname : '';
    return `${url.protocol}//${url.host}${database}`;
  } catch {
    return '(invalid Redis URL)';
  }
}

function describeClient(client: ClosableClient): string {
  const options = client.options;
  if (typeof options?.path === 'string' && options.path !== '') return `unix:${options.path}`;
  if (options && (typeof options.host === 'string' || typeof options.port === 'number')) {
    const host = typeof options.host === 'string' ? options.host : 'localhost';
    const port = typeof options.port === 'number' ? options.port : 6379;
    const database = typeof options.db === 'number' && options.db !== 0 ? `/${options.db}` : '';
    return `${options.tls ? 'rediss' : 'redis'}://${host.includes(':') ? `[${host}]` : host}:${port}${database}`;
  }
  return 'your Redis client';
}

async function createIORedisClient(url: string, factory: string): Promise<object> {
  let RedisClass: typeof import('ioredis').Redis;
  try {
    ({ Redis: RedisClass } = await import('ioredis'));
  } catch (error) {
    throw new Error(`${factory}({ url }) needs the optional peer dependency "ioredis"`, { cause: error });
  }
  const client = new RedisClass(url, {
    // Fail fast while Redis is away: the registry works without the store meanwhile.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(200 * times, 5_000),
  });
  // Outages are reported once by the registry; ioredis would otherwise print every reconnect failure.
  client.on('error', () => {});
  return client;
}
