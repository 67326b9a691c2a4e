// Runs one benchmark's `run(options)` in a Node process of its own and resolves with its result
// (passed back over IPC with structured-clone serialization, so NaN, Infinity and Maps survive).
// The smoke test runs its benchmarks side by side this way: a benchmark that waits for "every
// child process of mine to exit" (start-up) then sees only its own children, and one benchmark's
// server processes never land in another's measurements of process counts.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./run-isolated-child.mjs', import.meta.url));

/** `module` is a path relative to bench/src/benchmarks (e.g. `start-up.mjs`). */
export function runIsolated(module, options = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [module, JSON.stringify(options)], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let outcome;
    child.on('message', (message) => {
      outcome = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (outcome?.ok) resolve(outcome.result);
      else if (outcome)
        reject(Object.assign(new Error(`${module}: ${outcome.message}`), { stack: outcome.stack }));
      else reject(new Error(`${module}: the benchmark process exited (${signal ?? code}) without a result`));
    });
  });
}
