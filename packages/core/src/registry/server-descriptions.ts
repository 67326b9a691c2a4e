/**
 * What the registry tells about its servers: `servers()`/`server()` descriptions and
 * `serverDetails()` (status history, stderr tail, auth state), all redacted on the way out so
 * secrets learned after something was recorded are hidden too.
 */
import type { AuthLayer } from '../auth/server-auth.js';
import type { Redactor } from '../redaction/redactor.js';
import type { CatalogueEntry } from './catalogue-entry.js';
import { describeServer } from './describe.js';
import type { ServerInfo } from './registry-types.js';
import { ServerActivity } from './server-activity.js';
import type { ServerAuthState, ServerDetails } from './server-details.js';
import type { ServerSlot } from './server-slot.js';

/** What the descriptions need from the registry. */
export interface ServerDescriptionsOptions {
  redactor: Redactor;
  auth: AuthLayer;
}

/** Server descriptions, and the per-server activity they report. */
export class ServerDescriptions {
  private readonly options: ServerDescriptionsOptions;
  /** Per server: status history and stderr tail, for `serverDetails()`. */
  private readonly activity = new Map<string, ServerActivity>();

  constructor(options: ServerDescriptionsOptions) {
    this.options = options;
  }

  /** The activity record of server `name` (created on first use). */
  activityOf(name: string): ServerActivity {
    let activity = this.activity.get(name);
    if (!activity) {
      activity = new ServerActivity();
      this.activity.set(name, activity);
    }
    return activity;
  }

  /**
   * A server's description, redacted: the error and the URL (a `${VAR}` host is a secret too) as
   * text, what the server published about itself with credentials replaced. Names (the server's,
   * its filtered tools', its config path) are identifiers and stay as they are.
   */
  describe(slot: ServerSlot, entries: CatalogueEntry[]): ServerInfo {
    const { redactor } = this.options;
    const info = describeServer(slot, entries);
    return {
      ...info,
      url: info.url === undefined ? undefined : redactor.text(info.url),
      error: redactor.value(info.error),
      serverVersion: redactor.published(info.serverVersion),
      capabilities: redactor.published(info.capabilities),
      instructions: redactor.published(info.instructions),
    };
  }

  /** `Registry.serverDetails()` for an existing server. */
  details(slot: ServerSlot): ServerDetails {
    const { redactor } = this.options;
    const activity = this.activityOf(slot.name);
    return {
      name: slot.name,
      statusHistory: activity.statusHistory.map((change) => ({
        ...change,
        error: redactor.value(change.error),
      })),
      stderrTail: activity.stderrTail.map((line) => redactor.text(line)),
      consecutiveFailures: slot.failures,
      nextRetryAt: slot.status === 'failed' && slot.retryAt > 0 ? slot.retryAt : undefined,
      auth: this.authState(slot),
    };
  }

  private authState(slot: ServerSlot): ServerAuthState {
    const { definition } = slot;
    if (definition.transport === 'stdio') return { kind: 'none', token: undefined };
    const auth = definition.auth;
    if (auth?.type === 'client_credentials') {
      return {
        kind: 'client_credentials',
        token: this.options.auth.forServer(definition)?.tokenLifetime?.(),
      };
    }
    if (auth) return { kind: auth.type, token: undefined };
    return { kind: definition.headers === undefined ? 'none' : 'headers', token: undefined };
  }
}
