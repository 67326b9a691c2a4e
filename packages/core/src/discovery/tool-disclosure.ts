/**
 * Progressive disclosure of a large catalogue to a model, independent of any agent framework:
 * the model starts with one discovery tool (`search_tools`) and the few tools you always want;
 * what it finds becomes callable in its next step, and at most `maxActiveTools` found or used
 * tools stay offered (the least recently found or used drop out). The active set is computed
 * from the conversation's own history (which tools were found, which were called), so one
 * disclosure serves any number of concurrent conversations and survives a restart. The adapters
 * only translate their message types into `DisclosureEvent`s; ranking stays in `registry.search()`.
 */
import { ToolNotFoundError } from '../errors/tool-not-found-error.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { Registry } from '../registry/registry.js';
import type { JSONSchemaObject, ToolInfo } from '../registry/registry-types.js';

/** The discovery tool's default name. */
export const SEARCH_TOOLS_NAME = 'search_tools';

const DEFAULT_MAX_ACTIVE_TOOLS = 8;
const DEFAULT_SEARCH_LIMIT = 5;
const DESCRIPTION_CHARACTERS = 240;
const SERVERS_IN_DESCRIPTION = 40;

/** How a discovery tool behaves. */
export interface ToolDisclosureOptions {
  /**
   * Most found or used tools offered to the model at once (besides the discovery tool and
   * `alwaysActive`). The least recently found or used one drops out first. Default 8.
   */
  maxActiveTools?: number | undefined;
  /** Registry tool names offered in every step, outside the cap. Default none. */
  alwaysActive?: readonly string[] | undefined;
  /** Results per search, at most `maxActiveTools`. Default 5. */
  searchLimit?: number | undefined;
  /** Only tools for which this returns `true` can be found (and called through an adapter's set). */
  filter?: ((tool: ToolInfo) => boolean) | undefined;
  /** The discovery tool's name. Default `search_tools`. */
  searchToolName?: string | undefined;
}

/** Something that happened in a conversation, oldest first, as an adapter reads it from messages. */
export type DisclosureEvent =
  /** The discovery tool answered with these tools (best first). */
  | { type: 'found'; tools: readonly string[] }
  /** The model called this tool. */
  | { type: 'used'; tool: string };

/** One tool in a discovery answer, as the model reads it. */
export interface DisclosedTool {
  name: string;
  server: string;
  description: string;
  /** Parameter names, required ones first. */
  parameters: string[];
  required: string[];
}

/** What the discovery tool returns to the model. */
export interface SearchToolsOutput {
  /** Names of the tools found, best first: callable from the next step. */
  found: string[];
  tools: DisclosedTool[];
  message: string;
}

/** A discovery tool over one registry, for any agent framework. */
export interface ToolDisclosure {
  readonly searchToolName: string;
  /** The discovery tool's description for the model (names the servers it covers). */
  readonly searchToolDescription: string;
  /** The discovery tool's input schema: `{ query, server?, limit? }`. */
  readonly searchToolInputSchema: JSONSchemaObject;
  readonly maxActiveTools: number;
  readonly alwaysActive: readonly string[];
  /** Runs the discovery tool for the model. Bad input becomes a message to the model, not a throw. */
  search(input: unknown): SearchToolsOutput;
  /**
   * The registry tools to offer now, from the conversation's events (oldest first): the
   * `alwaysActive` ones, then up to `maxActiveTools` found or used ones, most recent first.
   * Tools no longer callable (removed, disabled, filtered) are skipped.
   */
  activeTools(events: Iterable<DisclosureEvent>): string[];
  /** The tool names in a discovery answer as a framework stored it (the object, or its JSON text). */
  foundIn(output: unknown): string[];
  /** True for a registry tool this disclosure may offer. */
  isDisclosable(name: string): boolean;
}

/**
 * Creates a discovery tool over a registry. Throws `CONFIG_INVALID` for bad options and
 * `TOOL_NOT_FOUND` for an `alwaysActive` name the registry does not know.
 *
 * @example
 * ```ts
 * const disclosure = createToolDisclosure(registry, { maxActiveTools: 6 });
 * const output = disclosure.search({ query: 'open a pull request' });
 * const offered = disclosure.activeTools([{ type: 'found', tools: output.found }]);
 * ```
 */
