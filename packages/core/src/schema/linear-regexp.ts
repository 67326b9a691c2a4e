/**
 * Regular expressions from schemas (`pattern`, `patternProperties`) run on RE2 (`re2js`, a pure
 * JavaScript port that needs no code generation), whose matching time is linear in the input:
 * no pattern a server publishes can stall the event loop, whatever argument the model sends.
 * ECMAScript syntax RE2 cannot run in linear time (lookarounds, backreferences) is refused, and
 * the schema that uses it is treated as one that cannot compile (documented in configuration.md).
 */
import { RE2JS } from 're2js';
import { excerpt } from '../util/bounded-text.js';

/** What schema engines need of a regular expression. */
export interface LinearRegExp {
  /** True when the pattern matches anywhere in `text` (JSON Schema patterns are not anchored). */
  test(text: string): boolean;
  toString(): string;
}

const MAX_CACHED_PATTERNS = 1_000;
/** Longer patterns are compiled again when met again rather than kept. */
const MAX_CACHED_PATTERN_CHARS = 10_000;
const cache = new Map<string, LinearRegExp>();

/**
 * Compiles a JSON Schema pattern (ECMAScript syntax, Unicode) for RE2. Throws an `Error` whose
 * message says why when RE2 cannot run it.
 */
export function compileLinearRegExp(pattern: string): LinearRegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let engine: RE2JS;
  try {
    engine = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (error) {
    throw new Error(describeRefusal(pattern, error), { cause: error });
  }
  const compiled: LinearRegExp = {
    test: (text) => engine.test(text),
    // Ajv keys its compiled patterns by this text: it must differ between patterns.
    toString: () => `/${pattern}/`,
  };
  if (pattern.length <= MAX_CACHED_PATTERN_CHARS) {
    if (cache.size >= MAX_CACHED_PATTERNS) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, compiled);
  }
  return compiled;
}

function describeRefusal(pattern: string, error: unknown): string {
  const shown = JSON.stringify(excerpt(pattern, 100));
  const reason = error instanceof Error ? error.message : String(error);
  if (/\(\?<?[=!]|invalid escape sequence: `\\[1-9k]/.test(reason) || /\(\?<[=!]/.test(pattern)) {
    return `pattern ${shown} uses a lookaround or backreference, which the linear-time regular expression engine cannot run`;
  }
  return `pattern ${shown} is not a regular expression the linear-time engine accepts (${excerpt(reason, 120)})`;
}

/**
 * Runs `action` with the global `RegExp` constructor replaced by the linear-time engine, for
 * `@cfworker/json-schema`, which builds its pattern checks with `new RegExp(pattern, 'u')` and
 * offers no hook. The swap is synchronous and undone before anything else can run, and the
 * engine builds nothing else with the constructor (its own format checks are regex literals).
 */
export function withLinearRegExp<T>(action: () => T): T {
  const global = globalThis as { RegExp: RegExpConstructor };
  const native = global.RegExp;
  global.RegExp = function LinearRegExpConstructor(pattern: string) {
    return compileLinearRegExp(String(pattern));
  } as unknown as RegExpConstructor;
  try {
    return action();
  } finally {
    global.RegExp = native;
  }
}

/** The Ajv `code.regExp` engine: every pattern Ajv compiles goes through RE2. */
export const ajvLinearRegExp = Object.assign((pattern: string) => compileLinearRegExp(pattern), {
  // Only Ajv's standalone code output reads this; the registry never produces standalone code.
  code: 'toolwireLinearRegExp',
});
