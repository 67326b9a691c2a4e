/**
 * Prompts and resources of the registry's servers, read on pooled connections with the same
 * timeout, abort and error guarantees as tool calls. Prompts get registry-unique names
 * (`<server><separator><prompt>`); resources and resource templates are addressed by server and
 * URI (template); completions (`completion/complete`) name the server and its own prompt or template.
 */
import type {
  CompleteRequest,
  CompleteResult,
  GetPromptResult,
  ReadResourceResult,
} from '@modelcontextprotocol/client';
import type { ServerConnection } from '../connection/server-connection.js';
import type { ServerRequestHandlers } from '../connection/server-requests.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type {
  PromptInfo,
  RequestScopeOptions,
  ResourceInfo,
  ResourceTemplateInfo,
} from './registry-types.js';
import type { ServerSlot } from './server-slot.js';

/** What these reads need from the registry. */
export interface ReadAccess {
  slots: readonly ServerSlot[];
  separator: string;
  requireSlot(name: string): ServerSlot;
  /**
   * Runs `run` on a pooled connection of `slot` (replacing a broken one once: reads are safe to
   * repeat). `attempt` is `options` with the time this attempt has left of the request's deadline.
   */
  withConnection<T>(
    slot: ServerSlot,
    options: RequestScopeOptions,
    run: (
      connection: ServerConnection,
      attempt: RequestScopeOptions & { handlers?: ServerRequestHandlers | undefined },
    ) => Promise<T>,
  ): Promise<T>;
}

export function listPrompts(slots: Iterable<ServerSlot>, separator: string, server?: string): PromptInfo[] {
  const result: PromptInfo[] = [];
  for (const slot of slots) {
    if (server !== undefined && slot.name !== server) continue;
    for (const prompt of slot.prompts) {
      result.push({
        name: `${slot.name}${separator}${prompt.name}`,
        server: slot.name,
        serverPromptName: prompt.name,
        title: prompt.title,
        description: prompt.description ?? '',
        arguments: (prompt.arguments ?? []).map((argument) => ({
          name: argument.name,
          description: argument.description,
          required: argument.required === true,
        })),
      });
    }
  }
  return result;
}

export async function getPrompt(
  access: ReadAccess,
  name: string,
  args: Record<string, string>,
  options: RequestScopeOptions,
): Promise<GetPromptResult> {
  const prompts = listPrompts(access.slots, access.separator);
  const prompt = prompts.find((candidate) => candidate.name === name);
  if (!prompt) {
    throw new ToolwireError({
      code: 'TOOL_NOT_FOUND',
      tool: name,
      message: `No prompt named "${name}". Prompts: ${
        prompts.map((candidate) => candidate.name).join(', ') || '(none)'
      }`,
    });
  }
  const slot = access.requireSlot(prompt.server);
  return access.withConnection(slot, options, (connection, attempt) =>
    connection.request(
      'prompts/get',
      name,
      slot.definition.callTimeoutMs,
      attempt,
      (client, requestOptions) =>
        client.getPrompt({ name: prompt.serverPromptName, arguments: args }, requestOptions),
    ),
  );
}

export async function listResources(
  access: ReadAccess,
  server: string | undefined,
  options: RequestScopeOptions,
): Promise<ResourceInfo[]> {
  const slots = [...access.slots].filter(
    (slot) => (server === undefined || slot.name === server) && slot.status === 'active',
  );
  const lists = await Promise.all(
    slots.map(async (slot) => {
      const resources = await access.withConnection(slot, options, async (connection, attempt) => {
        if (!connection.capabilities?.resources) return [];
        const listed = await connection.request(
          'resources/list',
          slot.name,
          slot.definition.callTimeoutMs,
          attempt,
          (client, requestOptions) => client.listResources(undefined, requestOptions),
        );
        return listed.resources;
      });
      return resources.map((resource) => ({
        server: slot.name,
        uri: resource.uri,
        name: resource.name,
        title: resource.title,
        description: resource.description,
        mimeType: resource.mimeType,
      }));
    }),
  );
  return lists.flat();
}

export async function readResource(
  access: ReadAccess,
  server: string,
  uri: string,
  options: RequestScopeOptions,
): Promise<ReadResourceResult> {
  const slot = access.requireSlot(server);
  return access.withConnection(slot, options, (connection, attempt) =>
    connection.request(
      'resources/read',
      uri,
      slot.definition.callTimeoutMs,
      attempt,
      (client, requestOptions) => client.readResource({ uri }, requestOptions),
    ),
  );
}

export async function listResourceTemplates(
  access: ReadAccess,
  server: string | undefined,
  options: RequestScopeOptions,
): Promise<ResourceTemplateInfo[]> {
  const slots = [...access.slots].filter(
    (slot) => (server === undefined || slot.name === server) && slot.status === 'active',
  );
  const lists = await Promise.all(
    slots.map(async (slot) => {
      const templates = await access.withConnection(slot, options, async (connection, attempt) => {
        if (!connection.capabilities?.resources) return [];
        const listed = await connection.request(
          'resources/templates/list',
          slot.name,
          slot.definition.callTimeoutMs,
          attempt,
          (client, requestOptions) => client.listResourceTemplates(undefined, requestOptions),
        );
        return listed.resourceTemplates;
      });
      return templates.map((template) => ({
        server: slot.name,
        uriTemplate: template.uriTemplate,
        name: template.name,
        title: template.title,
        description: template.description,
        mimeType: template.mimeType,
      }));
    }),
  );
  return lists.flat();
}

/**
 * Asks a server for completions of a prompt's or resource template's argument. `request.ref`
 * names the server's own prompt (not the registry name) or URI template. A server that does not
 * declare `completions` is asked anyway: its answer (method not found) is the caller's to see.
 */
export async function complete(
  access: ReadAccess,
  server: string,
  request: CompleteRequest['params'],
  options: RequestScopeOptions,
): Promise<CompleteResult> {
  const slot = access.requireSlot(server);
  const subject = request.ref.type === 'ref/prompt' ? request.ref.name : request.ref.uri;
  return access.withConnection(slot, options, (connection, attempt) =>
    connection.request(
      'completion/complete',
      subject,
      slot.definition.callTimeoutMs,
      attempt,
      (client, requestOptions) => client.complete(request, requestOptions),
    ),
  );
}
