/**
 * The `requestState` of 2026-07-28 multi-round-trip input: what earlier rounds gathered (the
 * client's answers), handed to the client and echoed back on its retry. It passes through the
 * client, so it is attacker-controlled input (MCP 2026-07-28, basic/patterns/mrtr, server
 * requirements 4-5); it carries the user's answers, which may be sensitive. So it is sealed with
 * AES-256-GCM (authenticated encryption: tampering is detected, and the client cannot read it)
 * under a key derived (HKDF-SHA256) from the publisher's `requestStateSecret`, and bound to:
 * - the principal that made the request (the session-ownership key: JWT issuer + subject + client,
 *   or the token itself; `anonymous` without auth);
 * - the request it answers: `tools/call` or `prompts/get`, the tool or prompt name, and a digest
 *   of the arguments;
 * - an expiry (`requestStateTtlMs`, 10 minutes by default).
 * A state that fails any of these is refused before the tool or prompt runs.
 *
 * Why not the SDK's `createRequestStateCodec` and `ServerOptions.requestState.verify`: the codec
 * signs without encrypting (the client could read earlier answers), and the verify hook sees
 * only the request context, not its params, so it cannot bind the state to the tool and its
 * arguments as the spec recommends. The answer a client gets for a refused state is the one the
 * SDK's seam gives (`-32602`, "Invalid or expired requestState", `data.reason`).
 *
 * Web Crypto only: the root entry also runs on edge runtimes.
 */
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import { fromBase64URL, toBase64URL } from '../util/base64url.js';

/** A secret for sealing request state: at least 32 bytes (a UTF-8 string or raw bytes). */
export type RequestStateSecret = string | Uint8Array;

export interface RequestStateOptions {
  /** The secret, or several (the first seals; all open, for rotation). Default: random per publisher. */
  secret?: RequestStateSecret | readonly RequestStateSecret[] | undefined;
  /** How long a sealed state may be echoed back, in milliseconds. Default 10 minutes. */
  ttlMs?: number | undefined;
}

/** What a sealed state belongs to; a state opened under another binding is refused. */
export interface StateBinding {
  method: 'tools/call' | 'prompts/get';
  /** The tool or prompt name. */
  name: string;
  /** `digestArguments()` of the request's arguments. */
  arguments: string;
  /** The principal key (`sessionOwnerKey`) of the caller. */
  principal: string;
}

/** Why a state was refused; never sent to the client (it gets one fixed answer). */
export type StateRefusalReason = 'malformed' | 'integrity' | 'expired' | 'principal' | 'request';

export interface RequestStateSealer {
  seal(answers: Record<string, unknown>, binding: StateBinding): Promise<string>;
  /** The answers sealed in `state`; throws `RequestStateRefused` when it does not verify. */
  open(state: string, binding: StateBinding): Promise<Record<string, unknown>>;
}

export const DEFAULT_REQUEST_STATE_TTL_MS = 10 * 60 * 1000;
const MIN_SECRET_BYTES = 32;
const FORMAT = 'tw1';
const IV_BYTES = 12;
const HKDF_INFO = 'toolwire request-state v1 AES-256-GCM';

/** A state that did not verify: the client gets `invalidStateError()`, the operator the reason. */
export class RequestStateRefused extends Error {
  constructor(readonly reason: StateRefusalReason) {
    super(`requestState refused: ${reason}`);
    this.name = 'RequestStateRefused';
  }
}

/**
 * Checks the options (throws `CONFIG_INVALID` naming the option) and returns a sealer. Keys are
 * derived on first use.
 */
