/**
 * Starts a server as a child process and waits until it says it is ready (a line on stdout or
 * stderr), keeping its output for assertions and error messages. `stop()` ends it and waits
 * for the exit, so no process outlives a test file.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface StartServerProcessOptions {
  command: string;
  args: string[];
  /** Added to this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** A line matching this (stdout or stderr) means the server is ready; its match is returned. */
  ready: RegExp;
  /** Give up waiting for `ready` after this long. Default 60 s (machines under load start slowly). */
  timeoutMs?: number;
  /** Used in error messages. */
  label?: string;
}

export interface ServerProcess extends AsyncDisposable {
  readonly pid: number;
  readonly child: ChildProcess;
  /** The match of `ready` in the line that announced readiness. */
  readonly readyMatch: RegExpMatchArray;
  /** Every stdout and stderr line so far, in order of arrival. */
  readonly output: string[];
  /** Resolves with the first line (past or future) matching `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Ends the process (SIGTERM, then SIGKILL after 5 s) and waits for its exit. Idempotent. */
  stop(): Promise<void>;
}

export async function startServerProcess(options: StartServerProcessOptions): Promise<ServerProcess> {
  const { command, args, env = {}, cwd, ready, timeoutMs = 60_000, label = command } = options;
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    ...(cwd ? { cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const lineListeners = new Set<(line: string) => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        for (const listener of [...lineListeners]) listener(line);
      }
    });
  }

  const waitForOutput = (pattern: RegExp, waitMs = timeoutMs): Promise<string> => {
    const seen = output.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        lineListeners.delete(listener);
        reject(new Error(`${label}: no output line matched ${pattern} within ${waitMs} ms`));
      }, waitMs);
      const listener = (line: string) => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        lineListeners.delete(listener);
        resolve(line);
      };
      lineListeners.add(listener);
    });
  };

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
    })();
    return stopping;
  };

  const exitedEarly = exited.then(() => {
    throw new Error(
      `${label} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready:\n  ${output.slice(-10).join('\n  ')}`,
    );
  });
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  let readyLine: string;
  try {
    readyLine = await Promise.race([waitForOutput(ready), exitedEarly, spawnFailed]);
  } catch (error) {
    await stop();
    throw error;
  }
  exitedEarly.catch(() => {});
  spawnFailed.catch(() => {});

  return {
    pid: child.pid as number,
    child,
    readyMatch: readyLine.match(ready) as RegExpMatchArray,
    output,
    waitForOutput,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
