/**
 * Builds one SDK `McpServer` instance serving the published tools, prompts and resources. The
 * HTTP entry builds one per stateful session, per stateless request, or per 2026-07-28 request;
 * stdio builds one per connection. Tools are served by our own `tools/list` and `tools/call`
 * handlers: the JSON Schema goes out exactly as converted, arguments are checked before
 * `execute` (a failure is JSON-RPC error -32602 naming the path), and a throwing tool becomes an
 * `isError` result with its message only.
 */
import {
  type CallToolResult,
  type CreateMessageResult,
  type ElicitResult,
  fromJsonSchema,
  type GetPromptResult,
  inputRequired,
  McpServer,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  type ReadResourceResult,
  ResourceTemplate,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import type { PublishedTool } from '../tools/published-tool.js';
import type { ProtocolEra, ToolContext } from '../tools/tool-context.js';
import { toErrorResult } from '../tools/tool-result.js';
import type { PromptDefinition, ResourceDefinition } from './define-prompt.js';
import { encodeState, InputNeeded, InputRounds } from './input-rounds.js';

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
}

/** Counts running tool calls (graceful shutdown waits for them) and aborts them on a hard stop. */
export class CallTracker {
  private running = 0;
  private waiters: (() => void)[] = [];
  private readonly active = new Set<AbortController>();
  private stopped: unknown;

  get inFlight(): number {
    return this.running;
  }
  /**
   * Starts a call. The returned signal aborts when `callSignal` does or when shutdown gives up
   * waiting (one controller per call, dropped when it ends: nothing accumulates on long-lived signals).
   */
  start(callSignal?: AbortSignal): { signal: AbortSignal; finish: () => void } {
    this.running++;
    const controller = new AbortController();
    const onAbort = () => controller.abort(callSignal?.reason);
    if (this.stopped !== undefined) controller.abort(this.stopped);
    else if (callSignal?.aborted) onAbort();
    else callSignal?.addEventListener('abort', onAbort, { once: true });
    this.active.add(controller);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      callSignal?.removeEventListener('abort', onAbort);
      this.active.delete(controller);
      this.running--;
      if (this.running === 0) for (const waiter of this.waiters.splice(0)) waiter();
    };
    return { signal: controller.signal, finish };
  }
  /** Resolves when no call runs, or after `timeoutMs` (then running calls are aborted). */
  async drain(timeoutMs: number): Promise<void> {
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.stopped = new ToolwireError({ code: 'SERVER_CLOSED', message: 'The publisher is shutting down.' });
    for (const controller of this.active) controller.abort(this.stopped);
  }
}

export function buildServer(blueprint: ServerBlueprint, era: ProtocolEra): McpServer {
  const server = new McpServer(
    { name: blueprint.name, version: blueprint.version },
    {
      capabilities: { tools: {}, logging: {} },
      ...(blueprint.instructions === undefined ? {} : { instructions: blueprint.instructions }),
    },
  );
  const byName = new Map(blueprint.tools.map((tool) => [tool.name, tool]));
  const listed = blueprint.tools.map(toToolDefinition);

  server.server.setRequestHandler('tools/list', () => ({ tools: listed }));
  server.server.setRequestHandler('tools/call', async (request, context) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool "${request.params.name}".`);
    }
    if (blueprint.enforceScopes) assertScopes(tool, context);
    const rawArgs = (request.params.arguments ?? {}) as Record<string, unknown>;
    const check = await tool.validate(rawArgs);
    if (!check.valid) {
      const lines = check.issues.map((issue) => `${issue.pathText}: ${issue.message}`);
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Invalid arguments for tool "${tool.name}": ${lines.join('; ')}`,
        { issues: check.issues.map(({ path, message }) => ({ path, message })) },
      );
    }
    const { signal, finish } = blueprint.calls.start(context.mcpReq.signal);
    const rounds =
      era === 'modern'
        ? new InputRounds(context.mcpReq.requestState(), context.mcpReq.inputResponses)
        : undefined;
    try {
      const result = await tool.run(
        check.value,
        rawArgs,
        createToolContext(server, context, era, signal, rounds),
      );
      return server.server.projectCallToolResult(result, tool.outputSchema);
    } catch (error) {
      // 2026-07-28: a call that needs a capability the client did not declare is a protocol error (-32021).
      if (error instanceof MissingRequiredClientCapabilityError) throw error;
      if (error instanceof InputNeeded) {
        return inputRequired({
          inputRequests: { [error.key]: error.request },
          requestState: encodeState(error.answers),
        });
      }
      return toErrorResult(error) satisfies CallToolResult;
    } finally {
      finish();
    }
  });

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

