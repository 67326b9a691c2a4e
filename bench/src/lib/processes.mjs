// Waits for this process's child processes to be gone. Clients' close() calls resolve before
// their servers have fully exited; a start-up row must not begin while the previous row's servers
// are still shutting down on the same two cores. Reads /proc (Linux); elsewhere it just waits a
// fixed time.
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of this process's children, or undefined where /proc cannot be read. */
export function childProcessIds() {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const children = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const state = fields[0];
      const parent = Number(fields[1]);
      if (parent === process.pid && state !== 'Z') children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** Resolves once no child process is left (or after `timeoutMs`, or `fallbackMs` without /proc). */
export async function waitForChildrenToExit({ timeoutMs = 15_000, fallbackMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const children = childProcessIds();
    if (children === undefined) {
      await new Promise((resolve) => setTimeout(resolve, fallbackMs));
      return;
    }
    if (children.length === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
