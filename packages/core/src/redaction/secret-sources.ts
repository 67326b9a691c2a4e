/**
 * What counts as a secret in a server's configuration, and in the requests we send: everything
 * that authenticates (header values, bearer tokens, client secrets, assertions, private keys, URL
 * userinfo and query values) as a credential; stdio arguments and environment values, which may
 * hold one (`--api-key …`, `API_KEY=…`), as incidental values (see `secret-set.ts` for the
 * length rules).
 */
import type { FetchLike, OAuthClientProvider } from '@modelcontextprotocol/client';
import type { HeadersInput, ServerDefinition } from '../config/server-config.js';
import { decodeBase64 } from './secret-forms.js';
import type { SecretSet } from './secret-set.js';

/**
 * Headers whose values describe the request rather than authenticate it. Their values are common
 * words (`application/json`), so treating them as secrets would garble messages.
 */
const plainHeaders = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-length',
  'content-type',
  'host',
  'last-event-id',
  'user-agent',
  'traceparent',
  'tracestate',
  'baggage',
]);

/** Form fields of token and authorization requests that carry a credential. */
const credentialFields = [
  'client_secret',
  'client_assertion',
  'assertion',
  'refresh_token',
  'access_token',
  'subject_token',
  'actor_token',
  'code',
  'code_verifier',
  'password',
];

/** Adds every secret a server's configuration holds. */
export function addServerSecrets(secrets: SecretSet, definition: ServerDefinition): void {
  if (definition.transport === 'stdio') {
    for (const argument of definition.args) addArgument(secrets, argument);
    for (const value of Object.values(definition.env)) secrets.add(value, 'incidental');
    return;
  }
  addURLSecrets(secrets, definition.url);
  addHeaderValues(secrets, definition.headers);
  const auth = definition.auth;
  if (auth?.type === 'bearer') {
    secrets.add(auth.token);
  } else if (auth?.type === 'client_credentials') {
    secrets.add(auth.clientSecret);
    secrets.addBasic(auth.clientId, auth.clientSecret);
    secrets.add(auth.clientAssertion);
    addPrivateKey(secrets, auth.privateKey);
    if (auth.tokenUrl !== undefined) addURLSecrets(secrets, auth.tokenUrl);
  } else if (auth?.type === 'jwt_bearer') {
    // A function's assertions are added as they are obtained (`jwt-bearer-grant.ts`).
    if (typeof auth.assertion === 'string') secrets.add(auth.assertion);
    secrets.add(auth.clientSecret);
    secrets.addBasic(auth.clientId, auth.clientSecret);
  } else if (auth?.type === 'enterprise') {
    if (typeof auth.idToken === 'string') secrets.add(auth.idToken);
    secrets.add(auth.clientSecret);
    secrets.addBasic(auth.clientId, auth.clientSecret);
    secrets.add(auth.idp.clientSecret);
    secrets.addBasic(auth.idp.clientId, auth.idp.clientSecret);
    addURLSecrets(secrets, auth.idp.tokenUrl);
  }
}

/**
 * Adds the secrets one outgoing HTTP request carries, before it is sent: so a server that echoes
 * them in an error (a token endpoint's body, a 500 page) is redacted even when they were not in
 * the configuration (per-request `headers` functions, tokens from an `OAuthClientProvider`,
 * signed `private_key_jwt` assertions, DPoP proofs).
 */
export function addRequestSecrets(secrets: SecretSet, init: RequestInit | undefined): void {
  if (!init) return;
  if (init.headers !== undefined) {
    // The SDK passes a `Headers` already: read it as it is rather than copying it per request.
    const headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    headers.forEach((value, name) => {
      if (isSecretHeader(name)) addHeaderValue(secrets, value, true);
    });
  }
  const body = init.body;
  const form =
    body instanceof URLSearchParams
      ? body
      : typeof body === 'string' && /^[\w.~%+-]+=[^&]*(&[\w.~%+-]+=[^&]*)*$/.test(body)
        ? new URLSearchParams(body)
        : undefined;
  for (const field of credentialFields) {
    for (const value of form?.getAll(field) ?? []) secrets.addRuntime(value);
  }
}

/**
 * Wraps `fetch` so every request's secrets are known before it leaves (see {@link addRequestSecrets}).
 * Used for the servers' transports and for token requests alike.
 */
export function secretSensingFetch(fetch: FetchLike | undefined, secrets: SecretSet): FetchLike {
  return (url, init) => {
    if (typeof Request !== 'undefined' && (url as unknown) instanceof Request) {
      addRequestSecrets(secrets, { headers: (url as unknown as Request).headers });
    }
    addRequestSecrets(secrets, init);
    return fetch ? fetch(url, init) : globalThis.fetch(url, init);
  };
}

