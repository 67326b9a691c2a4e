/**
 * Per-caller `tools/list`: the publisher's `toolVisibility` option decides, on each request,
 * which published tools the caller sees. It shapes the list only: a hidden tool called anyway
 * runs through the same call path as before (its own checks, e.g. a gateway's policy, refuse it),
 * so hiding never turns into a different answer for a caller who knows the name.
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

/** The tools `visibility` lets the caller of this request see (all of them without a function). */
export function visibleTools(
  tools: readonly PublishedTool[],
  visibility: ToolVisibility | undefined,
  context: ServerContext,
  onError: (error: Error) => void,
): readonly PublishedTool[] {
  if (!visibility) return tools;
  const caller: ToolCaller | undefined = context.http
    ? { authInfo: context.http.authInfo, sessionId: context.sessionId }
    : undefined;
  return tools.filter((tool) => {
    try {
      return visibility(toPublishedToolInfo(tool, true), caller) === true;
    } catch (error) {
      onError(
        new ToolwireError({
          code: 'HANDLER_FAILED',
          tool: tool.name,
          message: `toolVisibility threw for tool "${tool.name}"; the tool was left out of tools/list.`,
          cause: error,
        }),
      );
      return false;
    }
  });
}