export function createRequestStateSealer(options: RequestStateOptions = {}): RequestStateSealer {
  const ttlMs = options.ttlMs ?? DEFAULT_REQUEST_STATE_TTL_MS;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw configError(`requestStateTtlMs must be a positive number of milliseconds; got ${String(ttlMs)}.`);
  }
  // Given secrets are checked now; the default one is drawn on first use, because Workers forbid
  // random values at module scope, where `export default { fetch: publisher.fetch }` creates it.
  const secrets = options.secret === undefined ? undefined : secretBytes(options.secret);
  let keys: Promise<CryptoKey[]> | undefined;
  const getKeys = () => {
    keys ??= Promise.all(
      (secrets ?? [crypto.getRandomValues(new Uint8Array(MIN_SECRET_BYTES))]).map(deriveKey),
    );
    return keys;
  };

  return {
    async seal(answers, binding) {
      const [key] = await getKeys();
      const payload: SealedPayload = {
        m: binding.method,
        n: binding.name,
        a: binding.arguments,
        p: binding.principal,
        e: Date.now() + ttlMs,
        r: answers,
      };
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plaintext = new TextEncoder().encode(JSON.stringify(payload));
      const ciphertext = new Uint8Array(
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key as CryptoKey, plaintext),
      );
      const sealed = new Uint8Array(IV_BYTES + ciphertext.length);
      sealed.set(iv);
      sealed.set(ciphertext, IV_BYTES);
      return `${FORMAT}.${toBase64URL(sealed)}`;
    },

    async open(state, binding) {
      const payload = await decrypt(state, await getKeys());
      // Expiry first: an old state says nothing about who may use it.
      if (!(payload.e >= Date.now())) throw new RequestStateRefused('expired');
      if (payload.p !== binding.principal) throw new RequestStateRefused('principal');
      if (payload.m !== binding.method || payload.n !== binding.name || payload.a !== binding.arguments) {
        throw new RequestStateRefused('request');
      }
      return payload.r;
    },
  };
}

/** The error the client receives for a refused state: the SDK seam's own answer. */
export function invalidStateError(): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid or expired requestState', {
    reason: 'invalid_request_state',
  });
}

/** A stable digest of a request's arguments (object keys sorted), for `StateBinding.arguments`. */
export async function digestArguments(args: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJSON(args ?? {})));
  return toBase64URL(new Uint8Array(digest));
}

interface SealedPayload {
  m: string;
  n: string;
  a: string;
  p: string;
  /** Expiry, ms since the epoch. */
  e: number;
  r: Record<string, unknown>;
}

async function decrypt(state: string, keys: readonly CryptoKey[]): Promise<SealedPayload> {
  const [format, body, extra] = state.split('.');
  const sealed = format === FORMAT && extra === undefined && body ? fromBase64URL(body) : undefined;
  // An IV and at least a 16-byte tag.
  if (!sealed || sealed.length < IV_BYTES + 16) throw new RequestStateRefused('malformed');
  const iv = sealed.slice(0, IV_BYTES);
  const ciphertext = sealed.slice(IV_BYTES);
  for (const key of keys) {
    let plaintext: ArrayBuffer;
    try {
      plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, ciphertext);
    } catch {
      continue; // Tampered, or sealed under another secret.
    }
    const payload = parsePayload(new TextDecoder().decode(plaintext));
    if (!payload) throw new RequestStateRefused('malformed');
    return payload;
  }
  throw new RequestStateRefused('integrity');
}

function parsePayload(text: string): SealedPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const payload = value as Partial<SealedPayload>;
  const answers = payload.r;
  const valid =
    typeof payload.m === 'string' &&
    typeof payload.n === 'string' &&
    typeof payload.a === 'string' &&
    typeof payload.p === 'string' &&
    typeof payload.e === 'number' &&
    typeof answers === 'object' &&
    answers !== null &&
    !Array.isArray(answers);
  return valid ? (payload as SealedPayload) : undefined;
}

function secretBytes(secret: RequestStateSecret | readonly RequestStateSecret[]): Uint8Array<ArrayBuffer>[] {
  const list: readonly unknown[] = Array.isArray(secret) ? secret : [secret];
  if (list.length === 0) throw configError('requestStateSecret must not be an empty list.');
  return list.map((item, index) => {
    const where = Array.isArray(secret) ? `requestStateSecret[${index}]` : 'requestStateSecret';
    const bytes =
      typeof item === 'string'
        ? new TextEncoder().encode(item)
        : item instanceof Uint8Array
          ? item
          : undefined;
    if (!bytes) throw configError(`${where} must be a string or a Uint8Array.`);
    if (bytes.length < MIN_SECRET_BYTES) {
      throw configError(
        `${where} must be at least ${MIN_SECRET_BYTES} bytes (256 bits) of secret material; it has ${bytes.length}.`,
      );
    }
    return new Uint8Array(bytes);
  });
}

async function deriveKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: new TextEncoder().encode(HKDF_INFO),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** JSON with object keys in sorted order, so equal arguments digest equally whatever their order. */
function canonicalJSON(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return inner;
    const record = inner as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, record[key]]),
    );
  });
}

function configError(message: string): ToolwireError {
  return new ToolwireError({ code: 'CONFIG_INVALID', message });
}
