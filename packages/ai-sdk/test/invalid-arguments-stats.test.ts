/**
 * Inputs the AI SDK refuses before `execute` (the tool's input schema is checked by core against
 * the server's own schema) count like arguments `callTool` refuses: a failed call in `stats()`
 * and a `call:start`/`call:end` pair, and nothing reaches the server.
 */
import { type CallEndEvent, type CallStartEvent, createRegistry, silentLogger } from '@toolwire/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDir, readEvents, type TempDir } from '../../core/test/support/index.js';
import { toAISDKTools } from '../src/index.js';
import { generateResults } from '../src/testing.js';
import { fixtureServer } from './support/servers.js';

describe('invalid inputs refused by the AI SDK tool', () => {
  let dir: TempDir;

  beforeAll(async () => {
    dir = await createTempDir();
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('are counted in stats() and emit the call events', async () => {
    const eventsFile = dir.file('events.jsonl');
    await using registry = await createRegistry({
      servers: { fixture: fixtureServer({ eventsFile }) },
      logger: silentLogger,
    });
    const starts: CallStartEvent[] = [];
    const ends: CallEndEvent[] = [];
    registry.on('call:start', (event) => starts.push(event));
    registry.on('call:end', (event) => ends.push(event));

    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'fixture__echo', input: { message: 42 } }] },
        { toolCalls: [{ toolName: 'fixture__echo', input: { message: 'hi' } }] },
        { text: 'done' },
      ]),
    });
    const result = await generateText({
      model,
      tools: toAISDKTools(registry, { sessionKey: 'conversation-1' }),
      stopWhen: stepCountIs(4),
      prompt: 'Echo something.',
    });
    expect(result.text).toBe('done');
    expect(result.steps[0]?.content.some((part) => part.type === 'tool-error')).toBe(true);

    const stats = registry.stats();
    expect(stats.byTool.fixture__echo).toMatchObject({
      calls: 2,
      errors: 1,
      lastError: { code: 'INVALID_ARGUMENTS', message: expect.stringContaining('message: must be string') },
    });
    expect(stats.byServer.fixture).toMatchObject({ calls: 2, errors: 1 });
    expect(starts.map((event) => event.sessionKey)).toEqual(['conversation-1', 'conversation-1']);
    expect(ends.map((event) => [event.outcome, event.error?.code])).toEqual([
      ['failed', 'INVALID_ARGUMENTS'],
      ['ok', undefined],
    ]);
    const echoed = (await readEvents(eventsFile)).filter((event) => event.tool === 'echo');
    expect(echoed.map((event) => event.message)).toEqual(['hi']);
  });
});
