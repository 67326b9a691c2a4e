/**
 * Minimal valid arguments for a JSON Schema, and one invalid variant with the path it breaks,
 * so the schema round-trip test can cover every tool a real server publishes without
 * hand-writing arguments for each.
 */
type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolve(root: Schema, ref: string): Schema {
  const target = ref
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((value, segment) => (isSchema(value) ? value[segment] : undefined), root);
  if (!isSchema(target)) throw new Error(`cannot resolve ${ref}`);
  return target;
}

/** A value the schema accepts; `all: true` also fills optional properties. */
export function sampleValue(schema: unknown, root: Schema, all = false, depth = 0): unknown {
  if (!isSchema(schema)) return {};
  if (typeof schema.$ref === 'string') return sampleValue(resolve(root, schema.$ref), root, all, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const union = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return sampleValue(union[0], root, all, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((item) => item !== 'null') : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uri') return 'https://example.com/x';
      if (schema.format === 'email') return 'ada@example.com';
      return 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)));
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array': {
      const count = depth > 4 ? Number(schema.minItems ?? 0) : Math.max(1, Number(schema.minItems ?? 1));
      return Array.from({ length: count }, () => sampleValue(schema.items, root, all, depth + 1));
    }
    default: {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      const value: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(properties)) {
        if (required.has(name) || (all && depth < 3))
          value[name] = sampleValue(property, root, all, depth + 1);
      }
      return value;
    }
  }
}

/** Arguments the schema rejects and the `pathText` core should report, or `undefined` if none is obvious. */
export function invalidVariant(schema: Schema): { args: Record<string, unknown>; path: string } | undefined {
  const valid = sampleValue(schema, schema) as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const [first] = required;
  if (first !== undefined) {
    const { [first]: _removed, ...rest } = valid;
    return { args: rest, path: first };
  }
  const properties = isSchema(schema.properties) ? Object.entries(schema.properties) : [];
  for (const [name, property] of properties) {
    if (
      isSchema(property) &&
      (property.type === 'number' || property.type === 'boolean' || property.type === 'string')
    ) {
      return { args: { ...valid, [name]: property.type === 'string' ? 42 : 'not-a-value' }, path: name };
    }
  }
  return undefined;
}
