/**
 * Values kept encrypted at rest (AES-256-GCM), for stores that hold credentials in a shared
 * database: core's Redis token store, the gateway's Redis credential store. A stored value is
 * `tw-aes256gcm:v1:<base64 of a random 12-byte IV, then the ciphertext and its 16-byte tag>`. The
 * key under which a value is stored is its additional authenticated data, so a value copied to
 * another key (another caller's, another server's) does not decrypt. WebCrypto only: it runs
 * wherever the stores do. The key is never part of an error, a log line or the sealer's own
 * properties.
 *
 * Key rotation: `{ current, previous }` seals with `current` and opens with `current`, then each
 * `previous` key in turn (AES-GCM's tag tells a wrong key from the right one; a value carries no
 * key id, so a reader needs no list of which key wrote what). A value written with an older key
 * is sealed with `current` the next time its store writes it.
 */
import { ToolwireError } from '../errors/toolwire-error.js';

/** A 256-bit key: 32 bytes, or a string of them in Base64 (standard or URL alphabet) or hex. */
export type EncryptionKey = Uint8Array | string;

/**
 * Keys during a rotation: values are sealed with `current`; values sealed with a `previous` key
 * still open (and are sealed with `current` when next written). Drop a previous key once every
 * value it sealed was written again or expired.
 */
export interface EncryptionKeyRotation {
  current: EncryptionKey;
  /** Older keys, tried in order after `current` when opening a value. */
  previous?: readonly EncryptionKey[] | undefined;
}

/** Seals values before they are stored and opens them when they are read. */
export interface AtRestEncryption {
  /** `plaintext` encrypted, bound to `storageKey` (where it will be stored). */
  seal(plaintext: string, storageKey: string): Promise<string>;
  /**
   * The plaintext of a value read from `storageKey`; `DECRYPTION_FAILED` when it is not encrypted,
   * was encrypted with another key or for another storage key, or was altered.
   */
  open(stored: string, storageKey: string): Promise<string>;
}

const PREFIX = 'tw-aes256gcm:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** True when `stored` is a value sealed by {@link createAtRestEncryption} (whatever its key). */
export function isSealedValue(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/**
 * Encryption at rest with `key` (or with the keys of a rotation, `{ current, previous }`); with
 * `undefined`, values are kept as they are, and a sealed one read without its key is
 * `DECRYPTION_FAILED` (rather than garbage). `store` names the store (its factory) in errors.
 * Throws `INVALID_OPTIONS` for a key that is not 32 bytes (the message names which key and gives
 * lengths, never the key).
 */
export function createAtRestEncryption(
  key: EncryptionKey | EncryptionKeyRotation | undefined,
  store: string,
): AtRestEncryption {
  if (key === undefined) {
    return {
      seal: async (plaintext) => plaintext,
      async open(stored, storageKey) {
        if (isSealedValue(stored)) {
          throw decryptionFailed(store, storageKey, 'it is encrypted: give the store its encryptionKey');
        }
        return stored;
      },
    };
  }
  const keys = readKeys(key, store).map((raw) => {
    let imported: Promise<CryptoKey> | undefined;
    return () => {
      imported ??= globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
      return imported;
    };
  });
  const cryptoKey = keys[0] as () => Promise<CryptoKey>;
  const encoder = new TextEncoder();
  return {
    async seal(plaintext, storageKey) {
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await globalThis.crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(storageKey) },
        await cryptoKey(),
        encoder.encode(plaintext),
      );
      const bytes = new Uint8Array(IV_BYTES + sealed.byteLength);
      bytes.set(iv);
      bytes.set(new Uint8Array(sealed), IV_BYTES);
      return PREFIX + toBase64(bytes);
    },
    async open(stored, storageKey) {
      if (!isSealedValue(stored)) {
        throw decryptionFailed(store, storageKey, 'it is not encrypted (written without encryptionKey?)');
      }
      const bytes = fromBase64(stored.slice(PREFIX.length));
      if (!bytes || bytes.length < IV_BYTES + TAG_BYTES) {
        throw decryptionFailed(store, storageKey, 'it is truncated or not Base64');
      }
      const params = {
        name: 'AES-GCM',
        iv: bytes.subarray(0, IV_BYTES),
        additionalData: encoder.encode(storageKey),
      };
      for (const candidate of keys) {
        try {
          const plain = await globalThis.crypto.subtle.decrypt(
            params,
            await candidate(),
            bytes.subarray(IV_BYTES),
          );
          return new TextDecoder().decode(plain);
        } catch {
          // Not this key (or altered): the next one, if any.
        }
      }
      // No `cause`: WebCrypto's OperationError says nothing more, and nothing of the key.
      throw decryptionFailed(
        store,
        storageKey,
        keys.length === 1
          ? 'it was encrypted with another encryptionKey, for another key, or altered'
          : `it was encrypted with none of the ${keys.length} keys given (encryptionKey.current and .previous), for another key, or altered`,
      );
    },
  };
}

/** The raw keys, the one to seal with first; `INVALID_OPTIONS` naming a bad one. */
function readKeys(key: EncryptionKey | EncryptionKeyRotation, store: string): Uint8Array<ArrayBuffer>[] {
  if (typeof key === 'string' || key instanceof Uint8Array) return [keyBytes(key, store, 'encryptionKey')];
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    return [keyBytes(key as never, store, 'encryptionKey')];
  }
  const { current, previous = [] } = key as EncryptionKeyRotation;
  if (!Array.isArray(previous)) {
    throw new ToolwireError({
      code: 'INVALID_OPTIONS',
      message: `${store}: encryptionKey.previous must be an array of keys; got ${typeof previous}.`,
    });
  }
  return [
    keyBytes(current, store, 'encryptionKey.current'),
    ...previous.map((old, index) => keyBytes(old, store, `encryptionKey.previous[${index}]`)),
  ];
}

function decryptionFailed(store: string, storageKey: string, why: string): ToolwireError {
  return new ToolwireError({
    code: 'DECRYPTION_FAILED',
    message: `${store}: the value at "${storageKey}" could not be decrypted: ${why}.`,
  });
}

function keyBytes(key: EncryptionKey, store: string, path: string): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array | undefined;
  let form: string;
  if (key instanceof Uint8Array) {
    bytes = key;
    form = `${key.length} bytes`;
  } else if (typeof key === 'string') {
    const text = key.trim();
    bytes = /^[0-9a-f]{64}$/i.test(text) ? fromHex(text) : fromBase64(text);
    form = bytes
      ? `a string of ${bytes.length} bytes`
      : `a string of ${text.length} characters that is neither Base64 nor hex`;
  } else {
    form = key === null ? 'null' : typeof key;
  }
  if (bytes?.length !== 32) {
    throw new ToolwireError({
      code: 'INVALID_OPTIONS',
      message: `${store}: ${path} must be 32 bytes (AES-256), as a Uint8Array or in Base64 or hex${path === 'encryptionKey' ? ' (or { current, previous } while rotating keys)' : ''}; got ${form}.`,
    });
  }
  // A copy: the caller's buffer may change later.
  return new Uint8Array(bytes);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(standard)) return undefined;
  try {
    const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function fromHex(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(text.length / 2);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(text.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}
