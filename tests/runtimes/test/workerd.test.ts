/**
 * `@toolwire/core` and the publisher's fetch handler inside a real workerd (Cloudflare Workers'
 * runtime), bundled as wrangler would bundle them (conditions `workerd`, `worker`, `browser`),
 * without the Node compatibility flag.
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { bundleFor } from '../support/bundle.js';
import { describeRuntimeScenarios } from '../support/runtime-scenarios.js';
import { startWorkerd } from '../support/workerd.js';

describeRuntimeScenarios('workerd', {
  expectedRuntime: /^Cloudflare-Workers$/,
  async start() {
    const bundle = await bundleFor('workerd', {
      file: fileURLToPath(new URL('../worker/workerd-entry.ts', import.meta.url)),
    });
    expect(bundle.nodeImports).toEqual([]);
    return startWorkerd(bundle.code);
  },
});
