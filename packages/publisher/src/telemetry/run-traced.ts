/**
 * The tool-call path's one entry to telemetry: runs the tool through the publisher's telemetry
 * wrapper when one is configured, with what the request carried; otherwise just runs it.
 */
import type { ServerContext } from '@modelcontextprotocol/server';
import type { PublisherTelemetry } from './publisher-telemetry.js';

export function runTraced<T>(
  telemetry: PublisherTelemetry | undefined,
  tool: string,
  context: ServerContext,
  run: () => Promise<T>,
): Promise<T> {
  if (telemetry === undefined) return run();
  const meta = context.mcpReq._meta as Readonly<Record<string, unknown>> | undefined;
  return telemetry.runTool({ tool, meta, headers: context.http?.req?.headers }, run);
}
