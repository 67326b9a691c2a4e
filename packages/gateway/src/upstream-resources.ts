/**
 * Upstream resources re-published: each resource and resource template the registry lists
 * becomes a publisher resource under its own URI (template), whose read asks its server
 * (`registry.readResource`) in the caller's own upstream session, cancelled with the downstream
 * request. They are listed when the gateway starts, again for one server when it announces
 * `resources/list_changed` (the registry's `resources:changed`) and for all on a reload; the
 * publisher tells downstream clients `notifications/resources/list_changed`. The first server to
 * list a URI (template) serves it; another server listing it is reported and left out.
 */
import { UriTemplate } from '@modelcontextprotocol/server';
import { type Registry, type ResourceInfo, type ResourceTemplateInfo, ToolwireError } from '@toolwire/core';
import { defineResource, type Publisher, type ResourceDefinition } from '@toolwire/publisher';
import { callerSessionKey } from './forward-call.js';
import type { UpstreamSessions } from './gateway-options.js';
import type { PolicyGuard } from './gateway-policy.js';
import type { CallerCredentials } from './reloadable-credentials.js';

/** Where each served resource URI and URI template is read: its upstream server. */
export interface UpstreamResourceOwners {
  /** Fixed URI → server. */
  resources: Map<string, string>;
  /** URI template → server. */
  templates: Map<string, string>;
}

/** Each served URI template's compiled matcher, made once per template. */
const matchers = new Map<string, UriTemplate | null>();

/**
 * The upstream server serving `uri`: the server listing it, else the server of the first served
 * URI template it matches (RFC 6570, as the publisher matches reads), else `undefined`.
 */
export function resourceOwner(owners: UpstreamResourceOwners, uri: string): string | undefined {
  const listed = owners.resources.get(uri);
  if (listed !== undefined) return listed;
  for (const [template, server] of owners.templates) {
    let matcher = matchers.get(template);
    if (matcher === undefined) {
      try {
        matcher = new UriTemplate(template);
      } catch {
        // The publisher refused to serve it already; it matches nothing.
        matcher = null;
      }
      matchers.set(template, matcher);
    }
    if (matcher?.match(uri)) return server;
  }
  return undefined;
}

/** The served upstream resources, kept in step with the registry. */
export interface ResourceSync {
  /** Serves the resources of `server` (or of every server) as the registry lists them now. */
  sync(server?: string): Promise<void>;
}

type Listed = (ResourceInfo & { template: false }) | (ResourceTemplateInfo & { template: true });

export function createResourceSync(
  registry: Registry,
  publisher: Pick<Publisher, 'addResources' | 'removeResources'>,
  sessions: UpstreamSessions,
  onError: (error: Error) => void,
  owners: UpstreamResourceOwners,
  credentials?: CallerCredentials,
  /** The gateway's policy: may refuse a read to a caller, limits and audits it. */
  policy?: PolicyGuard,
): ResourceSync {
  /** Served URI (template) → what was listed for it, to tell a changed listing from the same one. */
  const served = new Map<string, { listed: Listed; signature: string }>();
  const ownerMap = (listed: Listed) => (listed.template ? owners.templates : owners.resources);
  const uriOf = (listed: Listed) => (listed.template ? listed.uriTemplate : listed.uri);

  const definitionOf = (listed: Listed): ResourceDefinition =>
    defineResource({
      uri: uriOf(listed),
      ...(listed.template ? { template: true } : {}),
      name: listed.name,
      title: listed.title,
      description: listed.description,
      mimeType: listed.mimeType,
      read: (uri, _variables, context) => {
        const readUpstream = async () => {
          const sessionKey = await callerSessionKey(context, sessions, listed.server, credentials);
          return registry.readResource(listed.server, uri.href, { sessionKey, signal: context.signal });
        };
        if (!policy) return readUpstream();
        const request = {
          kind: 'resource',
          operation: 'read',
          server: listed.server,
          uri: uri.href,
        } as const;
        return policy.runRequest(request, context, readUpstream);
      },
    });

  const list = async (server: string | undefined): Promise<Listed[] | undefined> => {
    try {
      const [resources, templates] = await Promise.all([
        registry.listResources(server),
        registry.listResourceTemplates(server),
      ]);
      return [
        ...resources.map((resource) => ({ ...resource, template: false as const })),
        ...templates.map((template) => ({ ...template, template: true as const })),
      ];
    } catch (error) {
      onError(
        new ToolwireError({
          code: ToolwireError.isInstance(error) ? error.code : 'INTERNAL',
          cause: error,
          ...(server === undefined ? {} : { server }),
          message: `Upstream resources${server === undefined ? '' : ` of server "${server}"`} are not served anew: listing them failed: ${(error as Error).message}`,
        }),
      );
      return undefined;
    }
  };

  return {
    async sync(server) {
      const listed = await list(server);
      if (!listed) return;
      const wanted = new Map<string, Listed>();
      for (const item of listed) {
        const uri = uriOf(item);
        const first = wanted.get(uri);
        if (first === undefined) wanted.set(uri, item);
        else if (first.server !== item.server) reportDuplicate(item, onError);
      }
      const signature = (item: Listed) => JSON.stringify(item);
      const gone = [...served]
        .filter(([uri, { listed: current, signature: was }]) => {
          if (server !== undefined && current.server !== server) return false;
          const next = wanted.get(uri);
          return next === undefined || next.server !== current.server || signature(next) !== was;
        })
        .map(([uri]) => uri);
      if (gone.length > 0) {
        await publisher.removeResources(gone);
        for (const uri of gone) {
          const current = served.get(uri);
          if (current) ownerMap(current.listed).delete(uri);
          served.delete(uri);
        }
      }
      // One at a time: one resource the publisher refuses must not keep the others out.
      for (const [uri, item] of wanted) {
        const current = served.get(uri);
        if (current) {
          if (current.listed.server !== item.server) reportDuplicate(item, onError);
          continue;
        }
        try {
          await publisher.addResources([definitionOf(item)]);
          served.set(uri, { listed: item, signature: signature(item) });
          ownerMap(item).set(uri, item.server);
        } catch (error) {
          onError(
            new ToolwireError({
              code: 'CONFIG_INVALID',
              server: item.server,
              message: `Upstream resource "${uri}" of server "${item.server}" is not served: ${(error as Error).message}`,
              cause: error,
            }),
          );
        }
      }
    },
  };
}

function reportDuplicate(item: Listed, onError: (error: Error) => void): void {
  const what = item.template ? 'resource template' : 'resource';
  const uri = item.template ? item.uriTemplate : item.uri;
  onError(
    new ToolwireError({
      code: 'CONFIG_INVALID',
      server: item.server,
      message: `Upstream ${what} "${uri}" of server "${item.server}" is not served: another server lists the same ${item.template ? 'template' : 'URI'}.`,
    }),
  );
}
