/**
 * Rotating the Redis credential store's `encryptionKey`, against a real Redis: with
 * `{ current, previous }` the store reads credentials an older key sealed (each still bound to
 * its caller and server), writes with the current key only, so the next `set` of an old
 * credential re-seals it, and refuses one sealed with a key it was not given (`DECRYPTION_FAILED`,
 * no key or credential quoted).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSharedRedis, deletePrefix, uniquePrefix } from '../../core/test/support/redis-servers.js';
import { assertNoSecrets } from '../../core/test/support/secret-search.js';
import { createRedisCredentialStore, type UpstreamPrincipal } from '../src/index.js';

const prefix = uniquePrefix('gateway-credential-rotation');
let redis: Redis | undefined;

beforeAll(async () => {
  redis = await connectSharedRedis();
});

afterAll(async () => {
  if (redis) await deletePrefix(redis, prefix);
  redis?.disconnect();
});

const caller = (key: string): UpstreamPrincipal => ({
  key,
  subject: undefined,
  issuer: undefined,
  clientId: 'agent',
  scopes: [],
});

describe('Redis credential store: key rotation', () => {
  it('reads credentials of a previous key, re-seals them with the current one on the next set', async (context) => {
    if (!redis) return context.skip();
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('hex');
    const oldOnly = createRedisCredentialStore({ redis, prefix, encryptionKey: oldKey });
    const newOnly = createRedisCredentialStore({ redis, prefix, encryptionKey: newKey });
    const rotating = createRedisCredentialStore({
      redis,
      prefix,
      encryptionKey: { current: newKey, previous: [oldKey] },
    });

    await oldOnly.set('sha256:alice', 'github', { token: 'alice-old-token' });
    await oldOnly.set('sha256:bob', 'github', { token: 'bob-old-token' });
    expect(await rotating.get(caller('sha256:alice'), 'github')).toEqual({ token: 'alice-old-token' });
    expect(await rotating.get(caller('sha256:bob'), 'github')).toEqual({ token: 'bob-old-token' });
    await expect(newOnly.get(caller('sha256:alice'), 'github')).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });
    // Still bound to its place: Alice's value moved under Bob's key does not open, whichever key sealed it.
    await redis.copy(`${prefix}:sha256:alice:github`, `${prefix}:sha256:bob:github`, 'REPLACE');
    await expect(rotating.get(caller('sha256:bob'), 'github')).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });

    await rotating.set('sha256:alice', 'github', { token: 'alice-new-token' });
    const stored = (await redis.get(`${prefix}:sha256:alice:github`)) as string;
    assertNoSecrets(stored, ['alice-new-token', newKey, oldKey]);
    expect(await newOnly.get(caller('sha256:alice'), 'github')).toEqual({ token: 'alice-new-token' });
    await expect(oldOnly.get(caller('sha256:alice'), 'github')).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });

    const strangerKey = randomBytes(32).toString('base64');
    await createRedisCredentialStore({ redis, prefix, encryptionKey: strangerKey }).set(
      'sha256:carol',
      'github',
      {
        token: 'carol-token',
      },
    );
    const refusal = await rotating.get(caller('sha256:carol'), 'github').catch((error: Error) => error);
    expect(refusal).toMatchObject({
      code: 'DECRYPTION_FAILED',
      message: expect.stringContaining('encrypted with none of the 2 keys given'),
    });
    assertNoSecrets((refusal as Error).message, ['carol-token', newKey, oldKey, strangerKey]);
  });
});