/**
 * A user's `OAuthClientProvider`, seen through so that the tokens and client secret it stores or
 * is given are known as they are minted (a refresh token is otherwise only seen when it is sent).
 * Everything else goes to the provider itself, methods bound to it (class providers with private
 * fields keep working).
 */
export function observeOAuthProvider(provider: OAuthClientProvider, secrets: SecretSet): OAuthClientProvider {
  const note = (value: unknown) => {
    const record = value as Record<string, unknown> | undefined;
    for (const field of ['access_token', 'refresh_token', 'id_token', 'client_secret']) {
      const secret = record?.[field];
      if (typeof secret === 'string') secrets.addRuntime(secret);
    }
  };
  const observe = (result: unknown) => {
    if (result instanceof Promise) {
      return result.then((value) => {
        note(value);
        return value;
      });
    }
    note(result);
    return result;
  };
  return new Proxy(provider, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (property === 'tokens' || property === 'clientInformation') {
        return (...args: unknown[]) => observe(method.apply(target, args));
      }
      if (property === 'saveTokens' || property === 'saveClientInformation') {
        return (...args: unknown[]) => {
          note(args[0]);
          return method.apply(target, args);
        };
      }
      return method.bind(target);
    },
  });
}

function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  // `Mcp-*` headers are the protocol's own (session id, method, tool name, mirrored parameters).
  return !plainHeaders.has(lower) && !lower.startsWith('mcp-');
}

function addHeaderValues(secrets: SecretSet, headers: HeadersInput | undefined): void {
  // The function form is evaluated per request; its values are added as they are sent.
  if (headers === undefined || typeof headers === 'function') return;
  for (const [name, value] of Object.entries(headers)) {
    if (isSecretHeader(name)) addHeaderValue(secrets, value, false);
  }
}

/**
 * A header value, and for `Scheme credentials` values (`Bearer …`, `Basic …`, `Token …`, …) the
 * credentials alone; Basic credentials are decoded so `user:password` and the password are found
 * too.
 */
function addHeaderValue(secrets: SecretSet, value: string, runtime: boolean): void {
  const add = (text: string) => (runtime ? secrets.addRuntime(text) : secrets.add(text));
  add(value);
  const scheme = /^(Bearer|Basic|Token|DPoP|Bot|ApiKey|Api-Key|Key) +(\S.*)$/i.exec(value.trim());
  if (!scheme) return;
  const credentials = scheme[2] as string;
  add(credentials);
  if (scheme[1]?.toLowerCase() !== 'basic') return;
  const decoded = decodeBase64(credentials);
  if (decoded === undefined) return;
  add(decoded);
  const colon = decoded.indexOf(':');
  if (colon >= 0) {
    const password = decoded.slice(colon + 1);
    add(password);
    add(safeDecode(password));
  }
}

/** URL userinfo and query values, both as written and decoded. */
function addURLSecrets(secrets: SecretSet, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return;
  }
  if (url.username) {
    secrets.add(url.username);
    secrets.add(safeDecode(url.username));
  }
  if (url.password) {
    secrets.add(url.password);
    secrets.add(safeDecode(url.password));
    secrets.addBasic(safeDecode(url.username), safeDecode(url.password));
  }
  for (const parameter of url.search.slice(1).split('&')) {
    const equals = parameter.indexOf('=');
    if (equals < 0) continue;
    const written = parameter.slice(equals + 1);
    secrets.add(written);
    secrets.add(safeDecode(written.replace(/\+/g, ' ')));
  }
}

/**
 * A stdio argument. Flags (`-y`, `--stdio`) are not secrets; `--api-key=value` gives `value`
 * too, so the value is found where it is printed alone.
 */
function addArgument(secrets: SecretSet, argument: string): void {
  const flag = /^--?[A-Za-z][\w-]*(=(.*))?$/s.exec(argument);
  if (flag && flag[1] === undefined) return;
  secrets.add(argument, 'incidental');
  if (flag?.[2] !== undefined) secrets.add(flag[2], 'incidental');
}

/** A PEM string (and each of its Base64 lines) or the private members of a JWK. */
function addPrivateKey(secrets: SecretSet, key: string | Record<string, unknown> | undefined): void {
  if (typeof key === 'string') {
    secrets.add(key);
    for (const line of key.split(/\r?\n/)) {
      if (!line.startsWith('-----')) secrets.add(line.trim());
    }
    const body = key.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    secrets.add(body);
    return;
  }
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
    const value = key?.[member];
    if (typeof value === 'string') secrets.add(value);
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
