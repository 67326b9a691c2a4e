/**
 * SEP-2243 header parameters (MCP 2026-07-28, Streamable HTTP, "Custom Headers from Tool
 * Parameters"): a tool marks an argument with `x-mcp-header: "Region"` in its input schema, and
 * clients mirror its value into an `Mcp-Param-Region` header so intermediaries can route on it
 * without reading the body. Conforming clients drop a tool whose declarations break the rules,
 * so the publisher refuses such a tool at start-up (`CONFIG_INVALID`, naming the tool and the
 * property) instead of publishing a tool clients silently ignore. The rules:
 * - the value is a non-empty HTTP field-name token (RFC 9110 §5.1), unique (ignoring case) in the tool;
 * - the property's `type` is `string`, `integer` or `boolean` (`number` is not permitted);
 * - the property is statically reachable from the root through `properties` keys only (not under
 *   `items`, `oneOf`/`anyOf`/`allOf`/`not`, `if`/`then`/`else`, `$defs`, `$ref`, …).
 * Requests are checked against the declarations by the SDK's 2026-07-28 HTTP entry (see
 * `build-server.ts`).
 */
import { ToolwireError } from '@toolwire/core';

export const HEADER_KEYWORD = 'x-mcp-header';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PERMITTED_TYPES = new Set(['string', 'integer', 'boolean']);
/** Keywords whose values are instance data, not subschemas. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);

/** A declared header parameter: its property path and the header name suffix. */
export interface HeaderParam {
  path: string[];
  header: string;
}

/** The tool's header parameters; throws `CONFIG_INVALID` when a declaration breaks the rules. */
export function checkHeaderParams(inputSchema: Record<string, unknown>, tool: string): HeaderParam[] {
  const params: HeaderParam[] = [];
  const seen = new Map<string, string>();
  const fail = (path: readonly string[], problem: string): never => {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      tool,
      message: `Tool "${tool}": ${path.length === 0 ? 'the input schema root' : `input property "${path.join('.')}"`} ${problem} (SEP-2243 x-mcp-header).`,
    });
  };

  const visit = (node: unknown, path: string[], reachable: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, path, false);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const schema = node as Record<string, unknown>;
    if (HEADER_KEYWORD in schema) {
      const header = schema[HEADER_KEYWORD];
      if (!reachable || path.length === 0) {
        fail(
          path,
          `carries ${HEADER_KEYWORD} where it is not allowed: only on a property reached from the root through "properties" alone`,
        );
      }
      if (typeof header !== 'string' || !TOKEN.test(header)) {
        fail(
          path,
          `has ${HEADER_KEYWORD} ${JSON.stringify(header)}, which is not an HTTP header name token (letters, digits, and !#$%&'*+-.^_\`|~)`,
        );
      }
      const name = header as string;
      if (typeof schema.type !== 'string' || !PERMITTED_TYPES.has(schema.type)) {
        fail(
          path,
          `has ${HEADER_KEYWORD} "${name}" but type ${JSON.stringify(schema.type ?? null)}; only string, integer and boolean properties may be mirrored into headers`,
        );
      }
      const previous = seen.get(name.toLowerCase());
      if (previous !== undefined) {
        fail(
          path,
          `has ${HEADER_KEYWORD} "${name}", which another property already uses ("${previous}"; header names ignore case)`,
        );
      }
      seen.set(name.toLowerCase(), path.join('.'));
      params.push({ path, header: name });
    }
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword === HEADER_KEYWORD || DATA_KEYWORDS.has(keyword)) continue;
      if (keyword === 'properties' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [property, child] of Object.entries(value)) visit(child, [...path, property], reachable);
        continue;
      }
      // Any other subschema (items, composition, conditionals, definitions…) is not reachable.
      visit(value, [...path, `<${keyword}>`], false);
    }
  };

  visit(inputSchema, [], true);
  return params;
}
