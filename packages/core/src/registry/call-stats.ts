/**
 * What the registry counts about calls: one recorder per tool (created on its first call, so a
 * large catalogue costs nothing until used), the per-server totals kept on each slot, latency over
 * recent calls of all tools, and the `registry.stats()` summary built from them.
 */
import type { ToolwireErrorCode } from '../errors/toolwire-error.js';
import type { ServerStatus } from '../events/registry-events.js';
import { excerpt } from '../util/bounded-text.js';
import { LatencyWindow } from '../util/latency-window.js';
import { catalogueIdentity } from './catalogue-entry.js';
import type { RegistryStats, ServerStats, ToolInfo } from './registry-types.js';
import type { ServerSlot } from './server-slot.js';
import { emptyToolStats, MAX_STATS_ERROR_CHARS, type ToolStats, ToolStatsRecorder } from './tool-stats.js';

export class CallStats {
  private readonly recorders = new Map<string, ToolStatsRecorder>();
  private readonly latency = new LatencyWindow(2048);

  /** A call ended after `durationMs`, with an error (a failure, or an `isError` result) or not. */
  record(
    slot: ServerSlot,
    toolName: string,
    durationMs: number,
    error: { code: ToolwireErrorCode; message: string } | undefined,
  ): void {
    const key = catalogueIdentity(slot.name, toolName);
    let recorder = this.recorders.get(key);
    if (!recorder) {
      recorder = new ToolStatsRecorder();
      this.recorders.set(key, recorder);
    }
    recorder.record(durationMs, error);
    this.latency.record(durationMs);
    slot.calls++;
    if (error) slot.errors++;
  }

  /** A tool's stats; a tool never called gets empty stats without a recorder being created. */
  snapshot(server: string, toolName: string): ToolStats {
    return this.recorders.get(catalogueIdentity(server, toolName))?.snapshot() ?? emptyToolStats();
  }

  summarize(
    slots: Iterable<ServerSlot>,
    tools: readonly { info: ToolInfo; server: string }[],
  ): RegistryStats {
    const serversByStatus = emptyStatusCounts();
    const toolsByStatus = emptyStatusCounts();
    const byServer: Record<string, ServerStats> = {};
    const byTool: RegistryStats['byTool'] = {};
    let servers = 0;
    let calls = 0;
    let errors = 0;
    for (const slot of slots) {
      servers++;
      serversByStatus[slot.status]++;
      calls += slot.calls;
      errors += slot.errors;
      byServer[slot.name] = {
        status: slot.status,
        tools: 0,
        calls: slot.calls,
        errors: slot.errors,
        connectLatencyMs: slot.connectLatencyMs,
        lastError: slot.error
          ? { code: slot.error.code, message: excerpt(slot.error.message, MAX_STATS_ERROR_CHARS) }
          : undefined,
        connections: slot.pool.size,
      };
    }
    let callable = 0;
    for (const { info, server } of tools) {
      toolsByStatus[info.status]++;
      byTool[info.name] = info.stats;
      if (info.status === 'disabled') continue;
      callable++;
      const serverStats = byServer[server];
      if (serverStats) serverStats.tools++;
    }
    return {
      servers,
      tools: callable,
      calls,
      errors,
      serversByStatus,
      toolsByStatus,
      byServer,
      byTool,
      latency: this.latency.summary(),
    };
  }
}

function emptyStatusCounts(): Record<ServerStatus, number> {
  return { discovered: 0, loading: 0, active: 0, failed: 0, disabled: 0 };
}
