/**
 * `registry.subscribeResource` over stdio servers: an update the server announces reaches the
 * subscriber's `onUpdated`, in its own conversation's connection (another conversation's server
 * process is not subscribed); `close()` unsubscribes upstream; a server without
 * `resources.subscribe` is a `PROTOCOL_ERROR` naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger } from '../src/index.js';
import { fixturePath, waitFor } from './support/index.js';

describe('resource subscriptions', () => {
  let registry: Registry;

  beforeAll(async () => {
    registry = await createRegistry({
      servers: {
        watched: {
          command: process.execPath,
          args: [fixturePath('watched-server.mjs')],
          session: 'per-conversation',
        },
        prompts: { command: process.execPath, args: [fixturePath('prompts-server.mjs')] },
      },
      cache: 'memory',
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await registry?.close();
  });

  const touch = async (sessionKey: string) =>
    (await registry.callTool('watched__touch', {}, { sessionKey })).text;

  it('calls onUpdated for the subscriber’s conversation only, until closed', async () => {
    const updates: { server: string; uri: string }[] = [];
    const subscription = await registry.subscribeResource('watched', 'memo://watched', {
      sessionKey: 'alice',
      onUpdated: (update) => updates.push(update),
    });
    expect(subscription).toMatchObject({ server: 'watched', uri: 'memo://watched' });
    expect(await touch('bob')).toBe('not subscribed');
    expect(await touch('alice')).toBe('subscribed');
    await waitFor(() => updates.length === 1, { message: 'the update' });
    expect(updates).toEqual([{ server: 'watched', uri: 'memo://watched' }]);

    await subscription.close();
    await subscription.close();
    expect(await touch('alice')).toBe('not subscribed');
  });

  it('rejects a server that offers no subscriptions with PROTOCOL_ERROR', async () => {
    await expect(
      registry.subscribeResource('prompts', 'memo://anything', { onUpdated: () => {} }),
    ).rejects.toMatchObject({ code: 'PROTOCOL_ERROR', server: 'prompts' });
  });
});
