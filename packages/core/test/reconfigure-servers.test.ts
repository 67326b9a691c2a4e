/**
 * `registry.reconfigureServers`: servers replaced, added and removed in a running registry, over
 * our stdio fixture servers (each process records its pid). The server left alone keeps its
 * process (its session); a replaced server's running call finishes on its old process, which
 * then exits, while new calls go to the new entry; a removed server's tools leave the catalogue.
 * A bad update changes nothing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger, ToolwireError } from '../src/index.js';
import {
  createTempDir,
  fixtureStdio,
  isProcessAlive,
  readEvents,
  type TempDir,
  waitFor,
} from './support/index.js';

let dir: TempDir;
let registry: Registry;
const events = (name: string) => join(dir.path, `${name}.jsonl`);
const pidsOf = async (name: string) =>
  new Set((await readEvents(events(name)).catch(() => [])).map((event) => (event as { pid: number }).pid));

beforeAll(async () => {
  dir = await createTempDir();
  registry = await createRegistry({
    mcpServers: {
      keep: fixtureStdio({ name: 'keep', eventsFile: events('keep') }),
      swap: fixtureStdio({ name: 'swap', eventsFile: events('swap') }),
      gone: fixtureStdio({ name: 'gone', eventsFile: events('gone') }),
    },
    cache: 'memory',
    logger: silentLogger,
  });
});

afterAll(async () => {
  await registry?.close();
  await dir?.[Symbol.asyncDispose]();
});

describe('reconfigureServers', () => {
  it('replaces, adds and removes servers, leaving the others’ sessions and running calls alone', async () => {
    await registry.callTool('keep__echo', { message: 'before' });
    const [keepPid] = await pidsOf('keep');
    const running = registry.callTool('swap__sleep', { ms: 1_500 });
    await waitFor(async () => (await readEvents(events('swap'))).length > 0, {
      message: 'the sleep started',
    });
    const [oldSwapPid] = await pidsOf('swap');

    await registry.reconfigureServers(
      {
        servers: {
          swap: fixtureStdio({ name: 'swapped', eventsFile: events('swapped') }),
          added: fixtureStdio({ name: 'added' }),
        },
        remove: ['gone'],
      },
      { drainMs: 10_000 },
    );

    const names = registry.tools().map((tool) => tool.name);
    expect(names).toContain('added__echo');
    expect(names).toContain('swap__echo');
    expect(names.some((name) => name.startsWith('gone__'))).toBe(false);
    // New calls go to the new entry…
    expect((await registry.callTool('swap__echo', { message: 'hi' })).text).toMatch(/swapped/);
    // …while the call running on the old one finishes there.
    expect((await running).isError).toBeFalsy();
    await waitFor(() => !isProcessAlive(oldSwapPid as number), { message: 'the replaced server exited' });

    // The server left alone is the same process: its session went on.
    await registry.callTool('keep__echo', { message: 'after' });
    expect(await pidsOf('keep')).toEqual(new Set([keepPid]));
    expect(registry.server('gone')).toBeUndefined();
  });

  it('rejects a bad update with CONFIG_INVALID and changes nothing', async () => {
    const before = registry.tools().map((tool) => tool.name);
    const invalid = registry.reconfigureServers({
      servers: { broken: { url: 42 } as never },
      remove: ['keep'],
    });
    await expect(invalid).rejects.toSatisfy(
      (error) => ToolwireError.isInstance(error) && error.code === 'CONFIG_INVALID',
    );
    await expect(registry.reconfigureServers({ remove: ['nowhere'] })).rejects.toThrow(/nowhere/);
    expect(registry.tools().map((tool) => tool.name)).toEqual(before);
    expect(registry.server('keep')?.status).toBe('active');
  });
});
