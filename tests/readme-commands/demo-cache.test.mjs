// `pnpm demo` keeps its schema cache in a temporary directory: run with a fresh HOME and no
// cache variables, it must leave nothing in $HOME/.cache/toolwire (the issue counted ~120
// entries there after the tests and the demo). A real run of the demo, not a reading of its code.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Far above the demo's real time: a hang must fail the run, not stall CI. */
const HANG_LIMIT_MS = 300_000;

test('the demo writes nothing to ~/.cache/toolwire', async () => {
  const home = await mkdtemp(join(tmpdir(), 'toolwire-demo-home-'));
  try {
    const env = { ...process.env, HOME: home, USERPROFILE: home };
    delete env.TOOLWIRE_CACHE_DIR;
    delete env.XDG_CACHE_HOME;
    delete env.LOCALAPPDATA;
    const { code, output } = await new Promise((resolve) => {
      const child = spawn(process.execPath, [join('src', 'main.ts'), '--quiet'], {
        cwd: join(root, 'examples', 'demo'),
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const hang = setTimeout(() => child.kill('SIGKILL'), HANG_LIMIT_MS);
      child.on('close', (code) => {
        clearTimeout(hang);
        resolve({ code, output });
      });
    });
    assert.equal(code, 0, output);
    assert.equal(
      existsSync(join(home, '.cache', 'toolwire')),
      false,
      'the demo wrote to $HOME/.cache/toolwire',
    );
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
