// The README's getting-started commands, run as written (each line through the shell, from the
// repository root), so a newcomer's first minutes cannot silently break. The lines that need the
// network or are the test suite itself are named here with the reason; every other line must
// exit 0, and a new line in the README is run without anyone adding it here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Lines not run here, and why. */
const notRunHere = new Map([
  ['npm install -g pnpm@10', 'installs globally from the registry (network); pnpm is already here'],
  ['pnpm install', 'downloads from the registry (network); this checkout is installed'],
  ['pnpm test', "the packages' unit and integration tests (part of pnpm test:all)"],
  ['pnpm test:all', 'the whole test suite this test is part of'],
]);
/** Far above any command's real time: a hang must fail the run, not stall CI. */
const HANG_LIMIT_MS = 600_000;

let cacheDirectory;
before(async () => {
  cacheDirectory = await mkdtemp(join(tmpdir(), 'toolwire-readme-cache-'));
});
after(async () => {
  await rm(cacheDirectory, { recursive: true, force: true });
});

async function readmeCommands() {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const block = /<!-- readme-commands -->\s*\n```bash\n([\s\S]*?)^```/m.exec(readme);
  assert.ok(block, 'README.md has no <!-- readme-commands --> bash block');
  return block[1]
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function runShell(line) {
  return new Promise((resolve) => {
    const child = spawn(line, {
      cwd: root,
      shell: true,
      env: { ...process.env, TOOLWIRE_CACHE_DIR: cacheDirectory, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const hang = setTimeout(() => child.kill('SIGKILL'), HANG_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(hang);
      resolve({ code, stdout, stderr });
    });
  });
}

const commands = await readmeCommands();

test('the README lists its getting-started commands, and only known ones are skipped', () => {
  assert.ok(commands.length >= 5, `found only ${commands.length} commands`);
  const commandOf = (line) => line.replace(/\s+#.*$/, '');
  for (const skipped of notRunHere.keys()) {
    assert.ok(commands.map(commandOf).includes(skipped), `"${skipped}" is no longer in the README`);
  }
  assert.ok(
    !commands.some((line) => /\bnpx toolwire\b/.test(line)),
    'the README must not say `npx toolwire`',
  );
});

for (const line of commands) {
  const command = line.replace(/\s+#.*$/, '');
  const reason = notRunHere.get(command);
  if (reason) continue;
  test(`runs as written: ${command}`, async () => {
    const { code, stdout, stderr } = await runShell(line);
    assert.equal(code, 0, `exit ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
    if (command.startsWith('pnpm toolwire tools')) assert.match(stdout, /everything__echo/);
    if (command.startsWith('pnpm toolwire call everything__get-sum')) assert.match(stdout, /\b42\b/);
    if (command.startsWith('pnpm toolwire doctor')) assert.match(stdout, /All checks passed/);
    if (command === 'pnpm demo') assert.match(stdout, /demo passed/);
  });
}
