/**
 * Progressive disclosure under ai@6 (`ai` resolves to the `ai6` alias here): the same
 * `prepareStep` / `activeTools` wiring drives a v6 `generateText` loop over the generated
 * catalogue servers; the model is offered only what it found, within the cap.
 */
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CatalogueServers, startCatalogueServers } from '../../../core/test/support/index.js';
import { toAISDKDiscovery } from '../../src/index.js';
import { generateResults, toolResultsIn } from '../../src/testing.js';

let catalogue: CatalogueServers;
let registry: Registry;

beforeAll(async () => {
  catalogue = await startCatalogueServers();
  registry = await createRegistry({ mcpServers: catalogue.entries(), cache: 'none', logger: silentLogger });
}, 60_000);

afterAll(async () => {
  await registry?.close();
  await catalogue?.stop();
});

describe('toAISDKDiscovery (ai@6)', () => {
  it('offers only search_tools first, then what it found, and the found tool runs', async () => {
    const discovery = toAISDKDiscovery(registry, { maxActiveTools: 2 });
    let step = 0;
    const model = new MockLanguageModelV3({
      doGenerate: async (call) => {
        step++;
        if (step === 1) {
          return generateResults([
            { toolCalls: [{ toolName: 'search_tools', input: { query: 'purge the CDN cache' } }] },
          ])[0]!;
        }
        if (step === 2) {
          const [result] = toolResultsIn(call.prompt);
          const [best] = (result!.output.value as { found: string[] }).found;
          return generateResults([{ toolCalls: [{ toolName: best!, input: { zoneId: 'z1' } }] }])[0]!;
        }
        return generateResults([{ text: 'purged' }])[0]!;
      },
    });
    const result = await generateText({ model, ...discovery, stopWhen: stepCountIs(5), prompt: 'purge' });
    expect(result.text).toBe('purged');
    const offered = model.doGenerateCalls.map((call) => (call.tools ?? []).map((tool) => tool.name));
    expect(offered[0]).toEqual(['search_tools']);
    expect(offered[1]).toContain('cloudflare__purge_cache');
    for (const names of offered) expect(names.length).toBeLessThanOrEqual(3);
    const purge = toolResultsIn(model.doGenerateCalls[2]!.prompt).find(
      (part) => part.toolName === 'cloudflare__purge_cache',
    );
    expect(purge?.output.value).toEqual({
      server: 'cloudflare',
      tool: 'purge_cache',
      arguments: { zoneId: 'z1' },
    });
  });
});
