/**
 * `CONFIG_INVALID`: the configuration could not be used. Each issue names the exact path. With
 * `server`, the problems are that one server's own (it is `failed`; the others work).
 */
import { hasMarker, ToolwireError } from './toolwire-error.js';

const marker = Symbol.for('toolwire.error.config');

export interface ConfigIssue {
  /** Dotted path into the configuration, e.g. `mcpServers.weather.url`. */
  path: string;
  message: string;
  /** For a syntax error in a file: where it is, 1-based (also in `message`). */
  line?: number | undefined;
  column?: number | undefined;
}

export interface ConfigErrorOptions {
  issues: ConfigIssue[];
  /** Where the configuration came from (a file path), when known. */
  source?: string | undefined;
  /** The server whose own configuration has these problems (the others are unaffected). */
  server?: string | undefined;
  /** The tool a call was made to, when the error answers a call to that server. */
  tool?: string | undefined;
  cause?: unknown;
}

export class ConfigError extends ToolwireError {
  readonly [marker] = true;
  override name = 'ConfigError';
  readonly issues: ConfigIssue[];
  readonly source: string | undefined;

  constructor({ issues, source, server, tool, cause }: ConfigErrorOptions) {
    super({ code: 'CONFIG_INVALID', message: describeIssues(issues, source, server), server, tool, cause });
    this.issues = issues;
    this.source = source;
  }

  static override isInstance(error: unknown): error is ConfigError {
    return hasMarker(error, marker);
  }
}

function describeIssues(
  issues: ConfigIssue[],
  source: string | undefined,
  server: string | undefined,
): string {
  const where = source ? ` in ${source}` : '';
  const lines = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`);
  if (server === undefined) return `Invalid toolwire configuration${where}:\n${bullets(lines)}`;
  // One line first (what a status table shows), naming the first problem; any others below it.
  const [first = 'unknown problem', ...rest] = lines;
  const more = rest.length > 0 ? `\n${bullets(rest)}` : '';
  return `Server "${server}" has an invalid configuration${where}: ${first}${more}`;
}

function bullets(lines: string[]): string {
  return lines.map((line) => `  - ${line}`).join('\n');
}
