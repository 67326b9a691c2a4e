/** One tool in the registry's catalogue: its registry name, its server and its listing. */
import type { Tool } from '@modelcontextprotocol/client';
import type { ServerSlot } from './server-slot.js';

export interface CatalogueEntry {
  name: string;
  slot: ServerSlot;
  /** The tool exactly as its server listed it. */
  tool: Tool;
  disabledReason: 'config' | 'call' | undefined;
}

/** A tool's identity that survives renames: its server and its name there. */
export function catalogueIdentity(server: string, toolName: string): string {
  return `${server}\u0000${toolName}`;
}
