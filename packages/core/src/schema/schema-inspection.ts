/**
 * Looks at a schema before any engine compiles it, without recursion (a hostile schema may be
 * deeper than the stack): it must fit the size and depth limits, must not refer to itself
 * without descending into the arguments (`{"$ref": "#"}`: every engine would recurse until the
 * stack overflows, on every call), and its regular expressions are collected for the linear-time
 * engine. A schema that fails here is one that "cannot compile".
 */

/** Limits on a tool's input schema; see docs/configuration.md (Limits). */
export const SCHEMA_LIMITS = {
  /** Subschemas nested inside each other. */
  maxDepth: 128,
  /** Subschemas plus `enum` values in all. A 1 MB enum is about 100,000. */
  maxNodes: 500_000,
} as const;

export interface SchemaInspection {
  /** Why the schema cannot compile, when it cannot. */
  problem: string | undefined;
  /** Every `pattern` and `patternProperties` key, for the linear-time engine. */
  patterns: string[];
  /** `$ref`s that point nowhere in the document (only engines that resolve lazily care). */
  unresolvedRefs: string[];
}

type SchemaNode = Record<string, unknown>;

/** Keywords whose value is one subschema. */
const singleKeywords = [
  'additionalProperties',
  'additionalItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
  'items',
  'contentSchema',
];
/** Keywords whose value is a list of subschemas. */
const listKeywords = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];
/** Keywords whose value maps names to subschemas. */
const mapKeywords = [
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
];
/** Keywords that apply their subschemas to the same value (no step into the arguments). */
const inPlaceKeywords = new Set([
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependencies',
]);

interface Located {
  node: SchemaNode;
  pointer: string;
  /** The schema resource (root or nearest `$id`) that `#…` references in this node resolve against. */
  resource: SchemaNode;
}

export function inspectSchema(root: SchemaNode): SchemaInspection {
  const patterns: string[] = [];
  const located = new Map<SchemaNode, Located>();
  const inPlace = new Map<SchemaNode, SchemaNode[]>();
  const anchors = new Map<string, SchemaNode[]>();
  const dynamicAnchors = new Map<string, SchemaNode[]>();
  const resourcesById = new Map<string, SchemaNode>();
  const refs: { from: Located; ref: string; dynamic: boolean }[] = [];
  let nodes = 0;
  const result = (problem: string | undefined, unresolvedRefs: string[] = []): SchemaInspection => ({
    problem,
    patterns,
    unresolvedRefs,
  });

  const rootId = typeof root.$id === 'string' ? absoluteId(root.$id, undefined) : undefined;
  if (rootId) resourcesById.set(rootId, root);
  const stack: {
    node: unknown;
    pointer: string;
    depth: number;
    parent: SchemaNode | undefined;
    keyword: string;
  }[] = [{ node: root, pointer: '#', depth: 0, parent: undefined, keyword: '' }];
  while (stack.length > 0) {
    const { node, pointer, depth, parent, keyword } = stack.pop()!;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
    const schema = node as SchemaNode;
    if (parent && inPlaceKeywords.has(keyword)) addEdge(inPlace, parent, schema);
    if (located.has(schema)) continue;
    nodes++;
    if (nodes > SCHEMA_LIMITS.maxNodes) return result(tooLarge());
    if (depth > SCHEMA_LIMITS.maxDepth) {
      return result(
        `the schema nests subschemas more than ${SCHEMA_LIMITS.maxDepth} levels deep (at ${shortPointer(pointer)})`,
      );
    }
    const context = contextOf(schema, pointer, located, parent);
    located.set(schema, context);
    if (Array.isArray(schema.enum)) {
      nodes += schema.enum.length;
      if (nodes > SCHEMA_LIMITS.maxNodes) return result(tooLarge());
    }
    const unknownType = unknownTypeIn(schema.type);
    if (unknownType !== undefined) {
      return result(
        `the schema names an unknown type ${JSON.stringify(unknownType.slice(0, 40))} at ${shortPointer(pointer)}`,
      );
    }
    if (typeof schema.pattern === 'string') patterns.push(schema.pattern);
    if (isRecord(schema.patternProperties)) patterns.push(...Object.keys(schema.patternProperties));
    if (typeof schema.$anchor === 'string') addEdge(anchors, schema.$anchor, schema);
    if (typeof schema.$dynamicAnchor === 'string') {
      addEdge(anchors, schema.$dynamicAnchor, schema);
      addEdge(dynamicAnchors, schema.$dynamicAnchor, schema);
    }
    if (typeof schema.$id === 'string' && schema.$id.startsWith('#'))
      addEdge(anchors, schema.$id.slice(1), schema);
    if (typeof schema.$ref === 'string') refs.push({ from: context, ref: schema.$ref, dynamic: false });
    if (typeof schema.$dynamicRef === 'string')
      refs.push({ from: context, ref: schema.$dynamicRef, dynamic: true });
    if (schema.$recursiveRef === '#') addEdge(inPlace, schema, context.resource);

    const push = (child: unknown, childPointer: string, childKeyword: string) =>
      stack.push({
        node: child,
        pointer: childPointer,
        depth: depth + 1,
        parent: schema,
        keyword: childKeyword,
      });
    for (const key of singleKeywords) {
      const child = schema[key];
      if (isRecord(child)) push(child, `${pointer}/${key}`, key);
    }
    for (const key of listKeywords) {
      const list = schema[key];
      if (!Array.isArray(list)) continue;
      for (const [index, child] of list.entries()) push(child, `${pointer}/${key}/${index}`, key);
    }
    for (const key of mapKeywords) {
      const map = schema[key];
      if (!isRecord(map)) continue;
      for (const [name, child] of Object.entries(map))
        push(child, `${pointer}/${key}/${escapeToken(name)}`, key);
    }
  }

  for (const node of located.keys()) {
    if (typeof node.$id === 'string' && !node.$id.startsWith('#')) {
      const id = absoluteId(node.$id, rootId);
      if (id && !resourcesById.has(id)) resourcesById.set(id, node);
    }
  }
  const unresolved: string[] = [];
  for (const { from, ref, dynamic } of refs) {
    const targets =
      dynamic && ref.startsWith('#') && dynamicAnchors.has(ref.slice(1))
        ? dynamicAnchors.get(ref.slice(1))!
        : resolveRef(ref, from, rootId, resourcesById, anchors);
    if (targets.length === 0) unresolved.push(ref);
    for (const target of targets) addEdge(inPlace, from.node, target);
  }

  const cycle = findCycle(root, inPlace);
  if (cycle) {
    const where = located.get(cycle)?.pointer ?? '#';
    return result(
      `the schema refers to itself at ${shortPointer(where)} without descending into the arguments (validating would never end)`,
      unresolved,
    );
  }
  return result(undefined, unresolved);
}

