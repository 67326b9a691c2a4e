/**
 * The root entry is meant for `fetch` runtimes (edge, workers, Deno, Bun): its static import
 * graph holds no `node:` or other Node built-in module. The Node handler is behind
 * `@toolwire/inspector/node`. Files are transpiled as the build does, so type-only imports drop.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const sourceRoot = dirname(fileURLToPath(import.meta.url));
const builtins = new Set(builtinModules);

function staticImports(file: string): string[] {
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2023,
      verbatimModuleSyntax: true,
    },
  }).outputText;
  const source = ts.createSourceFile(file, output, ts.ScriptTarget.ES2023, true, ts.ScriptKind.JS);
  return source.statements.flatMap((statement) =>
    (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
    statement.moduleSpecifier &&
    ts.isStringLiteral(statement.moduleSpecifier)
      ? [statement.moduleSpecifier.text]
      : [],
  );
}

function graph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) pending.push(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  }
  return { files: [...files].map((file) => relative(sourceRoot, file)), packages: [...packages] };
}

it('the root entry loads no Node built-in module, and the Node handler is not part of it', () => {
  const { files, packages } = graph(join(sourceRoot, 'index.ts'));
  expect(packages.filter((name) => name.startsWith('node:') || builtins.has(name))).toEqual([]);
  expect(packages).toEqual(['@toolwire/core']);
  expect(files.some((file) => file.startsWith('node'))).toBe(false);
  // The page's assets are embedded, not read from disk.
  expect(files).toContain(join('ui', 'ui-assets.ts'));
});

it('the /node entry does load Node’s http (so the check above can fail)', () => {
  const { packages } = graph(join(sourceRoot, 'node.ts'));
  expect(packages).toContain('node:http');
});
