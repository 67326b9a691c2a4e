// Start-up: how long until an agent holds the tools of N stdio servers (the reference memory
// server, 9 tools each), for N = 1, 8, 32. Each row starts from nothing and ends with framework
// tools in hand; its servers are closed (untimed) and have exited before the next row runs. Rows
// interleave in a shuffled order per iteration; ratios are to the raw SDK v2 client connecting
// all servers in parallel (the floor).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMCPClient } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createRegistry, silentLogger } from '@toolwire/core';
import { toLangChainTools } from '@toolwire/langchain';
import { interleave, pause } from '../lib/interleave.mjs';
import { waitForChildrenToExit } from '../lib/processes.mjs';
import { referenceServer } from '../lib/servers.mjs';
import { pairedRatio, ratio, summarize } from '../lib/stats.mjs';

export const ROWS = [
  'raw SDK v2, all in parallel (floor)',
  'toolwire eager, cold cache',
  'toolwire lazy, cached, no server contacted',
  'toolwire lazy, cached + first call',
  '@langchain/mcp-adapters MultiServerMCPClient',
  '@ai-sdk/mcp, all in parallel by hand',
];

/** Iterations per server count in a full run (after one warm-up): 8 servers carry the target. */
export const FULL = { 1: 9, 8: 15, 32: 3 };

/**
 * The lazy rows do different work from the eager ones (they read a cache instead of starting
 * servers): the page lists them apart, with what they skip, and no target compares them.
 */
export const LAZY_ROWS = {
  [ROWS[2]]:
    'spawns no server: reads one cached catalogue file per server (written by an earlier eager start) and builds the tools; no process, no initialize, no tools/list',
  [ROWS[3]]:
    'the same, then the first tool call, which spawns and initializes that one server (the other servers stay unstarted)',
};

const TOOLS_PER_SERVER = 9;

