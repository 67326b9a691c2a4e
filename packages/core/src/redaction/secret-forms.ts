/**
 * The encodings a secret can take on its way into text we did not write: a server or library
 * that echoes a request (a token endpoint's error body, a URL in a `fetch` error, a spawn error's
 * arguments) shows it raw, URL-encoded, form-encoded, JSON-escaped or inside Base64 (HTTP Basic
 * credentials, JWT-style blobs). Each function here lists the strings to look for; the matcher
 * (`secret-set.ts`) finds them all in one pass. Runtime-neutral: no `node:` imports, no `Buffer`.
 */

/**
 * Every form of `secret` worth searching for, most specific first. Base64 forms include the
 * "aligned cores" (see {@link base64Cores}), so the secret is found inside a longer Base64
 * string, whatever the text before it (`Basic base64(id:secret)` puts it at any offset).
 */
export function secretForms(secret: string, options: { embeddedBase64: boolean }): string[] {
  const forms = new Set<string>();
  const textForms = new Set([
    secret,
    jsonEscaped(secret),
    safeEncode(encodeURIComponent, secret),
    safeEncode(encodeURI, secret),
    formEncoded(secret),
    oauthFormEncoded(secret),
  ]);
  for (const form of textForms) forms.add(form);
  // Base64 is taken of what travels: the raw secret, or its form encoding (RFC 6749 §2.3.1 encodes
  // client id and secret before Basic's Base64).
  for (const form of new Set([secret, formEncoded(secret), oauthFormEncoded(secret)])) {
    const standard = base64(form);
    forms.add(standard);
    forms.add(standard.replace(/=+$/, ''));
    forms.add(toBase64URL(standard));
    if (options.embeddedBase64) {
      for (const core of base64Cores(form)) {
        forms.add(core);
        forms.add(toBase64URL(core));
      }
    }
  }
  // Percent-encoded forms also match with lower-case hex digits (`%2f`), which some encoders emit.
  for (const form of [...forms]) {
    if (/%[0-9A-F]{2}/.test(form))
      forms.add(form.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase()));
  }
  return [...forms];
}

/**
 * The HTTP Basic credentials a client id and secret make, both as RFC 7617 writes them
 * (`base64(id:secret)`) and as RFC 6749 §2.3.1 asks OAuth clients to (`base64(form(id):form(secret))`).
 */
export function basicCredentials(user: string, password: string): string[] {
  return [
    ...new Set([
      base64(`${user}:${password}`),
      base64(`${oauthFormEncoded(user)}:${oauthFormEncoded(password)}`),
      base64(`${formEncoded(user)}:${formEncoded(password)}`),
    ]),
  ];
}

/**
 * The Base64 characters that depend on `secret` alone, for each of the three byte alignments it
 * can have inside a longer encoded string. Base64 maps 3 bytes to 4 characters, so a secret that
 * starts 1 or 2 bytes into a group encodes differently; the characters that also carry bits of
 * the neighbouring bytes are left out. Any Base64 text whose decoded bytes contain the secret
 * contains one of these three strings.
 */
export function base64Cores(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = base64Bytes(padded).replace(/=+$/, '');
    const firstBit = offset * 8;
    const endBit = firstBit + bytes.length * 8;
    const first = Math.ceil(firstBit / 6);
    const end = Math.floor(endBit / 6);
    if (end > first) cores.push(encoded.slice(first, end));
  }
  return cores;
}

/** `application/x-www-form-urlencoded`, as `URLSearchParams` writes it (`*` kept, `!'()~` escaped). */
export function formEncoded(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/** `encodeURIComponent` with spaces as `+`: what OAuth clients often send (RFC 6749 Appendix B). */
export function oauthFormEncoded(value: string): string {
  return safeEncode(encodeURIComponent, value).replace(/%20/g, '+');
}

/** Standard Base64 (with padding) of the UTF-8 bytes of `text`. */
export function base64(text: string): string {
  return base64Bytes(new TextEncoder().encode(text));
}

/** Decodes standard or URL-safe Base64 to UTF-8 text; `undefined` when it is not Base64 of text. */
export function decodeBase64(text: string): string | undefined {
  const normalized = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(normalized)) return undefined;
  try {
    const binary = atob(normalized.padEnd(Math.ceil(normalized.length / 4) * 4, '='));
    const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function base64Bytes(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function toBase64URL(standard: string): string {
  return standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

function safeEncode(encode: (value: string) => string, value: string): string {
  try {
    return encode(value);
  } catch {
    // A lone surrogate cannot be percent-encoded; the other forms still apply.
    return value;
  }
}
