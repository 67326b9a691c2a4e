/**
 * Loading modes against real stdio servers (the fault fixture, which records every start):
 * a lazy start with a warm cache lists every server's tools without spawning any process, and the
 * first call spawns only its own server; names stay the same as a live start's.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemorySchemaCache,
  createRegistry,
  type Registry,
  type ServerStatusEvent,
  silentLogger,
} from '../src/index.js';
import {
  readEvents,
  startHttpFaultServer,
  stdioFaultServer,
  temporaryDirectory,
} from './support/fault-servers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(prefix: string) {
  const directory = temporaryDirectory(prefix);
  cleanups.push(() => directory.cleanup());
  const eventsFile = join(directory.path, 'events.jsonl');
  const cacheDirectory = join(directory.path, 'cache');
  const starts = () => readEvents(eventsFile).filter((event) => event.event === 'start');
  return { eventsFile, cacheDirectory, starts };
}

async function track(registry: Registry): Promise<Registry> {
  cleanups.push(() => registry.close());
  return registry;
}

/**
 * One warm file cache for the tests below: alpha, beta and gamma listed once by a live start
 * (three process starts shared by the file, not repeated per test). Each test counts the starts
 * it caused from the shared events file.
 */
const warm = {
  directory: temporaryDirectory('lazy'),
  get eventsFile() {
    return join(this.directory.path, 'events.jsonl');
  },
  get cacheDirectory() {
    return join(this.directory.path, 'cache');
  },
  starts() {
    return readEvents(this.eventsFile).filter((event) => event.event === 'start');
  },
  server(name: string) {
    return stdioFaultServer(name, this.eventsFile);
  },
  liveNames: [] as string[],
  liveSources: [] as (string | undefined)[],
  liveEchoSchema: undefined as unknown,
  startsAfterWarmUp: 0,
};

beforeAll(async () => {
  const live = await createRegistry({
    servers: { alpha: warm.server('alpha'), beta: warm.server('beta'), gamma: warm.server('gamma') },
    cache: 'file',
    cacheDirectory: warm.cacheDirectory,
    logger: silentLogger,
  });
  warm.liveNames = live.tools().map((tool) => tool.name);
  warm.liveSources = live.servers().map((server) => server.toolsSource);
  warm.liveEchoSchema = live.tool('beta__echo')?.inputSchema;
  await live.close();
  warm.startsAfterWarmUp = warm.starts().length;
});
afterAll(() => warm.directory.cleanup());

