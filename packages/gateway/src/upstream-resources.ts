/**
 * Upstream resources re-published: each resource and resource template the registry lists
 * becomes a publisher resource under its own URI (template), whose read asks its server
 * (`registry.readResource`) in the caller's own upstream session, cancelled with the downstream
 * request. They are listed once, when the gateway starts, from the servers connected then; the
 * first server to list a URI (template) serves it.
 */
import { type Registry, ToolwireError } from '@toolwire/core';
import { defineResource, type ResourceDefinition } from '@toolwire/publisher';
import { callerSessionKey } from './forward-call.js';
import type { UpstreamSessions } from './gateway-options.js';
import type { UpstreamCredentials } from './upstream-auth/upstream-credentials.js';

/** Where each served resource URI and URI template is read: its upstream server. */
export interface UpstreamResourceOwners {
  /** Fixed URI → server. */
  resources: Map<string, string>;
  /** URI template → server. */
  templates: Map<string, string>;
}

/**
 * Publisher resources forwarding to the registry's; a URI (template) listed twice is reported and
 * served once. `owners` receives the server serving each one.
 */
export async function upstreamResources(
  registry: Registry,
  sessions: UpstreamSessions,
  onError: (error: Error) => void,
  owners: UpstreamResourceOwners = { resources: new Map(), templates: new Map() },
  credentials?: UpstreamCredentials,
): Promise<ResourceDefinition[]> {
  let listed: Awaited<ReturnType<Registry['listResources']>>;
  let templates: Awaited<ReturnType<Registry['listResourceTemplates']>>;
  try {
    [listed, templates] = await Promise.all([registry.listResources(), registry.listResourceTemplates()]);
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
    owners.resources.set(resource.uri, resource.server);
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
  const byTemplate = new Map<string, ResourceDefinition>();
  for (const template of templates) {
    if (byTemplate.has(template.uriTemplate)) {
      onError(
        new ToolwireError({
          code: 'CONFIG_INVALID',
          server: template.server,
          message: `Upstream resource template "${template.uriTemplate}" of server "${template.server}" is not served: another server lists the same template.`,
        }),
      );
      continue;
    }
    owners.templates.set(template.uriTemplate, template.server);
    byTemplate.set(
      template.uriTemplate,
      defineResource({
        uri: template.uriTemplate,
        template: true,
        name: template.name,
        title: template.title,
        description: template.description,
        mimeType: template.mimeType,
        read: async (uri, _variables, context) => {
          const sessionKey = await callerSessionKey(context, sessions, template.server, credentials);
          return registry.readResource(template.server, uri.href, { sessionKey, signal: context.signal });
        },
      }),
    );
  }
  return [...byURI.values(), ...byTemplate.values()];
}
