#!/usr/bin/env node
// Starts the publisher fixture on 127.0.0.1 (a free port), runs the official conformance
// suite's server scenarios against it, and exits non-zero on any unexpected failure:
//   1. @modelcontextprotocol/conformance 0.1.16, every server scenario (`--suite all`), no
//      expected failures;
//   2. the 0.2.0-alpha.12 prerelease, the scenarios the 2026-07-28 revision requires, with the
//      expected failures (and reasons) in expected-failures.2026-07-28.yaml.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cliOf = (name) => join(dirname(require.resolve(`${name}/package.json`)), 'dist', 'index.js');

const fixture = spawn(process.execPath, [join(here, 'fixture-server.mjs')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('fixture did not start within 30 s')), 30_000);
  fixture.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
  createInterface({ input: fixture.stdout }).once('line', (line) => {
    clearTimeout(timer);
    resolve(JSON.parse(line).url);
  });
});
console.log(`fixture: ${url}`);

const outputDir = mkdtempSync(join(tmpdir(), 'toolwire-conformance-'));
const run = (label, cli, args) =>
  new Promise((resolve) => {
    console.log(`\n### ${label}`);
    const child = spawn(
      process.execPath,
      [cli, 'server', '--url', url, '-o', join(outputDir, label), ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    // Keep the summary, drop the per-scenario progress lines.
    let summary = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('SUMMARY')) summary = true;
      // The suite's own total counts checks of expected-failure scenarios as failed; reword it so
      // log readers (and CI summaries) do not take it for this run's verdict.
      const total = /^Total: (\d+) passed, (\d+) failed/.exec(line);
      if (total) console.log(`checks: ${total[1]} succeeded, ${total[2]} did not (see the verdict below)`);
      else if (summary || /unexpected|stale|expected/i.test(line)) console.log(line);
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });

let failed = false;
try {
  const stable = await run('0.1.16', cliOf('@modelcontextprotocol/conformance'), ['--suite', 'all']);
  if (stable !== 0) failed = true;
  const next = await run('0.2.0-alpha.12 (2026-07-28)', cliOf('@modelcontextprotocol/conformance-next'), [
    '--requirements',
    '2026-07-28',
    '--expected-failures',
    join(here, 'expected-failures.2026-07-28.yaml'),
  ]);
  if (next !== 0) failed = true;
} finally {
  fixture.kill('SIGTERM');
  rmSync(outputDir, { recursive: true, force: true });
}
console.log(failed ? '\nconformance: FAILED' : '\nconformance: all scenarios as expected');
process.exit(failed ? 1 : 0);
