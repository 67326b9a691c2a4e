/**
 * Rotating the at-rest `encryptionKey` of the Redis token store, against a real Redis: a store
 * given `{ current, previous }` reads tokens an older key sealed, writes with the current key only
 * (the next write of an old value re-seals it, after which the old key alone cannot read it),
 * and refuses a value sealed with a key it was not given (`DECRYPTION_FAILED`, no key quoted).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredToken } from '../src/index.js';
import { createRedisTokenStore } from '../src/redis.js';
import { connectSharedRedis, deletePrefix, uniquePrefix } from './support/redis-servers.js';
import { assertNoSecrets } from './support/secret-search.js';

const keyPrefix = `${uniquePrefix('key-rotation')}:`;
let redis: Redis | undefined;

beforeAll(async () => {
  redis = await connectSharedRedis();
});

afterAll(async () => {
  if (redis) await deletePrefix(redis, keyPrefix);
  redis?.disconnect();
});

const token = (accessToken: string): StoredToken => ({
  accessToken,
  tokenType: 'Bearer',
  scope: undefined,
  obtainedAt: Date.now(),
  expiresAt: Date.now() + 600_000,
});

describe('Redis token store: key rotation', () => {
  it('reads values of a previous key, writes with the current one, and refuses keys it was not given', async (context) => {
    if (!redis) return context.skip();
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32).toString('base64');
    const oldOnly = createRedisTokenStore({ redis, keyPrefix, encryptionKey: oldKey });
    const newOnly = createRedisTokenStore({ redis, keyPrefix, encryptionKey: newKey });
    const rotating = createRedisTokenStore({
      redis,
      keyPrefix,
      encryptionKey: { current: newKey, previous: [oldKey] },
    });

    await oldOnly.set('a', token('old-secret-token'), 600_000);
    const sealedByOld = (await redis.get(`${keyPrefix}a`)) as string;
    expect(await rotating.get('a')).toMatchObject({ accessToken: 'old-secret-token' });
    // Reading does not re-seal: the value is the old key's until it is written again.
    expect(await redis.get(`${keyPrefix}a`)).toBe(sealedByOld);
    await expect(newOnly.get('a')).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });

    // The next write seals with the current key: the new key alone reads it, the old one no longer.
    await rotating.set('a', token('new-secret-token'), 600_000);
    const sealedByNew = (await redis.get(`${keyPrefix}a`)) as string;
    expect(sealedByNew).toMatch(/^tw-aes256gcm:v1:/);
    assertNoSecrets(sealedByNew, ['new-secret-token', newKey, oldKey.toString('base64')]);
    expect(await newOnly.get('a')).toMatchObject({ accessToken: 'new-secret-token' });
    expect(await rotating.get('a')).toMatchObject({ accessToken: 'new-secret-token' });
    await expect(oldOnly.get('a')).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });

    // A key in neither place: refused, naming how many keys were tried and none of them.
    const strangerKey = randomBytes(32).toString('hex');
    await createRedisTokenStore({ redis, keyPrefix, encryptionKey: strangerKey }).set(
      'b',
      token('stranger-token'),
      600_000,
    );
    const refusal = await rotating.get('b').catch((error: Error) => error);
    expect(refusal).toMatchObject({
      code: 'DECRYPTION_FAILED',
      message: expect.stringContaining(
        `"${keyPrefix}b" could not be decrypted: it was encrypted with none of the 2 keys given`,
      ),
    });
    assertNoSecrets(JSON.stringify({ message: (refusal as Error).message }), [
      newKey,
      oldKey.toString('base64'),
      strangerKey,
    ]);
  });

  it('refuses a bad previous key by its place, without quoting it', () => {
    const bad = 'not-a-key-at-all';
    let error: unknown;
    try {
      createRedisTokenStore({
        url: 'redis://127.0.0.1:1',
        encryptionKey: { current: randomBytes(32), previous: [randomBytes(32), bad] },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('createRedisTokenStore: encryptionKey.previous[1] must be 32 bytes'),
    });
    expect((error as Error).message).not.toContain(bad);
  });
});