export function createToolDisclosure(
  registry: Registry,
  options: ToolDisclosureOptions = {},
): ToolDisclosure {
  const maxActiveTools = readCount(options.maxActiveTools, DEFAULT_MAX_ACTIVE_TOOLS, 'maxActiveTools');
  const searchLimit = Math.min(
    readCount(options.searchLimit, DEFAULT_SEARCH_LIMIT, 'searchLimit'),
    maxActiveTools,
  );
  const searchToolName = options.searchToolName ?? SEARCH_TOOLS_NAME;
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(searchToolName)) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `searchToolName: expected 1 to 64 letters, digits, _ or -, got ${JSON.stringify(searchToolName)}`,
    });
  }
  if (registry.tool(searchToolName)) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `searchToolName: "${searchToolName}" is already the name of a registry tool; pick another name`,
    });
  }
  const filter = options.filter;
  const alwaysActive = [...new Set(options.alwaysActive ?? [])];
  for (const name of alwaysActive) {
    if (!registry.tool(name)) {
      throw new ToolNotFoundError({
        tool: name,
        suggestions: registry.search(name, { limit: 3 }).map((result) => result.tool.name),
      });
    }
  }
  const pinned = new Set(alwaysActive);

  const isDisclosable = (name: string): boolean => {
    const info = registry.tool(name);
    return info !== undefined && info.status !== 'disabled' && (!filter || filter(info));
  };

  const servers = [...new Set(registry.tools().map((tool) => tool.server))];
  const serverList =
    servers.length <= SERVERS_IN_DESCRIPTION
      ? servers.join(', ')
      : `${servers.slice(0, SERVERS_IN_DESCRIPTION).join(', ')} and ${servers.length - SERVERS_IN_DESCRIPTION} more`;
  const searchToolDescription =
    `Find tools by what you want to do, in a catalogue of ${registry.tools().length} tools ` +
    `(servers: ${serverList || 'none'}). Describe the task in a few words, e.g. "create a pull ` +
    `request" or "weather forecast". The tools found can be called from your next step; only ` +
    `the ${maxActiveTools} most recently found or used stay available, so search again when you ` +
    `need one back.`;
  const searchToolInputSchema: JSONSchemaObject = {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'What you want to do, in a few words.' },
      server: { type: 'string', description: 'Only search the tools of this server.' },
      limit: {
        type: 'integer',
        minimum: 1,
        maximum: searchLimit,
        description: `How many tools to return (default and maximum ${searchLimit}).`,
      },
    },
    required: ['query'],
    additionalProperties: false,
  };

  const search = (input: unknown): SearchToolsOutput => {
    const fields = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    const query = fields.query;
    if (typeof query !== 'string' || query.trim() === '') {
      return { found: [], tools: [], message: `${searchToolName} needs a "query": what you want to do.` };
    }
    const server = typeof fields.server === 'string' && fields.server !== '' ? fields.server : undefined;
    if (server !== undefined && !servers.includes(server)) {
      return {
        found: [],
        tools: [],
        message: `No server named "${server}". Servers: ${servers.join(', ')}.`,
      };
    }
    const asked =
      typeof fields.limit === 'number' && Number.isInteger(fields.limit) ? fields.limit : searchLimit;
    const limit = Math.max(1, Math.min(asked, searchLimit));
    const results = registry
      .search(query, { server, limit: filter ? Number.POSITIVE_INFINITY : limit })
      .filter((result) => !filter || filter(result.tool))
      .slice(0, limit);
    const tools = results.map((result) => describeTool(result.tool));
    return {
      found: tools.map((tool) => tool.name),
      tools,
      message:
        tools.length === 0
          ? `No tool matches "${query}". Try other words or a broader description.`
          : `Found ${tools.length} tool${tools.length === 1 ? '' : 's'}; you can call ${tools.length === 1 ? 'it' : 'them'} from your next step.`,
    };
  };

  const activeTools = (events: Iterable<DisclosureEvent>): string[] => {
    // Recency order: a Map keeps insertion order, so delete-then-set moves a name to the end.
    const recent = new Map<string, true>();
    const touch = (name: string) => {
      if (name === searchToolName || pinned.has(name)) return;
      recent.delete(name);
      recent.set(name, true);
    };
    for (const event of events) {
      if (event.type === 'found') {
        // The best result is touched last: it is the most recent.
        for (const name of [...event.tools].reverse()) touch(name);
      } else {
        touch(event.tool);
      }
    }
    const chosen: string[] = [];
    for (const name of [...recent.keys()].reverse()) {
      if (chosen.length >= maxActiveTools) break;
      if (isDisclosable(name)) chosen.push(name);
    }
    return [...alwaysActive.filter(isDisclosable), ...chosen];
  };

  return {
    searchToolName,
    searchToolDescription,
    searchToolInputSchema,
    maxActiveTools,
    alwaysActive,
    search,
    activeTools,
    foundIn,
    isDisclosable,
  };
}

function describeTool(tool: ToolInfo): DisclosedTool {
  const properties = tool.inputSchema.properties;
  const names =
    typeof properties === 'object' && properties !== null && !Array.isArray(properties)
      ? Object.keys(properties)
      : [];
  const required = Array.isArray(tool.inputSchema.required)
    ? tool.inputSchema.required.filter((name): name is string => typeof name === 'string')
    : [];
  const text = (tool.description || tool.title || '').replace(/\s+/g, ' ').trim();
  return {
    name: tool.name,
    server: tool.server,
    description:
      text.length > DESCRIPTION_CHARACTERS ? `${text.slice(0, DESCRIPTION_CHARACTERS - 1)}…` : text,
    parameters: [...required, ...names.filter((name) => !required.includes(name))],
    required,
  };
}

function foundIn(output: unknown): string[] {
  let value = output;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (typeof value !== 'object' || value === null) return [];
  const found = (value as { found?: unknown }).found;
  return Array.isArray(found) ? found.filter((name): name is string => typeof name === 'string') : [];
}

function readCount(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `${option}: expected a positive whole number, got ${String(value)}`,
    });
  }
  return value;
}
