import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sourceDir = dirname(fileURLToPath(import.meta.url));

/** Files statically reachable at run time from an entry (relative imports; `import type` is erased). */
function reachable(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const match of text.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?from\s+'(\.[^']+)'/gm)) {
    reachable(resolve(dirname(entry), match[1]!.replace(/\.js$/, '.ts')), seen);
  }
  return seen;
}

describe('the root entry', () => {
  it('imports no node: module statically (it also runs on edge runtimes)', () => {
    const offenders = [...reachable(join(sourceDir, 'index.ts'))].filter((file) =>
      /^import\s(?!type\s)[^;]*from\s+'node:/m.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('imports no optional peer statically (works without LangChain, the AI SDK, ioredis or zod)', () => {
    const peers = /^import\s(?!type\s)[^;]*from\s+'(@langchain\/[^']+|ai|ai\/[^']+|ioredis|zod|zod\/[^']+)'/m;
    const offenders = [
      ...reachable(join(sourceDir, 'index.ts')),
      ...reachable(join(sourceDir, 'redis.ts')),
    ].filter((file) => peers.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('names every export explicitly (no export *)', () => {
    expect(readFileSync(join(sourceDir, 'index.ts'), 'utf8')).not.toMatch(/export \*/);
  });
});
