/**
 * A real LangChain v1 agent (`createAgent`) driven by a scripted model uses tools of the
 * reference MCP servers (everything, memory, filesystem) and the adapter's fixture server, and
 * reaches its final answer. The assertions read the tool messages the model was sent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { createRegistry, type Registry } from '@toolwire/core';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLangChainTools } from '../src/index.js';
import { ScriptedChatModel, toolCallTurn } from '../src/testing.js';
import {
  adapterServer,
  everythingServer,
  filesystemServer,
  memoryServer,
  temporaryDirectory,
} from './support/servers.js';

const scratch = temporaryDirectory('agent');
let registry: Registry;

beforeAll(async () => {
  writeFileSync(path.join(scratch.dir, 'notes.txt'), 'The launch code is 4217.\n');
  registry = await createRegistry({
    mcpServers: {
      everything: everythingServer(),
      memory: memoryServer(path.join(scratch.dir, 'memory.jsonl')),
      files: filesystemServer(scratch.dir),
      fixture: adapterServer(),
    },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  expect(registry.servers().map((server) => [server.name, server.status])).toEqual([
    ['everything', 'active'],
    ['memory', 'active'],
    ['files', 'active'],
    ['fixture', 'active'],
  ]);
}, 60_000);

afterAll(async () => {
  await registry?.close();
  scratch.remove();
});

function toolMessages(messages: BaseMessage[]): ToolMessage[] {
  return messages.filter((message): message is ToolMessage => ToolMessage.isInstance(message));
}

function lastText(messages: BaseMessage[]): string {
  const last = messages.at(-1);
  return typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content);
}

describe('createAgent with toolwire tools', () => {
  it('calls tools of three reference servers and answers from what they returned', async () => {
    const notesPath = path.join(scratch.dir, 'notes.txt');
    const model = new ScriptedChatModel([
      toolCallTurn(
        { name: 'everything__get-sum', args: { a: 19, b: 23 } },
        { name: 'files__read_text_file', args: { path: notesPath } },
      ),
      toolCallTurn({
        name: 'memory__create_entities',
        args: { entities: [{ name: 'launch', entityType: 'secret', observations: ['code 4217'] }] },
      }),
      toolCallTurn({ name: 'memory__search_nodes', args: { query: 'launch' } }),
      (messages) => {
        const tools = toolMessages(messages);
        const sum = tools.find((message) => message.name === 'everything__get-sum');
        const file = tools.find((message) => message.name === 'files__read_text_file');
        const code = String(file?.content).match(/\d{4}/)?.[0];
        const total = String(sum?.content).match(/(\d+)\D*$/)?.[1];
        return new AIMessage(`sum=${total}; code=${code}`);
      },
    ]);
    const agent = createAgent({
      model,
      tools: toLangChainTools(registry, { include: ['everything__get-sum', 'files__*', 'memory__*'] }),
    });
    const result = await agent.invoke({
      messages: [{ role: 'user', content: 'Add 19 and 23, then read my notes.' }],
    });

    expect(lastText(result.messages)).toBe('sum=42; code=4217');
    expect(model.calls).toHaveLength(4);

    // What the model was sent after each round of tool calls.
    const firstRound = toolMessages(model.calls[1]!.messages);
    expect(firstRound.map((message) => [message.name, message.status])).toEqual([
      ['everything__get-sum', 'success'],
      ['files__read_text_file', 'success'],
    ]);
    expect(firstRound[0]!.content).toMatch(/42/);
    expect(firstRound[1]!.content).toContain('The launch code is 4217.');
    // The artifact carries the registry's full result, structured content included.
    expect(firstRound[1]!.artifact).toMatchObject({ server: 'files', isError: false });
    expect(firstRound[1]!.artifact.structuredContent).toEqual({ content: 'The launch code is 4217.\n' });

    const search = toolMessages(model.calls[3]!.messages).at(-1)!;
    expect(search.name).toBe('memory__search_nodes');
    expect(search.status).toBe('success');
    expect(JSON.parse(String(search.content))).toMatchObject({
      entities: [{ name: 'launch', entityType: 'secret', observations: ['code 4217'] }],
    });
    expect(readFileSync(path.join(scratch.dir, 'memory.jsonl'), 'utf8')).toContain('code 4217');

    // The model was offered only the included tools, by their registry names.
    expect(model.calls[0]!.tools.map((tool) => tool.name).sort()).toEqual(
      registry
        .tools()
        .map((tool) => tool.name)
        .filter(
          (name) =>
            name === 'everything__get-sum' || name.startsWith('files__') || name.startsWith('memory__'),
        )
        .sort(),
    );
  });

  it('returns a tool-reported error to the model as an error tool message, and the agent goes on', async () => {
    const model = new ScriptedChatModel([
      toolCallTurn({ name: 'fixture__fail', args: { reason: 'disk full' } }),
      (messages) => {
        const failure = toolMessages(messages).at(-1)!;
        expect(failure.status).toBe('error');
        return toolCallTurn({ name: 'fixture__no_params', args: {} });
      },
      new AIMessage('recovered'),
    ]);
    const agent = createAgent({ model, tools: toLangChainTools(registry, { include: ['fixture__*'] }) });
    const result = await agent.invoke({ messages: [{ role: 'user', content: 'try it' }] });

    expect(lastText(result.messages)).toBe('recovered');
    const [failure, retry] = toolMessages(model.calls[2]!.messages);
    expect(failure).toMatchObject({
      name: 'fixture__fail',
      status: 'error',
      content: 'failed on purpose: disk full',
    });
    expect(failure!.artifact.isError).toBe(true);
    expect(retry).toMatchObject({ name: 'fixture__no_params', status: 'success', content: '{}' });
  });

  it('returns invalid arguments to the model with the failing path, without calling the server', async () => {
    const eventsDir = temporaryDirectory('invalid');
    const eventsFile = path.join(eventsDir.dir, 'events.jsonl');
    await using local = await createRegistry({ mcpServers: { fixture: adapterServer({ eventsFile }) } });
    const model = new ScriptedChatModel([
      toolCallTurn({
        name: 'fixture__recursive_defs',
        args: { tree: { value: 'root', children: [{ children: [] }] } },
      }),
      toolCallTurn({
        name: 'fixture__recursive_defs',
        args: { tree: { value: 'root', children: [{ value: 'leaf' }] } },
      }),
      new AIMessage('done'),
    ]);
    const agent = createAgent({ model, tools: toLangChainTools(local) });
    const result = await agent.invoke({ messages: [{ role: 'user', content: 'build a tree' }] });

    expect(lastText(result.messages)).toBe('done');
    const [rejected, accepted] = toolMessages(model.calls[2]!.messages);
    expect(rejected!.status).toBe('error');
    expect(rejected!.content).toContain('tree.children[0].value: is required');
    expect(rejected!.content).not.toMatch(/\bat .*\.ts:\d+/); // no stack frames of ours
    expect(accepted).toMatchObject({ status: 'success' });
    expect(JSON.parse(String(accepted!.content))).toEqual({
      tree: { value: 'root', children: [{ value: 'leaf' }] },
    });
    const calls = readFileSync(eventsFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((event) => event.event === 'call');
    expect(calls).toHaveLength(1);
    eventsDir.remove();
  });
});
