/**
 * A configuration problem that concerns one server fails only that server: an unset `${VAR}` in
 * its headers, a provider resolver that throws, a misspelt key. Next to them a real
 * server-everything over stdio starts and answers, eagerly and lazily. The failed servers show
 * `CONFIG_INVALID` with the config path and the variable's name (never a value) in `servers()`,
 * `server:status` events and stats, and calling their tools fails at once with that error
 * instead of waiting on a connection. `strictConfig: true` restores the all-or-nothing start.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createMemorySchemaCache,
  createRegistry,
  type LogEvent,
  type ProviderResolver,
  type Registry,
  type RegistryOptions,
  type SchemaCacheStore,
  type ServerStatusEvent,
  silentLogger,
  ToolwireError,
} from '../src/index.js';
import { childProcessIds, everythingStdio } from './support/index.js';

const secret = `sk-live-${Math.random().toString(36).slice(2)}`;

/** A loopback port that accepts connections and never answers: connecting to it would hang. */
let silent: Server;
let silentUrl: string;
const sockets = new Set<Socket>();
/** Every connection the silent server ever accepted (`sockets` holds only the open ones). */
let accepted = 0;

const failingResolver: ProviderResolver = () => {
  throw new Error('workspace "sales" not found');
};

function servers(): NonNullable<RegistryOptions['mcpServers']> {
  return {
    // Another client's key and a misspelt description: ignored, with warnings.
    everything: { ...everythingStdio(), autoApprove: ['echo'], descripton: 'reference' } as never,
    crm: {
      url: silentUrl,
      headers: { Authorization: 'Bearer ${CRM_TOKEN}', 'X-Tenant': '${CRM_TENANT}' },
      connectTimeoutMs: 30_000,
    },
    acme: { customType: 'acme-cloud', config: { workspace: 'sales', api_key: '${CRM_TENANT}' } },
    typo: { comand: process.execPath } as never,
    later: { url: silentUrl, headers: { 'X-Key': '${LATER_KEY}' }, disabled: true },
  };
}

function options(extra: Partial<RegistryOptions> = {}): RegistryOptions {
  return {
    mcpServers: servers(),
    resolvers: { 'acme-cloud': failingResolver },
    env: { CRM_TENANT: secret },
    logger: silentLogger,
    ...extra,
  };
}

