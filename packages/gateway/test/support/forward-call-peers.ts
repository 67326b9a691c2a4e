/**
 * The two sides of `forwardCall` for tests that drive it directly, without a gateway around it:
 * a real registry over the stdio fixture server (its `sleep` reports progress when given a token),
 * and a downstream tool context of either era that hands progress to the test.
 */
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import type { ToolContext } from '@toolwire/publisher';
import { fixtureStdio } from '../../../core/test/support/index.js';

/** A registry with the stdio fixture server as `fixture` (tools `fixture__…`), memory cache, silent. */
export function createFixtureRegistry(): Promise<Registry> {
  return createRegistry({
    servers: { fixture: fixtureStdio({ name: 'fixture' }) },
    cache: 'memory',
    logger: silentLogger,
  });
}

export interface DownstreamContextOptions {
  era?: 'legacy' | 'modern';
  /** The downstream request's `_meta` (a `progressToken`, say). */
  meta?: Record<string, unknown>;
  /** What the downstream does with each progress handed on (it may hold it, as a slow reader). */
  reportProgress(progress: { progress: number }): Promise<void>;
}

/** A downstream tool context that can neither elicit, sample nor list roots, and logs nowhere. */
export function downstreamContext(options: DownstreamContextOptions): ToolContext {
  return {
    signal: new AbortController().signal,
    era: options.era,
    canElicit: false,
    canSample: false,
    canListRoots: false,
    sdkContext: { mcpReq: { _meta: options.meta } },
    reportProgress: options.reportProgress,
    log: async () => {},
  } as unknown as ToolContext;
}
