// Renders a JSON Schema readably: one row per property with its type (enums, unions and arrays
// spelled out), whether it is required, its description, default and constraints; nested
// objects and arrays indented. The raw JSON is one click away.
import { h } from './dom.js';
import { resolveRef } from './schema-tools.js';

const MAX_DEPTH = 6;

export function schemaView(schema, root = schema) {
  const properties = objectProperties(schema, root);
  if (!properties) return h('p', { class: 'muted' }, typeLabel(schema, root));
  if (properties.length === 0) return h('p', { class: 'muted' }, 'No arguments.');
  return h(
    'ul',
    { class: 'schema-tree' },
    properties.map(([name, property, required]) => propertyRow(name, property, required, root, 0)),
  );
}

function objectProperties(schema, root) {
  const resolved = resolveRef(schema, root);
  if (!resolved || typeof resolved !== 'object' || !resolved.properties) return undefined;
  const required = new Set(Array.isArray(resolved.required) ? resolved.required : []);
  return Object.entries(resolved.properties).map(([name, property]) => [name, property, required.has(name)]);
}

function propertyRow(name, rawSchema, required, root, depth) {
  const schema = resolveRef(rawSchema, root) ?? {};
  const constraints = constraintText(schema);
  let nested;
  if (depth < MAX_DEPTH) {
    const properties = objectProperties(schema, root);
    const items =
      schema.type === 'array' && schema.items && typeof schema.items === 'object'
        ? objectProperties(schema.items, root)
        : undefined;
    const children = properties ?? items;
    if (children?.length)
      nested = h(
        'ul',
        { class: 'schema-tree' },
        children.map(([childName, child, childRequired]) =>
          propertyRow(items ? `${childName}` : childName, child, childRequired, root, depth + 1),
        ),
      );
  }
  return h(
    'li',
    { 'data-property': name },
    h('code', { class: 'property' }, name),
    required ? h('span', { class: 'required', title: 'required', 'aria-label': 'required' }, '*') : undefined,
    ' ',
    h('span', { class: 'type' }, typeLabel(schema, root)),
    schema.description ? h('span', { class: 'description' }, ` — ${schema.description}`) : undefined,
    constraints ? h('span', { class: 'constraints' }, ` (${constraints})`) : undefined,
    nested,
  );
}

export function typeLabel(rawSchema, root, depth = 0) {
  const schema = resolveRef(rawSchema, root);
  if (schema === true || schema === undefined) return 'any';
  if (schema === false) return 'nothing';
  if (depth > MAX_DEPTH) return '…';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum))
    return `one of ${schema.enum.map((value) => JSON.stringify(value)).join(' | ')}`;
  const union = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(union))
    return union.map((variant) => variant.title ?? typeLabel(variant, root, depth + 1)).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (type === 'array') return `array of ${schema.items ? typeLabel(schema.items, root, depth + 1) : 'any'}`;
  if (type === 'object' || (!type && schema.properties))
    return schema.title ? `object (${schema.title})` : 'object';
  if (type === 'string' && schema.format) return `string (${schema.format})`;
  return type ?? (Array.isArray(schema.allOf) ? 'all of several schemas' : 'any');
}

function constraintText(schema) {
  const parts = [];
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  for (const [key, label] of [
    ['minimum', '≥'],
    ['exclusiveMinimum', '>'],
    ['maximum', '≤'],
    ['exclusiveMaximum', '<'],
    ['minLength', 'min length'],
    ['maxLength', 'max length'],
    ['minItems', 'min items'],
    ['maxItems', 'max items'],
  ]) {
    if (typeof schema[key] === 'number') parts.push(`${label} ${schema[key]}`);
  }
  if (schema.pattern) parts.push(`pattern ${schema.pattern}`);
  return parts.join(', ');
}
