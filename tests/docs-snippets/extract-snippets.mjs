// Extracts every ```ts / ```typescript block from the repository's markdown into
// `generated/`, one module per snippet, so `tsc` checks them against the real packages.
// A snippet is a complete module (imports included; top-level await is fine). A snippet right
// after a `<!-- snippet: runnable -->` line must also run on Node 22 as written (offline, on
// loopback): those are listed in `generated/runnable.json` for `run-snippets.mjs`.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownFiles, root } from './markdown-files.mjs';

const output = join(dirname(fileURLToPath(import.meta.url)), 'generated');

await rm(output, { recursive: true, force: true });
await mkdir(output, { recursive: true });
let count = 0;
const runnable = [];
for await (const file of markdownFiles()) {
  const text = await readFile(file, 'utf8');
  const blocks = [...text.matchAll(/^```(?:ts|typescript)\s*\n([\s\S]*?)^```/gm)];
  let index = 0;
  for (const block of blocks) {
    index++;
    const source = relative(root, file);
    const line = text.slice(0, block.index).split('\n').length;
    const name = `${source.replace(/[^A-Za-z0-9]+/g, '_')}_${index}.ts`;
    await writeFile(join(output, name), `// ${source}:${line}\n${block[1]}\nexport {};\n`);
    if (/<!-- snippet: runnable -->\s*$/.test(text.slice(0, block.index)))
      runnable.push({ file: name, source: `${source}:${line}` });
    count++;
  }
}
// Example files the docs link to are checked the same way.
const examples = join(root, 'docs', 'examples');
for (const entry of await readdir(examples).catch(() => [])) {
  if (!entry.endsWith('.ts')) continue;
  const text = await readFile(join(examples, entry), 'utf8');
  await writeFile(join(output, `docs_examples_${entry.replace(/[^A-Za-z0-9]+/g, '_')}.ts`), text);
  count++;
}
await writeFile(join(output, 'runnable.json'), `${JSON.stringify(runnable, null, 2)}\n`);
console.log(
  `extracted ${count} TypeScript snippets into ${relative(root, output)} (${runnable.length} marked runnable)`,
);
if (count === 0) {
  console.error('no snippets found: the extractor is broken');
  process.exit(1);
}
