/** The registry's stats after the run: per server and per tool, calls, errors and latency. */
import type { DemoStep } from '../demo-context.ts';
import { milliseconds, pad } from '../format.ts';

export const statsStep: DemoStep = {
  title: 'Registry stats',
  async run({ registry, print, check }) {
    const stats = registry.stats();
    print(
      `${stats.calls} calls, ${stats.errors} errors, p50 ${milliseconds(stats.latency.p50Ms)}, p95 ${milliseconds(stats.latency.p95Ms)}`,
    );
    print(`  ${pad('server', 12)} ${pad('status', 8)} ${pad('calls', 6)} errors`);
    for (const [name, server] of Object.entries(stats.byServer)) {
      print(`  ${pad(name, 12)} ${pad(server.status, 8)} ${pad(String(server.calls), 6)} ${server.errors}`);
    }
    const used = Object.entries(stats.byTool).filter(([, tool]) => tool.calls > 0);
    print();
    print(`  ${pad('tool', 32)} ${pad('calls', 6)} ${pad('errors', 7)} p50`);
    for (const [name, tool] of used) {
      print(
        `  ${pad(name, 32)} ${pad(String(tool.calls), 6)} ${pad(String(tool.errors), 7)} ${milliseconds(tool.latency.p50Ms)}`,
      );
    }
    check(stats.calls >= 8, `the run made at least 8 calls (made ${stats.calls})`);
    check(stats.errors === 0, `no call failed (${stats.errors} errors)`);
  },
};
