import { describe, expect, it } from 'vitest';
import { createAtRestEncryption } from './at-rest-encryption.js';

const key = Uint8Array.from({ length: 32 }, (_, index) => index * 7);
const keyBase64 = btoa(String.fromCharCode(...key));
const keyHex = [...key].map((byte) => byte.toString(16).padStart(2, '0')).join('');

describe('createAtRestEncryption', () => {
  it('seals a value that opens again under the same storage key, with the key in any of its forms', async () => {
    const sealed = await createAtRestEncryption(key, 'test').seal('{"token":"s3cret"}', 'app:a');
    expect(sealed).toMatch(/^tw-aes256gcm:v1:[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain('s3cret');
    for (const form of [key, keyBase64, keyHex, keyBase64.replace(/\+/g, '-').replace(/\//g, '_')]) {
      expect(await createAtRestEncryption(form, 'test').open(sealed, 'app:a')).toBe('{"token":"s3cret"}');
    }
  });

  it('uses a fresh IV each time', async () => {
    const encryption = createAtRestEncryption(key, 'test');
    expect(await encryption.seal('same', 'k')).not.toBe(await encryption.seal('same', 'k'));
  });

  it('refuses another key, another storage key, an altered value and a plain one, naming the storage key', async () => {
    const encryption = createAtRestEncryption(key, 'test');
    const sealed = await encryption.seal('value', 'app:a');
    const other = createAtRestEncryption(new Uint8Array(32).fill(1), 'test');
    const altered = `${sealed.slice(0, -4)}${sealed.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const cases: [() => Promise<string>, RegExp][] = [
      [
        () => other.open(sealed, 'app:a'),
        /test: the value at "app:a" could not be decrypted: it was encrypted with another/,
      ],
      [
        () => encryption.open(sealed, 'app:b'),
        /"app:b" could not be decrypted: it was encrypted with another/,
      ],
      [() => encryption.open(altered, 'app:a'), /could not be decrypted/],
      [() => encryption.open('{"token":"x"}', 'app:a'), /it is not encrypted/],
      [() => encryption.open('tw-aes256gcm:v1:AAAA', 'app:a'), /it is truncated or not Base64/],
    ];
    for (const [attempt, message] of cases) {
      await expect(attempt()).rejects.toMatchObject({
        code: 'DECRYPTION_FAILED',
        message: expect.stringMatching(message),
      });
    }
  });

  it('without a key, keeps values as they are and refuses a sealed one', async () => {
    const plain = createAtRestEncryption(undefined, 'test');
    expect(await plain.seal('{"a":1}', 'k')).toBe('{"a":1}');
    expect(await plain.open('{"a":1}', 'k')).toBe('{"a":1}');
    const sealed = await createAtRestEncryption(key, 'test').seal('v', 'k');
    await expect(plain.open(sealed, 'k')).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
      message: expect.stringContaining('give the store its encryptionKey'),
    });
  });

  it('refuses a key that is not 32 bytes without quoting it', () => {
    for (const bad of [new Uint8Array(16), 'not-a-key-at-all!', btoa('x'.repeat(31)), 42 as never]) {
      let error: unknown;
      try {
        createAtRestEncryption(bad, 'createThing');
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining('createThing: encryptionKey must be 32 bytes'),
      });
      if (typeof bad === 'string') expect((error as Error).message).not.toContain(bad);
    }
  });

  it('rotates: seals with current, opens with current or a previous key, nothing else', async () => {
    const oldKey = new Uint8Array(32).fill(3);
    const older = new Uint8Array(32).fill(4);
    const rotating = createAtRestEncryption({ current: key, previous: [oldKey, older] }, 'test');
    const byOld = await createAtRestEncryption(older, 'test').seal('old', 'k');
    expect(await rotating.open(byOld, 'k')).toBe('old');
    // Bound to its storage key under a previous key too.
    await expect(rotating.open(byOld, 'other')).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    const sealed = await rotating.seal('new', 'k');
    expect(await createAtRestEncryption(key, 'test').open(sealed, 'k')).toBe('new');
    await expect(createAtRestEncryption(oldKey, 'test').open(sealed, 'k')).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });
    const stranger = await createAtRestEncryption(new Uint8Array(32).fill(9), 'test').seal('x', 'k');
    await expect(rotating.open(stranger, 'k')).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
      message: expect.stringContaining('none of the 3 keys given'),
    });
    // Without previous keys, a rotation object is one key.
    expect(await createAtRestEncryption({ current: key }, 'test').open(sealed, 'k')).toBe('new');
  });

  it('names the bad key of a rotation', () => {
    expect(() => createAtRestEncryption({ current: new Uint8Array(8) }, 'test')).toThrow(
      'test: encryptionKey.current must be 32 bytes',
    );
    expect(() => createAtRestEncryption({ current: key, previous: 'abc' as never }, 'test')).toThrow(
      'test: encryptionKey.previous must be an array of keys',
    );
  });
});
