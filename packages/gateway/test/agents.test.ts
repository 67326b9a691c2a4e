/**
 * Agents as the gateway's downstream clients: a real LangChain v1 agent (`createAgent`) and a real
 * AI SDK loop (`generateText`), each driven by a scripted model, reach the gateway through their
 * own toolwire registry with their own user's token from a real OAuth server (oidc-provider on
 * loopback). The gateway's upstream keeps state per MCP session: what one user's agent stored is
 * never what the other user's agent reads, and structured results and upstream errors reach each
 * model as its framework shows them.
 */
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { toAISDKTools } from '@toolwire/ai-sdk';
import { generateResults, toolResultsIn } from '@toolwire/ai-sdk/testing';
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { toLangChainTools } from '@toolwire/langchain';
import { ScriptedChatModel, toolCallTurn } from '@toolwire/langchain/testing';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OAuthClientName } from '../../publisher/test/support/oauth-server.js';
import { startUsersGateway, type UsersGateway } from './support/gateway-users.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

let upstream: UpstreamPublisher;
let users: UsersGateway;
const registries: Registry[] = [];

beforeAll(async () => {
  upstream = await startUpstreamPublisher();
  users = await startUsersGateway({
    upstreams: {
      // Per-session state is a 2025-era notion upstream (2026-07-28 has no MCP sessions).
      servers: { upstream: { url: upstream.url, type: 'http', protocol: 'legacy' } },
      cache: 'memory',
      logger: silentLogger,
    },
  });
}, 60_000);

afterAll(async () => {
  for (const registry of registries.splice(0)) await registry.close().catch(() => {});
  await users?.close();
  await upstream?.close();
});

/** The registry an agent of `user` uses: one server, the gateway, with that user's bearer token. */
async function registryOf(user: OAuthClientName): Promise<Registry> {
  const token = await users.token(user);
  const registry = await createRegistry({
    servers: { gw: { url: users.url, type: 'http', headers: { authorization: `Bearer ${token}` } } },
    cache: 'none',
    logger: silentLogger,
  });
  registries.push(registry);
  expect(registry.server('gw')?.status).toBe('active');
  return registry;
}

const toolMessages = (messages: BaseMessage[]) =>
  messages.filter((message): message is ToolMessage => ToolMessage.isInstance(message));

describe('agents behind the gateway, one user each', () => {
  it('a LangChain agent and an AI SDK agent use the same upstream tools without seeing each other', async () => {
    const aliceTools = await registryOf('agent');
    const bobTools = await registryOf('agent-b');

    // Alice's LangChain agent stores a note, reads it back and asks for a structured forecast.
    const langchainModel = new ScriptedChatModel([
      toolCallTurn({ name: 'gw__upstream__remember', args: { note: 'alice-secret-note' } }),
      toolCallTurn(
        { name: 'gw__upstream__recall', args: {} },
        { name: 'gw__upstream__forecast', args: { city: 'Lisbon' } },
      ),
      (messages) => {
        const recalled = toolMessages(messages).find((message) => message.name === 'gw__upstream__recall');
        return new AIMessage(`alice recalled: ${String(recalled?.content)}`);
      },
    ]);
    const aliceAgent = createAgent({
      model: langchainModel,
      tools: toLangChainTools(aliceTools, { include: ['gw__upstream__*'] }),
    });
    const aliceRun = await aliceAgent.invoke({
      messages: [{ role: 'user', content: 'remember and recall' }],
    });
    expect(String(aliceRun.messages.at(-1)?.content)).toBe('alice recalled: alice-secret-note');
    const [recall, forecast] = toolMessages(langchainModel.calls[2]!.messages).slice(-2);
    expect(recall).toMatchObject({ name: 'gw__upstream__recall', status: 'success' });
    expect(forecast).toMatchObject({ name: 'gw__upstream__forecast', status: 'success' });
    // The upstream's structured content reaches the agent unchanged, through both hops.
    expect(forecast!.artifact.structuredContent).toEqual({ city: 'Lisbon', celsius: 21.5 });

    // Bob's AI SDK loop reads the same upstream tool: his upstream session has nothing of Alice's.
    const aiModel = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'gw__upstream__recall', input: {} }] },
        { toolCalls: [{ toolName: 'gw__upstream__forecast', input: { city: 'Atlantis' } }] },
        { text: 'bob is done' },
      ]),
    });
    const bobRun = await generateText({
      model: aiModel,
      tools: toAISDKTools(bobTools, { include: ['gw__upstream__*'] }),
      stopWhen: stepCountIs(5),
      prompt: 'What do I remember? Then the weather in Atlantis.',
    });
    expect(bobRun.text).toBe('bob is done');
    const [bobRecall] = toolResultsIn(aiModel.doGenerateCalls[1]!.prompt);
    expect(bobRecall).toMatchObject({ toolName: 'gw__upstream__recall' });
    expect(JSON.stringify(bobRecall!.output)).toContain('(nothing)');
    expect(JSON.stringify(bobRecall!.output)).not.toContain('alice-secret-note');
    // An upstream tool error reaches the model as an error result it can act on.
    const atlantis = toolResultsIn(aiModel.doGenerateCalls[2]!.prompt).at(-1);
    expect(atlantis).toMatchObject({ toolName: 'gw__upstream__forecast' });
    expect(atlantis!.output.type).toMatch(/^error-/);
    expect(JSON.stringify(atlantis!.output)).toContain('No forecast for Atlantis.');

    // And Alice's note is still hers after Bob's run.
    const again = await aliceTools.callTool('gw__upstream__recall', {});
    expect(JSON.stringify(again.content)).toContain('alice-secret-note');
  }, 60_000);
});
