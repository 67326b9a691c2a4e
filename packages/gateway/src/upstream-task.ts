/**
 * How the gateway serves an upstream tool that may run as a task (MCP Tasks extension, SEP-2663).
 * On 2026-07-28 a tool carries no task marker in `tools/list`: the upstream decides per call.
 * So every upstream tool is published as an explicit-start task tool: the forwarded call runs
 * plain until the upstream answers with a task (core's `onTask`), and then the downstream call
 * becomes a task of the gateway's own (when the downstream client declared the extension), which
 * the forwarded call settles once core has followed the upstream task to its end.
 */
import type { ToolTaskOptions } from '@toolwire/publisher';

export const UPSTREAM_TASK: ToolTaskOptions = { support: 'optional', start: 'explicit' };