function assertScopes(tool: PublishedTool, context: ServerContext): void {
  if (tool.scopes.length === 0) return;
  const granted = new Set(context.http?.authInfo?.scopes ?? []);
  const missing = tool.scopes.filter((scope) => !granted.has(scope));
  if (missing.length > 0) {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidRequest,
      `Insufficient scope for tool "${tool.name}": missing ${missing.join(', ')}.`,
    );
  }
}

function createToolContext(
  server: McpServer,
  context: ServerContext,
  era: ProtocolEra,
  signal: AbortSignal,
  rounds: InputRounds | undefined,
): ToolContext {
  const capabilities = server.server.getClientCapabilities();
  const progressToken = context.mcpReq._meta?.progressToken;
  const canElicit = capabilities?.elicitation !== undefined;
  const canSample = capabilities?.sampling !== undefined;
  const canListRoots = capabilities?.roots !== undefined;
  return {
    signal,
    sessionId: context.sessionId,
    authInfo: context.http?.authInfo,
    requestId: context.mcpReq.id,
    era,
    clientInfo: server.server.getClientVersion(),
    clientCapabilities: capabilities,
    sdkContext: context,
    canElicit,
    canSample,
    canListRoots,
    async reportProgress({ progress, total, message }) {
      if (progressToken === undefined) return;
      await context.mcpReq.notify({
        method: 'notifications/progress',
        params: {
          progressToken,
          progress,
          ...(total === undefined ? {} : { total }),
          ...(message === undefined ? {} : { message }),
        },
      });
    },
    async log(level, data, logger) {
      await context.mcpReq.log(level, data, logger);
    },
    async elicit(request, options): Promise<ElicitResult> {
      if (!canElicit) throw unsupported('elicitation', era);
      if (rounds) {
        const view = rounds.ask(
          inputRequired.elicit(request as Parameters<typeof inputRequired.elicit>[0]),
          options?.key,
        );
        if (view.kind !== 'elicit') throw unexpectedAnswer('elicitation');
        return view.content === undefined
          ? { action: view.action }
          : { action: view.action, content: view.content as ElicitResult['content'] };
      }
      return context.mcpReq.elicitInput(
        { mode: 'form', ...request } as Parameters<typeof context.mcpReq.elicitInput>[0],
        {
          signal,
        },
      );
    },
    async sample(request, options): Promise<CreateMessageResult> {
      if (!canSample) throw unsupported('sampling', era);
      if (rounds) {
        const view = rounds.ask(inputRequired.createMessage(request), options?.key);
        if (view.kind !== 'sampling') throw unexpectedAnswer('sampling');
        return view.result as CreateMessageResult;
      }
      return (await context.mcpReq.requestSampling(request, { signal })) as CreateMessageResult;
    },
    async listRoots(options) {
      if (!canListRoots) throw unsupported('roots', era);
      if (rounds) {
        const view = rounds.ask(inputRequired.listRoots(), options?.key);
        if (view.kind !== 'roots') throw unexpectedAnswer('roots');
        return view.roots;
      }
      const result = await context.mcpReq.send({ method: 'roots/list' }, { signal });
      return result.roots;
    },
  };
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

function unsupported(feature: 'elicitation' | 'sampling' | 'roots', era: ProtocolEra): Error {
  if (era === 'modern') {
    return new MissingRequiredClientCapabilityError(
      { requiredCapabilities: { [feature]: {} } },
      `The client did not declare the ${feature} capability.`,
    );
  }
  return new ToolwireError({
    code: 'PROTOCOL_ERROR',
    message: `The client did not declare the ${feature} capability.`,
  });
}

function unexpectedAnswer(feature: string): ToolwireError {
  return new ToolwireError({
    code: 'PROTOCOL_ERROR',
    message: `The client answered the ${feature} request with a response of another kind.`,
  });
}