describe('lazy loading', () => {
  it('lists several stdio servers from a warm cache without spawning any, then spawns only the one called', async () => {
    const { cacheDirectory } = warm;
    const starts = () => warm.starts();
    const servers = { alpha: warm.server('alpha'), beta: warm.server('beta'), gamma: warm.server('gamma') };

    const liveNames = warm.liveNames;
    expect(liveNames).toContain('beta__echo');
    expect(warm.liveSources).toEqual(['server', 'server', 'server']);
    const startsAfterWarmUp = starts().length;
    expect(warm.startsAfterWarmUp).toBe(3);

    const lazy = await track(
      await createRegistry({ servers, cache: 'file', cacheDirectory, loading: 'lazy', logger: silentLogger }),
    );
    expect(lazy.tools().map((tool) => tool.name)).toEqual(liveNames);
    expect(new Set(lazy.tools().map((tool) => tool.status))).toEqual(new Set(['discovered']));
    expect(lazy.servers().map((server) => [server.toolsSource, server.connections])).toEqual([
      ['cache', 0],
      ['cache', 0],
      ['cache', 0],
    ]);
    expect(lazy.tool('beta__echo')?.inputSchema).toEqual(warm.liveEchoSchema);
    // The proof: no fixture process wrote a start event since the warm-up.
    expect(starts().length).toBe(startsAfterWarmUp);

    const transitions: string[] = [];
    lazy.on('server:status', (event: ServerStatusEvent) =>
      transitions.push(`${event.server}:${event.previous}->${event.status}`),
    );
    const result = await lazy.callTool('beta__echo', { message: 'hi' });
    expect(result.text).toBe('beta: hi');
    const newStarts = starts().slice(startsAfterWarmUp);
    expect(newStarts.map((event) => event.server)).toEqual(['beta']);
    expect(transitions).toEqual(['beta:discovered->loading', 'beta:loading->active']);
    expect(lazy.tool('beta__echo')?.status).toBe('active');
    expect(lazy.tool('alpha__echo')?.status).toBe('discovered');
    expect(lazy.tool('gamma__echo')?.status).toBe('discovered');

    // A second call reuses the connection.
    await lazy.callTool('beta__echo', { message: 'again' });
    expect(starts().length).toBe(startsAfterWarmUp + 1);
  });

  it('connects at start only the servers missing from the cache', async () => {
    const { cacheDirectory } = warm;
    const before = warm.starts().length;
    // alpha is in the warm cache; delta never was.
    const lazy = await track(
      await createRegistry({
        servers: { alpha: warm.server('alpha'), delta: warm.server('delta') },
        cache: 'file',
        cacheDirectory,
        loading: 'lazy',
        logger: silentLogger,
      }),
    );
    expect(
      warm
        .starts()
        .slice(before)
        .map((event) => event.server),
    ).toEqual(['delta']);
    expect(lazy.server('alpha')?.status).toBe('discovered');
    expect(lazy.server('delta')?.status).toBe('active');
    expect(lazy.tools().some((tool) => tool.name === 'alpha__append')).toBe(true);
  });

  it('prewarm() connects servers ahead of their first call', async () => {
    const { cacheDirectory } = warm;
    const servers = { alpha: warm.server('alpha'), beta: warm.server('beta') };
    const before = warm.starts().length;
    const lazy = await track(
      await createRegistry({ servers, cache: 'file', cacheDirectory, loading: 'lazy', logger: silentLogger }),
    );
    await lazy.prewarm('alpha');
    expect(
      warm
        .starts()
        .slice(before)
        .map((event) => event.server),
    ).toEqual(['alpha']);
    expect(lazy.server('alpha')?.status).toBe('active');
    expect(lazy.server('beta')?.status).toBe('discovered');
    await lazy.prewarm();
    expect(lazy.server('beta')?.status).toBe('active');
    await expect(lazy.prewarm('nope')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('a server that is down still lists its cached tools; calling one gives CONNECT_FAILED, then backs off', async () => {
    const { eventsFile, cacheDirectory } = warm;
    const servers = { alpha: warm.server('alpha') };
    // Same identity (only an env value differs), but the program now fails at start: the server is "down".
    const broken = {
      alpha: {
        ...servers.alpha,
        env: { ...servers.alpha.env, FAULT_EVENTS_FILE: join(eventsFile, 'no', 'such') },
      },
    };
    const lazy = await track(
      await createRegistry({
        servers: broken,
        cache: 'file',
        cacheDirectory,
        loading: 'lazy',
        logger: silentLogger,
      }),
    );
    expect(lazy.tools().map((tool) => tool.name)).toContain('alpha__echo');
    const first = await lazy.callTool('alpha__echo', { message: 'x' }).catch((error: unknown) => error);
    expect(first).toMatchObject({ code: 'CONNECT_FAILED', server: 'alpha' });
    expect(lazy.server('alpha')?.status).toBe('failed');
    expect(lazy.tools().map((tool) => tool.name)).toContain('alpha__echo');
    const second = await lazy.callTool('alpha__echo', { message: 'x' }).catch((error: unknown) => error);
    expect(second).toMatchObject({ code: 'CONNECT_FAILED' });
    expect((second as Error).message).toMatch(/next retry in \d+ s/);
  });

  it('replays the cached protocol era, so a later connect skips the version probe', async () => {
    const { eventsFile, cacheDirectory } = setup('era');
    const server = await startHttpFaultServer('h', eventsFile);
    cleanups.push(() => server.stop());
    const servers = { h: { url: server.url, type: 'http' as const } };
    const probes = () => readEvents(eventsFile).filter((event) => event.event === 'sessionless-request');
    const cold = await createRegistry({ servers, cache: 'file', cacheDirectory, logger: silentLogger });
    expect(cold.server('h')?.status).toBe('active');
    await cold.close();
    const probesWhenCold = probes().length;
    expect(probesWhenCold).toBeGreaterThan(0);

    const warm = await track(
      await createRegistry({ servers, cache: 'file', cacheDirectory, logger: silentLogger }),
    );
    expect(warm.server('h')?.status).toBe('active');
    expect((await warm.callTool('h__echo', { message: 'x' })).text).toBe('h: x');
    expect(probes().length).toBe(probesWhenCold);
  });

  it('rewrites the cache when a server announces tools/list_changed', async () => {
    const store = createMemorySchemaCache();
    const fixture = fileURLToPath(new URL('./fixtures/fixture-server.mjs', import.meta.url));
    const servers = { f: { command: process.execPath, args: [fixture] } };
    const registry = await track(await createRegistry({ servers, cache: store, logger: silentLogger }));
    const changed = new Promise((resolve) => registry.on('tools:changed', resolve));
    await registry.callTool('f__add_tool', { name: 'late_tool' });
    await changed;
    expect(registry.tool('f__late_tool')?.status).toBe('active');
    await registry.prewarm(); // connects nothing new here; waits for pending cache writes
    const reader = await track(
      await createRegistry({ servers, cache: store, loading: 'lazy', logger: silentLogger }),
    );
    expect(reader.tool('f__late_tool')?.status).toBe('discovered');
  });
});
