/**
 * An AI SDK tool over a task-backed MCP tool (our publisher, `defineTool({ task })`, on
 * 2026-07-28) behaves like any tool in a loop: the model gets the result when the task ends, the
 * task's progress reaches `onProgress`, and aborting the loop cancels the task: the running tool's
 * signal fires on the server.
 */

import { type ToolProgressEvent, toAISDKTools } from '@toolwire/ai-sdk';
import { generateResults, toolResultsIn } from '@toolwire/ai-sdk/testing';
import { type Registry, ToolwireError } from '@toolwire/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
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

describe('an AI SDK tool over a task-backed MCP tool', () => {
  it('gives the model the result when the task ends, and surfaces its progress', async () => {
    const progress: ToolProgressEvent[] = [];
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'reports__build_report', input: { topic: 'tides' }, toolCallId: 'r-1' }] },
        { text: 'done' },
      ]),
    });
    await generateText({
      model,
      tools: toAISDKTools(registry, { onProgress: (event) => progress.push(event) }),
      stopWhen: stepCountIs(3),
      prompt: 'Report on tides.',
    });
    const [seen] = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(seen?.output).toEqual({ type: 'text', value: 'report on tides' });
    expect(progress.map((event) => event.message)).toContain('collecting sources');
  });

  it('aborting the loop cancels the task, and the tool on the server sees it', async () => {
    const controller = new AbortController();
    const reason = new Error('user pressed stop');
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'reports__never_ends', input: {}, toolCallId: 'n-1' }] },
        { text: 'never reached' },
      ]),
    });
    const run = generateText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(3),
      abortSignal: controller.signal,
      prompt: 'Run forever.',
    });
    const rejection = expect(run).rejects.toBe(reason);
    await Promise.all([fixture.started, fixture.created]);
    controller.abort(reason);
    await rejection;
    const serverReason = (await fixture.aborted) as ToolwireError;
    expect(ToolwireError.isInstance(serverReason) && serverReason.code).toBe('CANCELLED');
  });
});
