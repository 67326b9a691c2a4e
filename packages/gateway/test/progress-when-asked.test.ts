/**
 * The upstream is asked for progress only when the downstream caller can hear of it: a 2025-era
 * caller that sent no progress token gets none (and the forwarded call needs no progress handler,
 * so core may send it on its lighter path); one that sent a token, or a 2026-07-28 caller (whose
 * call may become a task with progress as its status), gets every notification the upstream sent.
 * The upstream is the stdio fixture, whose `sleep` reports progress only when given a token.
 */
import type { Registry } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardCall } from '../src/forward-call.js';
import { createFixtureRegistry, downstreamContext } from './support/forward-call-peers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createFixtureRegistry();
});

afterAll(async () => {
  await registry?.close();
});

/** A downstream tool context of `era` whose request carried `meta`; records the progress handed on. */
function downstream(era: 'legacy' | 'modern', meta: Record<string, unknown> | undefined) {
  const progress: number[] = [];
  const context = downstreamContext({
    era,
    ...(meta ? { meta } : {}),
    reportProgress: async ({ progress: value }) => {
      progress.push(value);
    },
  });
  return { context, progress };
}

describe('forwardCall asks the upstream for progress', () => {
  it('not for a 2025-era caller without a progress token: the call still answers', async () => {
    const { context, progress } = downstream('legacy', undefined);
    const result = await forwardCall(registry, 'fixture__sleep', { ms: 0, steps: 3 }, context, 'shared');
    expect(result.content).toEqual([{ type: 'text', text: 'slept 0 ms' }]);
    expect(progress).toEqual([]);
  });

  it('for a 2025-era caller that sent a progress token', async () => {
    const { context, progress } = downstream('legacy', { progressToken: 'p1' });
    const result = await forwardCall(registry, 'fixture__sleep', { ms: 0, steps: 3 }, context, 'shared');
    expect(result.content).toEqual([{ type: 'text', text: 'slept 0 ms' }]);
    expect(progress).toEqual([1, 2, 3]);
  });

  it('for a 2026-07-28 caller, token or not', async () => {
    const { context, progress } = downstream('modern', undefined);
    await forwardCall(registry, 'fixture__sleep', { ms: 0, steps: 2 }, context, 'shared');
    expect(progress).toEqual([1, 2]);
  });
});
