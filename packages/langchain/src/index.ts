/**
 * @toolwire/langchain: toolwire registry tools as LangChain `StructuredTool`s, MCP prompts as
 * LangChain messages and MCP resources as `Document`s. Every public symbol is named here.
 */
export type { MCPContentBlock, ToolMessageContent, ToolwireArtifact } from './map-result.js';
export { EMPTY_RESULT_TEXT, toContentAndArtifact, toMessageContent } from './map-result.js';
export { getPromptMessages } from './prompts.js';
export type { LoadResourceDocumentsOptions, ResourceDocumentMetadata } from './resources.js';
export { loadResourceDocuments, readResourceDocuments } from './resources.js';
export type { LangChainSamplingOptions } from './sampling-handler.js';
export { createLangChainSamplingHandler } from './sampling-handler.js';
export type { ModelSchema, SchemaProfile } from './schema-profiles.js';
export { GEMINI_MAX_REF_DEPTH, toModelSchema } from './schema-profiles.js';
export { SearchToolsTool } from './search-tools-tool.js';
export type { SessionKeyOption } from './session-key.js';
export { resolveSessionKey } from './session-key.js';
export type {
  DiscoveryMiddleware,
  DiscoveryModelRequest,
  LangChainDiscovery,
  LangChainDiscoveryOptions,
} from './to-langchain-discovery.js';
export { toLangChainDiscovery } from './to-langchain-discovery.js';
export type { LangChainToolsOptions } from './to-langchain-tools.js';
export { toLangChainTool, toLangChainTools } from './to-langchain-tools.js';
export type { ToolExceptionOptions } from './tool-exception.js';
export { ToolException } from './tool-exception.js';
export type { ToolProgressEvent, ToolServerLogEvent, ToolwireToolOptions } from './toolwire-tool.js';
export { PROGRESS_EVENT, SERVER_LOG_EVENT, ToolwireTool } from './toolwire-tool.js';
