/**
 * Node-only: the default schema cache store, one JSON file per server fingerprint in a per-user
 * cache directory. Loaded on demand (dynamic import) so the root entry never pulls in `node:`
 * modules. Writes go to a unique temporary file that is then renamed over the target: a reader
 * sees the old file or the new one, never half of one, even with several processes writing.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SchemaCacheStore } from './schema-cache-store.js';

/** Options for {@link createFileSchemaCache}. */
export interface FileSchemaCacheOptions {
  /**
   * Where the files go. Default: `$TOOLWIRE_CACHE_DIR`, else `$XDG_CACHE_HOME/toolwire`, else
   * `%LOCALAPPDATA%\toolwire` on Windows, else `~/.cache/toolwire`.
   */
  directory?: string | undefined;
}

interface FileEntry {
  expiresAt: number;
  value: string;
}

/** The per-user cache directory toolwire uses by default. */
export function defaultCacheDirectory(env: Record<string, string | undefined> = process.env): string {
  if (env.TOOLWIRE_CACHE_DIR) return env.TOOLWIRE_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'toolwire');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'toolwire');
  return join(homedir(), '.cache', 'toolwire');
}

/** Creates the file-backed store. Files are readable by the current user only (0600 in a 0700 directory). */
export function createFileSchemaCache(options: FileSchemaCacheOptions = {}): SchemaCacheStore {
  const directory = join(options.directory ?? defaultCacheDirectory(), 'schemas');
  let ready: Promise<unknown> | undefined;
  const ensureDirectory = () => {
    ready ??= mkdir(directory, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  const fileOf = (key: string) => join(directory, `${key.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);

  return {
    kind: 'file',
    label: `file schema cache at ${directory}`,
    async get(key) {
      let text: string;
      try {
        text = await readFile(fileOf(key), 'utf8');
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
        throw error;
      }
      let entry: FileEntry;
      try {
        entry = JSON.parse(text) as FileEntry;
      } catch {
        return undefined;
      }
      if (typeof entry?.value !== 'string' || typeof entry.expiresAt !== 'number') return undefined;
      if (Date.now() >= entry.expiresAt) {
        await rm(fileOf(key), { force: true }).catch(() => {});
        return undefined;
      }
      return entry.value;
    },
    async set(key, value, ttlMs) {
      await ensureDirectory();
      const target = fileOf(key);
      const temporary = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      const entry: FileEntry = { expiresAt: Date.now() + ttlMs, value };
      await writeFile(temporary, JSON.stringify(entry), { mode: 0o600 });
      try {
        await renameWithRetry(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => {});
        throw error;
      }
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}

/** Windows refuses to rename over a file another process has open; a few short retries ride it out. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 4 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1)));
    }
  }
}
