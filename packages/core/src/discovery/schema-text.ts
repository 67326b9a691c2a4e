/**
 * The searchable text of a tool's input schema: property names, titles, descriptions and string
 * enum values, nested objects and arrays included. Bounded (depth and size) so one huge schema
 * cannot dominate the index or slow it down.
 */

const MAX_DEPTH = 5;
const MAX_PARTS = 400;

/** Text pieces of a JSON Schema worth searching, in document order. */
export function schemaText(schema: unknown): string[] {
  const parts: string[] = [];
  visit(schema, 0, parts, new Set());
  return parts;
}

function visit(node: unknown, depth: number, parts: string[], seen: Set<unknown>): void {
  if (depth > MAX_DEPTH || parts.length >= MAX_PARTS) return;
  if (typeof node !== 'object' || node === null || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) visit(item, depth + 1, parts, seen);
    return;
  }
  const schema = node as Record<string, unknown>;
  for (const key of ['title', 'description'] as const) {
    const value = schema[key];
    if (typeof value === 'string' && value.trim() !== '') parts.push(value);
  }
  if (Array.isArray(schema.enum)) {
    for (const value of schema.enum) if (typeof value === 'string') parts.push(value);
  }
  const properties = schema.properties;
  if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) {
    for (const [name, property] of Object.entries(properties)) {
      if (parts.length >= MAX_PARTS) return;
      parts.push(name);
      visit(property, depth + 1, parts, seen);
    }
  }
  for (const key of ['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', '$defs', 'definitions']) {
    const child = schema[key];
    if (key === '$defs' || key === 'definitions') {
      if (typeof child === 'object' && child !== null) {
        for (const definition of Object.values(child)) visit(definition, depth + 1, parts, seen);
      }
    } else {
      visit(child, depth + 1, parts, seen);
    }
  }
}
