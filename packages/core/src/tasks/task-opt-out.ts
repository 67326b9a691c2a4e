/**
 * A tool call made without the Tasks extension (`callTool(…, { tasks: false })`), era by era:
 *
 * - 2026-07-28 carries the client's capabilities in every request's `_meta`
 *   (`io.modelcontextprotocol/clientCapabilities`, SEP-2575), so one call can declare less than
 *   the connection: its envelope lists the connection's capabilities without
 *   `extensions["io.modelcontextprotocol/tasks"]`. The server then answers that call plainly, or
 *   refuses a tool that runs only as a task with `-32021` (Missing Required Client Capability,
 *   SEP-2663 §"Required Capabilities").
 * - 2025-11-25 fixes capabilities at `initialize` and has no SEP-2663 tasks: its own experimental
 *   tasks run only when the client asks for one (`params.task`), which toolwire never sends. Every
 *   call there is already one without tasks, so nothing is added.
 */
import { CLIENT_CAPABILITIES_META_KEY, type ClientCapabilities } from '@modelcontextprotocol/client';
import { TASKS_EXTENSION } from './task-wire.js';

/** The `_meta` entries that make one request declare `capabilities` minus the Tasks extension. */
export function withoutTasksMeta(
  era: 'modern' | 'legacy' | undefined,
  capabilities: ClientCapabilities | undefined,
): Record<string, unknown> {
  if (era !== 'modern' || capabilities === undefined) return {};
  const { [TASKS_EXTENSION]: _tasks, ...otherExtensions } = capabilities.extensions ?? {};
  const { extensions: _extensions, ...rest } = capabilities;
  return {
    [CLIENT_CAPABILITIES_META_KEY]: {
      ...rest,
      ...(Object.keys(otherExtensions).length > 0 ? { extensions: otherExtensions } : {}),
    },
  };
}

/** True when a server's JSON-RPC error is `-32021` naming the Tasks extension as the missing capability. */
export function isTasksRequiredRefusal(code: number, data: unknown): boolean {
  if (code !== -32021) return false;
  const required = (data as { requiredCapabilities?: { extensions?: Record<string, unknown> } } | undefined)
    ?.requiredCapabilities;
  return required?.extensions?.[TASKS_EXTENSION] !== undefined;
}
