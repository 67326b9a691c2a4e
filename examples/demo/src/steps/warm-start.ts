/**
 * A warm lazy start: a second registry over the same servers, started from the schema cache the
 * first one wrote (a temporary directory here), lists every tool without contacting any server;
 * the first call then connects only the server it needs.
 */
import { createRegistry, type ServerStatusEvent, silentLogger } from '@toolwire/core';
import type { DemoStep } from '../demo-context.ts';
import { milliseconds } from '../format.ts';

export const warmStartStep: DemoStep = {
  title: 'Warm lazy start: tools listed from the cache, no server contacted',
  async run({ registry, servers, cacheDirectory, coldStartMs, failingServer, print, check }) {
    const { [failingServer]: _failing, ...working } = servers;
    const statusChanges: ServerStatusEvent[] = [];
    const started = performance.now();
    const warm = await createRegistry({
      servers: working,
      cache: 'file',
      cacheDirectory,
      loading: 'lazy',
      logger: silentLogger,
      listeners: { 'server:status': (event) => statusChanges.push(event) },
    });
    const elapsed = performance.now() - started;
    try {
      const tools = warm.tools();
      const contacted = statusChanges
        .filter((event) => event.status === 'loading')
        .map((event) => event.server);
      print(
        `  ${tools.length} tools of ${Object.keys(working).length} servers listed in ${milliseconds(elapsed)} (the cold start took ${milliseconds(coldStartMs)}); servers contacted: ${contacted.length}`,
      );
      check(
        contacted.length === 0,
        `the warm lazy start contacted no server (contacted: ${contacted.join(', ')})`,
      );
      check(
        warm.servers().every((server) => server.status === 'discovered' && server.connections === 0),
        'every server is known from the cache and not connected',
      );
      const firstStart = registry.tools().filter((tool) => tool.server !== failingServer).length;
      check(tools.length === firstStart, `the cache holds every tool (${tools.length} of ${firstStart})`);

      const result = await warm.callTool('everything__echo', { message: 'connected just in time' });
      const connected = warm
        .servers()
        .filter((server) => server.status === 'active')
        .map((server) => server.name);
      print(
        `  first call: everything__echo → ${result.text} (${milliseconds(result.durationMs)}, including the connect); connected now: ${connected.join(', ')}`,
      );
      check(
        connected.length === 1 && connected[0] === 'everything',
        `the first call connected only its own server (connected: ${connected.join(', ')})`,
      );
    } finally {
      await warm.close();
    }
  },
};
