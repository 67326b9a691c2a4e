/**
 * Arguments the adapter refuses (it validates before calling, against the tool's own schema)
 * count like those `callTool` refuses: a failed call in `stats()` and a `call:start`/`call:end`
 * pair, with the conversation's session key, and nothing reaches the server.
 */
import { AIMessage } from '@langchain/core/messages';
import { type CallEndEvent, type CallStartEvent, createRegistry, silentLogger } from '@toolwire/core';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDir, fixtureStdio, readEvents, type TempDir } from '../../core/test/support/index.js';
import { toLangChainTools } from '../src/index.js';
import { ScriptedChatModel, toolCallTurn } from '../src/testing.js';

describe('invalid arguments refused by the LangChain tool', () => {
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
      servers: { fixture: fixtureStdio({ eventsFile }) },
      logger: silentLogger,
    });
    const starts: CallStartEvent[] = [];
    const ends: CallEndEvent[] = [];
    registry.on('call:start', (event) => starts.push(event));
    registry.on('call:end', (event) => ends.push(event));

    const model = new ScriptedChatModel([
      toolCallTurn({ name: 'fixture__echo', args: { message: 42 } }),
      toolCallTurn({ name: 'fixture__echo', args: { message: 'hi' } }),
      new AIMessage('done'),
    ]);
    const agent = createAgent({ model, tools: toLangChainTools(registry) });
    await agent.invoke(
      { messages: [{ role: 'user', content: 'echo something' }] },
      { configurable: { thread_id: 'thread-7' } },
    );

    const stats = registry.stats();
    expect(stats.byTool.fixture__echo).toMatchObject({
      calls: 2,
      errors: 1,
      lastError: { code: 'INVALID_ARGUMENTS', message: expect.stringContaining('message: must be string') },
    });
    expect(stats.byServer.fixture).toMatchObject({ calls: 2, errors: 1 });
    expect(starts.map((event) => event.sessionKey)).toEqual(['thread-7', 'thread-7']);
    expect(ends.map((event) => [event.outcome, event.error?.code])).toEqual([
      ['failed', 'INVALID_ARGUMENTS'],
      ['ok', undefined],
    ]);
    expect(ends[0]?.callId).toBe(starts[0]?.callId);
    // The refused call never reached the server.
    const echoed = (await readEvents(eventsFile)).filter((event) => event.tool === 'echo');
    expect(echoed.map((event) => event.message)).toEqual(['hi']);
  });
});
