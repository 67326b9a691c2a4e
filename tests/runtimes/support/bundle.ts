/**
 * Bundles an entry for a non-Node platform with esbuild, as a Workers or Edge deployment would,
 * and records every Node built-in (or Node-only package) the bundle would need. A built-in is not
 * an esbuild error here: it is marked external and listed, so a test can name each offender and
 * the module that imported it.
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

/** Where each runtime's bundler looks first (wrangler, Next.js/Vercel, a browser bundler). */
export const RUNTIME_CONDITIONS = {
  workerd: ['workerd', 'worker', 'browser'],
  'edge-light': ['edge-light', 'worker', 'browser'],
  browser: ['browser'],
} as const;

export type BundleTarget = keyof typeof RUNTIME_CONDITIONS;

/** Packages that only work on Node even when they import no `node:` module directly. */
const NODE_ONLY_PACKAGES = [
  'cross-spawn',
  'which',
  'isexe',
  '@hono/node-server',
  '@modelcontextprotocol/node',
];

const builtins = new Set(builtinModules);

export interface NodeImport {
  /** The specifier as written, e.g. `node:fs/promises` or `child_process`. */
  specifier: string;
  /** The importing file, relative to the repository root. */
  importer: string;
}

export interface BundleResult {
  code: string;
  bytes: number;
  /** Every Node built-in the bundle imports (statically or dynamically). Empty means clean. */
  nodeImports: NodeImport[];
  /** Node-only packages that made it into the bundle. */
  nodeOnlyPackages: string[];
  metafile: Metafile;
}

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const relativeToRepository = (path: string) => path.replace(repositoryRoot, '').replace(/^(\.\.\/)+/, '');

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtins.has(specifier.split('/')[0] as string);
}

function recordNodeImports(found: NodeImport[]): Plugin {
  return {
    name: 'record-node-imports',
    setup(context) {
      context.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point' || !isBuiltin(args.path)) return undefined;
        found.push({ specifier: args.path, importer: relativeToRepository(args.importer) });
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * Bundles `entry` (a file path, or a module specifier resolved from this package) for `target`.
 * `format: 'iife'` makes a classic script (edge-runtime); `'esm'` a module (workerd).
 * The `@toolwire/source` condition bundles our packages from `src`, as every test here does.
 */
export async function bundleFor(
  target: BundleTarget,
  entry: { file: string } | { module: string },
  format: 'esm' | 'iife' = 'esm',
): Promise<BundleResult> {
  const nodeImports: NodeImport[] = [];
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : {
          stdin: {
            contents: `export * from ${JSON.stringify(entry.module)};`,
            resolveDir: fileURLToPath(new URL('..', import.meta.url)),
            loader: 'js',
          },
        }),
    bundle: true,
    write: false,
    format,
    platform: 'neutral',
    target: 'es2023',
    mainFields: ['browser', 'module', 'main'],
    conditions: ['@toolwire/source', ...RUNTIME_CONDITIONS[target]],
    metafile: true,
    logLevel: 'silent',
    plugins: [recordNodeImports(nodeImports)],
  });
  const code = result.outputFiles[0]?.text ?? '';
  const inputs = Object.keys(result.metafile.inputs);
  const nodeOnlyPackages = NODE_ONLY_PACKAGES.filter((name) =>
    inputs.some((input) => input.includes(`/node_modules/${name}/`)),
  );
  return { code, bytes: code.length, nodeImports, nodeOnlyPackages, metafile: result.metafile };
}
