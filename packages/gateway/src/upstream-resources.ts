/**
 * Upstream resources re-published: each resource the registry lists becomes a publisher resource
 * under its own URI, whose read asks its server (`registry.readResource`) in the caller's own
 * upstream session, cancelled with the downstream request. Resources are listed once, when the
 * gateway starts, from the servers connected then; the first server to list a URI serves it.
 */
import { type Registry, ToolwireError } from '@toolwire/core';
import { defineResource, type ResourceDefinition } from '@toolwire/publisher';
import { callerSessionKey } from './forward-call.js';
import type { UpstreamSessions } from './gateway-options.js';
import type { UpstreamCredentials } from './upstream-auth/upstream-credentials.js';

/** Publisher resources forwarding to the registry's; a URI listed twice is reported and served once. */
export async function upstreamResources(
  registry: Registry,
  sessions: UpstreamSessions,
  onError: (error: Error) => void,
  credentials?: UpstreamCredentials,
): Promise<ResourceDefinition[]> {
  let listed: Awaited<ReturnType<Registry['listResources']>>;
  try {
    listed = await registry.listResources();
  } catch (error) {
    onError(
      new ToolwireError({
        code: ToolwireError.isInstance(error) ? error.code : 'INTERNAL',
        cause: error,
        message: `Upstream resources are not served: listing them failed: ${(error as Error).message}`,
      }),
    );
    return [];
  }
  const byURI = new Map<string, ResourceDefinition>();
  for (const resource of listed) {
    if (byURI.has(resource.uri)) {
      onError(
        new ToolwireError({
          code: 'CONFIG_INVALID',
          server: resource.server,
          message: `Upstream resource "${resource.uri}" of server "${resource.server}" is not served: another server lists the same URI.`,
        }),
      );
      continue;
    }
    byURI.set(
      resource.uri,
      defineResource({
        uri: resource.uri,
        name: resource.name,
        title: resource.title,
        description: resource.description,
        mimeType: resource.mimeType,
        read: async (uri, _variables, context) => {
          const sessionKey = await callerSessionKey(context, sessions, resource.server, credentials);
          return registry.readResource(resource.server, uri.href, { sessionKey, signal: context.signal });
        },
      }),
    );
  }
  return [...byURI.values()];
}
