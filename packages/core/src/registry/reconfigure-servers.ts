/**
 * Servers replaced, added or removed in a running registry (`registry.reconfigureServers`). The
 * servers not named keep their slots: connections, upstream sessions, running calls and cached
 * tools stay as they are. A replaced or removed server leaves the registry at once (new calls go
 * to its new entry, or find no server); its old connections close once the calls running on them
 * end, at most `drainMs` later. Every entry is checked before anything changes: one bad entry
 * rejects the whole update with `CONFIG_INVALID` and the registry goes on as it was.
 */
import type { ParsedServerEntry, ServerConfigInput } from '../config/parse-config.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { ServerSlot } from './server-slot.js';

/** What `reconfigureServers` changes: entries to (re)configure by name, and servers to remove. */
export interface ServersUpdate {
  /** Server entries by name, in the `mcpServers` shape: a new name is added, a known one replaced. */
  servers?: Record<string, ServerConfigInput> | undefined;
  /** Servers to remove, by name. */
  remove?: readonly string[] | undefined;
}

export interface ReconfigureServersOptions {
  /** How long calls running on a replaced or removed server may take before its connections close. Default 30 s. */
  drainMs?: number | undefined;
}

/** What the registry lends the reconfiguration. */
export interface ReconfigureContext {
  slots: Map<string, ServerSlot>;
  /** Parses entries strictly, with the registry's own top-level defaults; throws `CONFIG_INVALID`. */
  parse(servers: Record<string, ServerConfigInput>): ParsedServerEntry[];
  createSlot(entry: ParsedServerEntry): ServerSlot;
  rebuildCatalogue(): void;
  /** Reads the cache for these slots and connects what the loading mode asks for. */
  startSlots(slots: ServerSlot[]): Promise<void>;
  /** Retired slots still draining; the registry's `close()` waits for them. */
  retiring: Set<Promise<void>>;
}

const DEFAULT_DRAIN_MS = 30_000;
/** How often a draining slot is looked at for calls still running. */
const DRAIN_POLL_MS = 25;

export async function reconfigureServers(
  context: ReconfigureContext,
  update: ServersUpdate,
  options: ReconfigureServersOptions = {},
): Promise<void> {
  const drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
  if (!(typeof drainMs === 'number' && drainMs >= 0)) {
    throw configError(`drainMs must be a number of milliseconds, not ${JSON.stringify(options.drainMs)}.`);
  }
  const servers = update?.servers ?? {};
  const remove = update?.remove ?? [];
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers) || !Array.isArray(remove)) {
    throw configError('reconfigureServers takes { servers: { <name>: entry }, remove: [names] }.');
  }
  const unknown = remove.filter((name) => !context.slots.has(name));
  if (unknown.length > 0) {
    throw configError(
      `No server named ${unknown.map((name) => `"${name}"`).join(', ')} to remove; nothing was changed.`,
    );
  }
  const both = remove.filter((name) => Object.hasOwn(servers, name));
  if (both.length > 0) {
    throw configError(`Server "${both[0]}" is both configured and removed; nothing was changed.`);
  }
  const entries = context.parse(servers);
  const missing = Object.keys(servers).filter(
    (name) => !entries.some((entry) => entry.definition.name === name),
  );
  if (missing.length > 0) {
    // Provider entries are resolved when a registry is created, not here.
    throw configError(
      `Server "${missing[0]}" cannot be configured in a running registry (a provider entry); nothing was changed.`,
    );
  }

  const retired: ServerSlot[] = [];
  for (const name of remove) {
    retired.push(context.slots.get(name) as ServerSlot);
    context.slots.delete(name);
  }
  const added: ServerSlot[] = [];
  for (const entry of entries) {
    const old = context.slots.get(entry.definition.name);
    if (old) retired.push(old);
    const slot = context.createSlot(entry);
    context.slots.set(entry.definition.name, slot);
    added.push(slot);
  }
  // One catalogue change for the whole update: tools of removed servers go, new ones come from the cache or on connect.
  context.rebuildCatalogue();
  for (const slot of retired) {
    const retiring = drainThenClose(slot, drainMs);
    context.retiring.add(retiring);
    void retiring.finally(() => context.retiring.delete(retiring));
  }
  await context.startSlots(added);
}

async function drainThenClose(slot: ServerSlot, drainMs: number): Promise<void> {
  const deadline = Date.now() + drainMs;
  while (slot.pool.inFlight > 0 && Date.now() < deadline) {
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(DRAIN_POLL_MS, Math.max(1, deadline - Date.now()))),
    );
  }
  await slot.close().catch(() => {});
}

function configError(message: string): ToolwireError {
  return new ToolwireError({ code: 'CONFIG_INVALID', message });
}
