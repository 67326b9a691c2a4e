/**
 * The secrets one registry knows (from its configuration, and tokens as they are minted or sent)
 * and the matcher that finds every encoded form of them in a text. A map from each form's last
 * four characters to the forms that end with them keeps matching linear in the text, however
 * many servers and secrets there are (one big regular expression is not: thousands of
 * alternatives make V8 test each one at every position). Last, not first: tokens from one issuer
 * share long beginnings (every JWT starts `eyJhbGciOi…`), their ends differ. Where matches
 * overlap, their union is replaced, so no part of either survives.
 *
 * Length rules, because a short value is more often a word than a credential:
 * - a value of {@link MIN_ANYWHERE_LENGTH} or more characters is replaced wherever any of its
 *   forms appears, including inside a longer Base64 string;
 * - a credential (header value, token, client secret, URL userinfo or query value) of
 *   {@link MIN_SECRET_LENGTH} to 7 characters is replaced only where it stands alone (not touching
 *   a letter or digit), raw or encoded as a whole;
 * - shorter credentials, and stdio arguments, environment values and `${VAR}` values under 8
 *   characters ("incidental" values: often flags, paths or words, not credentials), are not.
 */
import { basicCredentials, secretForms } from './secret-forms.js';

/** What replaces a secret in any output. */
export const REDACTED = '[redacted]';
/** From this length a value is redacted anywhere, in every encoding. */
export const MIN_ANYWHERE_LENGTH = 8;
/** Credentials shorter than this are not redacted (they would garble every message). */
export const MIN_SECRET_LENGTH = 4;
/** Tokens learned at run time are kept up to this many (oldest forgotten first): they expire. */
const MAX_RUNTIME_SECRETS = 512;
const KEY_LENGTH = 4;

/**
 * `credential`: a value that exists to authenticate (header values, tokens, client secrets, URL
 * userinfo and query values). `incidental`: a value that may hold a secret but is often plain
 * (stdio arguments and environment values, `${VAR}` substitutions).
 */
export type SecretKind = 'credential' | 'incidental';

interface Pattern {
  text: string;
  /** Matches only where no letter or digit touches it on either side. */
  bounded: boolean;
  owners: number;
  /** How many of the owners are credentials (the rest are incidental values). */
  credentialOwners: number;
}

export interface RedactOptions {
  /**
   * Replace credentials only, not incidental values (stdio arguments, environment values,
   * `${VAR}` values). For what a server publishes (tool schemas, descriptions): those routinely
   * repeat a path or a name given as an argument, and rewriting them would change the tools.
   */
  credentialsOnly?: boolean;
}

export class SecretSet {
  /** Key of the last four characters → the patterns ending with them. */
  private readonly index = new Map<number, Pattern[]>();
  private readonly patterns = new Map<string, Pattern>();
  /** Each value added → the patterns it owns (so a forgotten runtime token releases them). */
  private readonly values = new Map<string, { kind: SecretKind; patterns: Pattern[] }>();
  private readonly runtime: string[] = [];

  /** How many values are known (each with all its forms). */
  get size(): number {
    return this.values.size;
  }

  /** Adds a value and all its encoded forms. Values too short for their kind are ignored. */
  add(value: string | undefined, kind: SecretKind = 'credential'): void {
    if (value === undefined) return;
    const known = this.values.get(value);
    if (known && (known.kind === 'credential' || kind === 'incidental')) return;
    // A value first seen as incidental and now as a credential is promoted.
    if (known) this.forget(value);
    const length = value.length;
    if (length < MIN_SECRET_LENGTH || (kind === 'incidental' && length < MIN_ANYWHERE_LENGTH)) return;
    const anywhere = length >= MIN_ANYWHERE_LENGTH;
    const patterns: Pattern[] = [];
    for (const form of secretForms(value, { embeddedBase64: anywhere })) {
      if (form.length < KEY_LENGTH) continue;
      patterns.push(this.retain(form, !anywhere, kind === 'credential'));
    }
    this.values.set(value, { kind, patterns });
  }

  /** Adds the HTTP Basic credentials `user:password` makes (both parts are added on their own too). */
  addBasic(user: string, password: string | undefined): void {
    if (password === undefined || password.length < MIN_SECRET_LENGTH) return;
    this.add(password);
    for (const credentials of basicCredentials(user, password)) this.add(credentials);
  }

