/**
 * The root entry runs on any runtime: its static import graph (what a bundler or an edge
 * runtime loads for `import '@toolwire/core'`) contains no `node:` or other Node built-in
 * module and no Node-only subpath. Node-only code is reached by dynamic import only, and only
 * through the package's own `#` imports (package.json `imports`): under the `node` condition they
 * are the stdio transport, the file cache and `node:fs`; under any other condition (workers, edge,
 * browsers) they are stubs that fail with a clear error, so bundlers for those targets never see
 * `child_process`, `cross-spawn` or `node:fs` (tests/runtimes bundles and runs the root to prove it).
 * Files are transpiled as the build does, so type-only imports are dropped exactly as in `dist`.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const sourceRoot = dirname(fileURLToPath(import.meta.url));
const builtins = new Set(builtinModules);

interface ModuleImports {
  staticImports: string[];
  dynamicImports: string[];
}

function importsOf(file: string): ModuleImports {
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2023,
      verbatimModuleSyntax: true,
    },
  }).outputText;
  const source = ts.createSourceFile(file, output, ts.ScriptTarget.ES2023, true, ts.ScriptKind.JS);
  const staticImports: string[] = [];
  const dynamicImports: string[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      staticImports.push(statement.moduleSpecifier.text);
    }
  }
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      dynamicImports.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { staticImports, dynamicImports };
}

/** Every module the entry loads statically: our files (relative to src) and packages. */
function staticGraph(entry: string) {
  const files = new Map<string, ModuleImports>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    const imports = importsOf(file);
    files.set(file, imports);
    for (const specifier of imports.staticImports) {
      if (specifier.startsWith('.')) pending.push(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

const isNodeBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtins.has(specifier.split('/')[0] as string);

describe('the root entry (src/index.ts)', () => {
  const { files, packages } = staticGraph(join(sourceRoot, 'index.ts'));
  const ourFiles = [...files.keys()].map((file) => relative(sourceRoot, file));

  it('loads our modules and packages, and walks the whole graph', () => {
    expect(ourFiles).toEqual(
      expect.arrayContaining(['index.ts', 'registry/registry.ts', 'config/load-config.ts']),
    );
    expect(packages.size).toBeGreaterThan(0);
  });

  it('imports no Node built-in module statically', () => {
    expect([...packages].filter(isNodeBuiltin)).toEqual([]);
  });

  it('imports no Node-only subpath statically', () => {
    expect([...packages].filter((specifier) => /(^|\/)stdio(\.js)?$/.test(specifier))).toEqual([]);
    expect(ourFiles).not.toContain('stdio.ts');
    expect(ourFiles).not.toContain('transports/stdio-transport.ts');
  });

  it('reaches the stdio transport, the file cache, node:fs and node:http only through dynamic `#` imports', () => {
    const dynamic = [...files.entries()].flatMap(([file, imports]) =>
      imports.dynamicImports.map((specifier) => `${relative(sourceRoot, file)} -> ${specifier}`),
    );
    expect(dynamic).toEqual(
      expect.arrayContaining([
        'connection/connect-choices.ts -> #stdio-transport',
        'cache/schema-cache.ts -> #file-schema-cache',
        'config/load-config.ts -> #node-files',
        'transports/platform-fetch.ts -> #node-http-fetch',
      ]),
    );
    // A relative or `node:` dynamic import would be followed by a worker bundler.
    const direct = dynamic.filter((edge) => !/ -> (#|ioredis$)/.test(edge));
    expect(direct).toEqual([]);
  });
});

type ConditionalTarget = {
  '@toolwire/source': { node: string; default: string };
  node: string;
  default: string;
};

describe('the package imports (`#…`)', () => {
  const manifest = JSON.parse(readFileSync(join(sourceRoot, '..', 'package.json'), 'utf8')) as {
    imports: Record<string, ConditionalTarget>;
  };
  const entries = Object.entries(manifest.imports);
  const packageRoot = join(sourceRoot, '..');

  it('maps each to the Node module under `node` and to a stub elsewhere, in src and in dist alike', () => {
    expect(entries.map(([name]) => name).sort()).toEqual([
      '#file-schema-cache',
      '#node-files',
      '#node-http-fetch',
      '#stdio-transport',
    ]);
    for (const [, target] of entries) {
      const toDist = (path: string) => path.replace('./src/', './dist/').replace(/\.ts$/, '.js');
      expect(Object.keys(target)).toEqual(['@toolwire/source', 'node', 'default']);
      expect(target.node).toBe(toDist(target['@toolwire/source'].node));
      expect(target.default).toBe(toDist(target['@toolwire/source'].default));
      expect(target.default).toMatch(/-unavailable\.js$/);
    }
  });

  it('stubs import no Node built-in module', () => {
    for (const [name, target] of entries) {
      const { packages } = staticGraph(join(packageRoot, target['@toolwire/source'].default));
      expect({ name, builtins: [...packages].filter(isNodeBuiltin) }).toEqual({ name, builtins: [] });
    }
  });
});

describe('the stdio entry (src/stdio.ts)', () => {
  it('is where the Node-only transport lives', () => {
    const { packages } = staticGraph(join(sourceRoot, 'stdio.ts'));
    expect([...packages]).toContain('@modelcontextprotocol/client/stdio');
  });
});
