/**
 * Where the CLI finds its configuration: `--config <path>`, else the first of `./mcp.json`,
 * `./.mcp.json`, `./.vscode/mcp.json` that exists. The file formats are those `loadConfig` reads.
 */
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';

export const defaultConfigFiles = ['mcp.json', '.mcp.json', '.vscode/mcp.json'];

export async function findConfig(explicit: string | undefined, cwd: string): Promise<string | undefined> {
  if (explicit) return resolve(cwd, explicit);
  for (const candidate of defaultConfigFiles) {
    const path = resolve(cwd, candidate);
    try {
      await access(path);
      return path;
    } catch {
      // try the next one
    }
  }
  return undefined;
}
