/**
 * Keys a configuration object does not know, with "did you mean" for near misses of ours
 * (`comand` → `command`, `header` → `headers`, `enabled_tools` → `enabledTools`). Every level of
 * the configuration goes through here, so every unknown key is reported the same way.
 *
 * Whether an unknown key is a mistake is the caller's call, per level: toolwire's own objects
 * (the top level, `naming`, `auth`, a `serverJson` item) reject them; a server entry ignores
 * them with a warning, because desktop-client files carry other clients' settings
 * (`autoApprove`, `envFile`, …) that must not break a server. Exceptions there: a key that is one
 * of ours spelt another way (case, `_` or `-`) is never another client's, and a near miss of a
 * key that restricts the server (`enabledTool`) must not be ignored, since that would silently
 * expose every tool; both are errors.
 */
import type { ConfigIssue } from '../errors/config-error.js';
import { closestMatches } from '../util/closest-matches.js';
import { formatPath } from '../util/format-path.js';

/** An unknown key and what it probably meant. */
export interface UnknownKey {
  /** Config path of the key itself, e.g. `mcpServers.crm.header`. */
  path: string;
  key: string;
  /** The known key it is closest to, if one is close (one at most: a list reads as a riddle). */
  suggestions: string[];
  /** True when it is one of ours in another spelling (case, `_`, `-`): never another client's key. */
  respelt: boolean;
}

/** Keys of `value` that are not in `known`, each with its suggestions. */
export function findUnknownKeys(
  value: Record<string, unknown>,
  known: readonly string[],
  path: readonly (string | number)[],
): UnknownKey[] {
  const byNormalized = new Map(known.map((key) => [normalize(key), key]));
  const found: UnknownKey[] = [];
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const normalized = normalize(key);
    const respelt = byNormalized.get(normalized);
    const suggestions =
      respelt !== undefined
        ? [respelt]
        : closestMatches(normalized, byNormalized.keys(), 1, {
            // Config keys are short: a tighter bound than for tool names keeps `name` from
            // suggesting `type`.
            maxDistance: normalized.length <= 4 ? 1 : 2,
          }).map((match) => byNormalized.get(match) as string);
    found.push({ path: formatPath([...path, key]), key, suggestions, respelt: respelt !== undefined });
  }
  return found;
}

/** ` did you mean "a"?` / ` did you mean "a" or "b"?`, or `''`. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  return ` did you mean ${suggestions.map((suggestion) => `"${suggestion}"`).join(' or ')}?`;
}

/**
 * The issue for an unknown key that is an error. `expected` lists the keys when nothing is close;
 * `noun` is what a key is called there (top-level keys are options).
 */
export function unknownKeyError(
  unknown: UnknownKey,
  expected?: readonly string[],
  noun: 'key' | 'option' = 'key',
): ConfigIssue {
  const hint =
    unknown.suggestions.length > 0
      ? `;${didYouMean(unknown.suggestions)}`
      : expected
        ? `; expected one of ${expected.join(', ')}`
        : '';
  return { path: unknown.path, message: `unknown ${noun}${hint}` };
}

/** The issue for an unknown key that is ignored. */
export function unknownKeyWarning(unknown: UnknownKey): ConfigIssue {
  return {
    path: unknown.path,
    message:
      unknown.suggestions.length > 0
        ? `unknown key, ignored;${didYouMean(unknown.suggestions)}`
        : 'unknown key, ignored (not a toolwire option)',
  };
}

/** `enabled_tools`, `EnabledTools`, `enabled-tools` → `enabledtools`. */
function normalize(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}
