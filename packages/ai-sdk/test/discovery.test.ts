/**
 * Progressive disclosure in a real `generateText` loop (`ai@7`) over 300+ tools (the generated
 * catalogue servers on loopback and `server-everything`): the model starts with only
 * `search_tools`, searches, and calls what it found in the next step; a later search pushes the
 * least recently found or used tools out. The assertions read what the model was sent in every
 * step: never more than the cap of tool schemas, and never a tool it had not found yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySchemaCache, createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CatalogueServers,
  recordedReferenceServers,
  recordedStarts,
  startCatalogueServers,
} from '../../core/test/support/index.js';
import { toAISDKDiscovery } from '../src/index.js';
import { generateResults, toolResultsIn } from '../src/testing.js';

type StepResult = ReturnType<typeof generateResults>[number];
type CallOptions = MockLanguageModelV4['doGenerateCalls'][number];

let scratch: string;
let catalogue: CatalogueServers;
let registry: Registry;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'toolwire-ai-discovery-'));
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

/** The names of the tools the model was offered in one step. */
function offered(call: CallOptions): string[] {
  return (call.tools ?? []).map((tool) => tool.name);
}

/** The `found` list of the last `search_tools` result in a prompt. */
function lastFound(call: CallOptions): string[] {
  const result = toolResultsIn(call.prompt)
    .filter((part) => part.toolName === 'search_tools')
    .at(-1);
  return (result?.output.value as { found: string[] } | undefined)?.found ?? [];
}

/** A scripted model whose every step is computed from what it was sent. */
function scriptedModel(steps: ((call: CallOptions) => StepResult)[]): MockLanguageModelV4 {
  let step = 0;
  return new MockLanguageModelV4({
    doGenerate: async (call) => {
      const next = steps[step++];
      if (!next) throw new Error(`no scripted step ${step}`);
      return next(call);
    },
  });
}

const search = (query: string) =>
  generateResults([{ toolCalls: [{ toolName: 'search_tools', input: { query } }] }])[0]!;
const callTool = (toolName: string, input: Record<string, unknown>) =>
  generateResults([{ toolCalls: [{ toolName, input }] }])[0]!;
const answer = (text: string) => generateResults([{ text }])[0]!;

