/**
 * Progressive disclosure in a real LangChain v1 agent (`createAgent`) over 300+ tools (the
 * generated catalogue servers on loopback and `server-everything`), driven by a scripted chat
 * model: it starts with only `search_tools`, searches, and calls what it found in its next turn;
 * a later search pushes the least recently found or used tools out. The assertions read the tool
 * definitions the model was bound on every call: never more than the cap, never a tool it had
 * not found yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { createMemorySchemaCache, createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CatalogueServers,
  recordedReferenceServers,
  startCatalogueServers,
} from '../../core/test/support/index.js';
import { toLangChainDiscovery } from '../src/index.js';
import { ScriptedChatModel, toolCallTurn } from '../src/testing.js';

let scratch: string;
let catalogue: CatalogueServers;
let registry: Registry;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'toolwire-lc-discovery-'));
  catalogue = await startCatalogueServers();
  const { everything } = recordedReferenceServers(scratch, join(scratch, 'starts.jsonl'));
  const servers = { everything, ...catalogue.entries() };
  const cache = createMemorySchemaCache();
  // Fill a schema cache, then work lazily from it: nothing connects until a tool is called.
  await (await createRegistry({ mcpServers: servers, cache, logger: silentLogger })).close();
  registry = await createRegistry({
    mcpServers: servers,
    cache,
    loading: 'lazy',
    logger: silentLogger,
  });
  expect(registry.tools().length).toBeGreaterThanOrEqual(280);
}, 120_000);

afterAll(async () => {
  await registry?.close();
  await catalogue?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function toolMessages(messages: BaseMessage[]): ToolMessage[] {
  return messages.filter((message): message is ToolMessage => ToolMessage.isInstance(message));
}

/** The `found` list of the last `search_tools` answer the model was sent (read as the model reads it). */
function lastFound(messages: BaseMessage[]): string[] {
  const answer = toolMessages(messages)
    .filter((message) => message.name === 'search_tools')
    .at(-1);
  return (JSON.parse(String(answer?.content ?? '{}')) as { found?: string[] }).found ?? [];
}

describe('toLangChainDiscovery with createAgent', () => {
  it('starts with only search_tools, searches, then calls the tool it found', async () => {
    const cap = 3;
    const discovery = toLangChainDiscovery(registry, { maxActiveTools: cap });
    const model = new ScriptedChatModel([
      toolCallTurn({ name: 'search_tools', args: { query: 'file a bug in jira' } }),
      (messages) => {
        const [best] = lastFound(messages);
        expect(best).toBe('jira__create_issue');
        return toolCallTurn({
          name: best!,
          args: { projectKey: 'WEB', summary: 'Login button does nothing', issueType: 'Bug' },
        });
      },
      toolCallTurn({ name: 'search_tools', args: { query: 'list kubernetes pods' } }),
      (messages) => toolCallTurn({ name: lastFound(messages)[0]!, args: { namespace: 'web' } }),
      new AIMessage('Filed WEB bug and listed the pods.'),
    ]);
    const agent = createAgent({ model, tools: [], middleware: [discovery.middleware] });
    const result = await agent.invoke({
      messages: [{ role: 'user', content: 'File the login bug in Jira, then list the web pods.' }],
    });

    expect(result.messages.at(-1)?.content).toBe('Filed WEB bug and listed the pods.');
    const bound = model.calls.map((call) => call.tools.map((definition) => definition.name));
    expect(bound).toHaveLength(5);
    for (const names of bound) {
      expect(names.length).toBeLessThanOrEqual(cap + 1);
      expect(names).toContain('search_tools');
    }
    expect(bound[0]).toEqual(['search_tools']);
    expect(bound[1]).toContain('jira__create_issue');
    expect(bound[1]!.sort()).toEqual(['search_tools', ...lastFound(model.calls[1]!.messages)].sort());
    // The model was given the tool's own schema.
    const createIssue = model.calls[1]!.tools.find((definition) => definition.name === 'jira__create_issue');
    expect(createIssue?.parameters).toMatchObject({ required: ['projectKey', 'summary', 'issueType'] });
    expect(bound[2]).toContain('jira__create_issue');
    // The second search pushed the least recently found or used tools out, the used one last.
    expect(bound[3]).toContain('kubernetes__list_pods');
    expect(bound[3]).not.toContain('jira__create_issue');

    // Both calls ran on their servers with the model's arguments.
    const calls = toolMessages(model.calls[4]!.messages).filter((message) => message.name !== 'search_tools');
    expect(calls.map((message) => [message.name, message.status])).toEqual([
      ['jira__create_issue', 'success'],
      ['kubernetes__list_pods', 'success'],
    ]);
    expect(JSON.parse(String(calls[0]!.content))).toEqual({
      server: 'jira',
      tool: 'create_issue',
      arguments: { projectKey: 'WEB', summary: 'Login button does nothing', issueType: 'Bug' },
    });
    expect(registry.server('jira')?.status).toBe('active');
    expect(registry.server('github')?.status).toBe('discovered');
  });

  it("always binds the agent's own tools and the always-active ones", async () => {
    const clock = tool(async () => '12:00', {
      name: 'current_time',
      description: 'The time now.',
      schema: { type: 'object', properties: {} },
    });
    const discovery = toLangChainDiscovery(registry, {
      maxActiveTools: 1,
      alwaysActive: ['everything__get-sum'],
    });
    const model = new ScriptedChatModel([
      toolCallTurn({ name: 'search_tools', args: { query: 'purge the CDN cache' } }),
      toolCallTurn({ name: 'everything__get-sum', args: { a: 40, b: 2 } }),
      new AIMessage('42'),
    ]);
    const agent = createAgent({ model, tools: [clock], middleware: [discovery.middleware] });
    await agent.invoke({ messages: [{ role: 'user', content: 'go' }] });
    const bound = model.calls.map((call) => call.tools.map((definition) => definition.name).sort());
    expect(bound[0]).toEqual(['current_time', 'everything__get-sum', 'search_tools']);
    expect(bound[1]).toEqual([
      'cloudflare__purge_cache',
      'current_time',
      'everything__get-sum',
      'search_tools',
    ]);
    const sum = toolMessages(model.calls[2]!.messages).at(-1)!;
    expect(sum.name).toBe('everything__get-sum');
    expect(String(sum.content)).toMatch(/42/);
  });

  it('selectTools() gives the tools to bind in a hand-built graph', () => {
    const discovery = toLangChainDiscovery(registry, { maxActiveTools: 2 });
    const searchAnswer = discovery.disclosure.search({ query: 'send an sms' });
    const messages: BaseMessage[] = [
      new AIMessage({
        content: '',
        tool_calls: [{ id: 'c1', name: 'search_tools', args: {}, type: 'tool_call' }],
      }),
      // No name on the message: the call id ties it to search_tools; the content carries the answer.
      new ToolMessage({ tool_call_id: 'c1', content: JSON.stringify(searchAnswer) }),
    ];
    expect(discovery.selectTools([]).map((selected) => selected.name)).toEqual(['search_tools']);
    expect(discovery.selectTools(messages).map((selected) => selected.name)).toEqual([
      'search_tools',
      ...searchAnswer.found.slice(0, 2),
    ]);
  });
});
