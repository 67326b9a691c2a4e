/**
 * Exposed tool names: unique across servers, safe for every model provider
 * (`^[a-zA-Z0-9_-]{1,64}$`), deterministic (config order, then the server's tool order), and
 * mapped back to the server's original name for the call.
 *
 * Tool names are chosen by servers, so a server may imitate another's prefix (`other__delete_all`).
 * Two rules keep every server in its own namespace, whatever the prefix mode:
 * - a tool whose own name reads as another server's tool (it starts with that server's prefix
 *   and the separator) always gets its own server's prefix: `mine__other__delete_all`;
 * - a name that reads as server Y's (`Y<separator>…`) goes to Y's own tool first; any other
 *   tool that ends up with it (possible only when one configured server name extends another,
 *   like `a` and `a__b`) gets the numbered suffix instead, never Y's tool.
 */
import type { NamingOptions } from '../config/parse-config.js';

export const MAX_TOOL_NAME_LENGTH = 64;

export interface NamingServer {
  server: string;
  /** The server's `toolPrefix`: a string forces that prefix, `false` forces none. */
  toolPrefix: string | false | undefined;
  tools: readonly string[];
}

/** server → (original tool name → exposed name). */
export type NameAssignment = Map<string, Map<string, string>>;

interface Request {
  server: string;
  tool: string;
  /** Names to try in order; the last one gets a numbered suffix when all are taken. */
  candidates: string[];
  /** True when the first candidate reads as a name of the tool's own server (or of none). */
  rightful: boolean;
}

export function assignToolNames(
  servers: readonly NamingServer[],
  naming: Required<NamingOptions>,
  reserved: ReadonlySet<string> = new Set(),
): NameAssignment {
  const { prefix: policy, separator } = naming;
  const occurrences = new Map<string, number>();
  for (const { tools } of servers) {
    for (const tool of new Set(tools)) occurrences.set(tool, (occurrences.get(tool) ?? 0) + 1);
  }
  // Every prefix in use: a name starting with one of these (and the separator) reads as that server's.
  const prefixes = new Map<string, string>();
  for (const { server, toolPrefix } of servers) {
    if (toolPrefix !== false) prefixes.set(server, sanitize(toolPrefix ?? server));
  }
  const owner = designatedServers(prefixes, separator);

  const requests: Request[] = [];
  for (const { server, toolPrefix, tools } of servers) {
    const ownPrefix = prefixes.get(server) ?? sanitize(server);
    const prefix = toolPrefix === false ? '' : ownPrefix;
    const seen = new Set<string>();
    for (const tool of tools) {
      if (seen.has(tool)) continue;
      seen.add(tool);
      const bare = sanitize(tool);
      const prefixed = prefix ? `${prefix}${separator}${bare}` : bare;
      let candidates: string[];
      if (owner(bare) !== undefined && owner(bare) !== server) {
        // The raw name imitates another server's tool: its own server's prefix, in every mode.
        candidates = [`${ownPrefix}${separator}${bare}`];
      } else if (typeof toolPrefix === 'string' || (toolPrefix === undefined && policy === 'always')) {
        candidates = [prefixed];
      } else if (toolPrefix === undefined && policy === 'on-collision') {
        // Names that only collide once sanitized are prefixed too, on the later server.
        candidates = (occurrences.get(tool) ?? 0) > 1 ? [prefixed] : [bare, prefixed];
      } else {
        // 'never' (or `toolPrefix: false`): a collision gets a numbered suffix, not a prefix.
        candidates = [bare];
      }
      const first = owner(candidates[0]!);
      requests.push({ server, tool, candidates, rightful: first === undefined || first === server });
    }
  }

  const taken = new Set<string>(reserved);
  const chosen = new Map<Request, string>();
  // Rightful names first, in config order; names that read as another server's only after them.
  for (const pass of [true, false]) {
    for (const request of requests) {
      if (request.rightful !== pass) continue;
      const name = choose(request, taken, (candidate) => {
        const designated = owner(candidate);
        return designated === undefined || designated === request.server || !pass;
      });
      taken.add(name);
      chosen.set(request, name);
    }
  }

  const assignment: NameAssignment = new Map();
  for (const { server } of servers) assignment.set(server, assignment.get(server) ?? new Map());
  for (const request of requests) assignment.get(request.server)?.set(request.tool, chosen.get(request)!);
  return assignment;
}

/** The first free candidate that `acceptable` allows, else the last one with a numbered suffix. */
function choose(request: Request, taken: ReadonlySet<string>, acceptable: (name: string) => boolean): string {
  const identity = `${request.server}\u0000${request.tool}`;
  for (const candidate of request.candidates) {
    const fitted = fitLength(candidate, identity);
    if (!taken.has(fitted) && acceptable(fitted)) return fitted;
  }
  const base = fitLength(request.candidates[request.candidates.length - 1]!, identity);
  for (let suffix = 2; ; suffix++) {
    const tail = `_${suffix}`;
    const candidate = base.slice(0, MAX_TOOL_NAME_LENGTH - tail.length) + tail;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * A lookup of the server whose prefix (and the separator) a name starts with; the longest prefix
 * wins, and of servers sharing one, the first. It costs the longest prefix's length, not the number
 * of servers: it runs several times per tool, and a catalogue of hundreds of servers has thousands.
 */
function designatedServers(
  prefixes: ReadonlyMap<string, string>,
  separator: string,
): (name: string) => string | undefined {
  const owners = new Map<string, string>();
  let longest = 0;
  for (const [server, prefix] of prefixes) {
    const lead = `${prefix}${separator}`;
    if (!owners.has(lead)) owners.set(lead, server);
    longest = Math.max(longest, lead.length);
  }
  return (name) => {
    for (let end = Math.min(longest, name.length); end > separator.length; end--) {
      const start = end - separator.length;
      if (!name.startsWith(separator, start)) continue;
      const server = owners.get(name.slice(0, end));
      if (server !== undefined) return server;
    }
    return undefined;
  };
}

/** Replaces every character providers reject with `_`; never returns an empty string. */
export function sanitize(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return cleaned === '' ? 'tool' : cleaned;
}

/** Shortens names over 64 characters, keeping them unique with a short stable hash of the full identity. */
function fitLength(name: string, identity: string): string {
  if (name.length <= MAX_TOOL_NAME_LENGTH) return name;
  const hash = fnv1a(identity);
  return `${name.slice(0, MAX_TOOL_NAME_LENGTH - hash.length - 1)}_${hash}`;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
