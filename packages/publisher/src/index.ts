/**
 * @toolwire/publisher: publish selected local tools (LangChain, AI SDK, typed functions) as an
 * MCP server over Streamable HTTP and stdio. Every public symbol is named here.
 */

/**
 * The SDK's protocol error, re-exported: thrown by a tool running as a task, it fails the task
 * (status `failed`, the error inlined) instead of completing it with an `isError` result.
 */
export { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
export type { PublisherAuthOptions } from './auth/auth-options.js';
export type { JWTVerifierOptions } from './auth/jwt-verifier.js';
export { createJWTVerifier } from './auth/jwt-verifier.js';
export type { OnResourceSubscribe, ResourceSubscriptionRequest } from './http/caller-resource-updates.js';
export type { HTTPOptions } from './http/http-handler.js';
export type { CORSOptions, HostCheck } from './http/security.js';
export { checkHostAndOrigin, defaultHostCheck } from './http/security.js';
export type { SessionOptions } from './http/session-options.js';
export { principalOf, sessionOwnerKey as principalKey } from './http/session-owner.js';
export type {
  ElicitationRequest,
  ElicitQuestion,
  InputAnswer,
  InputAnswers,
  InputContext,
  InputOptions,
  InputQuestion,
  ListRootsQuestion,
  SampleQuestion,
} from './input/input-api.js';
export { ask } from './input/input-api.js';
export type { RequestStateSecret } from './input/request-state.js';
export type {
  CloseOptions,
  ListeningPublisher,
  ListenOptions,
  PublishedToolInfo,
  Publisher,
  PublisherOptions,
} from './publisher.js';
export { createPublisher } from './publisher.js';
export type { InputSchemaDialect } from './schema/draft-07.js';
export type { ExtendServer } from './server/build-server.js';
export type {
  PromptArgumentDefinition,
  PromptContext,
  PromptDefinition,
  ResourceContext,
  ResourceDefinition,
} from './server/define-prompt.js';
export { definePrompt, defineResource } from './server/define-prompt.js';
export type { StdioOptions } from './server/serve-stdio.js';
export type {
  PromptVisibility,
  ResourceVisibility,
  ToolCaller,
  ToolVisibility,
} from './server/tool-visibility.js';
export type { ServerJSONOptions, ServerJSONRemoteInput } from './server-json.js';
export type { FleetBus } from './store/fleet-bus.js';
export type { MemoryEventStore, MemoryEventStoreOptions } from './store/memory-event-store.js';
export { createMemoryEventStore } from './store/memory-event-store.js';
export type { SessionEventStore, StoredEvent } from './store/session-event-store.js';
export type { PublisherStore, SessionRecord, SessionStore } from './store/session-store.js';
export { createMemorySessionStore } from './store/session-store.js';
export type { TaskSupport, ToolTaskOption, ToolTaskOptions } from './tasks/task-options.js';
export type { TaskOptions } from './tasks/task-options-publisher.js';
export type { TaskError, TaskProgress, TaskRecord, TaskStatus } from './tasks/task-record.js';
export { TASKS_EXTENSION } from './tasks/task-record.js';
export type { MemoryTaskStoreOptions, TaskStore } from './tasks/task-store.js';
export { createMemoryTaskStore } from './tasks/task-store.js';
export type { PublishedCall, PublisherTelemetry } from './telemetry/publisher-telemetry.js';
export type { InferToolArgs, NativeTool, RawJSONSchema, ToolDefinition } from './tools/define-tool.js';
export { defineTool, isNativeTool } from './tools/define-tool.js';
export type {
  AnyNativeTool,
  PublishableTool,
  ToolRecord,
  ToolSelection,
  ToolsInput,
} from './tools/normalize-tools.js';
export type { ProtocolEra, RequestContext, ToolContext, ToolProgress } from './tools/tool-context.js';
export type { AISDKToolLike, LangChainToolLike } from './tools/tool-kinds.js';
export { isPublishableTool } from './tools/tool-kinds.js';
