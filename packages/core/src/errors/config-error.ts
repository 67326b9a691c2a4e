/** `CONFIG_INVALID`: the configuration could not be used. Each issue names the exact path. */
import { hasMarker, ToolwireError } from './toolwire-error.js';

const marker = Symbol.for('toolwire.error.config');

export interface ConfigIssue {
  /** Dotted path into the configuration, e.g. `mcpServers.weather.url`. */
  path: string;
  message: string;
}

export interface ConfigErrorOptions {
  issues: ConfigIssue[];
  /** Where the configuration came from (a file path), when known. */
  source?: string | undefined;
  server?: string | undefined;
  cause?: unknown;
}

export class ConfigError extends ToolwireError {
  readonly [marker] = true;
  override name = 'ConfigError';
  readonly issues: ConfigIssue[];
  readonly source: string | undefined;

  constructor({ issues, source, server, cause }: ConfigErrorOptions) {
    const where = source ? ` in ${source}` : '';
    const lines = issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`);
    super({
      code: 'CONFIG_INVALID',
      message: `Invalid toolwire configuration${where}:\n${lines.join('\n')}`,
      server,
      cause,
    });
    this.issues = issues;
    this.source = source;
  }

  static override isInstance(error: unknown): error is ConfigError {
    return hasMarker(error, marker);
  }
}
