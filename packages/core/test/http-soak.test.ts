/**
 * Long runs over Streamable HTTP: 100 sequential calls on one session leave no warning (Node's
 * MaxListenersExceededWarning is what an abort listener added per request to one long-lived
 * signal looks like: it fires at the 11th) and no growth in open handles (one per call would be
 * a hundred; two are allowed). Both leaks are per call, so more calls prove nothing more: 400
 * took over a minute on a loaded machine, 3,000 took minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry } from '../src/index.js';
import {
  addedResources,
  type HttpFixtureServer,
  settledResources,
  startHttpFixture,
} from './support/index.js';

const CALLS = 100;

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
  it(`makes ${CALLS} calls on one session without listener warnings or handle growth`, async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      await registry.callTool('http__echo', { message: 'warm-up' });
      const before = await settledResources();
      for (let index = 0; index < CALLS; index++) {
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
  });
});
