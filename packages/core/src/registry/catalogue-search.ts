/**
 * `registry.search()`: filters (server and name globs) and ranked free text over the catalogue,
 * from what is listed or cached, without connecting any server. The index is built on the first
 * search after the catalogue changes.
 */
import { schemaText } from '../discovery/schema-text.js';
import { SearchIndex } from '../discovery/search-index.js';
import type { SearchToolsOptions, ToolSearchResult } from '../discovery/search-types.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import { compileGlobs } from '../util/glob.js';
import type { CatalogueEntry } from './catalogue-entry.js';
import type { ToolInfo } from './registry-types.js';

const DEFAULT_SEARCH_LIMIT = 10;

export class CatalogueSearch {
  private searchIndex: { index: SearchIndex; entries: CatalogueEntry[] } | undefined;

  /** The catalogue changed: the next search rebuilds the index. */
  invalidate(): void {
    this.searchIndex = undefined;
  }

  search(
    catalogue: Iterable<CatalogueEntry>,
    query: string,
    options: SearchToolsOptions,
    describe: (entry: CatalogueEntry) => ToolInfo,
  ): ToolSearchResult[] {
    if (typeof query !== 'string') {
      throw new ToolwireError({
        code: 'INVALID_ARGUMENTS',
        message: `search(): the query must be a string, got ${typeof query}`,
      });
    }
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    if (!(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit > 0))) {
      throw new ToolwireError({
        code: 'INVALID_ARGUMENTS',
        message: `search(): limit must be a positive whole number or Infinity, got ${String(limit)}`,
      });
    }
    const trimmed = query.trim();
    const queryIsPattern = /[*?]/.test(trimmed) && !/\s/.test(trimmed);
    const patterns = [...toList(options.pattern), ...(queryIsPattern ? [trimmed] : [])];
    const nameMatches = patterns.length > 0 ? compileGlobs(patterns) : undefined;
    const servers = toList(options.server);
    const serverMatches = servers.length > 0 ? compileGlobs(servers) : undefined;
    const accept = (entry: CatalogueEntry): boolean => {
      if (serverMatches && !serverMatches(entry.slot.name)) return false;
      if (nameMatches && !nameMatches(entry.name) && !nameMatches(entry.tool.name)) return false;
      if (!options.includeDisabled && (entry.disabledReason || entry.slot.status === 'disabled'))
        return false;
      return true;
    };

    const text = queryIsPattern ? '' : trimmed;
    if (text === '') {
      const listed: ToolSearchResult[] = [];
      for (const entry of catalogue) {
        if (listed.length >= limit) break;
        if (accept(entry)) listed.push({ tool: describe(entry), score: 0, matched: [] });
      }
      return listed;
    }
    const { index, entries } = this.indexOf(catalogue);
    return index
      .search(text, (position) => accept(entries[position]!))
      .slice(0, limit === Number.POSITIVE_INFINITY ? undefined : limit)
      .map((hit) => ({ tool: describe(entries[hit.index]!), score: hit.score, matched: hit.matched }));
  }

  private indexOf(catalogue: Iterable<CatalogueEntry>): { index: SearchIndex; entries: CatalogueEntry[] } {
    if (!this.searchIndex) {
      const entries = [...catalogue];
      const index = new SearchIndex(
        entries.map((entry) => ({
          names: [entry.tool.name, entry.tool.title ?? entry.tool.annotations?.title ?? ''],
          aliases: [entry.name],
          server: entry.slot.name,
          description: [entry.tool.description ?? '', entry.slot.definition.description ?? ''].join('\n'),
          schema: schemaText(entry.tool.inputSchema),
        })),
      );
      this.searchIndex = { index, entries };
    }
    return this.searchIndex;
  }
}

function toList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}
