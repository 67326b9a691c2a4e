import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as gateway from './index.js';

const sourceDir = dirname(fileURLToPath(import.meta.url));

/** Source files statically reachable from an entry through relative imports (`import type` is erased). */
function reachable(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const match of readFileSync(entry, 'utf8').matchAll(
    /^(?:import|export)\s(?!type\s)[^;]*?from\s+'(\.[^']+)'/gm,
  )) {
    reachable(resolve(dirname(entry), match[1]!.replace(/\.js$/, '.ts')), seen);
  }
  return seen;
}

describe('the root entry', () => {
  it('imports no node: module (the gateway also runs as a fetch handler on edge runtimes)', () => {
    const offenders = [...reachable(join(sourceDir, 'index.ts'))].filter((file) =>
      /^import\s(?!type\s)[^;]*from\s+'node:/m.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('names every export explicitly', () => {
    expect(readFileSync(join(sourceDir, 'index.ts'), 'utf8')).not.toMatch(/export \*/);
    expect(Object.keys(gateway).sort()).toEqual([
      'CALL_TOOL_NAME',
      'GATEWAY_ERROR_META_KEY',
      'createGateway',
      'createMemoryCredentialStore',
      'createMemoryRateLimitStore',
      'createRedisCredentialStore',
      'createRedisRateLimitStore',
      'upstreamSessionKey',
    ]);
  });
});
