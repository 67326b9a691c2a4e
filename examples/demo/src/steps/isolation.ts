/**
 * A failing server, isolated: the demo's config includes a server that exits at start-up (as a
 * server missing its API key does). It is marked `failed` with a readable error and its stderr,
 * and every other server keeps working.
 */
import type { DemoStep } from '../demo-context.ts';
import { milliseconds } from '../format.ts';

export const isolationStep: DemoStep = {
  title: 'A failing server, isolated',
  async run({ registry, failingServer, print, check }) {
    const failed = registry.server(failingServer);
    const details = registry.serverDetails(failingServer);
    print(
      `  ${failingServer}: ${failed?.status} — ${failed?.error?.code}: ${failed?.error?.message.split('\n')[0]?.replace(/;? last stderr lines:$/, '')}`,
    );
    for (const line of details?.stderrTail ?? []) print(`      stderr │ ${line}`);
    check(failed?.status === 'failed', `"${failingServer}" is marked failed (it is ${failed?.status})`);
    check(failed?.error?.code === 'CONNECT_FAILED', `"${failingServer}" failed with CONNECT_FAILED`);
    check(
      (details?.stderrTail ?? []).some((line) => line.includes('WEATHER_API_KEY')),
      `the stderr of "${failingServer}" is kept for diagnosis`,
    );

    const others = registry.servers().filter((server) => server.name !== failingServer);
    const active = others.filter((server) => server.status === 'active');
    print(`  the other ${others.length} servers: ${active.length} active, tools from all of them listed`);
    check(active.length === others.length, 'every other server is active');

    const result = await registry.callTool('everything__echo', { message: 'still working' });
    print(`  a call meanwhile: everything__echo → ${result.text} (${milliseconds(result.durationMs)})`);
    check(result.text === 'Echo: still working', 'calls to the other servers keep working');
  },
};
