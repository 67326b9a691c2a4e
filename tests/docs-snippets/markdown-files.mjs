// The repository's markdown files (what the snippet checks read), skipping dependencies and output.
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const skipDirectories = new Set(['node_modules', 'dist', 'generated', 'coverage']);

export async function* markdownFiles(directory = root) {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skipDirectories.has(entry.name) && !entry.name.startsWith('.'))
        yield* markdownFiles(join(directory, entry.name));
    } else if (entry.name.endsWith('.md')) {
      yield join(directory, entry.name);
    }
  }
}
