/**
 * Invalid arguments as the model reads them. Since MCP 2025-11-25 (SEP-1303) a failed argument
 * check is a tool execution error, a `CallToolResult` with `isError: true`, so the model can fix
 * its call and retry. The text names each failing path, but lists only the first few issues and
 * caps every path and message: an input with thousands of wrong values (or a 100 KB key) must
 * not produce a reply larger than a few kilobytes.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { ArgumentIssue } from '@toolwire/core';
import { limitText } from '../util/limit-text.js';

/** Issues listed by name; the rest are counted. */
export const MAX_LISTED_ISSUES = 10;
const MAX_PATH_CHARS = 200;
const MAX_MESSAGE_CHARS = 300;

/**
 * The `isError` result for arguments that failed the tool's schema. `issueCount`: the total when
 * `issues` holds only the first ones found (the validator stops collecting past a bound).
 */
export function invalidArgumentsResult(
  toolName: string,
  issues: readonly ArgumentIssue[],
  issueCount: number = issues.length,
): CallToolResult {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => {
    const path = oneLine(limitText(issue.pathText, MAX_PATH_CHARS));
    return `- ${path}: ${oneLine(limitText(issue.message, MAX_MESSAGE_CHARS))}`;
  });
  const rest = Math.max(issueCount, issues.length) - listed.length;
  const lines = [
    `Invalid arguments for tool "${toolName}":`,
    ...(listed.length > 0 ? listed : ['- (arguments): rejected by the input schema']),
    ...(rest > 0 ? [`…and ${rest.toLocaleString('en-US')} more ${rest === 1 ? 'issue' : 'issues'}.`] : []),
    "Correct the arguments to match the tool's input schema and call it again.",
  ];
  return { content: [{ type: 'text', text: lines.join('\n') }], isError: true };
}

/** Keeps one issue on one line (paths and messages may contain newlines from the input). */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
