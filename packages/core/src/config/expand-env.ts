/**
 * `${VAR}` expansion in configuration strings, so secrets stay in the environment and out of
 * config files. Forms: `${VAR}`, `${env:VAR}` (VS Code style), `${VAR:-fallback}`; `$${` is a
 * literal `${`. An unset variable without a fallback is an issue naming the config path.
 */
import type { ConfigIssue } from '../errors/config-error.js';
import { formatPath } from '../util/format-path.js';

export type EnvSource = Readonly<Record<string, string | undefined>>;

const pattern = /\$\$\{|\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Returns a deep copy of `value` with every string expanded. Functions, class instances and an
 * `OAuthClientProvider` written as an object literal are code, not configuration: they are kept
 * as is, so their identity and state survive. Each value taken from `env` is added to
 * `substituted`, when given: the registry treats them as secrets.
 */
export function expandEnv(
  value: unknown,
  env: EnvSource,
  issues: ConfigIssue[],
  path: (string | number)[] = [],
  substituted?: Set<string>,
): unknown {
  if (typeof value === 'string') return expandString(value, env, issues, path, substituted);
  if (Array.isArray(value))
    return value.map((item, index) => expandEnv(item, env, issues, [...path, index], substituted));
  if (isPlainObject(value) && !isOAuthProviderLike(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      result[key] = expandEnv(item, env, issues, [...path, key], substituted);
    return result;
  }
  return value;
}

function expandString(
  text: string,
  env: EnvSource,
  issues: ConfigIssue[],
  path: (string | number)[],
  substituted: Set<string> | undefined,
): string {
  if (!text.includes('${')) return text;
  return text.replace(pattern, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    const key = name as string;
    const found = env[key];
    if (found !== undefined && found !== '') {
      substituted?.add(found);
      return found;
    }
    if (fallback !== undefined) return fallback;
    issues.push({
      path: formatPath(path),
      message: `environment variable ${key} is not set (referenced as "${match}"); set it or write \${${key}:-default}`,
    });
    return '';
  });
}

/** An `OAuthClientProvider` written as an object literal: its state lives in the object itself. */
function isOAuthProviderLike(value: Record<string, unknown>): boolean {
  return typeof value.tokens === 'function' && typeof value.clientInformation === 'function';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The process environment where there is one (Node, Bun, Deno with compat), else empty. */
export function defaultEnv(): EnvSource {
  const candidate = (globalThis as { process?: { env?: EnvSource } }).process?.env;
  return candidate ?? {};
}