beforeAll(async () => {
  silent = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}/mcp`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
});

async function rejection(promise: Promise<unknown>): Promise<ToolwireError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (caught: unknown) => caught,
  );
  expect(ToolwireError.isInstance(error), String(error)).toBe(true);
  return error as ToolwireError;
}

describe('eager start with per-server config problems', () => {
  let registry: Registry;
  let cache: SchemaCacheStore;
  const statuses: ServerStatusEvent[] = [];
  const logs: LogEvent[] = [];

  beforeAll(async () => {
    cache = createMemorySchemaCache();
    registry = await createRegistry(
      options({
        cache,
        listeners: { 'server:status': (event) => statuses.push(event), log: (event) => logs.push(event) },
      }),
    );
  });

  afterAll(async () => {
    await registry?.close();
  });

  it('starts the healthy server and its tools work', async () => {
    expect(registry.server('everything')?.status).toBe('active');
    expect((await registry.callTool('everything__echo', { message: 'still here' })).text).toBe(
      'Echo: still here',
    );
  });

  it('ignores unknown keys of a working server, with warnings that suggest the key meant', () => {
    expect(registry.server('everything')?.configWarnings).toEqual([
      { path: 'mcpServers.everything.autoApprove', message: 'unknown key, ignored (not a toolwire option)' },
      {
        path: 'mcpServers.everything.descripton',
        message: 'unknown key, ignored; did you mean "description"?',
      },
    ]);
    expect(logs).toContainEqual({
      level: 'warn',
      server: 'everything',
      message: 'mcpServers.everything.descripton: unknown key, ignored; did you mean "description"?',
    });
  });

  it('fails the server whose header uses an unset variable, naming the path and the variable', () => {
    const crm = registry.server('crm');
    expect(crm).toMatchObject({ status: 'failed', configPath: 'mcpServers.crm', toolCount: 0 });
    expect(crm?.error?.code).toBe('CONFIG_INVALID');
    expect(crm?.error?.message).toMatch(/^Server "crm" has an invalid configuration: /);
    expect(crm?.error?.message).toContain('mcpServers.crm.headers.Authorization');
    expect(crm?.error?.message).toContain('CRM_TOKEN is not set');
    expect(crm?.error?.issues).toEqual([
      { path: 'mcpServers.crm.headers.Authorization', message: expect.stringContaining('CRM_TOKEN') },
    ]);
  });

  it('fails the server whose resolver throws, and the one with a misspelt key', () => {
    expect(registry.server('acme')?.status).toBe('failed');
    expect(registry.server('acme')?.error).toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        { path: 'mcpServers.acme', message: 'the "acme-cloud" resolver failed: workspace "sales" not found' },
      ],
    });
    expect(registry.server('typo')?.error).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('did you mean "command"?'),
    });
  });

  it('keeps a disabled server disabled, and fails it with its config problem once enabled', () => {
    expect(registry.server('later')?.status).toBe('disabled');
    registry.enableServer('later');
    expect(registry.server('later')).toMatchObject({
      status: 'failed',
      error: { code: 'CONFIG_INVALID', message: expect.stringContaining('LATER_KEY is not set') },
    });
  });

  it('reports the failures as server:status events and in stats', () => {
    const transitions = (server: string) =>
      statuses
        .filter((event) => event.server === server)
        .map((event) => `${event.previous}->${event.status}:${event.error?.code ?? ''}`);
    expect(transitions('crm')).toEqual(['discovered->failed:CONFIG_INVALID']);
    expect(transitions('acme')).toEqual(['discovered->failed:CONFIG_INVALID']);
    expect(transitions('everything')).toEqual(['discovered->loading:', 'loading->active:']);
    expect(registry.stats().byServer.crm).toMatchObject({
      status: 'failed',
      lastError: { code: 'CONFIG_INVALID' },
    });
  });

  it('fails a call to the failed server at once with the typed config error', async () => {
    const error = await rejection(registry.callTool('crm__search_contacts', { query: 'ada' }));
    // Failed without trying: connecting would have reached the silent port (and waited there
    // for the 30 s connect timeout).
    expect(accepted).toBe(0);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', server: 'crm', tool: 'crm__search_contacts' });
    expect((error as ConfigError).issues[0]?.path).toBe('mcpServers.crm.headers.Authorization');
    expect(error.message).toContain('CRM_TOKEN');
  });

  it('never connects it on refresh or prewarm, and never shows a value', async () => {
    await registry.refresh();
    await registry.prewarm('crm');
    expect(registry.server('crm')?.error?.code).toBe('CONFIG_INVALID');
    expect(sockets.size).toBe(0);
    const shown = JSON.stringify([
      registry.servers(),
      registry.stats(),
      statuses.map((event) => event.error),
    ]);
    expect(shown).not.toContain(secret);
  });

  describe('lazy start from the cache the eager start wrote', () => {
    let lazy: Registry;

    beforeAll(async () => {
      lazy = await createRegistry(options({ cache, loading: 'lazy' }));
    });

    afterAll(async () => {
      await lazy?.close();
    });

    it('lists the healthy server from the cache, fails the broken ones, and calls connect on demand', async () => {
      expect(lazy.server('everything')?.status).toBe('discovered');
      expect(lazy.server('crm')?.error?.code).toBe('CONFIG_INVALID');
      expect(lazy.server('acme')?.error?.code).toBe('CONFIG_INVALID');
      expect((await lazy.callTool('everything__echo', { message: 'lazy' })).text).toBe('Echo: lazy');
      expect(lazy.server('everything')?.status).toBe('active');
      const error = await rejection(lazy.callTool('acme__anything'));
      expect(error).toMatchObject({ code: 'CONFIG_INVALID', server: 'acme' });
    });
  });
});

describe('strictConfig: true', () => {
  it('rejects with every problem at once and starts nothing', async () => {
    const before = childProcessIds();
    const error = await rejection(createRegistry(options({ strictConfig: true, cache: 'none' })));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues.map((issue) => issue.path).sort()).toEqual(
      [
        'mcpServers.acme',
        'mcpServers.crm.headers.Authorization',
        'mcpServers.later.headers.X-Key',
        'mcpServers.typo',
        'mcpServers.typo.comand',
      ].sort(),
    );
    expect(error.message).not.toContain(secret);
    expect(childProcessIds()).toEqual(before);
  });
});
