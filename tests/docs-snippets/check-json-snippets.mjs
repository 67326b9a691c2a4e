// Checks every ```json block in the repository's markdown: it must parse, and when it is an MCP
// configuration (it has `mcpServers` or `servers`), `loadConfig` must accept it with every
// problem checked (`strict: true`) — the same validation users get. ```jsonc blocks are configs
// with comments (VS Code's mcp.json) and go to `loadConfig` as they are. Variables (`${VAR}`) are
// given placeholder values. Documents that point at `serverJson` files are only parsed (the files
// they name are illustrations).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadConfig } from '@toolwire/core';
import { markdownFiles, root } from './markdown-files.mjs';

const placeholderEnv = new Proxy(
  {},
  { get: (_, name) => (typeof name === 'string' ? `placeholder-${name}` : undefined) },
);
const scratch = await mkdtemp(join(tmpdir(), 'toolwire-json-snippets-'));
const failures = [];
let checked = 0;
try {
  for await (const file of markdownFiles()) {
    const text = await readFile(file, 'utf8');
    for (const block of text.matchAll(/^```(jsonc?)\s*\n([\s\S]*?)^```/gm)) {
      const [, language, body] = block;
      const where = `${relative(root, file)}:${text.slice(0, block.index).split('\n').length}`;
      checked++;
      if (language === 'json') {
        let value;
        try {
          value = JSON.parse(body);
        } catch (error) {
          failures.push(`${where}: not valid JSON: ${error.message}`);
          continue;
        }
        const isConfig = value && typeof value === 'object' && ('mcpServers' in value || 'servers' in value);
        if (!isConfig || 'serverJson' in value) continue;
      }
      const path = join(scratch, `snippet-${checked}.${language}`);
      await writeFile(path, body);
      try {
        await loadConfig(path, { env: placeholderEnv, strict: true });
      } catch (error) {
        failures.push(`${where}: loadConfig rejects it:\n${error.message}`);
      }
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
console.log(`checked ${checked} JSON snippets`);
if (failures.length > 0) {
  for (const failure of failures) console.error(failure);
  process.exit(1);
}
if (checked === 0) {
  console.error('no JSON snippets found: the checker is broken');
  process.exit(1);
}
