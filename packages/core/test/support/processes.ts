/**
 * Process inspection for leak tests: which processes are children of this one, and whether a
 * pid is still alive. Uses `ps` (Linux and macOS), which is what CI runs on.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';

/** Pids of the live direct children of `parent` (default: this process). */
export function childProcessIds(parent: number = process.pid): number[] {
  const output = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,stat=,comm='], { encoding: 'utf8' });
  const children: number[] = [];
  for (const line of output.split('\n')) {
    const [pid, ppid, stat, command] = line.trim().split(/\s+/);
    // Zombies (`Z`) have exited and only wait to be reaped; `ps` is the probe itself.
    if (Number(ppid) !== parent || !pid || stat?.startsWith('Z') || command === 'ps') continue;
    children.push(Number(pid));
  }
  return children;
}

/** True while a process with this pid exists and has not exited (zombies count as gone). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return stat !== '' && !stat.startsWith('Z');
  } catch {
    return false;
  }
}

/** Ends a child at once (SIGKILL: no goodbye to its clients) and waits until it has exited. */
export async function killAndWait(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
