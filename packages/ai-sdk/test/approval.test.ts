/**
 * Tool approval: with `needsApproval: 'destructive'`, a tool the server annotates
 * `destructiveHint: true` (server-memory's `delete_entities`) waits for the AI SDK's approval
 * flow; read-only and non-destructive tools run at once.
 */
import { join } from 'node:path';
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { generateText, type ModelMessage, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDestructiveTool, toAISDKTools } from '../src/index.js';
import { generateResults, toolResultsIn } from '../src/testing.js';
import { memoryServer, temporaryDirectory } from './support/servers.js';

const directory = temporaryDirectory();
let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({
    mcpServers: { memory: memoryServer(join(directory.path, 'memory.jsonl')) },
    logger: silentLogger,
  });
  expect(registry.server('memory')?.status).toBe('active');
});

afterAll(async () => {
  await registry?.close();
  directory.remove();
});

async function entityNames(): Promise<string[]> {
  const graph = await registry.callTool('memory__read_graph', {});
  return ((graph.structuredContent?.entities ?? []) as { name: string }[]).map((entity) => entity.name);
}

async function askToCreateThenDelete(name: string) {
  const tools = toAISDKTools(registry, { needsApproval: 'destructive' });
  const model = new MockLanguageModelV4({
    doGenerate: generateResults([
      {
        toolCalls: [
          {
            toolName: 'memory__create_entities',
            input: { entities: [{ name, entityType: 'person', observations: ['wrote the first program'] }] },
          },
        ],
      },
      { toolCalls: [{ toolName: 'memory__delete_entities', input: { entityNames: [name] } }] },
      { text: 'unreachable before approval' },
    ]),
  });
  const prompt: ModelMessage[] = [{ role: 'user', content: `Remember ${name}, then forget them.` }];
  const result = await generateText({ model, tools, stopWhen: stepCountIs(5), messages: prompt });
  return { tools, model, prompt, result };
}

describe('approval for destructive tools', () => {
  it('marks only tools whose annotations allow destruction', () => {
    const tools = toAISDKTools(registry, { needsApproval: 'destructive' });
    const flagged = Object.keys(tools).filter((name) => tools[name]?.needsApproval === true);
    expect(flagged.sort()).toEqual([
      'memory__delete_entities',
      'memory__delete_observations',
      'memory__delete_relations',
    ]);
    expect(isDestructiveTool({ annotations: undefined })).toBe(true);
    expect(isDestructiveTool({ annotations: { readOnlyHint: true } })).toBe(false);
    expect(isDestructiveTool({ annotations: { destructiveHint: false } })).toBe(false);
    const none = toAISDKTools(registry);
    expect(Object.values(none).some((tool) => tool.needsApproval !== undefined)).toBe(false);
  });

  it('waits for approval, then runs the approved call', async () => {
    const { tools, prompt, result } = await askToCreateThenDelete('Ada');
    const request = result.content.find((part) => part.type === 'tool-approval-request');
    expect(request).toMatchObject({ toolCall: { toolName: 'memory__delete_entities' } });
    expect(result.steps).toHaveLength(2);
    expect(await entityNames()).toContain('Ada');

    const next = new MockLanguageModelV4({ doGenerate: generateResults([{ text: 'Ada is forgotten.' }]) });
    const approved = await generateText({
      model: next,
      tools,
      stopWhen: stepCountIs(3),
      messages: [
        ...prompt,
        ...result.response.messages,
        {
          role: 'tool',
          content: [{ type: 'tool-approval-response', approvalId: request!.approvalId, approved: true }],
        },
      ],
    });
    expect(approved.text).toBe('Ada is forgotten.');
    expect(await entityNames()).not.toContain('Ada');
    const deletion = toolResultsIn(next.doGenerateCalls[0]!.prompt).find(
      (part) => part.toolName === 'memory__delete_entities',
    );
    expect(deletion?.output).toEqual({
      type: 'json',
      value: { success: true, message: 'Entities deleted successfully' },
    });
  });

  it('a denied call never reaches the server', async () => {
    const { tools, prompt, result } = await askToCreateThenDelete('Grace');
    const request = result.content.find((part) => part.type === 'tool-approval-request');
    const next = new MockLanguageModelV4({ doGenerate: generateResults([{ text: 'Kept Grace.' }]) });
    await generateText({
      model: next,
      tools,
      messages: [
        ...prompt,
        ...result.response.messages,
        {
          role: 'tool',
          content: [{ type: 'tool-approval-response', approvalId: request!.approvalId, approved: false }],
        },
      ],
    });
    expect(await entityNames()).toContain('Grace');
    const denied = toolResultsIn(next.doGenerateCalls[0]!.prompt).find(
      (part) => part.toolName === 'memory__delete_entities',
    );
    expect(denied?.output.type).toBe('execution-denied');
  });
});
