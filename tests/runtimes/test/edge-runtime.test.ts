/**
 * `@toolwire/core` and the publisher's fetch handler inside Vercel's `edge-runtime`, bundled as
 * Next.js bundles edge functions (conditions `edge-light`, `worker`, `browser`) into one script.
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { bundleFor } from '../support/bundle.js';
import { startEdgeRuntime } from '../support/edge-runtime.js';
import { describeRuntimeScenarios } from '../support/runtime-scenarios.js';

describeRuntimeScenarios('edge-runtime', {
  expectedRuntime: /^edge-runtime \(edge-runtime\)$/,
  async start() {
    const bundle = await bundleFor(
      'edge-light',
      { file: fileURLToPath(new URL('../worker/edge-entry.ts', import.meta.url)) },
      'iife',
    );
    expect(bundle.nodeImports).toEqual([]);
    return startEdgeRuntime(bundle.code);
  },
});
