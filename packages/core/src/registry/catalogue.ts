/**
 * The registry's catalogue: every server's tools under registry-unique names, rebuilt whenever a
 * server's list changes (with `tools:changed` events for the difference), the tools a caller or
 * the configuration disabled, lookups with "did you mean" errors, and search.
 *
 * A rebuild names every server's tools afresh (names depend on every server: collisions, prefixes),
 * so one per server as many servers finish listing would be quadratic. While the registry holds
 * rebuilds (`holdRebuilds`: start-up and reconfiguration, until their connects settle), a change
 * only marks the catalogue stale; the first lookup that needs it rebuilds it, and so does the
 * release of the last hold: one rebuild for many servers however their lists arrive.
 */
import type { Tool } from '@modelcontextprotocol/client';
import type { NamingOptions } from '../config/parse-config.js';
import type { SearchToolsOptions, ToolSearchResult } from '../discovery/search-types.js';
import type { ConfigError } from '../errors/config-error.js';
import { ToolNotFoundError } from '../errors/tool-not-found-error.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { TypedEmitter } from '../events/event-emitter.js';
import type { RegistryEvents } from '../events/registry-events.js';
import { closestMatches } from '../util/closest-matches.js';
import { createNameFilter } from '../util/name-filter.js';
import type { CallStats } from './call-stats.js';
import { diffCatalogue } from './catalogue-diff.js';
import { type CatalogueEntry, catalogueIdentity } from './catalogue-entry.js';
import { CatalogueSearch } from './catalogue-search.js';
import { describeTool } from './describe.js';
import type { ToolInfo, ToolsFilter } from './registry-types.js';
import type { ServerSlot } from './server-slot.js';
import { assignToolNames, type NamingServer, sanitize } from './tool-naming.js';

/** What the catalogue needs from the registry. */
export interface CatalogueOptions {
  /** The registry's servers (the registry's own map: read, never changed here). */
  slots: ReadonlyMap<string, ServerSlot>;
  naming: Required<NamingOptions>;
  emitter: TypedEmitter<RegistryEvents>;
  callStats: CallStats;
}

/** The registry's tools by registry-unique name. */
export class Catalogue {
  private entries = new Map<string, CatalogueEntry>();
  private readonly options: CatalogueOptions;
  private readonly disabledByCall = new Set<string>();
  /** Open `holdRebuilds` holds: while any is open, a change marks the catalogue stale. */
  private holds = 0;
  /** A server's tools changed since the last rebuild. */
  private stale = false;
  /** Built on the first search after the catalogue changes. */
  private readonly catalogueSearch = new CatalogueSearch();

  constructor(options: CatalogueOptions) {
    this.options = options;
  }

  /** What joins a server's name (or prefix) to its tools' and prompts' names. */
  get separator(): string {
    return this.options.naming.separator;
  }

  /** The entry under `name`, disabled or not. */
  get(name: string): CatalogueEntry | undefined {
    return this.current().get(name);
  }

  /** Every entry, disabled ones included. */
  values(): IterableIterator<CatalogueEntry> {
    return this.current().values();
  }

  /** The entries of one server. */
  entriesOf(slot: ServerSlot): CatalogueEntry[] {
    return [...this.current().values()].filter((entry) => entry.slot === slot);
  }

