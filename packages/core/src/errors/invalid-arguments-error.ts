/** `INVALID_ARGUMENTS`: the arguments do not match the tool's own JSON Schema. */
import { hasMarker, ToolwireError } from './toolwire-error.js';

const marker = Symbol.for('toolwire.error.invalid-arguments');

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
}

export class InvalidArgumentsError extends ToolwireError {
  readonly [marker] = true;
  override name = 'InvalidArgumentsError';
  readonly issues: ArgumentIssue[];

  constructor({ tool, server, issues }: InvalidArgumentsErrorOptions) {
    const lines = issues.map((issue) => `  - ${issue.pathText}: ${issue.message}`);
    super({
      code: 'INVALID_ARGUMENTS',
      message: `Invalid arguments for tool "${tool}":\n${lines.join('\n')}`,
      tool,
      server,
    });
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is InvalidArgumentsError {
    return hasMarker(error, marker);
  }
}
