/**
 * The root entry must run on edge runtimes: no module it loads statically may import a `node:`
 * module (the file cache and stdio transport are loaded with dynamic `import()` on Node only),
 * and nothing outside `redis.ts` may pull in `ioredis`. The config parser's JSONC dependency
 * (`jsonc-parser`) is held to the same rule in the build edge bundlers load.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sourceRoot = fileURLToPath(new URL('../src/', import.meta.url));

function staticGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [resolve(sourceRoot, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)]
      .filter((match) => !/^(?:import|export)\s+type\s/.test(match[0]))
      .map((match) => match[1]!);
    graph.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  }
  return graph;
}

describe('root entry', () => {
  it('statically imports no node: module and no ioredis', () => {
    const graph = staticGraph('index.ts');
    expect(graph.size).toBeGreaterThan(10);
    const offenders = [...graph].flatMap(([file, specifiers]) =>
      specifiers
        .filter((specifier) => specifier.startsWith('node:') || specifier === 'ioredis')
        .map((specifier) => `${file.slice(sourceRoot.length)} → ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the check sees node: imports where they are (the file cache)', () => {
    const graph = staticGraph('cache/file-schema-cache.ts');
    expect([...graph.values()].flat()).toContain('node:fs/promises');
  });

  it('reaches jsonc-parser, whose ESM build (what bundlers load) imports only its own files', () => {
    const graph = staticGraph('index.ts');
    expect([...graph.values()].flat()).toContain('jsonc-parser');
    // Bundlers for edge runtimes (esbuild, webpack, wrangler) take the package's `module` build.
    const require = createRequire(resolve(sourceRoot, 'index.ts'));
    const manifestPath = require.resolve('jsonc-parser/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { module: string };
    const pending = [resolve(dirname(manifestPath), manifest.module)];
    const seen = new Set<string>();
    const outside: string[] = [];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      if (/\brequire\s*\(|\bprocess\.|\bBuffer\b/.test(text)) outside.push(`${file}: Node globals`);
      for (const [, specifier] of text.matchAll(/^(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
        if (specifier!.startsWith('.'))
          pending.push(resolve(dirname(file), `${specifier!.replace(/\.js$/, '')}.js`));
        else outside.push(`${file} → ${specifier}`);
      }
    }
    expect(seen.size).toBeGreaterThan(3);
    expect(outside).toEqual([]);
  });
});
