/**
 * What happened to one server over time, kept in bounded memory for operators: its recent status
 * changes (the reconnect history) and the last lines its process wrote to stderr. Raw values are
 * kept here; `serverDetails()` (in `server-descriptions.ts`) redacts them on the way out, so
 * secrets learned after a line was written are still replaced.
 */
import type { ToolwireErrorCode } from '../errors/toolwire-error.js';
import type { ServerStatus } from '../events/registry-events.js';

/** Status changes kept per server. */
export const STATUS_HISTORY_KEPT = 30;
/** stderr lines kept per server (across its connections). */
export const STDERR_TAIL_KEPT = 20;

/** One status change of a server. */
export interface ServerStatusChange {
  status: ServerStatus;
  previous: ServerStatus;
  /** Epoch milliseconds. */
  at: number;
  /** Why, for a change to `failed`. */
  error: { code: ToolwireErrorCode; message: string } | undefined;
}

export class ServerActivity {
  private readonly changes: ServerStatusChange[] = [];
  private readonly stderr: string[] = [];

  recordStatus(change: ServerStatusChange): void {
    this.changes.push(change);
    if (this.changes.length > STATUS_HISTORY_KEPT) this.changes.shift();
  }

  recordStderr(line: string): void {
    this.stderr.push(line);
    if (this.stderr.length > STDERR_TAIL_KEPT) this.stderr.shift();
  }

  get statusHistory(): ServerStatusChange[] {
    return this.changes.map((change) => ({ ...change }));
  }

  get stderrTail(): string[] {
    return [...this.stderr];
  }
}
