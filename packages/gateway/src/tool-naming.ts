/** The published name of an upstream tool, from the gateway's `naming` option. */
import { type ToolInfo, ToolwireError } from '@toolwire/core';
import type { GatewayNaming } from './gateway-options.js';

/** Returns the function naming each tool; throws `CONFIG_INVALID` for an option it cannot read. */
export function createToolNamer(naming: GatewayNaming = 'registry'): (tool: ToolInfo) => string {
  if (naming === 'registry') return (tool) => tool.name;
  if (naming === 'original') return (tool) => tool.serverToolName;
  if (typeof naming === 'function') return naming;
  if (typeof naming === 'object' && naming !== null && typeof naming.prefixes === 'object') {
    const prefixes = naming.prefixes;
    return (tool) => `${prefixes[tool.server] ?? `${tool.server}_`}${tool.serverToolName}`;
  }
  throw new ToolwireError({
    code: 'CONFIG_INVALID',
    message: `naming must be 'registry', 'original', { prefixes } or a function, not ${JSON.stringify(naming)}.`,
  });
}
