/**
 * Per-caller upstream credentials (`upstreamAuth`) that a reload can change. Each upstream
 * server's requests go through the `UpstreamCredentials` of the configuration its entry was
 * connected with: its `headers` function belongs to that one, so a server whose `upstreamAuth`
 * changed is reconnected with the new configuration's (src/reload.ts), while the servers left
 * alone keep theirs, with the tokens their callers already hold. Every forwarding path (calls,
 * prompts, resources, completions, subscriptions) asks through this one object.
 */
import type { Registry } from '@toolwire/core';
import type { RequestContext } from '@toolwire/publisher';
import type { UpstreamCredentials } from './upstream-auth/upstream-credentials.js';

type AuthInfo = NonNullable<RequestContext['authInfo']>;

/** What the forwarding paths ask of per-caller credentials before and after a request goes upstream. */
export interface CallerCredentials {
  /**
   * Whether any server has per-caller auth now: when none has, a forwarded call skips looking up
   * its tool's server (a catalogue lookup that copies the tool's stats) on every call.
   */
  readonly any: boolean;
  /** Makes the caller's credential for `server` ready; a no-op for a server without per-caller auth. */
  prepare(server: string, sessionKey: string | undefined, authInfo: AuthInfo | undefined): Promise<void>;
  /** Whether `server` refused the caller's exchanged token (forgotten now: the call may be made once more). */
  rejected(server: string, sessionKey: string | undefined, error: unknown): boolean;
}

export class ReloadableCredentials implements CallerCredentials {
  /** Server → the credentials its current connection's `headers` belong to. */
  private readonly byServer = new Map<string, UpstreamCredentials>();
  private readonly known = new Set<UpstreamCredentials>();
  private registry: Registry | undefined;

  /**
   * From now on `servers` are served with `credentials` (those of its configuration that it
   * names; `undefined`: none of them has per-caller auth).
   */
  route(
    servers: Iterable<string>,
    credentials: UpstreamCredentials | undefined,
    perCaller: ReadonlySet<string>,
  ): void {
    for (const server of servers) {
      if (credentials && perCaller.has(server)) this.byServer.set(server, credentials);
      else this.byServer.delete(server);
    }
    if (credentials && !this.known.has(credentials)) {
      this.known.add(credentials);
      if (this.registry) credentials.attach(this.registry);
    }
  }

  /** The registry whose redaction learns every caller's tokens (each reload's too). */
  attach(registry: Registry): void {
    this.registry = registry;
    for (const credentials of this.known) credentials.attach(registry);
  }

  /** Whether any server has per-caller auth now. */
  get any(): boolean {
    return this.byServer.size > 0;
  }

  prepare(server: string, sessionKey: string | undefined, authInfo: AuthInfo | undefined): Promise<void> {
    return this.byServer.get(server)?.prepare(server, sessionKey, authInfo) ?? Promise.resolve();
  }

  rejected(server: string, sessionKey: string | undefined, error: unknown): boolean {
    return this.byServer.get(server)?.rejected(server, sessionKey, error) ?? false;
  }
}
