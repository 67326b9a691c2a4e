/**
 * @toolwire/ai-sdk/testing: scripts for the AI SDK's mock language models, to drive real AI SDK
 * loops over real MCP tools without a provider (tests, CI, offline examples). Works with ai@7's
 * `MockLanguageModelV4` and ai@6's `MockLanguageModelV3`. Every public symbol is named here.
 */
export type { ScriptedStep, ScriptedToolCall, ToolResultSeen } from './testing/scripted-steps.js';
export { generateResults, scriptedGenerate, streamResults, toolResultsIn } from './testing/scripted-steps.js';
