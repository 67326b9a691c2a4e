/**
 * The gateway's search mode, for catalogues too big for a client's context: two tools instead of
 * thousands. `search_tools` runs the registry's own search (core `src/discovery`, no I/O) over
 * the exposed tools and answers with their names, descriptions and parameters; `call_tool` calls
 * one of them by name, forwarded like any gateway call (session, progress, logs, cancellation).
 * A policy that hides tools narrows each caller's search to what it may call; `call_tool` of a
 * tool it may not call is refused by the policy (`POLICY_DENIED`), as in `tools` mode.
 * After a reload the two are served anew when `search_tools`' description (which counts the
 * tools and names the servers) no longer matches the registry.
 */
import { createToolDisclosure, type Registry, type ToolInfo, ToolwireError } from '@toolwire/core';
import { defineTool, type NativeTool, type Publisher, type ToolContext } from '@toolwire/publisher';
import { forwardCall } from './forward-call.js';
import type { UpstreamSessions } from './gateway-options.js';
import type { PolicyGuard } from './gateway-policy.js';
import type { CallerCredentials } from './reloadable-credentials.js';
import { withTypedFailure } from './typed-failure.js';

/** The name of the tool that calls a found tool. */
export const CALL_TOOL_NAME = 'call_tool';

/** `search_tools` and `call_tool` over the tools `isExposed` keeps. */
export function createSearchTools(
  registry: Registry,
  isExposed: (tool: ToolInfo) => boolean,
  sessions: UpstreamSessions,
  policy?: PolicyGuard,
  credentials?: CallerCredentials,
): NativeTool[] {
  const disclosure = createToolDisclosure(registry, { filter: isExposed });
  const search = defineTool({
    name: disclosure.searchToolName,
    description: `${disclosure.searchToolDescription} Call a tool found with ${CALL_TOOL_NAME}.`,
    inputSchema: disclosure.searchToolInputSchema,
    annotations: { readOnlyHint: true, openWorldHint: false },
    execute: (args: Record<string, unknown>, context: ToolContext) => {
      // With a policy that hides tools, each caller searches only what it may call.
      const output = (
        policy?.hidesTools
          ? createToolDisclosure(registry, {
              filter: (tool) => isExposed(tool) && policy.allows(tool.name, context.authInfo),
            })
          : disclosure
      ).search(args);
      return {
        content: [{ type: 'text', text: JSON.stringify(output) }],
        structuredContent: output as unknown as Record<string, unknown>,
      };
    },
  });
  const call = defineTool({
    name: CALL_TOOL_NAME,
    description: `Calls a tool found with ${disclosure.searchToolName}, by its name, with arguments matching its input schema.`,
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: `A tool name from ${disclosure.searchToolName}.` },
        arguments: { type: 'object', description: "The tool's arguments.", additionalProperties: true },
      },
      required: ['name'],
      additionalProperties: false,
    },
    execute: (args: Record<string, unknown>, context: ToolContext) =>
      withTypedFailure(context, async () => {
        const name = args.name as string;
        const tool = registry.tool(name);
        if (!tool || !disclosure.isDisclosable(name)) {
          throw new ToolwireError({
            code: 'TOOL_NOT_FOUND',
            tool: name,
            message: `No tool named "${name}" can be called here; find one with ${disclosure.searchToolName}.`,
          });
        }
        const toolArgs = (args.arguments ?? {}) as Record<string, unknown>;
        // call_tool's own schema says nothing of the tool's: the registry validates them.
        return forwardCall(registry, name, toolArgs, context, sessions, true, policy, credentials);
      }),
  });
  return [search, call] as NativeTool[];
}

/**
 * Serves `fresh` (the search tools built over the registry now) in place of the published ones
 * when a description changed; clients hear `tools/list_changed`. Unchanged, nothing happens.
 */
export async function refreshSearchTools(
  publisher: Pick<Publisher, 'ready' | 'removeTools' | 'addTools'>,
  fresh: readonly NativeTool[],
): Promise<void> {
  const published = new Map((await publisher.ready()).map((tool) => [tool.name, tool.description]));
  if (fresh.every((tool) => published.get(tool.name) === tool.description)) return;
  await publisher.removeTools(fresh.map((tool) => tool.name));
  await publisher.addTools(fresh);
}
