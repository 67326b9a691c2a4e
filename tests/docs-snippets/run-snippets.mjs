// Runs every snippet marked `<!-- snippet: runnable -->` (listed by extract-snippets.mjs) with
// this Node, as a reader would paste it into a file: no build step of its own, type annotations
// stripped by Node, the packages resolved as published (their built `dist`). Each must exit 0;
// it runs in its own temporary directory with its own schema cache there, so nothing it writes
// lands in the repository or in ~/.cache/toolwire.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const generated = join(here, 'generated');
const runnable = JSON.parse(await readFile(join(generated, 'runnable.json'), 'utf8'));
/** A snippet that hangs is a failure, not a stuck CI job; far above any snippet's real time. */
const HANG_LIMIT_MS = 120_000;

if (runnable.length === 0) {
  console.error('no runnable snippets found: the markers are gone or the extractor is broken');
  process.exit(1);
}

const failures = [];
for (const snippet of runnable) {
  // Its own working directory (a snippet may write a file, e.g. server.json) and schema cache.
  const scratch = await mkdtemp(join(tmpdir(), 'toolwire-snippet-'));
  try {
    const { code, output } = await runNode(join(generated, snippet.file), scratch);
    if (code === 0) console.log(`ran ${snippet.source}`);
    else failures.push(`${snippet.source}: exited ${code}\n${output}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
if (failures.length > 0) {
  for (const failure of failures) console.error(failure);
  process.exit(1);
}
console.log(`ran ${runnable.length} runnable snippets`);

function runNode(file, scratch) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd: scratch,
      env: { ...process.env, TOOLWIRE_CACHE_DIR: join(scratch, 'cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const hang = setTimeout(() => {
      output += `\n(killed: still running after ${HANG_LIMIT_MS / 1000} s)`;
      child.kill('SIGKILL');
    }, HANG_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(hang);
      resolve({ code: code ?? signal, output });
    });
  });
}
