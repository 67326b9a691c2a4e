/**
 * Long runs over Streamable HTTP: 3,000 sequential calls on one session leave no warning (Node's
 * MaxListenersExceededWarning is what an abort listener added per request to one long-lived
 * signal looks like) and no growth in open handles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry } from '../src/index.js';
import {
  addedResources,
  type HttpFixtureServer,
  settledResources,
  startHttpFixture,
} from './support/index.js';

let server: HttpFixtureServer;
let registry: Registry;

beforeAll(async () => {
  server = await startHttpFixture();
  registry = await createRegistry({ mcpServers: { http: { url: server.url } }, cache: 'memory' });
});

afterAll(async () => {
  await registry?.close();
  await server?.stop();
});

describe('a long run over Streamable HTTP', () => {
  it('makes 3,000 calls on one session without listener warnings or handle growth', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      await registry.callTool('http__echo', { message: 'warm-up' });
      const before = await settledResources();
      for (let index = 0; index < 3_000; index++) {
        const result = await registry.callTool('http__echo', { message: `call ${index}` });
        if (result.isError) throw new Error(result.text);
      }
      const after = await settledResources();
      expect(warnings).toEqual([]);
      expect(registry.server('http')?.connections).toBe(1);
      // fetch may keep a pooled socket or two; what must not happen is growth with the calls.
      const added = Object.values(addedResources(before, after)).reduce((sum, count) => sum + count, 0);
      expect(added).toBeLessThanOrEqual(2);
    } finally {
      process.off('warning', onWarning);
    }
  }, 180_000);
});
