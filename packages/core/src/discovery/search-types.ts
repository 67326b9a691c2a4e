/** The public shapes of `registry.search()`: what to look for, and what comes back. */
import type { ToolInfo } from '../registry/registry-types.js';

/** Narrows and sizes a `registry.search()`. */
export interface SearchToolsOptions {
  /** Most results to return. Default 10; `Infinity` for every match. */
  limit?: number | undefined;
  /** Only tools of these servers: names or globs (`crm-*`). */
  server?: string | readonly string[] | undefined;
  /**
   * Only tools whose registry name or server-side name matches one of these globs (`*` any run,
   * `?` one character), like the seed's `get_discovery_info(filter_pattern)`.
   */
  pattern?: string | readonly string[] | undefined;
  /** Include disabled tools (by config, by call, or because their server is). Default `false`. */
  includeDisabled?: boolean | undefined;
}

/** One tool found by `registry.search()`. */
export interface ToolSearchResult {
  tool: ToolInfo;
  /**
   * Relevance (higher is better). Comparable within one search only. `0` when the query was
   * empty or a pattern and results are in catalogue order.
   */
  score: number;
  /** The query words (lower-cased, as written) this tool matched, itself or through a synonym. */
  matched: string[];
}
