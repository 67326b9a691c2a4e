/**
 * The relay's ordering, forced deterministically: the downstream side holds every progress
 * notification (as a client that is slow to read makes the publisher wait), the upstream (the
 * stdio fixture, through a real registry) has already answered, and the gateway's result must
 * still wait until every progress sent before it has been handed on.
 */
import type { Registry } from '@toolwire/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import { forwardCall } from '../src/forward-call.js';
import { createFixtureRegistry, downstreamContext } from './support/forward-call-peers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createFixtureRegistry();
});

afterAll(async () => {
  await registry?.close();
});

it('returns the result only after every progress the upstream sent before it is handed on', async () => {
  const held: Array<() => void> = [];
  const handedOn: string[] = [];
  const context = downstreamContext({
    reportProgress: ({ progress }) =>
      new Promise<void>((resolve) =>
        held.push(() => {
          handedOn.push(`progress ${progress}`);
          resolve();
        }),
      ),
  });
  let upstreamAnswered = false;
  const off = registry.on('call:end', () => {
    upstreamAnswered = true;
  });
  try {
    const forwarded = forwardCall(registry, 'fixture__sleep', { ms: 0, steps: 3 }, context, 'shared').then(
      (result) => {
        handedOn.push('result');
        return result;
      },
    );
    await waitFor(() => upstreamAnswered && held.length === 3, {
      message: 'the upstream result and its three progress notifications',
    });
    // The upstream has answered; the result still waits for the held notifications.
    await new Promise((resolve) => setImmediate(resolve));
    expect(handedOn).toEqual([]);
    for (const release of held) release();
    const result = await forwarded;
    expect(result.content).toEqual([{ type: 'text', text: 'slept 0 ms' }]);
    expect(handedOn).toEqual(['progress 1', 'progress 2', 'progress 3', 'result']);
  } finally {
    off();
  }
});
