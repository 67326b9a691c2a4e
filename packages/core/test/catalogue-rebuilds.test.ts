/**
 * Many servers listing at start-up cost one catalogue rebuild, not one per server: each rebuild
 * names every server's tools, so one per server was quadratic in servers × tools (100 × 50 kept
 * the event loop busy for seconds). Counted, never timed: the spy counts full rebuilds. A lookup
 * while servers are still connecting sees every server that has listed.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRegistry, type Registry, silentLogger, type ToolsChangedEvent } from '../src/index.js';
import { Catalogue } from '../src/registry/catalogue.js';
import {
  type CatalogueServers,
  catalogueNames,
  catalogueToolCount,
  type LoopbackHttpServer,
  startCatalogueServers,
  startLoopbackHttp,
  waitFor,
} from './support/index.js';

/** Counts full catalogue rebuilds (every server's tools named afresh). */
function countRebuilds() {
  return vi.spyOn(Catalogue.prototype as unknown as { renameAll(): void }, 'renameAll');
}

let catalogue: CatalogueServers;
let registry: Registry | undefined;

beforeAll(async () => {
  catalogue = await startCatalogueServers();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await registry?.close();
  registry = undefined;
});

afterAll(async () => {
  await catalogue?.stop();
});

describe('catalogue rebuilds', () => {
  it(`lists ${catalogueNames.length} servers connected eagerly with one rebuild`, async () => {
    const rebuilds = countRebuilds();
    const changed: ToolsChangedEvent[] = [];
    registry = await createRegistry({
      mcpServers: catalogue.entries(),
      cache: 'none',
      logger: silentLogger,
      listeners: { 'tools:changed': (event) => changed.push(event) },
    });
    expect(rebuilds).toHaveBeenCalledTimes(1);
    expect(registry.tools()).toHaveLength(catalogueToolCount);
    // The one rebuild still tells listeners about every server's tools.
    expect(changed.map((event) => event.server).sort()).toEqual([...catalogueNames].sort());
    expect(changed.flatMap((event) => event.added)).toHaveLength(catalogueToolCount);
  });

  it('lists servers connected by a reconfiguration with one rebuild', async () => {
    const [first, ...rest] = catalogueNames as [string, ...string[]];
    const entries = catalogue.entries();
    registry = await createRegistry({
      mcpServers: { [first]: entries[first]! },
      cache: 'none',
      logger: silentLogger,
    });
    const rebuilds = countRebuilds();
    await registry.reconfigureServers({
      servers: Object.fromEntries(rest.map((name) => [name, entries[name]!])),
    });
    // The reconfiguration's own change (no tools yet from the new servers), then one for all they listed.
    expect(rebuilds).toHaveBeenCalledTimes(2);
    expect(registry.tools()).toHaveLength(catalogueToolCount);
  });

  describe('while a server is still connecting', () => {
    let hanging: LoopbackHttpServer;
    const waiting: ServerResponse[] = [];

    beforeAll(async () => {
      // Never answers until the test lets it: the reconfiguration stays pending meanwhile.
      hanging = await startLoopbackHttp((_request, response) => {
        waiting.push(response);
        return new Promise<void>(() => {});
      });
    });

    afterAll(async () => {
      await hanging?.close();
    });

    it('a lookup sees the servers that already listed, and their tools:changed arrives with it', async () => {
      const [first, second] = catalogueNames as [string, string];
      const entries = catalogue.entries();
      registry = await createRegistry({ mcpServers: {}, cache: 'none', logger: silentLogger });
      const changed: string[] = [];
      registry.on('tools:changed', (event) => changed.push(event.server));
      const active: string[] = [];
      registry.on('server:status', (event) => {
        if (event.status === 'active') active.push(event.server);
      });
      const reconfigured = registry.reconfigureServers({
        servers: {
          [first]: entries[first]!,
          [second]: entries[second]!,
          slow: { url: `${hanging.origin}/mcp`, type: 'http' },
        },
      });
      await waitFor(() => active.length === 2 && waiting.length > 0, { message: 'two servers active' });
      expect(changed).toEqual([]);
      expect(registry.tools({ server: first }).length).toBeGreaterThan(0);
      expect(registry.tools({ server: second }).length).toBeGreaterThan(0);
      expect(changed.sort()).toEqual([first, second].sort());
      for (const response of waiting) response.writeHead(500).end();
      await reconfigured;
      expect(registry.server('slow')?.status).toBe('failed');
    });
  });
});
