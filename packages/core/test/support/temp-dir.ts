/** Temporary directories that remove themselves (`await using dir = await createTempDir()`). */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir extends AsyncDisposable {
  /** Absolute, symlink-free path (servers compare paths after resolving links). */
  path: string;
  /** Absolute path of a file inside the directory. */
  file(name: string): string;
  remove(): Promise<void>;
}

export async function createTempDir(prefix = 'toolwire-test-'): Promise<TempDir> {
  const path = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  const remove = () => rm(path, { recursive: true, force: true });
  return {
    path,
    file: (name) => join(path, name),
    remove,
    [Symbol.asyncDispose]: remove,
  };
}
