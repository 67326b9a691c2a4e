/**
 * The matcher: which forms of a secret it replaces, the length rules, Base64 at every alignment
 * (what `Basic base64(id:secret)` needs), and that it stays fast with many secrets.
 */
import { describe, expect, it } from 'vitest';
import { base64Cores } from './secret-forms.js';
import { REDACTED, SecretSet } from './secret-set.js';

const SECRET = "s3cr3t/+ &é=~!*'x";

function setOf(...values: [string, ('credential' | 'incidental')?][]): SecretSet {
  const secrets = new SecretSet();
  for (const [value, kind] of values) secrets.add(value, kind);
  return secrets;
}

describe('SecretSet', () => {
  it('replaces the raw, JSON-escaped, URL-encoded and form-encoded forms', () => {
    const secrets = setOf([SECRET]);
    const forms = [
      SECRET,
      JSON.stringify(SECRET).slice(1, -1),
      encodeURIComponent(SECRET),
      encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase()),
      encodeURI(SECRET),
      new URLSearchParams({ k: SECRET }).toString().slice(2),
      encodeURIComponent(SECRET).replace(/%20/g, '+'),
    ];
    for (const form of forms)
      expect(secrets.redact(`before ${form} after`), form).toBe(`before ${REDACTED} after`);
  });

  it('finds a secret inside Base64 whatever its byte offset, in both alphabets', () => {
    const secrets = setOf([SECRET]);
    for (const prefix of ['', 'a', 'ab', 'abc', 'user-7:']) {
      for (const suffix of ['', 'z', 'yz']) {
        const bytes = Buffer.from(`${prefix}${SECRET}${suffix}`);
        for (const encoding of ['base64', 'base64url'] as const) {
          const encoded = bytes.toString(encoding);
          expect(secrets.foundIn(`x ${encoded} y`), `${encoding} of ${prefix}|secret|${suffix}`).toBe(true);
          expect(secrets.redact(encoded)).toContain(REDACTED);
        }
      }
    }
  });

  it('covers Basic credentials explicitly, raw and form-encoded as RFC 6749 asks', () => {
    const secrets = new SecretSet();
    secrets.addBasic('agent 7', SECRET);
    const plain = Buffer.from(`agent 7:${SECRET}`).toString('base64');
    const oauth = Buffer.from(`agent+7:${encodeURIComponent(SECRET).replace(/%20/g, '+')}`).toString(
      'base64',
    );
    expect(secrets.redact(`Authorization: Basic ${plain}`)).toBe(`Authorization: Basic ${REDACTED}`);
    expect(secrets.redact(`Authorization: Basic ${oauth}`)).toBe(`Authorization: Basic ${REDACTED}`);
  });

  it('Base64 cores are exactly the characters the secret alone determines', () => {
    const secret = 'abcdefgh';
    const [aligned, shiftedOne, shiftedTwo] = base64Cores(secret);
    expect(Buffer.from(secret).toString('base64')).toContain(aligned);
    expect(Buffer.from(`X${secret}Y`).toString('base64')).toContain(shiftedOne);
    expect(Buffer.from(`Q${secret}`).toString('base64')).toContain(shiftedOne);
    expect(Buffer.from(`XY${secret}`).toString('base64')).toContain(shiftedTwo);
    expect(Buffer.from(`%&${secret}!`).toString('base64')).toContain(shiftedTwo);
  });

  it('replaces short credentials only where they stand alone, and ignores tiny ones', () => {
    const secrets = setOf(['k3y9'], ['abc']);
    expect(secrets.redact('key=k3y9;')).toBe(`key=${REDACTED};`);
    expect(secrets.redact('monk3y99')).toBe('monk3y99');
    expect(secrets.redact('abc is not redacted')).toBe('abc is not redacted');
  });

  it('treats stdio arguments and env values as secrets from 8 characters only', () => {
    const secrets = setOf(['serve', 'incidental'], ['/srv/data/files', 'incidental']);
    expect(secrets.redact('serve failed for /srv/data/files/a.txt')).toBe(
      `serve failed for ${REDACTED}/a.txt`,
    );
  });

  it('redacts only credentials when asked to (what a server published)', () => {
    const secrets = setOf(['sk-live-123456'], ['/srv/data/files', 'incidental']);
    const text = 'reads /srv/data/files with key sk-live-123456';
    expect(secrets.redact(text, { credentialsOnly: true })).toBe(
      `reads /srv/data/files with key ${REDACTED}`,
    );
    expect(secrets.redact(text)).toBe(`reads ${REDACTED} with key ${REDACTED}`);
    // A value given both ways counts as a credential.
    secrets.add('/srv/data/files', 'credential');
    expect(secrets.redact(text, { credentialsOnly: true })).toBe(`reads ${REDACTED} with key ${REDACTED}`);
  });

  it('prefers the longest secret where two overlap', () => {
    const secrets = setOf(['Bearer tok-0123456789'], ['tok-0123456789']);
    expect(secrets.redact('Authorization: Bearer tok-0123456789.')).toBe(`Authorization: ${REDACTED}.`);
  });

  it('keeps the newest runtime tokens, forgetting the oldest beyond its cap', () => {
    const secrets = new SecretSet();
    secrets.add('config-secret-value');
    for (let index = 0; index < 600; index++) secrets.addRuntime(`runtime-token-${index}-abcdef`);
    expect(secrets.redact('runtime-token-599-abcdef')).toBe(REDACTED);
    expect(secrets.redact('runtime-token-0-abcdef')).toBe('runtime-token-0-abcdef');
    // A configured value re-sent at run time is never forgotten.
    secrets.addRuntime('config-secret-value');
    for (let index = 0; index < 600; index++) secrets.addRuntime(`later-token-${index}-abcdef`);
    expect(secrets.redact('config-secret-value')).toBe(REDACTED);
  });

  it('does no more work per text with thousands of secrets than with ten (counted, not timed)', () => {
    const many = new SecretSet();
    const few = new SecretSet();
    for (let index = 0; index < 2_000; index++) many.add(`secret-${index}-${(index * 7919).toString(36)}`);
    for (let index = 0; index < 10; index++) few.add(`secret-${index}-${(index * 7919).toString(36)}`);
    // Text that holds secrets both sets know, in several places (matches must be found, not only
    // misses), and otherwise only characters no form of these secrets ends with: any work a
    // lookup does there is work per secret.
    const known = `secret-3-${(3 * 7919).toString(36)}`;
    const text = `${'. , ; : ! ? '.repeat(10_000)}${known} ${'x'.repeat(50_000)} ${known}`;
    const manyRun = stringWork(() => many.redact(text));
    const fewRun = stringWork(() => few.redact(text));
    expect(manyRun.value).toBe(fewRun.value);
    expect(manyRun.value.split(REDACTED)).toHaveLength(3);
    // A regular expression of alternatives backtracks through them all: none may run.
    expect(manyRun.regExpRuns).toBe(0);
    // A loop over the secrets does work per secret: 200 times the secrets would be about 200
    // times the calls. Looked up by their last characters, a text costs what it costs with ten.
    expect(manyRun.calls, JSON.stringify({ many: manyRun.calls, few: fewRun.calls })).toBeLessThanOrEqual(
      fewRun.calls * 2 + 20,
    );
  });
});

