/**
 * `INVALID_ARGUMENTS`: the arguments do not match the tool's own JSON Schema. Its message goes
 * back to the model, and both the schema (an enum, a pattern, a property name) and the
 * arguments are a stranger's text, so the message is bounded here, for every producer: the
 * first issues, each cut to a bound, and a count of the rest.
 */
import { excerpt } from '../util/bounded-text.js';
import { formatArgumentPath } from '../util/format-path.js';
import { hasMarker, ToolwireError } from './toolwire-error.js';

const marker = Symbol.for('toolwire.error.invalid-arguments');

/** The bounds of an `INVALID_ARGUMENTS` error; see docs/configuration.md (Limits). */
export const ARGUMENT_ISSUE_LIMITS = {
  /** Issues kept in `issues` (`issueCount` still counts them all). */
  keptIssues: 50,
  /** Issues written into the message; the rest are counted (`… and N more problems`). */
  listedIssues: 10,
  /** Characters of one issue's `message`. */
  messageChars: 300,
  /** Characters of one issue's `pathText`, and of each name in its `path`. */
  pathChars: 200,
  /** Characters of the whole error message. */
  totalChars: 4_000,
} as const;

export interface ArgumentIssue {
  /** Path into the arguments, e.g. `['items', 0, 'name']`; empty for the arguments object itself. */
  path: (string | number)[];
  /** Readable form of `path`, e.g. `items[0].name`, or `(arguments)` for the root. */
  pathText: string;
  message: string;
  /** The JSON Schema keyword that failed (`type`, `required`, `enum`, …). */
  keyword: string;
}

export interface InvalidArgumentsErrorOptions {
  tool: string;
  server?: string | undefined;
  issues: ArgumentIssue[];
  /** How many issues were found, when `issues` lists only the first. Default: `issues.length`. */
  issueCount?: number | undefined;
}

export class InvalidArgumentsError extends ToolwireError {
  readonly [marker] = true;
  override name = 'InvalidArgumentsError';
  /** The first issues (at most 50), each with bounded texts. */
  readonly issues: ArgumentIssue[];
  /** How many issues were found in all (at least `issues.length`). */
  readonly issueCount: number;

  constructor({ tool, server, issues, issueCount }: InvalidArgumentsErrorOptions) {
    const kept = issues.slice(0, ARGUMENT_ISSUE_LIMITS.keptIssues).map(boundIssue);
    const count = Math.max(issueCount ?? issues.length, issues.length);
    super({
      code: 'INVALID_ARGUMENTS',
      message: describeIssues(tool, kept, count),
      tool,
      server,
    });
    this.issues = kept;
    this.issueCount = count;
  }

  static override isInstance(error: unknown): error is InvalidArgumentsError {
    return hasMarker(error, marker);
  }
}

/** One issue with every text cut to its bound (issues may come from a validator you pass in). */
export function boundIssue(issue: ArgumentIssue): ArgumentIssue {
  // A validator you pass in may produce any shape: keep what is usable, never throw here.
  const path = (Array.isArray(issue.path) ? issue.path : []).map((segment) =>
    typeof segment === 'number' ? segment : excerpt(String(segment), ARGUMENT_ISSUE_LIMITS.pathChars),
  );
  return {
    path,
    pathText: excerpt(
      issue.pathText === undefined ? formatArgumentPath(path) : String(issue.pathText),
      ARGUMENT_ISSUE_LIMITS.pathChars,
    ),
    message: excerpt(String(issue.message), ARGUMENT_ISSUE_LIMITS.messageChars),
    keyword: excerpt(String(issue.keyword), 64),
  };
}

function describeIssues(tool: string, issues: readonly ArgumentIssue[], issueCount: number): string {
  let message = `Invalid arguments for tool "${excerpt(tool, 200)}":`;
  let listed = 0;
  for (const issue of issues.slice(0, ARGUMENT_ISSUE_LIMITS.listedIssues)) {
    const line = `\n  - ${issue.pathText}: ${issue.message}`;
    // Leave room for the closing count line.
    if (message.length + line.length > ARGUMENT_ISSUE_LIMITS.totalChars - 80) break;
    message += line;
    listed++;
  }
  const rest = issueCount - listed;
  if (rest > 0) message += `\n  … and ${rest} more problem${rest === 1 ? '' : 's'}`;
  return message;
}
