/**
 * Builds one SDK `McpServer` instance serving the published tools, prompts and resources. The
 * HTTP entry builds one per stateful session, per stateless request, or per 2026-07-28 request;
 * stdio builds one per connection. Tools and prompts are served by our own handlers reading the
 * live catalogue (so run-time changes reach every session): the JSON Schema goes out exactly as
 * converted, each call runs through `tool-call.ts` (argument check, deadline, cancellation,
 * result checks, input rounds) and each prompt through `prompt-get.ts`.
 */

import { McpServer, type ServerCapabilities, type Tool } from '@modelcontextprotocol/server';
import type { OnResourceSubscribe } from '../http/caller-resource-updates.js';
import type { RequestStateSealer } from '../input/request-state.js';
import { registerTaskHandlers } from '../tasks/task-handlers.js';
import type { TaskManager } from '../tasks/task-manager.js';
import type { PublisherTelemetry } from '../telemetry/publisher-telemetry.js';
import type { PublishedTool } from '../tools/published-tool.js';
import type { ProtocolEra } from '../tools/tool-context.js';
import type { CallTracker } from './call-tracker.js';
import type { Catalogue } from './catalogue.js';
import { followLists, type ListFollower } from './list-follower.js';
import { createPromptGetHandler, listPrompts } from './prompt-get.js';
import { registerResourceHandlers } from './resource-handlers.js';
import type { ResourceUpdates } from './resource-updates.js';
import { createToolCallHandler } from './tool-call.js';
import {
  callerOf,
  type PromptVisibility,
  type ResourceVisibility,
  type ToolVisibility,
  visibleTools,
} from './tool-visibility.js';
import type { VisibilityRechecks } from './visibility-rechecks.js';

/** Receives each new SDK server, to register what the publisher does not wrap (completions, subscriptions…). */
export type ExtendServer = (server: McpServer, context: { era: ProtocolEra }) => void;

/** Everything instances share; built once by `createPublisher`. */
export interface ServerBlueprint {
  name: string;
  version: string;
  instructions: string | undefined;
  /** The tools and prompts served right now (changed at run time by the publisher). */
  catalogue: Catalogue;
  /** Updates announced with `publisher.notifyResourceUpdated`, for 2026-07-28 listen streams. */
  resourceUpdates: ResourceUpdates;
  /** Whether 2026-07-28 instances declare `resources.subscribe` (`resourceSubscriptions` option). */
  resourceSubscriptions: boolean;
  /** Hears of each 2026-07-28 listen stream naming resources (`onResourceSubscribe` option). */
  onResourceSubscribe?: OnResourceSubscribe | undefined;
  extend: ExtendServer | undefined;
  /** When true (HTTP with auth), a call without the tool's scopes is refused in the handler too. */
  enforceScopes: boolean;
  /** Which tools each caller sees in `tools/list`; `undefined`: all. */
  toolVisibility?: ToolVisibility | undefined;
  /** Which prompts each caller sees in `prompts/list`; `undefined`: all. */
  promptVisibility?: PromptVisibility | undefined;
  /** Which resources and templates each caller sees in the resource lists; `undefined`: all. */
  resourceVisibility?: ResourceVisibility | undefined;
  /** `publisher.visibilityChanged()`: sessions and streams compare their callers' lists anew. */
  rechecks: VisibilityRechecks;
  calls: CallTracker;
  /** Deadline of a tool call unless the tool sets its own; `undefined`: none. */
  callTimeoutMs: number | undefined;
  /** Seals and opens the `requestState` of 2026-07-28 input rounds. */
  requestState: RequestStateSealer;
  /** The publisher's tasks (SEP-2663), served on 2026-07-28 instances. */
  tasks: TaskManager;
  /** The operator's error sink (results that cannot be sent, deadlines, schemas that throw). */
  onError: (error: Error) => void;
  /** Wraps every tool run (the caller's trace context, spans); `undefined`: none. */
  telemetry?: PublisherTelemetry | undefined;
}

