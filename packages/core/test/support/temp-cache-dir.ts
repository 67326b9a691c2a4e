/**
 * Vitest global setup for every package: the run's schema cache lives in a temporary directory
 * (TOOLWIRE_CACHE_DIR, inherited by the test workers and every server or CLI they spawn),
 * removed afterwards, so a test run never writes to the user's ~/.cache/toolwire. A test may
 * still point a registry at its own directory; this only moves the default.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const directory = mkdtempSync(join(tmpdir(), 'toolwire-test-cache-'));
  process.env.TOOLWIRE_CACHE_DIR = directory;
  return () => rmSync(directory, { recursive: true, force: true });
}