/**
 * Runs `action` counting the calls it makes to the string searches and regular expressions a
 * matcher could use (each one is work over the text or a secret): a proof of scaling without a clock.
 */
function stringWork<T>(action: () => T): { value: T; calls: number; regExpRuns: number } {
  const methods = [
    'startsWith',
    'endsWith',
    'includes',
    'indexOf',
    'lastIndexOf',
    'replace',
    'replaceAll',
    'split',
  ] as const;
  const originals = methods.map((method) => String.prototype[method]);
  const originalExec = RegExp.prototype.exec;
  let calls = 0;
  let regExpRuns = 0;
  methods.forEach((method, index) => {
    const original = originals[index] as (...args: unknown[]) => unknown;
    Object.defineProperty(String.prototype, method, {
      configurable: true,
      writable: true,
      value(this: string, ...args: unknown[]) {
        calls++;
        return original.apply(this, args);
      },
    });
  });
  RegExp.prototype.exec = function exec(this: RegExp, input: string) {
    regExpRuns++;
    return originalExec.call(this, input);
  };
  try {
    const value = action();
    return { value, calls, regExpRuns };
  } finally {
    methods.forEach((method, index) => {
      Object.defineProperty(String.prototype, method, {
        configurable: true,
        writable: true,
        value: originals[index],
      });
    });
    RegExp.prototype.exec = originalExec;
  }
}
