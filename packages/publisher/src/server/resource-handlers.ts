/**
 * Resources served by our own handlers reading the live catalogue (as tools and prompts are), so
 * resources added or removed at run time (`publisher.addResources`, `removeResources`) are what
 * the next `resources/list`, `resources/templates/list` or `resources/read` sees on every
 * session and era. Reads match a fixed URI first, then each URI template in order (RFC 6570, the
 * SDK's `UriTemplate`); an unknown URI is the protocol's resource-not-found error, as the SDK's
 * own handlers answer.
 */
import {
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type ReadResourceResult,
  ResourceNotFoundError,
  type ServerContext,
  UriTemplate,
} from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import type { ServerBlueprint } from './build-server.js';
import type { ResourceContext, ResourceDefinition } from './define-prompt.js';
import { callerOf, type ResourceVisibility, type ToolCaller, visibleTo } from './tool-visibility.js';

/** Each template's compiled matcher, made once per definition. */
const matchers = new WeakMap<ResourceDefinition, UriTemplate>();

function matcherOf(resource: ResourceDefinition): UriTemplate {
  let matcher = matchers.get(resource);
  if (!matcher) {
    matcher = new UriTemplate(resource.uri);
    matchers.set(resource, matcher);
  }
  return matcher;
}

/** Checks resource definitions before they are served (`CONFIG_INVALID` naming the bad one). */
export function checkResources(resources: readonly ResourceDefinition[]): readonly ResourceDefinition[] {
  if (!Array.isArray(resources))
    throw configError('resources must be an array of defineResource(...) definitions.');
  resources.forEach((resource, index) => {
    const where = typeof resource?.uri === 'string' ? `Resource "${resource.uri}"` : `resources[${index}]`;
    if (typeof resource?.uri !== 'string' || resource.uri === '') throw configError(`${where} needs a uri.`);
    if (typeof resource.name !== 'string' || resource.name === '')
      throw configError(`${where} needs a name.`);
    if (typeof resource.read !== 'function') throw configError(`${where} has no read function.`);
    if (resource.template) {
      try {
        matcherOf(resource);
      } catch (error) {
        throw configError(`${where} is not a valid URI template: ${(error as Error).message}`);
      }
    }
  });
  return resources;
}

/** The enabled resources (`templates`: resource templates) `caller` sees in its list. */
export function visibleResources(
  blueprint: ServerBlueprint,
  templates: boolean,
  caller: ToolCaller | undefined,
  onError: (error: Error) => void,
): readonly ResourceDefinition[] {
  return visibleTo(
    blueprint.catalogue.resources().filter((resource) => (resource.template === true) === templates),
    blueprint.resourceVisibility &&
      ((resource: ResourceDefinition, who) =>
        (blueprint.resourceVisibility as ResourceVisibility)(
          { uri: resource.uri, name: resource.name, template: templates },
          who,
        )),
    caller,
    onError,
    (resource) => ({
      option: 'resourceVisibility',
      what: `resource "${resource.uri}"`,
      list: templates ? 'resources/templates/list' : 'resources/list',
    }),
  );
}

/**
 * Serves the catalogue's resources on `server` (capability included), each list per caller;
 * `onListed` hears of each list served (a long-lived instance remembers what its caller saw).
 */
export function registerResourceHandlers(
  server: McpServer,
  blueprint: ServerBlueprint,
  onListed?: (context: ServerContext) => void,
): void {
  const { catalogue } = blueprint;
  const visible = (templates: boolean, context: ServerContext) => {
    const listed = visibleResources(blueprint, templates, callerOf(context), blueprint.onError);
    onListed?.(context);
    return listed;
  };
  server.server.registerCapabilities({ resources: { listChanged: true } });
  server.server.setRequestHandler('resources/list', (_request, context) => ({
    resources: visible(false, context).map((resource) => ({
      uri: resource.uri,
      name: resource.name,
      ...metadataOf(resource),
    })),
  }));
  server.server.setRequestHandler('resources/templates/list', (_request, context) => ({
    resourceTemplates: visible(true, context).map((resource) => ({
      uriTemplate: resource.uri,
      name: resource.name,
      ...metadataOf(resource),
    })),
  }));
  server.server.setRequestHandler('resources/read', async (request, context) => {
    let uri: URL;
    try {
      uri = new URL(request.params.uri);
    } catch {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Resource URI ${request.params.uri} is invalid`,
        {
          uri: request.params.uri,
          reason: 'invalid_uri',
        },
      );
    }
    const resources = catalogue.resources();
    const fixed = resources.find((resource) => !resource.template && resource.uri === uri.href);
    if (fixed) return toContents(fixed, uri, await fixed.read(uri, {}, resourceContext(context)));
    for (const resource of resources) {
      if (!resource.template) continue;
      const variables = matcherOf(resource).match(uri.href);
      if (variables)
        return toContents(resource, uri, await resource.read(uri, variables, resourceContext(context)));
    }
    throw new ResourceNotFoundError(request.params.uri);
  });
}

function metadataOf(resource: ResourceDefinition) {
  return {
    ...(resource.title === undefined ? {} : { title: resource.title }),
    ...(resource.description === undefined ? {} : { description: resource.description }),
    ...(resource.mimeType === undefined ? {} : { mimeType: resource.mimeType }),
  };
}

function toContents(
  resource: ResourceDefinition,
  uri: URL,
  value: ReadResourceResult | string,
): ReadResourceResult {
  if (typeof value !== 'string') return value;
  return {
    contents: [
      {
        uri: uri.href,
        text: value,
        ...(resource.mimeType === undefined ? {} : { mimeType: resource.mimeType }),
      },
    ],
  };
}

function resourceContext(context: ServerContext): ResourceContext {
  return { signal: context.mcpReq.signal, sessionId: context.sessionId, authInfo: context.http?.authInfo };
}

function configError(message: string): ToolwireError {
  return new ToolwireError({ code: 'CONFIG_INVALID', message });
}