/** The direct subschemas of a schema object (not `enum`/`const`/`default` data). */
export function childSchemas(schema: SchemaNode): SchemaNode[] {
  const children: SchemaNode[] = [];
  for (const key of singleKeywords) if (isRecord(schema[key])) children.push(schema[key]);
  for (const key of listKeywords) {
    const list = schema[key];
    if (Array.isArray(list)) for (const child of list) if (isRecord(child)) children.push(child);
  }
  for (const key of mapKeywords) {
    const map = schema[key];
    if (isRecord(map)) for (const child of Object.values(map)) if (isRecord(child)) children.push(child);
  }
  return children;
}

function contextOf(
  schema: SchemaNode,
  pointer: string,
  located: Map<SchemaNode, Located>,
  parent: SchemaNode | undefined,
): Located {
  const parentResource = parent ? (located.get(parent)?.resource ?? schema) : schema;
  const ownsResource = typeof schema.$id === 'string' && !schema.$id.startsWith('#');
  return { node: schema, pointer, resource: ownsResource ? schema : parentResource };
}

function resolveRef(
  ref: string,
  from: Located,
  rootId: string | undefined,
  resourcesById: Map<string, SchemaNode>,
  anchors: Map<string, SchemaNode[]>,
): SchemaNode[] {
  if (ref.startsWith('#')) return resolveFragment(ref.slice(1), from.resource, anchors);
  const resourceId = typeof from.resource.$id === 'string' ? from.resource.$id : undefined;
  const base = resourceId ? absoluteId(resourceId, rootId) : rootId;
  let url: URL;
  try {
    url = new URL(ref, base ?? 'urn:toolwire:unresolved');
  } catch {
    return [];
  }
  const fragment = decodeURIComponent(url.hash.slice(1));
  url.hash = '';
  const resource = resourcesById.get(url.href);
  return resource ? resolveFragment(fragment, resource, anchors) : [];
}

function resolveFragment(
  fragment: string,
  resource: SchemaNode,
  anchors: Map<string, SchemaNode[]>,
): SchemaNode[] {
  if (fragment === '') return [resource];
  if (!fragment.startsWith('/')) return anchors.get(fragment) ?? [];
  let current: unknown = resource;
  for (const raw of fragment.slice(1).split('/')) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return [];
    }
    if (typeof current !== 'object' || current === null) return [];
    current = (current as Record<string, unknown>)[token];
  }
  return isRecord(current) ? [current] : [];
}

/** A node that can reach itself through in-place edges only, or undefined (iterative DFS). */
function findCycle(root: SchemaNode, edges: Map<SchemaNode, SchemaNode[]>): SchemaNode | undefined {
  const state = new Map<SchemaNode, 'open' | 'done'>();
  const starts = [root, ...edges.keys()];
  for (const start of starts) {
    if (state.has(start)) continue;
    const stack: { node: SchemaNode; next: number }[] = [{ node: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const targets = edges.get(frame.node) ?? [];
      if (frame.next >= targets.length) {
        state.set(frame.node, 'done');
        stack.pop();
        continue;
      }
      const target = targets[frame.next++]!;
      const seen = state.get(target);
      if (seen === 'open') return target;
      if (seen === undefined) {
        state.set(target, 'open');
        stack.push({ node: target, next: 0 });
      }
    }
  }
  return undefined;
}

function absoluteId(id: string, base: string | undefined): string | undefined {
  try {
    const url = new URL(id, base);
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}

function addEdge<Key, Value>(map: Map<Key, Value[]>, key: Key, value: Value): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const knownTypes = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** An entry of `type` that is no JSON Schema type (engines that do not check schemas would reject every value). */
function unknownTypeIn(type: unknown): string | undefined {
  if (type === undefined) return undefined;
  for (const entry of Array.isArray(type) ? type : [type]) {
    if (typeof entry !== 'string' || !knownTypes.has(entry)) return String(entry);
  }
  return undefined;
}

function isRecord(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

function shortPointer(pointer: string): string {
  return pointer.length <= 120 ? pointer : `${pointer.slice(0, 117)}…`;
}

function tooLarge(): string {
  return `the schema has more than ${SCHEMA_LIMITS.maxNodes} subschemas and enum values`;
}
