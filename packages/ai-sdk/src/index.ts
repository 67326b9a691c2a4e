/**
 * @toolwire/ai-sdk: the tools of a toolwire registry (many MCP servers) as Vercel AI SDK tools,
 * its prompts as `ModelMessage`s and its resources as message parts.
 * Every public symbol is named here; anything else is private and may change.
 */

export type { NeedsApprovalOption } from './approval.js';
export { isDestructiveTool } from './approval.js';
export type { MCPMessagePart, MCPResourceContents } from './message-parts.js';
export { contentBlockToPart, resourceContentsToPart } from './message-parts.js';
export { getPromptMessages } from './prompts.js';
export type { LoadResourcePartsOptions } from './resources.js';
export { loadResourceParts, readResourceParts } from './resources.js';
export type { AISDKSamplingOptions } from './sampling-handler.js';
export { createAISDKSamplingHandler } from './sampling-handler.js';
export type { SessionKeyContext, SessionKeyOption } from './session-key.js';
export type { AISDKDiscovery, AISDKDiscoveryOptions } from './to-ai-sdk-discovery.js';
export { toAISDKDiscovery } from './to-ai-sdk-discovery.js';
export type {
  ToAISDKToolsOptions,
  ToolSchema,
  ToolSchemas,
  TypedToolSet,
} from './to-ai-sdk-tools.js';
export { toAISDKTools } from './to-ai-sdk-tools.js';
export type {
  MCPContentBlock,
  MCPToolOutput,
  MCPToolProgress,
  ToolProgressEvent,
  ToolServerLogEvent,
} from './tool-output.js';
export { isMCPToolProgress } from './tool-output.js';
