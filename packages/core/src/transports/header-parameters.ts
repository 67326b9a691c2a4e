/**
 * SEP-2243 header parameters, client side (MCP 2026-07-28, Streamable HTTP, "Custom Headers from
 * Tool Parameters"). A tool marks an argument with `x-mcp-header: "Region"`; on a 2026-07-28
 * Streamable HTTP connection its value travels in an `Mcp-Param-Region` header too, so gateways
 * can route on it without reading the body.
 *
 * The SDK does the mirroring (`Client.callTool`: strings as they are or as `=?base64?…?=` when
 * they are not plain visible ASCII, integers in decimal, booleans as `true`/`false`, `null` and
 * absent values left out) and drops tools whose declarations break the rules from `tools/list`.
 * What it does not do is refuse a value it cannot mirror: it leaves that header out, and a
 * conforming server then rejects the whole call as a header mismatch (`-32020`) after a round
 * trip, with a message that names no argument. So before a call goes out we check each declared
 * argument's value ourselves and refuse with `INVALID_ARGUMENTS` naming the argument and its
 * header. This matters where schema validation does not already catch it: calls made with
 * `validate: false`, schemas the validator could not compile, and integers past 2^53 − 1 (valid
 * JSON Schema integers that have no exact decimal form in JavaScript).
 */
import type { ArgumentIssue } from '../errors/invalid-arguments-error.js';
import { formatArgumentPath } from '../util/format-path.js';

/** The extension keyword in a tool's input schema. */
export const HEADER_PARAMETER_KEYWORD = 'x-mcp-header';
/** The prefix of every mirrored header's name. */
export const HEADER_PARAMETER_PREFIX = 'Mcp-Param-';

/** One declared header parameter: where its value sits in the arguments, and its header name. */
export interface HeaderParameter {
  /** Property names from the arguments root (declarations may sit at any `properties` depth). */
  path: string[];
  /** The full header name, e.g. `Mcp-Param-Region`. */
  header: string;
  /** The property's declared type: the only three SEP-2243 permits. */
  type: 'string' | 'integer' | 'boolean';
}

const PERMITTED_TYPES = new Set(['string', 'integer', 'boolean']);
/** RFC 9110 §5.1 token: what an `x-mcp-header` value must be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Nesting we follow through `properties`; schemas deeper than this are not real tool inputs. */
const MAX_DEPTH = 32;

const scans = new WeakMap<object, HeaderParameter[]>();

/**
 * The header parameters a tool's input schema declares, reached from the root through
 * `properties` alone (the only place SEP-2243 allows them). Declarations that break the rules
 * are skipped here: on the modern era the SDK has already dropped such tools from the listing,
 * and on other connections nothing is mirrored at all. Cached per schema object.
 */
export function headerParametersOf(inputSchema: unknown): HeaderParameter[] {
  if (typeof inputSchema !== 'object' || inputSchema === null) return [];
  const cached = scans.get(inputSchema);
  if (cached) return cached;
  const found: HeaderParameter[] = [];
  const visit = (schema: Record<string, unknown>, path: string[]): void => {
    const properties = schema.properties;
    if (path.length >= MAX_DEPTH || typeof properties !== 'object' || properties === null) return;
    for (const [key, child] of Object.entries(properties)) {
      if (typeof child !== 'object' || child === null || Array.isArray(child)) continue;
      const property = child as Record<string, unknown>;
      const name = property[HEADER_PARAMETER_KEYWORD];
      const type = property.type;
      if (
        typeof name === 'string' &&
        TOKEN.test(name) &&
        typeof type === 'string' &&
        PERMITTED_TYPES.has(type)
      ) {
        found.push({
          path: [...path, key],
          header: `${HEADER_PARAMETER_PREFIX}${name}`,
          type: type as HeaderParameter['type'],
        });
      }
      visit(property, [...path, key]);
    }
  };
  visit(inputSchema as Record<string, unknown>, []);
  scans.set(inputSchema, found);
  return found;
}

/**
 * What is wrong with the values `args` gives the declared header parameters: one issue per value
 * that cannot be mirrored into its header exactly. `null` and absent values are fine (their
 * header is left out, as the SEP says).
 */
export function headerArgumentIssues(
  parameters: readonly HeaderParameter[],
  args: Record<string, unknown>,
): ArgumentIssue[] {
  const issues: ArgumentIssue[] = [];
  for (const parameter of parameters) {
    const value = valueAt(args, parameter.path);
    if (value === undefined || value === null) continue;
    const problem = problemWith(value, parameter.type);
    if (problem === undefined) continue;
    issues.push({
      path: parameter.path,
      pathText: formatArgumentPath(parameter.path),
      message: `cannot be sent in its ${parameter.header} header (SEP-2243): ${problem}`,
      keyword: HEADER_PARAMETER_KEYWORD,
    });
  }
  return issues;
}

function problemWith(value: unknown, type: HeaderParameter['type']): string | undefined {
  if (type === 'string')
    return typeof value === 'string' ? undefined : `expected a string, got ${kindOf(value)}`;
  if (type === 'boolean') {
    return typeof value === 'boolean' ? undefined : `expected a boolean, got ${kindOf(value)}`;
  }
  if (typeof value !== 'number' || !Number.isInteger(value))
    return `expected an integer, got ${kindOf(value)}`;
  if (!Number.isSafeInteger(value)) {
    return 'the integer is beyond ±(2^53 − 1), so its decimal form would not be exact';
  }
  return undefined;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a non-integer number' : String(value);
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function valueAt(root: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}
