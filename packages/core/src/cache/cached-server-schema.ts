/**
 * What the schema cache stores for one server: its tool and prompt lists exactly as the server
 * published them, its self-description, the protocol era it spoke (so a later connect can skip the
 * version probe), and a hash of the lists to detect drift.
 */
import type {
  DiscoverResult,
  Implementation,
  Prompt,
  ServerCapabilities,
  Tool,
} from '@modelcontextprotocol/client';
import { SCHEMA_CACHE_FORMAT, sha256Hex, stableStringify } from './server-fingerprint.js';

export interface CachedServerSchema {
  format: typeof SCHEMA_CACHE_FORMAT;
  /** Epoch ms when the lists were read from the server. */
  savedAt: number;
  /** SHA-256 of the tool and prompt lists; differs when the server's catalogue drifted. */
  hash: string;
  tools: Tool[];
  prompts: Prompt[];
  serverInfo: Implementation | undefined;
  capabilities: ServerCapabilities | undefined;
  instructions: string | undefined;
  protocolVersion: string | undefined;
  /** `'modern'` (2026-07-28+) or `'legacy'` (2025 `initialize`). */
  era: 'modern' | 'legacy' | undefined;
  /** The modern era's discover result, replayed as `connect({ prior })`. */
  discover: DiscoverResult | undefined;
  /** The transport that worked (`'auto'` servers: Streamable HTTP or SSE). */
  connectedTransport: 'stdio' | 'streamable-http' | 'sse' | undefined;
}

/** The drift hash of a server's lists. */
export function catalogueHash(tools: readonly Tool[], prompts: readonly Prompt[]): Promise<string> {
  return sha256Hex(stableStringify({ tools, prompts }));
}

/** Reads a stored entry, or `undefined` when it is from another format or not ours. */
export function decodeCachedServerSchema(text: string): CachedServerSchema | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Partial<CachedServerSchema>;
  if (entry.format !== SCHEMA_CACHE_FORMAT) return undefined;
  if (!Array.isArray(entry.tools) || !Array.isArray(entry.prompts)) return undefined;
  if (typeof entry.hash !== 'string' || typeof entry.savedAt !== 'number') return undefined;
  if (!entry.tools.every((tool) => typeof tool?.name === 'string' && typeof tool.inputSchema === 'object')) {
    return undefined;
  }
  return entry as CachedServerSchema;
}
