/**
 * Two servers offering the same tool names: both tools appear in the tool set under distinct
 * names, and each name reaches its own server (unlike merging per-server tool sets, where the
 * later server's tool silently replaces the earlier one).
 */
import { createRegistry, type NamingOptions, silentLogger } from '@toolwire/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { toAISDKTools } from '../src/index.js';
import { generateResults, toolResultsIn } from '../src/testing.js';
import { fixtureServer } from './support/servers.js';

async function twoServers(naming: NamingOptions) {
  return createRegistry({
    mcpServers: {
      alpha: fixtureServer({ name: 'alpha' }),
      beta: fixtureServer({ name: 'beta' }),
    },
    naming,
    logger: silentLogger,
  });
}

describe('same-named tools on two servers', () => {
  it.each([
    { naming: {} as NamingOptions, names: ['alpha__echo', 'beta__echo'] },
    { naming: { prefix: 'on-collision' } as NamingOptions, names: ['alpha__echo', 'beta__echo'] },
    { naming: { prefix: 'never' } as NamingOptions, names: ['echo', 'echo_2'] },
  ])('naming $naming gives $names, each calling its own server', async ({ naming, names }) => {
    await using registry = await twoServers(naming);
    const tools = toAISDKTools(registry);
    for (const name of names) expect(Object.keys(tools)).toContain(name);
    // Every tool of both servers, under distinct names.
    const perServer = registry.tools({ server: 'alpha' }).length;
    expect(perServer).toBeGreaterThan(1);
    expect(Object.keys(tools)).toHaveLength(2 * perServer);
    expect(new Set(Object.keys(tools)).size).toBe(2 * perServer);

    const [first, second] = names as [string, string];
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        {
          toolCalls: [
            { toolName: first, input: { message: 'hi' } },
            { toolName: second, input: { message: 'hi' } },
          ],
        },
        { text: 'both answered' },
      ]),
    });
    const result = await generateText({ model, tools, stopWhen: stepCountIs(3), prompt: 'Echo twice.' });
    expect(result.text).toBe('both answered');
    const seen = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(seen.find((part) => part.toolName === first)?.output).toEqual({
      type: 'text',
      value: 'alpha: hi',
    });
    expect(seen.find((part) => part.toolName === second)?.output).toEqual({
      type: 'text',
      value: 'beta: hi',
    });
    expect(tools[first]?.metadata).toMatchObject({ server: 'alpha', serverToolName: 'echo' });
    expect(tools[second]?.metadata).toMatchObject({ server: 'beta', serverToolName: 'echo' });
  });
});

describe('include / exclude', () => {
  it('keeps the tools named or matched by a glob, minus the excluded ones', async () => {
    await using registry = await twoServers({});
    const tools = toAISDKTools(registry, {
      include: ['alpha__*', 'beta__echo'],
      exclude: ['alpha__crash', 'alpha__s?eep'],
    });
    expect(Object.keys(tools).sort()).toEqual([
      'alpha__add_tool',
      'alpha__echo',
      'alpha__fail',
      'beta__echo',
    ]);
  });
});