describe('toAISDKDiscovery with generateText', () => {
  it('starts with only search_tools, searches, then calls the tool it found', async () => {
    const cap = 3;
    const discovery = toAISDKDiscovery(registry, { maxActiveTools: cap });
    const model = scriptedModel([
      () => search('send a text message to a phone number'),
      (call) => {
        const [best] = lastFound(call);
        expect(best).toBe('twilio__send_sms');
        return callTool(best!, { to: '+4712345678', body: 'Deploy finished' });
      },
      () => search('weather forecast for a city'),
      (call) => callTool(lastFound(call)[0]!, { city: 'Oslo', days: 2 }),
      () => answer('Texted the team and checked the forecast.'),
    ]);

    const result = await generateText({
      model,
      ...discovery,
      stopWhen: stepCountIs(8),
      prompt: 'Text +4712345678 that the deploy finished, then get the Oslo forecast.',
    });

    expect(result.text).toBe('Texted the team and checked the forecast.');
    const calls = model.doGenerateCalls;
    expect(calls).toHaveLength(5);

    // Never more than the cap (plus search_tools) in any step.
    for (const call of calls) {
      expect(call.tools?.length ?? 0).toBeLessThanOrEqual(cap + 1);
      expect(offered(call)).toContain('search_tools');
    }
    // Step 1: only the discovery tool. Step 2: what the first search found.
    expect(offered(calls[0]!)).toEqual(['search_tools']);
    expect(offered(calls[1]!).sort()).toEqual(['search_tools', ...lastFound(calls[1]!)].sort());
    expect(offered(calls[1]!)).toContain('twilio__send_sms');
    // The model got the tool's own schema for it.
    const sms = calls[1]!.tools?.find((tool) => tool.name === 'twilio__send_sms') as
      | { inputSchema: { required: string[] } }
      | undefined;
    expect(sms?.inputSchema.required).toEqual(['to', 'body']);
    // Step 3 still offers send_sms (just used); step 4: the forecast search pushed it out.
    expect(offered(calls[2]!)).toContain('twilio__send_sms');
    expect(offered(calls[3]!)).toContain('weather__get_forecast');
    expect(offered(calls[3]!)).not.toContain('twilio__send_sms');
    expect(offered(calls[3]!)).toHaveLength(cap + 1);

    // Both calls reached their servers, with the arguments the model gave.
    const results = toolResultsIn(calls[4]!.prompt).filter((part) => part.toolName !== 'search_tools');
    // An error's text is part of what is compared, so a failure here says what went wrong.
    const outcome = (part: (typeof results)[number]) =>
      part.output.type === 'json' ? 'json' : `${part.output.type}: ${JSON.stringify(part.output.value)}`;
    expect(results.map((part) => [part.toolName, outcome(part)])).toEqual([
      ['twilio__send_sms', 'json'],
      ['weather__get_forecast', 'json'],
    ]);
    expect(results[0]!.output.value).toEqual({
      server: 'twilio',
      tool: 'send_sms',
      arguments: { to: '+4712345678', body: 'Deploy finished' },
    });
    // Only the servers that were called were connected.
    expect(registry.server('twilio')?.status).toBe('active');
    expect(registry.server('weather')?.status).toBe('active');
    expect(registry.server('github')?.status).toBe('discovered');
  });

  it('keeps always-active tools, honours a filter, and reads found tools back from earlier turns', async () => {
    const discovery = toAISDKDiscovery(registry, {
      maxActiveTools: 2,
      alwaysActive: ['everything__get-sum'],
      filter: (tool) => tool.server !== 'gitlab',
    });
    expect(discovery.activeTools).toEqual(['search_tools', 'everything__get-sum']);
    expect(Object.keys(discovery.tools)).not.toContain('gitlab__create_merge_request');
    expect(Object.keys(discovery.tools)).toContain('github__create_pull_request');

    const model = scriptedModel([
      () => search('open a merge request'),
      (call) => {
        expect(lastFound(call).some((name) => name.startsWith('gitlab__'))).toBe(false);
        return callTool('everything__get-sum', { a: 2, b: 40 });
      },
      () => answer('42'),
    ]);
    const first = await generateText({ model, ...discovery, stopWhen: stepCountIs(5), prompt: 'go' });
    expect(first.text).toBe('42');
    for (const call of model.doGenerateCalls) {
      expect(offered(call)).toContain('everything__get-sum');
      expect(call.tools?.length ?? 0).toBeLessThanOrEqual(2 + 2);
    }

    // A new turn of the same conversation: the tools found before are offered from its first step.
    const found = discovery.activeToolsFor(first.responseMessages);
    expect(found.length).toBe(4);
    const next = scriptedModel([() => answer('ok')]);
    await generateText({
      model: next,
      ...discovery,
      messages: [
        { role: 'user', content: 'go' },
        ...first.responseMessages,
        { role: 'user', content: 'again' },
      ],
    });
    expect(offered(next.doGenerateCalls[0]!).sort()).toEqual([...found].sort());
  });

  it('connects nothing to search (the catalogue comes from the cache)', async () => {
    const before = await catalogue.requests();
    const startsBefore = recordedStarts(join(scratch, 'starts.jsonl'));
    const discovery = toAISDKDiscovery(registry);
    for (const query of ['create a jira issue', 'list kubernetes pods', 'purge the CDN cache']) {
      expect(discovery.disclosure.search({ query }).found.length).toBeGreaterThan(0);
    }
    const after = await catalogue.requests();
    expect(after).toEqual(before);
    expect(recordedStarts(join(scratch, 'starts.jsonl'))).toEqual(startsBefore);
  });
});