export async function run({ scale = 1, counts = [1, 8, 32], log = () => {} } = {}) {
  const workDirectory = mkdtempSync(join(tmpdir(), 'toolwire-bench-start-'));
  const memoryServer = referenceServer('memory');
  const rows = [];
  const failures = [];
  try {
    for (const count of counts) {
      const servers = Array.from({ length: count }, (_, index) => ({
        name: `memory${index}`,
        command: process.execPath,
        args: [memoryServer],
        env: { MEMORY_FILE_PATH: join(workDirectory, `memory-${count}-${index}.jsonl`) },
      }));
      const registryServers = Object.fromEntries(
        servers.map((server) => [
          server.name,
          { command: server.command, args: server.args, env: server.env, stderr: 'ignore' },
        ]),
      );
      // The warm cache the lazy rows read: written once by an eager start, as a previous run would.
      const warmCache = join(workDirectory, `warm-${count}`);
      const seed = await createRegistry({
        servers: registryServers,
        cache: 'file',
        cacheDirectory: warmCache,
        logger: silentLogger,
      });
      await seed.close();
      let coldIndex = 0;

      const contenders = {
        async [ROWS[0]]() {
          const clients = await Promise.all(
            servers.map(async (server) => {
              const client = new Client({ name: 'toolwire-bench', version: '1.0.0' });
              await client.connect(
                new StdioClientTransport({
                  command: server.command,
                  args: server.args,
                  env: withPath(server.env),
                  stderr: 'ignore',
                }),
              );
              const { tools } = await client.listTools();
              return { client, tools };
            }),
          );
          return {
            tools: clients.reduce((total, entry) => total + entry.tools.length, 0),
            close: () => Promise.all(clients.map((entry) => entry.client.close())),
          };
        },
        async [ROWS[1]]() {
          const cacheDirectory = join(workDirectory, `cold-${count}-${coldIndex++}`);
          mkdirSync(cacheDirectory);
          const registry = await createRegistry({
            servers: registryServers,
            cache: 'file',
            cacheDirectory,
            logger: silentLogger,
          });
          return { tools: toLangChainTools(registry).length, close: () => registry.close() };
        },
        async [ROWS[2]]() {
          const registry = await createRegistry({
            servers: registryServers,
            cache: 'file',
            cacheDirectory: warmCache,
            loading: 'lazy',
            logger: silentLogger,
          });
          return { tools: toLangChainTools(registry).length, close: () => registry.close() };
        },
        async [ROWS[3]]() {
          const registry = await createRegistry({
            servers: registryServers,
            cache: 'file',
            cacheDirectory: warmCache,
            loading: 'lazy',
            logger: silentLogger,
          });
          const tools = toLangChainTools(registry);
          const first = tools.find((tool) => tool.name === 'memory0__read_graph');
          await first.invoke({ type: 'tool_call', id: 'first', name: first.name, args: {} });
          return { tools: tools.length, close: () => registry.close() };
        },
        async [ROWS[4]]() {
          const client = new MultiServerMCPClient({
            mcpServers: Object.fromEntries(
              servers.map((server) => [
                server.name,
                {
                  transport: 'stdio',
                  command: server.command,
                  args: server.args,
                  env: withPath(server.env),
                  stderr: 'ignore',
                },
              ]),
            ),
          });
          const tools = await client.getTools();
          return { tools: tools.length, close: () => client.close() };
        },
        async [ROWS[5]]() {
          const clients = await Promise.all(
            servers.map(async (server) => {
              const client = await createMCPClient({
                transport: new Experimental_StdioMCPTransport({
                  command: server.command,
                  args: server.args,
                  env: withPath(server.env),
                  stderr: 'ignore',
                }),
              });
              return { client, tools: await client.tools() };
            }),
          );
          return {
            tools: clients.reduce((total, entry) => total + Object.keys(entry.tools).length, 0),
            close: () => Promise.all(clients.map((entry) => entry.client.close())),
          };
        },
      };

      const iterations = Math.max(1, Math.round((FULL[count] ?? 3) * scale));
      log(`start-up: ${count} servers, ${iterations} iterations`);
      let samples;
      try {
        samples = await interleave({
          rows: ROWS.map((name) => ({ name })),
          iterations,
          // The smoke run (scale < 1) checks the rows' shape only: no warm-up round.
          warmup: scale >= 1 ? 1 : 0,
          measure: async (row) => {
            const started = performance.now();
            const outcome = await contenders[row.name]();
            const elapsed = performance.now() - started;
            await outcome.close();
            if (outcome.tools !== count * TOOLS_PER_SERVER) {
              throw new Error(
                `${row.name}: expected ${count * TOOLS_PER_SERVER} tools, got ${outcome.tools}`,
              );
            }
            return elapsed;
          },
          // The next row starts only once every server of this one has exited, in a varying order.
          between: async () => {
            await waitForChildrenToExit();
            await pause(100);
          },
        });
      } catch (error) {
        // A server count that fails (on a busy machine, 32 servers may not all connect within the
        // registry's connect timeout) does not lose the other counts: the page names it.
        failures.push({ servers: count, message: error instanceof Error ? error.message : String(error) });
        log(`start-up: ${count} servers failed: ${error}`);
        await waitForChildrenToExit();
        continue;
      }
      const baseline = summarize(samples.get(ROWS[0]));
      for (const name of ROWS) {
        const summary = summarize(samples.get(name));
        rows.push({
          servers: count,
          contender: name,
          medianMs: summary.median,
          p99Ms: summary.p99,
          q1Ms: summary.q1,
          q3Ms: summary.q3,
          samples: summary.count,
          ratio: ratio(summary.median, baseline.median),
          // Per-iteration pairs with the floor (the rows of one iteration ran back to back).
          spread: name === ROWS[0] ? undefined : pairedRatio(samples.get(name), samples.get(ROWS[0])),
        });
      }
    }
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
  if (rows.length === 0 && failures.length > 0)
    throw new Error(failures.map((failure) => `${failure.servers} servers: ${failure.message}`).join('; '));
  return { id: 'start-up', rows, failures };
}

/** The SDKs' stdio transports replace the environment when `env` is given: keep PATH like toolwire does. */
function withPath(env) {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
}
