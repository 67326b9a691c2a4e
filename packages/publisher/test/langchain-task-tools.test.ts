/**
 * A LangChain tool over a task-backed MCP tool (our publisher, `defineTool({ task })`, on
 * 2026-07-28) behaves like any tool to the agent: the result arrives when the task ends, the
 * task's progress reaches `onProgress`, and aborting the run cancels the task: the running tool's
 * signal fires on the server.
 */
import { AIMessage } from '@langchain/core/messages';
import { type Registry, ToolwireError } from '@toolwire/core';
import { type ToolProgressEvent, toLangChainTools } from '@toolwire/langchain';
import { ScriptedChatModel, toolCallTurn } from '@toolwire/langchain/testing';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTaskToolsFixture, type TaskToolsFixture } from './support/task-tools-fixture.js';

let fixture: TaskToolsFixture;
let registry: Registry;

beforeAll(async () => {
  fixture = await startTaskToolsFixture();
  registry = fixture.registry;
});

afterAll(async () => {
  await fixture?.close();
});

describe('a LangChain tool over a task-backed MCP tool', () => {
  it('gives the agent the result when the task ends, and surfaces its progress', async () => {
    const progress: ToolProgressEvent[] = [];
    const model = new ScriptedChatModel([
      toolCallTurn({ name: 'reports__build_report', args: { topic: 'tides' } }),
      new AIMessage('done'),
    ]);
    const agent = createAgent({
      model,
      tools: toLangChainTools(registry, { onProgress: (event) => progress.push(event) }),
    });
    const state = await agent.invoke({ messages: [{ role: 'user', content: 'Report on tides.' }] });
    const toolMessage = state.messages.find((message) => message.getType() === 'tool');
    expect(toolMessage?.content).toBe('report on tides');
    expect(progress.map((event) => event.message)).toContain('collecting sources');
  });

  it('aborting the call cancels the task, and the tool on the server sees it', async () => {
    const [tool] = toLangChainTools(registry, { include: ['reports__never_ends'] });
    const controller = new AbortController();
    const run = tool?.invoke({}, { signal: controller.signal });
    await Promise.all([fixture.started, fixture.created]);
    controller.abort();
    await expect(run).rejects.toBeDefined();
    const reason = (await fixture.aborted) as ToolwireError;
    expect(ToolwireError.isInstance(reason) && reason.code).toBe('CANCELLED');
  });
});
