/**
 * MCP resources as AI SDK message parts, to put a server's documents into a conversation
 * (`{ role: 'user', content: [...parts, { type: 'text', text: 'Summarize these.' }] }`).
 */
import type { Registry, RequestScopeOptions } from '@toolwire/core';
import { type MCPMessagePart, type MCPResourceContents, resourceContentsToPart } from './message-parts.js';

/** Options of {@link loadResourceParts}. */
export interface LoadResourcePartsOptions extends RequestScopeOptions {
  /** Only this server's resources. */
  server?: string | undefined;
  /** Keep only resources this returns `true` for (e.g. by URI or MIME type). */
  filter?: ((resource: { server: string; uri: string; mimeType: string | undefined }) => boolean) | undefined;
}

/**
 * Reads one resource of a server as message parts (one per contents item the server returns):
 * text resources as text under a line naming the URI, binary ones as file parts.
 *
 * @example
 * ```ts
 * const parts = await readResourceParts(registry, 'docs', 'file:///README.md');
 * const { text } = await generateText({
 *   model,
 *   messages: [{ role: 'user', content: [...parts, { type: 'text', text: 'Summarize this.' }] }],
 * });
 * ```
 */
export async function readResourceParts(
  registry: Registry,
  server: string,
  uri: string,
  options: RequestScopeOptions = {},
): Promise<MCPMessagePart[]> {
  const result = await registry.readResource(server, uri, options);
  return result.contents.map((contents) => resourceContentsToPart(contents as MCPResourceContents));
}

/** Lists the registry's resources (all servers, or one), keeps those `filter` selects, and reads each. */
export async function loadResourceParts(
  registry: Registry,
  options: LoadResourcePartsOptions = {},
): Promise<MCPMessagePart[]> {
  const { server, filter, ...scope } = options;
  const resources = await registry.listResources(server, scope);
  const selected = filter ? resources.filter((resource) => filter(resource)) : resources;
  const parts = await Promise.all(
    selected.map((resource) => readResourceParts(registry, resource.server, resource.uri, scope)),
  );
  return parts.flat();
}
