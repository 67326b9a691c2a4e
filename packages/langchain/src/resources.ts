/**
 * MCP resources as LangChain `Document`s, for retrieval pipelines and document loaders. Text
 * contents become the page content; binary contents are kept as base64 with
 * `metadata.encoding: 'base64'` so nothing is lost.
 */
import { Document } from '@langchain/core/documents';
import type { Registry, RequestScopeOptions } from '@toolwire/core';

/** Metadata of every resource document. */
export interface ResourceDocumentMetadata {
  /** The configured server the resource came from. */
  server: string;
  uri: string;
  mimeType: string | undefined;
  /** `'base64'` when the page content is a binary resource's base64 data. */
  encoding: 'utf-8' | 'base64';
  [key: string]: unknown;
}

/** Options of {@link loadResourceDocuments}. */
export interface LoadResourceDocumentsOptions extends RequestScopeOptions {
  /** Only this server's resources. */
  server?: string | undefined;
  /** Keep only resources this returns `true` for (e.g. by URI or MIME type). */
  filter?: ((resource: { server: string; uri: string; mimeType: string | undefined }) => boolean) | undefined;
}

/**
 * Reads one resource of a server as documents (one per contents item the server returns).
 *
 * @example
 * ```ts
 * const [readme] = await readResourceDocuments(registry, 'docs', 'file:///README.md');
 * ```
 */
export async function readResourceDocuments(
  registry: Registry,
  server: string,
  uri: string,
  options: RequestScopeOptions = {},
): Promise<Document<ResourceDocumentMetadata>[]> {
  const result = await registry.readResource(server, uri, options);
  return result.contents.map((contents) => {
    const isText = 'text' in contents && typeof contents.text === 'string';
    const pageContent = isText
      ? (contents as { text: string }).text
      : String((contents as { blob?: unknown }).blob ?? '');
    return new Document<ResourceDocumentMetadata>({
      pageContent,
      metadata: {
        server,
        uri: contents.uri,
        mimeType: contents.mimeType,
        encoding: isText ? 'utf-8' : 'base64',
      },
    });
  });
}

/** Lists the registry's resources (all servers, or one) and reads each into documents. */
export async function loadResourceDocuments(
  registry: Registry,
  options: LoadResourceDocumentsOptions = {},
): Promise<Document<ResourceDocumentMetadata>[]> {
  const { server, filter, ...scope } = options;
  const resources = await registry.listResources(server, scope);
  const selected = filter ? resources.filter((resource) => filter(resource)) : resources;
  const documents = await Promise.all(
    selected.map((resource) => readResourceDocuments(registry, resource.server, resource.uri, scope)),
  );
  return documents.flat();
}
