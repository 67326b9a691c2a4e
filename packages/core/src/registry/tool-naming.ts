/**
 * Exposed tool names: unique across servers, safe for every model provider
 * (`^[a-zA-Z0-9_-]{1,64}$`), deterministic (config order, then the server's tool order), and
 * mapped back to the server's original name for the call.
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
  const taken = new Set<string>(reserved);
  const assignment: NameAssignment = new Map();
  for (const { server, toolPrefix, tools } of servers) {
    const prefix = toolPrefix === false ? '' : sanitize(toolPrefix ?? server);
    const names = new Map<string, string>();
    for (const tool of tools) {
      if (names.has(tool)) continue;
      const prefixed = prefix ? `${prefix}${separator}${sanitize(tool)}` : sanitize(tool);
      let candidates: string[];
      if (typeof toolPrefix === 'string' || (toolPrefix === undefined && policy === 'always')) {
        candidates = [prefixed];
      } else if (toolPrefix === undefined && policy === 'on-collision') {
        // Names that only collide once sanitized are prefixed too, on the later server.
        candidates = (occurrences.get(tool) ?? 0) > 1 ? [prefixed] : [sanitize(tool), prefixed];
      } else {
        // 'never' (or `toolPrefix: false`): a collision gets a numbered suffix, not a prefix.
        candidates = [sanitize(tool)];
      }
      let chosen: string | undefined;
      for (const candidate of candidates) {
        const fitted = fitLength(candidate, `${server}\u0000${tool}`);
        if (!taken.has(fitted)) {
          chosen = fitted;
          break;
        }
      }
      if (chosen === undefined) {
        const base = fitLength(candidates[candidates.length - 1]!, `${server}\u0000${tool}`);
        for (let suffix = 2; chosen === undefined; suffix++) {
          const tail = `_${suffix}`;
          const candidate = base.slice(0, MAX_TOOL_NAME_LENGTH - tail.length) + tail;
          if (!taken.has(candidate)) chosen = candidate;
        }
      }
      taken.add(chosen);
      names.set(tool, chosen);
    }
    assignment.set(server, names);
  }
  return assignment;
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
