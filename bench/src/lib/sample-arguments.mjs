// Builds argument objects for a JSON Schema: a valid one that fills every property (so validation
// walks the whole schema, not just the required part) and an invalid one (a required property of
// the wrong type, or an unknown property where none are allowed). Used only to make the schema
// corpus; the capture script checks every sample with a real validator before keeping it.

const FORMAT_EXAMPLES = {
  email: 'someone@example.com',
  uri: 'https://example.com/resource',
  'uri-reference': '/resource',
  url: 'https://example.com/resource',
  'date-time': '2026-01-02T03:04:05Z',
  date: '2026-01-02',
  time: '03:04:05Z',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  hostname: 'example.com',
};

/** A value that the schema accepts, covering every listed property. */
export function validSample(schema, root = schema, depth = 0) {
  if (schema === true || schema === undefined) return 'any';
  if (depth > 8) return undefined;
  if (typeof schema.$ref === 'string')
    return validSample(resolveReference(root, schema.$ref), root, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.anyOf)) return validSample(schema.anyOf[0], root, depth + 1);
  if (Array.isArray(schema.oneOf)) return validSample(schema.oneOf[0], root, depth + 1);
  if (Array.isArray(schema.allOf)) {
    const merged = {};
    for (const part of schema.allOf) Object.assign(merged, validSample(part, root, depth + 1));
    return merged;
  }
  const type = Array.isArray(schema.type) ? schema.type.find((item) => item !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'object': {
      const value = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const sample = validSample(property, root, depth + 1);
        if (sample !== undefined) value[name] = sample;
      }
      return value;
    }
    case 'array': {
      if (Array.isArray(schema.prefixItems))
        return schema.prefixItems.map((item) => validSample(item, root, depth + 1));
      if (Array.isArray(schema.items)) return schema.items.map((item) => validSample(item, root, depth + 1));
      const count = Math.max(schema.minItems ?? 0, 2);
      const item = schema.items ? validSample(schema.items, root, depth + 1) : 'item';
      if (schema.uniqueItems && typeof item === 'string')
        return Array.from({ length: count }, (_, i) => `${item}${i}`);
      if (schema.uniqueItems && typeof item === 'number')
        return Array.from({ length: count }, (_, i) => item + i);
      return Array.from({ length: count }, () => item);
    }
    case 'string': {
      if (schema.format && FORMAT_EXAMPLES[schema.format]) return FORMAT_EXAMPLES[schema.format];
      const text = 'sample text';
      return text.padEnd(schema.minLength ?? 0, 'x').slice(0, schema.maxLength ?? Number.POSITIVE_INFINITY);
    }
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      const high = schema.maximum ?? Number.POSITIVE_INFINITY;
      return Math.min(low, high);
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'any';
  }
}

/** A value the schema rejects, or `undefined` when the schema accepts anything. */
export function invalidSample(schema) {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const valid = validSample(schema);
  if (typeof valid !== 'object' || valid === null || Array.isArray(valid)) return 42;
  const required = Array.isArray(schema.required) ? schema.required : [];
  if (required.length > 0) {
    const [first] = required;
    const property = schema.properties?.[first];
    const wrong = typeof property === 'object' && property.type === 'number' ? 'not a number' : 12345;
    return { ...valid, [first]: wrong };
  }
  const [firstTyped] = Object.entries(schema.properties ?? {}).filter(
    ([, property]) => typeof property === 'object' && typeof property.type === 'string',
  );
  if (firstTyped) {
    const [name, property] = firstTyped;
    return { ...valid, [name]: property.type === 'string' ? 12345 : 'wrong type' };
  }
  if (schema.additionalProperties === false) return { ...valid, unexpected: true };
  return undefined;
}

function resolveReference(root, reference) {
  if (reference === '#') return root;
  if (!reference.startsWith('#/')) return true;
  let node = root;
  for (const segment of reference.slice(2).split('/')) {
    node = node?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node ?? true;
}
