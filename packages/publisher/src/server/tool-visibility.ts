/**
 * Per-caller lists: the publisher's `toolVisibility` option decides, on each request, which
 * published tools the caller sees in `tools/list`; `promptVisibility` and `resourceVisibility`
 * do the same for `prompts/list` and `resources/list` / `resources/templates/list`. They shape
 * the lists only: a hidden tool called anyway (a prompt got, a resource read) runs through the
 * same path as before (its own checks, e.g. a gateway's policy, refuse it), so hiding never turns
 * into a different answer for a caller who knows the name.
 */
import type { AuthInfo, ServerContext } from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import type { PublishedToolInfo } from '../publisher.js';
import { type PublishedTool, toPublishedToolInfo } from '../tools/published-tool.js';

/** Who lists the tools (HTTP): the verified token (with `http.auth`) and the MCP session, if any. */
export interface ToolCaller {
  authInfo: AuthInfo | undefined;
  sessionId: string | undefined;
}

/**
 * Whether `caller` sees `tool` in `tools/list`. `caller` is `undefined` over stdio (one local
 * client). Called per tool on every `tools/list`: keep it fast and synchronous. A function that
 * throws hides the tool and reports a `HANDLER_FAILED` error to `onError`.
 */
export type ToolVisibility = (tool: PublishedToolInfo, caller: ToolCaller | undefined) => boolean;

/** Whether `caller` sees a prompt in `prompts/list` (as `ToolVisibility`, for prompts). */
export type PromptVisibility = (prompt: { name: string }, caller: ToolCaller | undefined) => boolean;

/** Whether `caller` sees a resource (or resource template: `template: true`) in the resource lists. */
export type ResourceVisibility = (
  resource: { uri: string; name: string; template: boolean },
  caller: ToolCaller | undefined,
) => boolean;

/** Who sent this request, as the visibility functions see it (`undefined` over stdio). */
export function callerOf(context: ServerContext): ToolCaller | undefined {
  return context.http ? { authInfo: context.http.authInfo, sessionId: context.sessionId } : undefined;
}

/** The tools `visibility` lets `caller` see (all of them without a function). */
export function visibleTools(
  tools: readonly PublishedTool[],
  visibility: ToolVisibility | undefined,
  caller: ToolCaller | undefined,
  onError: (error: Error) => void,
): readonly PublishedTool[] {
  if (!visibility) return tools;
  return visibleTo(
    tools,
    (tool, who) => visibility(toPublishedToolInfo(tool, true), who),
    caller,
    onError,
    (tool) => ({
      option: 'toolVisibility',
      what: `tool "${tool.name}"`,
      list: 'tools/list',
      tool: tool.name,
    }),
  );
}

/**
 * The items `visibility` lets `caller` see (all of them without a function); a function that
 * throws hides the item and reports `HANDLER_FAILED` to `onError`.
 */
export function visibleTo<Item>(
  items: readonly Item[],
  visibility: ((item: Item, caller: ToolCaller | undefined) => boolean) | undefined,
  caller: ToolCaller | undefined,
  onError: (error: Error) => void,
  describe: (item: Item) => { option: string; what: string; list: string; tool?: string },
): readonly Item[] {
  if (!visibility) return items;
  return items.filter((item) => {
    try {
      return visibility(item, caller) === true;
    } catch (error) {
      const { option, what, list, tool } = describe(item);
      onError(
        new ToolwireError({
          code: 'HANDLER_FAILED',
          ...(tool === undefined ? {} : { tool }),
          message: `${option} threw for ${what}; it was left out of ${list}.`,
          cause: error,
        }),
      );
      return false;
    }
  });
}
