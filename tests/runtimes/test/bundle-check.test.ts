/**
 * The entries that promise to run anywhere, bundled as a Workers, Edge or browser build would
 * bundle them: none may need a Node built-in (`node:*`, `child_process`, `fs`, …) or a Node-only
 * package (`cross-spawn`, `@hono/node-server`). Node-only code sits behind subpaths
 * (`@toolwire/core/stdio`, `/redis`, `@toolwire/inspector/node`) or the packages' `#` imports,
 * whose non-`node` branch is a stub. The last test proves the check can fail.
 */
import { describe, expect, it } from 'vitest';
import { type BundleTarget, bundleFor } from '../support/bundle.js';

const cases: { module: string; targets: BundleTarget[] }[] = [
  { module: '@toolwire/core', targets: ['workerd', 'edge-light', 'browser'] },
  { module: '@toolwire/publisher', targets: ['workerd', 'edge-light'] },
  { module: '@toolwire/inspector', targets: ['workerd', 'browser'] },
];

describe('worker and browser bundles', () => {
  for (const { module, targets } of cases) {
    for (const target of targets) {
      it(`${module} for ${target} needs no Node built-in`, async () => {
        const bundle = await bundleFor(target, { module });
        expect(bundle.bytes).toBeGreaterThan(10_000);
        expect(bundle.nodeImports).toEqual([]);
        expect(bundle.nodeOnlyPackages).toEqual([]);
      });
    }
  }

  it('the check catches a Node built-in: @toolwire/core/stdio needs child_process via cross-spawn', async () => {
    const bundle = await bundleFor('workerd', { module: '@toolwire/core/stdio' });
    expect(bundle.nodeImports.map((entry) => entry.specifier)).toContain('child_process');
    expect(bundle.nodeImports).toContainEqual(
      expect.objectContaining({ importer: expect.stringContaining('cross-spawn') }),
    );
    expect(bundle.nodeOnlyPackages).toContain('cross-spawn');
  });
});
