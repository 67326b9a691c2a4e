/**
 * What changed between two versions of the catalogue, per server, for `tools:changed`. Servers
 * re-list every tool after `tools/list_changed`, so the objects are always new: tools are
 * compared by name, server and definition, not by identity.
 */
import type { Tool } from '@modelcontextprotocol/client';

export interface CatalogueEntryView {
  server: string;
  tool: Tool;
}

export interface CatalogueChange {
  added: string[];
  changed: string[];
  removed: string[];
}

/** Changes by server; servers with no change are absent. */
export function diffCatalogue(
  previous: ReadonlyMap<string, CatalogueEntryView>,
  next: ReadonlyMap<string, CatalogueEntryView>,
): Map<string, CatalogueChange> {
  const changes = new Map<string, CatalogueChange>();
  const changeOf = (server: string) => {
    let change = changes.get(server);
    if (!change) {
      change = { added: [], changed: [], removed: [] };
      changes.set(server, change);
    }
    return change;
  };
  for (const [name, entry] of next) {
    const before = previous.get(name);
    if (!before || before.server !== entry.server) changeOf(entry.server).added.push(name);
    else if (!sameDefinition(before.tool, entry.tool)) changeOf(entry.server).changed.push(name);
  }
  for (const [name, entry] of previous) {
    const after = next.get(name);
    if (!after || after.server !== entry.server) changeOf(entry.server).removed.push(name);
  }
  return changes;
}

function sameDefinition(left: Tool, right: Tool): boolean {
  return left === right || JSON.stringify(left) === JSON.stringify(right);
}
