// Small JSON Schema helpers shared by the schema view and the form: local `$ref` resolution
// (`#/$defs/…`, `#/definitions/…`) and the types a schema allows.

export function resolveRef(schema, root, seen = 0) {
  if (!schema || typeof schema !== 'object' || typeof schema.$ref !== 'string') return schema;
  if (seen > 16 || !schema.$ref.startsWith('#')) return {};
  let target = root;
  for (const raw of schema.$ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    target = target && typeof target === 'object' ? target[key] : undefined;
  }
  if (!target || typeof target !== 'object') return {};
  // Keywords beside a $ref (2019-09 and later) still apply: the description, a default…
  const { $ref, ...beside } = schema;
  return resolveRef({ ...target, ...beside }, root, seen + 1);
}

/** The schema's `type` as a list (empty when it does not say). */
export function typesOf(schema) {
  if (!schema || typeof schema !== 'object') return [];
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}
