/**
 * What `#node-files` resolves to on runtimes without a file system (workers, edge, browsers).
 * Reading fails with a message saying what to do instead; the path helpers stay pure (POSIX
 * rules) because config preparation computes paths before it reads and must not throw there.
 */
import type * as NodeFiles from './node-files.js';

/** Always rejects: there is no file system to read on this runtime. */
export const readFile: typeof NodeFiles.readFile = (async (path: unknown) => {
  throw new Error(
    `cannot read "${String(path)}": this runtime has no file system (pass the config or server.json document as an object)`,
  );
}) as typeof NodeFiles.readFile;

export function isAbsolute(path: string): boolean {
  return path.startsWith('/');
}

export function resolve(...paths: string[]): string {
  let resolved = '';
  for (const path of paths) resolved = isAbsolute(path) ? path : resolved ? `${resolved}/${path}` : path;
  return isAbsolute(resolved) ? resolved : `/${resolved}`;
}

export function dirname(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? (index === 0 ? '/' : '.') : path.slice(0, index);
}
