/**
 * Which tools ask for the user's approval before they run (the AI SDK's `needsApproval`).
 * `'destructive'` follows the MCP spec's reading of tool annotations: a tool may destroy data
 * unless it says it is read-only or says `destructiveHint: false` (a tool without annotations
 * is treated as destructive, as the spec's defaults say).
 */
import type { ToolInfo } from '@toolwire/core';

/** `true`: every tool; `'destructive'`: tools whose annotations allow destruction; or your own rule. */
export type NeedsApprovalOption =
  | boolean
  | 'destructive'
  | ((tool: ToolInfo, input: unknown) => boolean | PromiseLike<boolean>);

/** True when the tool's annotations allow destructive updates (MCP defaults for missing hints). */
export function isDestructiveTool(tool: Pick<ToolInfo, 'annotations'>): boolean {
  const annotations = tool.annotations;
  if (annotations?.readOnlyHint === true) return false;
  return annotations?.destructiveHint !== false;
}

export function approvalFor(
  option: NeedsApprovalOption | undefined,
  tool: ToolInfo,
): boolean | ((input: unknown) => boolean | PromiseLike<boolean>) | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return true;
  if (option === 'destructive') return isDestructiveTool(tool) ? true : undefined;
  return (input: unknown) => option(tool, input);
}
