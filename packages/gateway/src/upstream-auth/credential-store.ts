/**
 * Where per-user upstream credentials come from (`upstreamAuth: { <server>: { kind: 'per-user',
 * store } }`): the store interface, the principal it is asked about, and a memory store keyed by
 * the caller's verified subject.
 */

/** The downstream caller a credential is asked for: what its verified token says. */
export interface UpstreamPrincipal {
  /** The caller's opaque digest (`principalKey`: issuer + subject + client, hashed). */
  key: string;
  /** The token's `sub`, when the verifier exposes claims (the publisher's JWT verifier does). */
  subject: string | undefined;
  /** The token's `iss`, likewise. */
  issuer: string | undefined;
  /** The OAuth client the token was issued to. */
  clientId: string;
  scopes: readonly string[];
}

/** One caller's credential for one upstream: a bearer token, extra headers, or both. */
export interface UpstreamCredential {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** Sent as they are (an `authorization` here wins over `token`). */
  headers?: Readonly<Record<string, string>> | undefined;
}

/** Per-user credentials for upstream servers. Asked before each call; answer `undefined` for none. */
export interface UpstreamCredentialStore {
  get(principal: UpstreamPrincipal, server: string): Promise<UpstreamCredential | undefined>;
}

/** A memory store, keyed by the caller's token subject (`sub`) and the server name. */
export interface MemoryCredentialStore extends UpstreamCredentialStore {
  set(subject: string, server: string, credential: UpstreamCredential): void;
  delete(subject: string, server: string): void;
}

/**
 * A credential store in memory: `{ "<subject>": { "<server>": { token } } }`.
 *
 * @example
 * ```ts
 * const store = createMemoryCredentialStore({ alice: { github: { token: aliceGitHubToken } } });
 * await createGateway({ upstreams, upstreamAuth: { github: { kind: 'per-user', store } }, publisher });
 * ```
 */
export function createMemoryCredentialStore(
  entries: Readonly<Record<string, Readonly<Record<string, UpstreamCredential>>>> = {},
): MemoryCredentialStore {
  const bySubject = new Map<string, Map<string, UpstreamCredential>>();
  const set = (subject: string, server: string, credential: UpstreamCredential) => {
    const servers = bySubject.get(subject) ?? new Map<string, UpstreamCredential>();
    bySubject.set(subject, servers);
    servers.set(server, credential);
  };
  for (const [subject, servers] of Object.entries(entries)) {
    for (const [server, credential] of Object.entries(servers)) set(subject, server, credential);
  }
  return {
    async get(principal, server) {
      if (principal.subject === undefined) return undefined;
      return bySubject.get(principal.subject)?.get(server);
    },
    set,
    delete(subject, server) {
      bySubject.get(subject)?.delete(server);
    },
  };
}
