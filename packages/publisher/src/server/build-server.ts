/**
 * Builds one SDK `McpServer` instance serving the published tools, prompts and resources. The
 * HTTP entry builds one per stateful session, per stateless request, or per 2026-07-28 request;
 * stdio builds one per connection. Tools are served by our own `tools/list` and `tools/call`
 * handlers: the JSON Schema goes out exactly as converted, and each call runs through
 * `tool-call.ts` (argument check, deadline, cancellation, result checks).
 */
import {
  fromJsonSchema,
  type GetPromptResult,
  McpServer,
  type ReadResourceResult,
  ResourceTemplate,
  type Tool,
} from '@modelcontextprotocol/server';
import type { PublishedTool } from '../tools/published-tool.js';
import type { ProtocolEra } from '../tools/tool-context.js';
import type { CallTracker } from './call-tracker.js';
import type { PromptDefinition, ResourceDefinition } from './define-prompt.js';
import { createToolCallHandler } from './tool-call.js';

/** Receives each new SDK server, to register what the publisher does not wrap (completions, subscriptions…). */
export type ExtendServer = (server: McpServer, context: { era: ProtocolEra }) => void;

/** Everything instances share; built once by `createPublisher`. */
export interface ServerBlueprint {
  name: string;
  version: string;
  instructions: string | undefined;
  tools: readonly PublishedTool[];
  prompts: readonly PromptDefinition[];
  resources: readonly ResourceDefinition[];
  extend: ExtendServer | undefined;
  /** When true (HTTP with auth), a call without the tool's scopes is refused in the handler too. */
  enforceScopes: boolean;
  calls: CallTracker;
  /** Deadline of a tool call unless the tool sets its own; `undefined`: none. */
  callTimeoutMs: number | undefined;
  /** The operator's error sink (results that cannot be sent, deadlines, schemas that throw). */
  onError: (error: Error) => void;
}

export function buildServer(blueprint: ServerBlueprint, era: ProtocolEra): McpServer {
  const server = new McpServer(
    { name: blueprint.name, version: blueprint.version },
    {
      capabilities: { tools: {}, logging: {} },
      ...(blueprint.instructions === undefined ? {} : { instructions: blueprint.instructions }),
    },
  );
  const listed = blueprint.tools.map(toToolDefinition);
  server.server.setRequestHandler('tools/list', () => ({ tools: listed }));
  server.server.setRequestHandler('tools/call', createToolCallHandler(server, blueprint, era));

  for (const prompt of blueprint.prompts) registerPrompt(server, prompt);
  for (const resource of blueprint.resources) registerResource(server, resource);
  blueprint.extend?.(server, { era });
  return server;
}

function toToolDefinition(tool: PublishedTool): Tool {
  const definition: Tool = {
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema as Tool['inputSchema'],
  };
  if (tool.title !== undefined) definition.title = tool.title;
  if (tool.outputSchema !== undefined) definition.outputSchema = tool.outputSchema as Tool['outputSchema'];
  if (tool.annotations !== undefined) definition.annotations = tool.annotations;
  if (tool.meta !== undefined) definition._meta = tool.meta;
  return definition;
}

function registerPrompt(server: McpServer, prompt: PromptDefinition): void {
  const argumentList = prompt.arguments ?? [];
  const toMessages = (value: GetPromptResult | string): GetPromptResult =>
    typeof value === 'string'
      ? { messages: [{ role: 'user', content: { type: 'text', text: value } }] }
      : value;
  const config = {
    ...(prompt.title === undefined ? {} : { title: prompt.title }),
    ...(prompt.description === undefined ? {} : { description: prompt.description }),
  };
  if (argumentList.length === 0) {
    server.registerPrompt(prompt.name, config, async () => toMessages(await prompt.get({})));
    return;
  }
  const argsSchema = fromJsonSchema<Record<string, string>>({
    type: 'object',
    properties: Object.fromEntries(
      argumentList.map((argument) => [
        argument.name,
        {
          type: 'string',
          ...(argument.description === undefined ? {} : { description: argument.description }),
        },
      ]),
    ),
    required: argumentList.filter((argument) => argument.required).map((argument) => argument.name),
  });
  server.registerPrompt(prompt.name, { ...config, argsSchema }, async (args: Record<string, string>) =>
    toMessages(await prompt.get(args)),
  );
}

function registerResource(server: McpServer, resource: ResourceDefinition): void {
  const metadata = {
    ...(resource.title === undefined ? {} : { title: resource.title }),
    ...(resource.description === undefined ? {} : { description: resource.description }),
    ...(resource.mimeType === undefined ? {} : { mimeType: resource.mimeType }),
  };
  const toContents = (uri: URL, value: ReadResourceResult | string): ReadResourceResult =>
    typeof value === 'string'
      ? {
          contents: [
            {
              uri: uri.href,
              text: value,
              ...(resource.mimeType === undefined ? {} : { mimeType: resource.mimeType }),
            },
          ],
        }
      : value;
  if (resource.template) {
    server.registerResource(
      resource.name,
      new ResourceTemplate(resource.uri, { list: undefined }),
      metadata,
      async (uri, variables) => toContents(uri, await resource.read(uri, variables)),
    );
  } else {
    server.registerResource(resource.name, resource.uri, metadata, async (uri) =>
      toContents(uri, await resource.read(uri, {})),
    );
  }
}
