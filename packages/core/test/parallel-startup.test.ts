/**
 * Servers connect in parallel. Proved by an outcome, never a clock: each server holds its start-up
 * until all of them have started, so only a registry that starts every server at once sees them
 * all become active; one that connected them one by one would see the first never answer (and,
 * at its connect timeout, every server after it too).
 */
import { describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import { createTempDir, fixtureStdio } from './support/index.js';

const SERVERS = 4;

describe('parallel start-up', () => {
  it('starts every server at once: servers that wait for each other all become active', async () => {
    await using barrier = await createTempDir();
    const servers = Object.fromEntries(
      Array.from({ length: SERVERS }, (_, index) => [
        `slow${index}`,
        fixtureStdio({ name: `slow${index}`, startBarrier: { count: SERVERS, directory: barrier.path } }),
      ]),
    );
    await using registry = await createRegistry({ servers, logger: silentLogger });

    expect(registry.servers().map((info) => [info.name, info.status, info.error?.message])).toEqual(
      Object.keys(servers).map((name) => [name, 'active', undefined]),
    );
    expect(registry.tools({ server: 'slow3' }).length).toBeGreaterThan(0);
  });
});
