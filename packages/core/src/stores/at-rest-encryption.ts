/**
 * Values kept encrypted at rest (AES-256-GCM), for stores that hold credentials in a shared
 * database: core's Redis token store, the gateway's Redis credential store. A stored value is
 * `tw-aes256gcm:v1:<base64 of a random 12-byte IV, then the ciphertext and its 16-byte tag>`. The
 * key under which a value is stored is its additional authenticated data, so a value copied to
 * another key (another caller's, another server's) does not decrypt. WebCrypto only: it runs
 * wherever the stores do. The key is never part of an error, a log line or the sealer's own
 * properties.
 */
import { ToolwireError } from '../errors/toolwire-error.js';

/** A 256-bit key: 32 bytes, or a string of them in Base64 (standard or URL alphabet) or hex. */
export type EncryptionKey = Uint8Array | string;

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
 * Encryption at rest with `key`; with `undefined`, values are kept as they are, and a sealed one
 * read without its key is `DECRYPTION_FAILED` (rather than garbage). `store` names the store (its
 * factory) in errors. Throws `INVALID_OPTIONS` for a key that is not 32 bytes (the message gives
 * lengths, never the key).
 */
export function createAtRestEncryption(key: EncryptionKey | undefined, store: string): AtRestEncryption {
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
  const raw = keyBytes(key, store);
  let imported: Promise<CryptoKey> | undefined;
  const cryptoKey = () => {
    imported ??= globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    return imported;
  };
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
      try {
        const plain = await globalThis.crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: encoder.encode(storageKey) },
          await cryptoKey(),
          bytes.subarray(IV_BYTES),
        );
        return new TextDecoder().decode(plain);
      } catch {
        // No `cause`: WebCrypto's OperationError says nothing more, and nothing of the key.
        throw decryptionFailed(
          store,
          storageKey,
          'it was encrypted with another encryptionKey, for another key, or altered',
        );
      }
    },
  };
}

function decryptionFailed(store: string, storageKey: string, why: string): ToolwireError {
  return new ToolwireError({
    code: 'DECRYPTION_FAILED',
    message: `${store}: the value at "${storageKey}" could not be decrypted: ${why}.`,
  });
}

function keyBytes(key: EncryptionKey, store: string): Uint8Array<ArrayBuffer> {
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
      message: `${store}: encryptionKey must be 32 bytes (AES-256), as a Uint8Array or in Base64 or hex; got ${form}.`,
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
