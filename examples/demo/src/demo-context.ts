/**
 * What every demo step gets: the registry, a scratch directory, output, and `check()`, which
 * records a failed expectation instead of throwing so one run reports every problem. The
 * demo exits non-zero when any check failed.
 */
import type { Registry, ServerConfigInput } from '@toolwire/core';

export interface DemoContext {
  registry: Registry;
  /** The servers the registry was created with, by name. */
  servers: Record<string, ServerConfigInput>;
  /** The server that fails at start-up on purpose (isolation is part of the demo). */
  failingServer: string;
  /** The schema cache the registry wrote (a temporary directory: nothing goes to ~/.cache). */
  cacheDirectory: string;
  /** How long the first (cold, eager) start took, connecting every server. */
  coldStartMs: number;
  /** A temporary directory the servers may use; removed when the demo ends. */
  workDir: string;
  /** Prints a line (suppressed with `--quiet`, failures are always printed). */
  print(line?: string): void;
  /** Records `message` as a failure when `condition` is false; returns `condition`. */
  check(condition: boolean, message: string): boolean;
}

/** One part of the demo (the catalogue, the calls; later a LangChain turn, an AI SDK turn, a publisher). */
export interface DemoStep {
  title: string;
  run(context: DemoContext): Promise<void>;
}
