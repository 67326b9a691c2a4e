/**
 * The one-time link that opens a local inspector (what `toolwire inspect` prints): the token in
 * `?token=` is accepted once, exchanged for an HttpOnly, SameSite=Strict session cookie, and the
 * browser is sent on to the same page without it (so it stays out of history and bookmarks). A
 * wrong token, or the right one a second time, is refused. Runtime-neutral (Web Crypto only).
 */

/**
 * Session cookies are named `toolwire_inspector_<id>`, with an id per gate: browsers keep cookies
 * per host, not per port, so two inspectors on localhost must not overwrite each other's session.
 */
export const SESSION_COOKIE_PREFIX = 'toolwire_inspector_';

/** 32 random bytes, base64url: an unguessable token or session id. */
export function randomToken(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** Compares without an early exit, so timing does not tell how much of a guess was right. */
function sameText(left: string, right: string): boolean {
  const length = Math.max(left.length, right.length);
  let difference = left.length ^ right.length;
  for (let index = 0; index < length; index++) {
    difference |= (left.charCodeAt(index) || 0) ^ (right.charCodeAt(index) || 0);
  }
  return difference === 0;
}

export type GateOutcome =
  | { kind: 'allowed' }
  /** The token was right: set this cookie and redirect to `location`. */
  | { kind: 'exchanged'; cookie: string; location: string }
  | { kind: 'refused'; status: 401 | 403; reason: string };

export class TokenGate {
  private token: string | undefined;
  private readonly sessions = new Set<string>();
  private readonly cookiePath: string;
  private readonly cookieName = `${SESSION_COOKIE_PREFIX}${randomToken().slice(0, 12)}`;

  constructor(token: string, cookiePath: string) {
    this.token = token;
    this.cookiePath = cookiePath;
  }

  check(request: Request, url: URL): GateOutcome {
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      const expected = this.token;
      if (expected === undefined || !sameText(offered, expected)) {
        return {
          kind: 'refused',
          status: 403,
          reason:
            expected === undefined
              ? 'This link was already used. Start `toolwire inspect` again for a new one.'
              : 'This link is not valid.',
        };
      }
      // One use only: a link copied from a terminal or a log cannot open a second session.
      this.token = undefined;
      const session = randomToken();
      this.sessions.add(session);
      const clean = new URL(url);
      clean.searchParams.delete('token');
      const secure = url.protocol === 'https:' ? '; Secure' : '';
      return {
        kind: 'exchanged',
        cookie: `${this.cookieName}=${session}; Path=${this.cookiePath}; HttpOnly; SameSite=Strict${secure}`,
        location: `${clean.pathname}${clean.search}`,
      };
    }
    const session = readCookie(request.headers.get('cookie'), this.cookieName);
    if (session !== undefined && [...this.sessions].some((known) => sameText(known, session))) {
      return { kind: 'allowed' };
    }
    return {
      kind: 'refused',
      status: 401,
      reason: 'Open the link `toolwire inspect` printed (it works once, in one browser).',
    };
  }
}

function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
