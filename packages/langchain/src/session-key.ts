/**
 * Which MCP session a LangChain run's tool call belongs to. One conversation (a LangGraph
 * `thread_id`) maps to one session key, so servers configured per conversation keep one MCP
 * session per thread; shared servers ignore the key.
 */
import type { ToolRunnableConfig } from '@langchain/core/tools';

/** A fixed session key, or a function that picks one from the run's config. */
export type SessionKeyOption = string | ((config: ToolRunnableConfig) => string | undefined);

/**
 * Resolves the session key of a call. A function option decides alone; otherwise LangGraph's
 * `config.configurable.thread_id` wins, and a string option is the fallback.
 */
export function resolveSessionKey(
  config: ToolRunnableConfig | undefined,
  option: SessionKeyOption | undefined,
): string | undefined {
  if (typeof option === 'function') return config ? option(config) : undefined;
  const threadId: unknown = config?.configurable?.thread_id;
  if (typeof threadId === 'string' && threadId !== '') return threadId;
  if (typeof threadId === 'number') return String(threadId);
  return option;
}