  /**
   * Until the returned release is called (once; later calls do nothing), server changes only mark
   * the catalogue stale: a lookup rebuilds it when it needs it, the last release if still stale.
   */
  holdRebuilds(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0 && this.stale) this.renameAll();
    };
  }

  /** A server's tools changed: rebuilds now, or marks the catalogue stale while rebuilds are held. */
  rebuild(): void {
    if (this.holds > 0) this.stale = true;
    else this.renameAll();
  }

  /** The entries, rebuilt first if a held change made them stale. */
  private current(): Map<string, CatalogueEntry> {
    if (this.stale) this.renameAll();
    return this.entries;
  }

  /** Names every server's tools afresh and emits `tools:changed` for what differs. */
  private renameAll(): void {
    this.stale = false;
    const { slots, naming, emitter } = this.options;
    const enabledLists: NamingServer[] = [];
    const disabledLists: NamingServer[] = [];
    const filtered = new Map<ServerSlot, { enabled: Tool[]; disabled: Tool[] }>();
    for (const slot of slots.values()) {
      const { enabledTools, disabledTools } = slot.definition;
      const isEnabled = createNameFilter(enabledTools, disabledTools);
      const enabled: Tool[] = [];
      const disabled: Tool[] = [];
      for (const tool of slot.tools) (isEnabled(tool.name) ? enabled : disabled).push(tool);
      filtered.set(slot, { enabled, disabled });
      enabledLists.push({
        server: slot.name,
        toolPrefix: slot.definition.toolPrefix,
        tools: enabled.map((tool) => tool.name),
      });
      disabledLists.push({
        server: slot.name,
        toolPrefix: slot.definition.toolPrefix,
        tools: disabled.map((tool) => tool.name),
      });
    }
    const enabledNames = assignToolNames(enabledLists, naming);
    const reserved = new Set([...enabledNames.values()].flatMap((names) => [...names.values()]));
    const disabledNames = assignToolNames(disabledLists, naming, reserved);

    const previous = this.entries;
    const next = new Map<string, CatalogueEntry>();
    for (const [slot, { enabled, disabled }] of filtered) {
      for (const tool of enabled) {
        const name = enabledNames.get(slot.name)?.get(tool.name);
        if (name)
          next.set(name, {
            name,
            slot,
            tool,
            disabledReason: this.disabledByCall.has(catalogueIdentity(slot.name, tool.name))
              ? 'call'
              : undefined,
          });
      }
      for (const tool of disabled) {
        const name = disabledNames.get(slot.name)?.get(tool.name);
        if (name) next.set(name, { name, slot, tool, disabledReason: 'config' });
      }
    }
    this.entries = next;
    this.catalogueSearch.invalidate();

    const view = (catalogue: Map<string, CatalogueEntry>) =>
      new Map([...catalogue].map(([name, entry]) => [name, { server: entry.slot.name, tool: entry.tool }]));
    for (const [server, change] of diffCatalogue(view(previous), view(next))) {
      emitter.emit('tools:changed', { server, ...change });
    }
  }

  /** `Registry.tools()`. */
  tools(filter: ToolsFilter = {}): ToolInfo[] {
    const result: ToolInfo[] = [];
    const keep = createNameFilter(filter.include, filter.exclude);
    for (const entry of this.current().values()) {
      if (filter.server !== undefined && entry.slot.name !== filter.server) continue;
      if (!keep(entry.name)) continue;
      const info = this.describe(entry);
      if (!filter.includeDisabled && info.status === 'disabled') continue;
      result.push(info);
    }
    return result;
  }

  /** `Registry.tool()`. */
  tool(name: string): ToolInfo | undefined {
    const entry = this.get(name);
    return entry ? this.describe(entry) : undefined;
  }

  /** `Registry.requireTool()`. */
  requireTool(name: string): ToolInfo {
    const info = this.tool(name);
    if (info && info.status !== 'disabled') return info;
    if (info) {
      throw new ToolwireError({
        code: 'TOOL_DISABLED',
        server: info.server,
        tool: name,
        message: `Tool "${name}" is disabled`,
      });
    }
    throw this.notFound(name);
  }

  /** `Registry.search()`. */
  search(query: string, options: SearchToolsOptions = {}): ToolSearchResult[] {
    return this.catalogueSearch.search(this.values(), query, options, (entry) => this.describe(entry));
  }

  /** An entry as the public `ToolInfo`, with its call stats. */
  describe(entry: CatalogueEntry): ToolInfo {
    return describeTool(entry, this.options.callStats.snapshot(entry.slot.name, entry.tool.name));
  }

  /** `Registry.disableTool()`: remembered across rebuilds by server and tool name. */
  disable(name: string): void {
    const entry = this.require(name);
    this.disabledByCall.add(catalogueIdentity(entry.slot.name, entry.tool.name));
    if (!entry.disabledReason) entry.disabledReason = 'call';
  }

  /** `Registry.enableTool()`: undoes `disable()` only (a configuration's filter stays). */
  enable(name: string): void {
    const entry = this.require(name);
    this.disabledByCall.delete(catalogueIdentity(entry.slot.name, entry.tool.name));
    if (entry.disabledReason === 'call') entry.disabledReason = undefined;
  }

  /**
   * The error for a name not in the catalogue. A server whose configuration is invalid has no
   * tools listed, so a call meant for it (its prefix, then the separator) gets its
   * `CONFIG_INVALID`, which says what to fix, rather than `TOOL_NOT_FOUND`.
   */
  notFound(name: string): ConfigError | ToolNotFoundError | ToolwireError {
    const { slots, naming } = this.options;
    let owner: ServerSlot | undefined;
    let ownerPrefix = '';
    for (const slot of slots.values()) {
      if (slot.status !== 'failed' || (!slot.configError && slot.tools.length > 0)) continue;
      const { toolPrefix } = slot.definition;
      if (toolPrefix === false || (toolPrefix === undefined && naming.prefix !== 'always')) continue;
      const prefix = `${sanitize(toolPrefix ?? slot.name)}${naming.separator}`;
      if (name.startsWith(prefix) && prefix.length > ownerPrefix.length) {
        owner = slot;
        ownerPrefix = prefix;
      }
    }
    if (owner?.configError) return owner.configErrorFor(name);
    if (owner) return unreachableOwner(owner, name);
    return new ToolNotFoundError({ tool: name, suggestions: closestMatches(name, this.callableNames()) });
  }

  private callableNames(): string[] {
    return [...this.values()].filter((entry) => !entry.disabledReason).map((entry) => entry.name);
  }

  private require(name: string): CatalogueEntry {
    const entry = this.get(name);
    if (!entry)
      throw new ToolNotFoundError({ tool: name, suggestions: closestMatches(name, this.entries.keys()) });
    return entry;
  }
}

/**
 * A call for a server that never connected (so none of its tools is known): `CONNECT_FAILED`,
 * naming the server and why, rather than a `TOOL_NOT_FOUND` that hides the failure.
 */
function unreachableOwner(owner: ServerSlot, tool: string): ToolwireError {
  return new ToolwireError({
    code: 'CONNECT_FAILED',
    server: owner.name,
    tool,
    cause: owner.error,
    message: `Server "${owner.name}" failed to connect, so its tools are unknown: ${owner.error?.message ?? 'unknown error'}`,
  });
}