export interface BuildOptions {
  /**
   * Send `notifications/tools/list_changed` (and prompts, resources) on this instance when its
   * caller's list changes (`list-follower.ts`): for long-lived instances (a 2025 session, a stdio
   * connection). Per-request 2026-07-28 instances do not: their changes go to subscription streams
   * through the HTTP entry.
   */
  followChanges?: boolean | undefined;
}

export function buildServer(
  blueprint: ServerBlueprint,
  era: ProtocolEra,
  options: BuildOptions = {},
): McpServer {
  const { catalogue } = blueprint;
  const capabilities: ServerCapabilities = { tools: { listChanged: true }, logging: {} };
  if (catalogue.servesPrompts) capabilities.prompts = { listChanged: true };
  // 2026-07-28 clients follow resources on `subscriptions/listen` (the SDK's listen router honors
  // a `resourceSubscriptions` filter only when this is declared); updates come from
  // `publisher.notifyResourceUpdated`. 2025 sessions subscribe through `extend`.
  if (era === 'modern' && blueprint.resourceSubscriptions && catalogue.servesResources)
    capabilities.resources = { subscribe: true, listChanged: true };
  const server = new McpServer(
    { name: blueprint.name, version: blueprint.version },
    {
      capabilities,
      ...(blueprint.instructions === undefined ? {} : { instructions: blueprint.instructions }),
    },
  );
  // Set below when the instance follows the lists; its list handlers report what they served.
  let follower: ListFollower | undefined;
  server.server.setRequestHandler('tools/list', (_request, context) => {
    const caller = callerOf(context);
    const tools = visibleTools(catalogue.tools(), blueprint.toolVisibility, caller, blueprint.onError);
    follower?.listed('tools', caller, tools);
    return { tools: tools.map(toToolDefinition) };
  });
  server.server.setRequestHandler('tools/call', createToolCallHandler(server, blueprint, era));
  if (catalogue.servesPrompts) {
    server.server.setRequestHandler('prompts/list', (_request, context) => {
      const listed = listPrompts(blueprint, context);
      follower?.listed('prompts', callerOf(context));
      return listed;
    });
    server.server.setRequestHandler('prompts/get', createPromptGetHandler(server, blueprint, era));
  }
  // SEP-2243: the SDK's 2026-07-28 HTTP entry checks `Mcp-Param-*` headers against a tool's
  // `x-mcp-header` parameters before dispatch, reading the schema through this (internal) hook,
  // which only knows tools registered with `registerTool`. Ours are served by our own handlers.
  server.toolInputSchemaJson = (name) => catalogue.tool(name)?.inputSchema;

  // Tasks exist on 2026-07-28 only: the SDK has no runtime for the 2025-11-25 experimental tasks,
  // so 2025-era clients call task tools as plain calls.
  if (era === 'modern') registerTaskHandlers(server, blueprint.tasks);

  if (catalogue.servesResources) {
    registerResourceHandlers(server, blueprint, (context) =>
      follower?.listed('resources', callerOf(context)),
    );
  }
  blueprint.extend?.(server, { era });
  if (options.followChanges) follower = followLists(server, blueprint);
  return server;
}

/**
 * A tool as `tools/list` sends it. Task tools carry no marker: on 2026-07-28 the server decides
 * per call whether it becomes a task (SEP-2663 removed the `execution.taskSupport` vocabulary),
 * and 2025-era clients get plain calls.
 */
function toToolDefinition(tool: PublishedTool): Tool {
  const definition: Tool = {
    name: tool.name,
    description: tool.description,
    inputSchema: (tool.listedInputSchema ?? tool.inputSchema) as Tool['inputSchema'],
  };
  if (tool.title !== undefined) definition.title = tool.title;
  if (tool.outputSchema !== undefined) definition.outputSchema = tool.outputSchema as Tool['outputSchema'];
  if (tool.annotations !== undefined) definition.annotations = tool.annotations;
  if (tool.meta !== undefined) definition._meta = tool.meta;
  return definition;
}
