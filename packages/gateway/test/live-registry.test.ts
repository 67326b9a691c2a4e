/**
 * The registry swap behind `gateway.reload()`, over real registries connected to our publisher
 * on loopback: a call begun before the swap finishes on the old registry, which is closed only
 * after it (or once `drainMs` passes, ending what still runs); new calls and event listeners
 * follow the new registry.
 */
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveRegistry } from '../src/live-registry.js';
import { type GatedUpstream, startGatedUpstream } from './support/gated-upstream.js';

let alpha: GatedUpstream;
let beta: GatedUpstream;
const registries: Registry[] = [];

beforeAll(async () => {
  [alpha, beta] = await Promise.all([startGatedUpstream('alpha'), startGatedUpstream('beta')]);
});

afterAll(async () => {
  for (const registry of registries) await registry.close().catch(() => {});
  await Promise.all([alpha?.close(), beta?.close()]);
});

async function registryOf(upstream: GatedUpstream): Promise<Registry> {
  const registry = await createRegistry({
    servers: { up: { url: upstream.url, type: 'http' } },
    cache: 'memory',
    logger: silentLogger,
  });
  registries.push(registry);
  return registry;
}

const text = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text;

describe('createLiveRegistry', () => {
  it('retires the old registry only after the calls begun on it end, and sends new calls to the new one', async () => {
    const [first, second] = await Promise.all([registryOf(alpha), registryOf(beta)]);
    const live = createLiveRegistry(first, true);
    const statuses: string[] = [];
    live.registry.on('server:status', (event) => statuses.push(event.status));

    const running = live.registry.callTool('up__hold', {});
    await alpha.holding();
    let retired = false;
    const retiring = live.swap(second, true, 60_000).then(() => {
      retired = true;
    });

    expect(text(await live.registry.callTool('up__whoami', {}))).toBe('beta');
    expect(live.current()).toBe(second);
    expect(retired).toBe(false);
    expect(first.servers()[0]?.status).toBe('active');

    alpha.release();
    expect(text(await running)).toBe('released by alpha');
    await retiring;
    expect(first.servers()[0]?.connections).toBe(0);
    await expect(first.callTool('up__whoami', {})).rejects.toBeDefined();

    // Listeners registered through it moved along: the new registry's events reach them.
    await second.disableServer('up');
    expect(statuses).toContain('disabled');
    await live.close();
    expect(second.servers()[0]?.connections ?? 0).toBe(0);
  });

  it('closes the old registry after drainMs even when a call still runs on it', async () => {
    const gated = await startGatedUpstream('slow');
    try {
      const [first, second] = await Promise.all([registryOf(gated), registryOf(beta)]);
      const live = createLiveRegistry(first, true);
      const running = live.registry.callTool('up__hold', {}).then(
        () => 'finished',
        () => 'ended by the close',
      );
      await gated.holding();
      await live.swap(second, true, 200);
      expect(await running).toBe('ended by the close');
      await live.close();
    } finally {
      gated.release();
      await gated.close();
    }
  });

  it('does not close a registry it does not own', async () => {
    const [first, second] = await Promise.all([registryOf(alpha), registryOf(beta)]);
    const live = createLiveRegistry(first, false);
    await live.swap(second, false, 0);
    expect(text(await first.callTool('up__whoami', {}))).toBe('alpha');
    await live.close();
    expect(text(await second.callTool('up__whoami', {}))).toBe('beta');
  });
});
