/**
 * Searching outputs for secrets in every encoding a leak can take, for leak tests in any package.
 * Written independently of `src/redaction`: text forms (raw, JSON-escaped, `encodeURIComponent`,
 * form-encoded both ways) are searched directly; Base64 is searched by *decoding* every
 * Base64-looking run of the haystack at all four character offsets, in both alphabets, and
 * looking for the secret (or its form encoding) in the bytes. So `Basic base64(id:secret)`,
 * a secret inside a JWT-like blob or at any byte offset of a longer encoded string is found,
 * whatever produced it.
 *
 * `createOutputRecorder()` collects what a registry lets out (logger lines at every level, every
 * event, errors as message, `String`, `util.inspect` at full depth with their cause chains and
 * `JSON.stringify`, `servers()`, `stats()`, files on disk) into one haystack.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';

/** One way a secret can be written. */
export interface SecretForm {
  /** What this form is, e.g. `base64 (decoded)` or `form-encoded`. */
  label: string;
  text: string;
}

/** A secret found in a haystack: which one, in which form, and the text around it. */
export interface SecretHit {
  secret: string;
  form: string;
  excerpt: string;
}

/** The text forms of a secret searched for directly (Base64 is found by decoding instead). */
export function textForms(secret: string): SecretForm[] {
  const forms: SecretForm[] = [
    { label: 'raw', text: secret },
    { label: 'JSON-escaped', text: JSON.stringify(secret).slice(1, -1) },
    { label: 'quote-escaped (util.inspect)', text: secret.replace(/['\\]/g, '\\$&') },
    { label: 'encodeURIComponent', text: encodeURIComponent(secret) },
    { label: 'encodeURIComponent (lower-case hex)', text: lowerHex(encodeURIComponent(secret)) },
    {
      label: 'form-encoded (URLSearchParams)',
      text: new URLSearchParams([['', secret]]).toString().slice(1),
    },
    { label: 'form-encoded (+ for space)', text: encodeURIComponent(secret).replace(/%20/g, '+') },
    { label: 'base64', text: Buffer.from(secret).toString('base64') },
    { label: 'base64url', text: Buffer.from(secret).toString('base64url') },
  ];
  const seen = new Set<string>();
  return forms.filter((form) => !seen.has(form.text) && seen.add(form.text));
}

/**
 * Every place any form of any secret occurs in `haystack`: direct text forms, then Base64 runs
 * decoded at each alignment (standard and URL alphabet) containing the secret or its form
 * encoding. `user` (optional) also searches `Basic base64(user:secret)` explicitly.
 */
export function findSecrets(
  haystack: string,
  secrets: readonly (string | { secret: string; user?: string })[],
): SecretHit[] {
  const hits: SecretHit[] = [];
  const decoded = decodeBase64Runs(haystack);
  for (const entry of secrets) {
    const { secret, user } = typeof entry === 'string' ? { secret: entry, user: undefined } : entry;
    const forms = textForms(secret);
    if (user !== undefined) {
      forms.push({ label: 'Basic user:secret', text: Buffer.from(`${user}:${secret}`).toString('base64') });
      forms.push({
        label: 'Basic form(user):form(secret)',
        text: Buffer.from(`${formEncode(user)}:${formEncode(secret)}`).toString('base64'),
      });
    }
    for (const form of forms) {
      const at = haystack.indexOf(form.text);
      if (at >= 0) hits.push({ secret, form: form.label, excerpt: excerpt(haystack, at, form.text.length) });
    }
    const inside = [...new Set([secret, formEncode(secret), encodeURIComponent(secret)])].map((text) =>
      Buffer.from(text),
    );
    for (const run of decoded) {
      const found = inside.find((needle) => run.bytes.indexOf(needle) >= 0);
      if (found) {
        hits.push({
          secret,
          form: `base64${run.alphabet === 'url' ? 'url' : ''} (decoded at offset ${run.offset})`,
          excerpt: excerpt(haystack, run.start, run.length),
        });
      }
    }
  }
  return hits;
}

/** Fails with a readable report (secret, form, where) when any secret is in `haystack`. */
export function assertNoSecrets(
  haystack: string,
  secrets: readonly (string | { secret: string; user?: string })[],
): void {
  const hits = findSecrets(haystack, secrets);
  if (hits.length === 0) return;
  const lines = hits.map((hit) => `  - ${JSON.stringify(hit.secret)} as ${hit.form}: …${hit.excerpt}…`);
  throw new Error(`${hits.length} secret occurrence(s) found:\n${lines.join('\n')}`);
}

/** Collects everything a registry lets out into one searchable text. */
export interface OutputRecorder {
  /** A logger that records every level. */
  logger: {
    debug(message: string, context?: Record<string, unknown>): void;
    info(message: string, context?: Record<string, unknown>): void;
    warn(message: string, context?: Record<string, unknown>): void;
    error(message: string, context?: Record<string, unknown>): void;
  };
  /** Listeners for every registry event (pass as `listeners`, so start-up is seen too). */
  listeners: Record<string, (event: unknown) => void>;
  /** Records any value: `util.inspect` at full depth and `JSON.stringify`. */
  record(label: string, value: unknown): void;
  /** Records an error every way a user prints one (message, String, inspect, JSON). */
  recordError(label: string, error: unknown): void;
  /** Records the content of every file under `directory` (e.g. a schema cache). */
  recordFiles(label: string, directory: string): Promise<void>;
  /** How many entries were recorded under labels starting with `prefix`. */
  count(prefix: string): number;
  /** Everything recorded so far. */
  text(): string;
}

/** The registry event names, for recorders and listeners. */
export const registryEventNames = ['server:status', 'tools:changed', 'call:start', 'call:end', 'log'];

export function createOutputRecorder(): OutputRecorder {
  const entries: { label: string; text: string }[] = [];
  const record = (label: string, value: unknown) => {
    entries.push({ label, text: `${inspect(value, { depth: Number.POSITIVE_INFINITY })}` });
    entries.push({ label: `${label}.json`, text: safeJSON(value) });
  };
  const log = (level: string) => (message: string, context?: Record<string, unknown>) =>
    record(`log.${level}`, { message, context });
  return {
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    listeners: Object.fromEntries(
      registryEventNames.map((name) => [name, (event: unknown) => record(`event.${name}`, event)]),
    ),
    record,
    recordError(label, error) {
      entries.push({ label: `${label}.message`, text: String((error as Error | undefined)?.message) });
      entries.push({ label: `${label}.string`, text: String(error) });
      record(label, error);
      // What loggers and error trackers do: walk the chain and print each cause's own fields.
      let cause = (error as { cause?: unknown } | undefined)?.cause;
      for (let depth = 0; cause !== undefined && depth < 10; depth++) {
        record(`${label}.cause${depth}`, { ...(cause as object) });
        cause = (cause as { cause?: unknown }).cause;
      }
    },
    async recordFiles(label, directory) {
      for (const file of await listFiles(directory)) {
        entries.push({ label: `${label}:${file}`, text: await readFile(file, 'utf8') });
      }
    },
    count: (prefix) => entries.filter((entry) => entry.label.startsWith(prefix)).length,
    text: () => entries.map((entry) => `${entry.label}: ${entry.text}`).join('\n'),
  };
}

interface DecodedRun {
  start: number;
  length: number;
  offset: number;
  alphabet: 'standard' | 'url';
  bytes: Buffer;
}

/** Every run of 8+ Base64 characters, decoded at character offsets 0–3 in both alphabets. */
function decodeBase64Runs(haystack: string): DecodedRun[] {
  const runs: DecodedRun[] = [];
  for (const match of haystack.matchAll(/[A-Za-z0-9+/_-]{8,}/g)) {
    const run = match[0];
    for (const alphabet of ['standard', 'url'] as const) {
      if (alphabet === 'standard' && /[-_]/.test(run)) continue;
      if (alphabet === 'url' && /[+/]/.test(run)) continue;
      for (let offset = 0; offset < 4; offset++) {
        // A trailing partial group still decodes to its whole bytes (Node reads what it can).
        const slice = run.slice(offset).replace(/=+$/, '');
        runs.push({
          start: match.index ?? 0,
          length: run.length,
          offset,
          alphabet,
          bytes: Buffer.from(slice, alphabet === 'url' ? 'base64url' : 'base64'),
        });
      }
    }
  }
  return runs;
}

async function listFiles(directory: string): Promise<string[]> {
  const found: string[] = [];
  let names: import('node:fs').Dirent[];
  try {
    names = await readdir(directory, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of names) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

function safeJSON(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? String(item) : item)) ?? '';
  } catch (error) {
    return `(not serializable: ${(error as Error).message})`;
  }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

function lowerHex(text: string): string {
  return text.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase());
}

function excerpt(text: string, at: number, length: number): string {
  return text.slice(Math.max(0, at - 60), at + length + 60).replace(/\s+/g, ' ');
}
