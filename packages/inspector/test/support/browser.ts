/**
 * One headless Chromium per test file: Debian's `chromium` (CHROMIUM_PATH overrides) driven by
 * playwright-core, with a fresh profile directory, no network chatter of its own, and no GPU.
 * Under `CI=true` a missing browser is an error (CI installs it, see .ci/run); elsewhere the
 * browser tests say loudly that they skip.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tests can run here; throws under CI=true when they cannot. */
export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`The browser tests need Chromium at ${chromiumPath} in CI (apt-get install -y chromium)`);
  }
  console.warn(`\n!!! No Chromium at ${chromiumPath}: SKIPPING the browser tests (they run in CI) !!!\n`);
  return false;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'toolwire-inspector-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1360, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go: a gitignored folder, rewritten every run (`pnpm screenshots` copies them to docs/). */
export const artifactsDirectory = new URL('../../.artifacts/', import.meta.url).pathname;
