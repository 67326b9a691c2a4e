/**
 * The page's files are embedded in `src/ui/ui-assets.ts` (so the handler serves them on any
 * runtime, offline). This fails while the embedded copy differs from `ui/` or from uPlot's
 * bundle: run `pnpm --filter @toolwire/inspector embed-ui`.
 */
import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types.
import { uiSources } from '../scripts/ui-sources.mjs';
import { uiAssets } from '../src/ui/ui-assets.js';

it('the embedded assets are the files in ui/ and uPlot’s bundle, byte for byte', () => {
  const sources = uiSources() as Record<string, { type: string; body: string }>;
  expect(Object.keys(uiAssets).sort()).toEqual(Object.keys(sources).sort());
  for (const [name, source] of Object.entries(sources)) {
    expect(uiAssets[name]?.type, name).toBe(source.type);
    expect(uiAssets[name]?.body === source.body, `${name} is stale: run pnpm embed-ui`).toBe(true);
  }
  expect(uiAssets['uplot.js']?.body).toMatch(/^\/\*! uPlot 1\.\d+\.\d+ \(MIT License/);
});
