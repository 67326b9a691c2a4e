/**
 * One conversation, one MCP session: two LangGraph threads of the same agent, using a server
 * configured `session: 'per-conversation'`, get two MCP sessions (two server processes over
 * stdio); the same thread keeps reusing its own.
 */
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { createRegistry, type Registry } from '@toolwire/core';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLangChainTools } from '../src/index.js';
import { ScriptedChatModel, toolCallTurn } from '../src/testing.js';
import { adapterServer } from './support/servers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({
    mcpServers: { fixture: adapterServer({ session: 'per-conversation' }) },
  });
}, 60_000);

afterAll(async () => {
  await registry?.close();
});

function sessionOf(messages: BaseMessage[]): string {
  const answer = messages.filter((message) => ToolMessage.isInstance(message)).at(-1);
  return (JSON.parse(String(answer?.content)) as { sessionId: string }).sessionId;
}

describe('per-conversation sessions', () => {
  it('gives each thread its own MCP session and reuses it within the thread', async () => {
    const turns = () => [toolCallTurn({ name: 'fixture__whoami', args: {} }), new AIMessage('ok')];
    const model = new ScriptedChatModel([...turns(), ...turns(), ...turns()]);
    const agent = createAgent({ model, tools: toLangChainTools(registry, { include: ['fixture__whoami'] }) });
    const ask = async (threadId: string) =>
      sessionOf(
        (
          await agent.invoke(
            { messages: [{ role: 'user', content: 'who?' }] },
            { configurable: { thread_id: threadId } },
          )
        ).messages,
      );

    const firstA = await ask('thread-a');
    const firstB = await ask('thread-b');
    const againA = await ask('thread-a');
    expect(firstA).not.toBe(firstB);
    expect(againA).toBe(firstA);
  });
});
