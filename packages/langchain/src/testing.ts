/**
 * @toolwire/langchain/testing: drive real LangChain agents over real MCP tools without a model
 * provider (tests, CI, offline examples). Every public symbol is named here.
 */
export type { ModelCall, ScriptedTurn } from './testing/scripted-chat-model.js';
export { ScriptedChatModel, toolCallTurn } from './testing/scripted-chat-model.js';