  /**
   * Adds a value learned at run time (an access or refresh token, an assertion, a per-request
   * header). The most recent {@link MAX_RUNTIME_SECRETS} are kept.
   */
  addRuntime(value: string | undefined): void {
    if (value === undefined || this.values.get(value)?.kind === 'credential') return;
    const fromConfig = this.values.has(value);
    this.add(value);
    // A value the configuration holds too is never forgotten.
    if (fromConfig || !this.values.has(value)) return;
    this.runtime.push(value);
    if (this.runtime.length > MAX_RUNTIME_SECRETS) this.forget(this.runtime.shift() as string);
  }

  /** `text` with every known secret, in any known form, replaced by {@link REDACTED}. */
  redact(text: string, options: RedactOptions = {}): string {
    if (this.index.size === 0 || text.length < KEY_LENGTH) return text;
    const credentialsOnly = options.credentialsOnly === true;
    // Matches are found by where they end; `spans` collects them as [start, end) pairs.
    const spans: number[] = [];
    for (let end = KEY_LENGTH; end <= text.length; end++) {
      const start = this.matchEndingAt(text, end, credentialsOnly);
      if (start >= 0) spans.push(start, end);
    }
    if (spans.length === 0) return text;
    const order = [...Array(spans.length / 2).keys()].sort(
      (left, right) => (spans[left * 2] as number) - (spans[right * 2] as number),
    );
    let result = '';
    let copied = 0;
    for (const index of order) {
      const start = spans[index * 2] as number;
      const end = spans[index * 2 + 1] as number;
      if (end <= copied) continue;
      if (start >= copied) result += text.slice(copied, start) + REDACTED;
      copied = end;
    }
    return result + text.slice(copied);
  }

  /** True when `text` holds a known secret in any known form. */
  foundIn(text: string): boolean {
    if (this.index.size === 0) return false;
    for (let end = KEY_LENGTH; end <= text.length; end++) {
      if (this.matchEndingAt(text, end, false) >= 0) return true;
    }
    return false;
  }

  /** The start of the longest pattern that ends at `end`, or -1. */
  private matchEndingAt(text: string, end: number, credentialsOnly: boolean): number {
    const candidates = this.index.get(keyAt(text, end - KEY_LENGTH));
    if (!candidates) return -1;
    let best = -1;
    for (const pattern of candidates) {
      if (credentialsOnly && pattern.credentialOwners === 0) continue;
      const start = end - pattern.text.length;
      if (start < 0 || (best >= 0 && start >= best)) continue;
      if (!text.startsWith(pattern.text, start)) continue;
      if (pattern.bounded && !standsAlone(text, start, pattern.text.length)) continue;
      best = start;
    }
    return best;
  }

  private retain(text: string, bounded: boolean, credential: boolean): Pattern {
    const id = `${bounded ? 'b' : 'a'}${text}`;
    const existing = this.patterns.get(id);
    if (existing) {
      existing.owners++;
      if (credential) existing.credentialOwners++;
      return existing;
    }
    const pattern: Pattern = { text, bounded, owners: 1, credentialOwners: credential ? 1 : 0 };
    this.patterns.set(id, pattern);
    const key = keyAt(text, text.length - KEY_LENGTH);
    const list = this.index.get(key);
    if (list) list.push(pattern);
    else this.index.set(key, [pattern]);
    return pattern;
  }

  private forget(value: string): void {
    const owned = this.values.get(value);
    this.values.delete(value);
    for (const pattern of owned?.patterns ?? []) {
      if (owned?.kind === 'credential') pattern.credentialOwners--;
      if (--pattern.owners > 0) continue;
      this.patterns.delete(`${pattern.bounded ? 'b' : 'a'}${pattern.text}`);
      const key = keyAt(pattern.text, pattern.text.length - KEY_LENGTH);
      const list = this.index.get(key)?.filter((candidate) => candidate !== pattern) ?? [];
      if (list.length === 0) this.index.delete(key);
      else this.index.set(key, list);
    }
  }
}

/** A number for the four characters at `position` (collisions are resolved by `startsWith`). */
function keyAt(text: string, position: number): number {
  let key = 0;
  for (let index = 0; index < KEY_LENGTH; index++) {
    key = (Math.imul(key, 31) + text.charCodeAt(position + index)) | 0;
  }
  return key;
}

function standsAlone(text: string, position: number, length: number): boolean {
  return (
    !isWordCharacter(text.charCodeAt(position - 1)) && !isWordCharacter(text.charCodeAt(position + length))
  );
}

function isWordCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
