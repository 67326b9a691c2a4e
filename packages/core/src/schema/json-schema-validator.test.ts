import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { detectDialect, JSONSchemaValidator, type ValidationResult } from './json-schema-validator.js';

/** A full garbage collection, so heap sizes can be compared. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const validator = new JSONSchemaValidator();
const check = (schema: Record<string, unknown> | boolean, value: unknown): ValidationResult =>
  validator.compile(schema).validate(value);
const issuesOf = (schema: Record<string, unknown> | boolean, value: unknown) => {
  const result = check(schema, value);
  return result.valid ? [] : result.issues.map((issue) => ({ path: issue.pathText, keyword: issue.keyword }));
};

describe('JSONSchemaValidator', () => {
  describe('dialects', () => {
    it('detects the dialect from $schema, defaulting to 2020-12 as MCP says', () => {
      expect(detectDialect({ $schema: 'http://json-schema.org/draft-07/schema#' })).toBe('draft-07');
      expect(detectDialect({ $schema: 'http://json-schema.org/draft-04/schema#' })).toBe('draft-07');
      expect(detectDialect({ $schema: 'https://json-schema.org/draft/2019-09/schema' })).toBe('2019-09');
      expect(detectDialect({ $schema: 'https://json-schema.org/draft/2020-12/schema' })).toBe('2020-12');
      expect(detectDialect({ type: 'object' })).toBe('2020-12');
      // Tuple `items: [...]` only means a tuple before 2020-12.
      expect(detectDialect({ type: 'object', properties: { pair: { items: [{}, {}] } } })).toBe('draft-07');
    });

    it('validates draft-07: definitions, tuple items, additionalItems, dependencies', () => {
      const schema = {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        definitions: {
          point: { type: 'array', items: [{ type: 'number' }, { type: 'number' }], additionalItems: false },
        },
        properties: {
          at: { $ref: '#/definitions/point' },
          card: { type: 'string' },
          cvc: { type: 'string' },
        },
        dependencies: { card: ['cvc'] },
      };
      expect(check(schema, { at: [1, 2] }).valid).toBe(true);
      expect(issuesOf(schema, { at: [1, 'two'] })).toEqual([{ path: 'at[1]', keyword: 'type' }]);
      expect(issuesOf(schema, { at: [1, 2, 3] })).toEqual([{ path: 'at', keyword: 'additionalItems' }]);
      expect(check(schema, { card: '4111' })).toEqual({
        valid: false,
        issues: [
          {
            path: ['cvc'],
            pathText: 'cvc',
            message: 'is required when "card" is present',
            keyword: 'dependencies',
          },
        ],
      });
    });

    it('validates 2020-12: $defs, prefixItems, dependentRequired, unevaluatedProperties', () => {
      const schema = {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        $defs: {
          point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false },
        },
        properties: { at: { $ref: '#/$defs/point' }, card: { type: 'string' }, cvc: { type: 'string' } },
        dependentRequired: { card: ['cvc'] },
        unevaluatedProperties: false,
      };
      expect(check(schema, { at: [1, 2], card: 'x', cvc: '1' }).valid).toBe(true);
      expect(issuesOf(schema, { at: [1, 'two'] })).toEqual([{ path: 'at[1]', keyword: 'type' }]);
      expect(issuesOf(schema, { at: [1, 2, 3] })).toEqual([{ path: 'at', keyword: 'items' }]);
      expect(issuesOf(schema, { card: 'x' })).toEqual([{ path: 'cvc', keyword: 'dependentRequired' }]);
      expect(issuesOf(schema, { extra: 1 })).toEqual([{ path: 'extra', keyword: 'unevaluatedProperties' }]);
    });
  });

  it('follows recursive $ref through $defs, with the full path of a deep problem', () => {
    const schema = {
      type: 'object',
      $defs: {
        node: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/node' } },
          },
        },
      },
      properties: { root: { $ref: '#/$defs/node' } },
      required: ['root'],
    };
    const tree = { root: { name: 'a', children: [{ name: 'b', children: [{ name: 'c' }, { name: 'd' }] }] } };
    expect(check(schema, tree).valid).toBe(true);
    const broken = {
      root: { name: 'a', children: [{ name: 'b', children: [{ name: 'c' }, { title: 'd' }] }] },
    };
    expect(issuesOf(schema, broken)).toEqual([
      { path: 'root.children[0].children[1].name', keyword: 'required' },
    ]);
  });

  it('follows a self-reference to the root ($ref: "#"), as recursive zod types are emitted', () => {
    const schema = {
      type: 'object',
      properties: { value: { type: 'number' }, next: { $ref: '#' } },
      additionalProperties: false,
    };
    expect(check(schema, { value: 1, next: { value: 2, next: { value: 3 } } }).valid).toBe(true);
    expect(issuesOf(schema, { value: 1, next: { next: { valu: 3 } } })).toEqual([
      { path: 'next.next.valu', keyword: 'additionalProperties' },
    ]);
    expect(validator.compile(schema).compileError).toBeUndefined();
    expect(schema).not.toHaveProperty('$id');
  });

  it('follows a root $ref into draft-07 definitions', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $ref: '#/definitions/Args',
      definitions: {
        Args: {
          type: 'object',
          properties: { n: { type: 'number' }, child: { $ref: '#/definitions/Args' } },
          required: ['n'],
        },
      },
    };
    expect(check(schema, { n: 1, child: { n: 2 } }).valid).toBe(true);
    expect(issuesOf(schema, { n: 1, child: {} })).toEqual([{ path: 'child.n', keyword: 'required' }]);
  });

  it('handles anyOf, and oneOf with const discriminators', () => {
    const shape = {
      type: 'object',
      properties: {
        shape: {
          oneOf: [
            {
              type: 'object',
              properties: { kind: { const: 'circle' }, radius: { type: 'number' } },
              required: ['kind', 'radius'],
            },
            {
              type: 'object',
              properties: { kind: { const: 'square' }, side: { type: 'number' } },
              required: ['kind', 'side'],
            },
          ],
        },
        id: {
          anyOf: [
            { type: 'string', minLength: 1 },
            { type: 'integer', minimum: 1 },
          ],
        },
      },
    };
    expect(check(shape, { shape: { kind: 'circle', radius: 2 }, id: 'x' }).valid).toBe(true);
    expect(check(shape, { shape: { kind: 'square', side: 2 }, id: 7 }).valid).toBe(true);
    const wrongKind = check(shape, { shape: { kind: 'triangle', side: 2 } });
    expect(wrongKind.valid).toBe(false);
    if (!wrongKind.valid) {
      expect(wrongKind.issues.map((issue) => issue.pathText)).toContain('shape.kind');
      expect(wrongKind.issues.some((issue) => issue.message === 'must be "circle"')).toBe(true);
      expect(wrongKind.issues.some((issue) => issue.pathText === 'shape' && issue.keyword === 'oneOf')).toBe(
        true,
      );
    }
    expect(issuesOf(shape, { id: 0 }).map((issue) => issue.path)).toEqual(['id', 'id', 'id']);
  });

  it('accepts null for nullable fields, in both spellings', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: ['string', 'null'] }, b: { type: 'string', nullable: true } },
    };
    expect(check(schema, { a: null, b: null }).valid).toBe(true);
    expect(check(schema, { a: 'x', b: 'y' }).valid).toBe(true);
    expect(issuesOf(schema, { a: 1 })).toEqual([{ path: 'a', keyword: 'type' }]);
  });

  it('lists the allowed values of an enum', () => {
    const result = check({ type: 'object', properties: { unit: { enum: ['C', 'F', null] } } }, { unit: 'K' });
    expect(result).toEqual({
      valid: false,
      issues: [
        { path: ['unit'], pathText: 'unit', message: 'must be one of "C", "F", null', keyword: 'enum' },
      ],
    });
  });

  it('checks formats, and tolerates formats it does not know', () => {
    const schema = {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        when: { type: 'string', format: 'date-time' },
        id: { type: 'string', format: 'uuid' },
        site: { type: 'string', format: 'uri' },
        color: { type: 'string', format: 'x-brand-color' },
      },
    };
    expect(
      check(schema, {
        email: 'ada@example.com',
        when: '2026-01-02T03:04:05Z',
        id: '123e4567-e89b-12d3-a456-426614174000',
        site: 'https://example.com/a',
        color: 'anything',
      }).valid,
    ).toBe(true);
    expect(
      issuesOf(schema, { email: 'not-an-email', when: 'yesterday', id: '42', site: 'not a uri' }),
    ).toEqual([
      { path: 'email', keyword: 'format' },
      { path: 'when', keyword: 'format' },
      { path: 'id', keyword: 'format' },
      { path: 'site', keyword: 'format' },
    ]);
  });

  it('accepts tools without parameters, and boolean schemas', () => {
    for (const schema of [{ type: 'object' }, { type: 'object', properties: {} }, {}]) {
      expect(check(schema, {}).valid).toBe(true);
    }
    expect(issuesOf({ type: 'object', properties: {}, additionalProperties: false }, { x: 1 })).toEqual([
      { path: 'x', keyword: 'additionalProperties' },
    ]);
    expect(check(true, { anything: 1 }).valid).toBe(true);
    expect(check(false, {})).toMatchObject({ valid: false, issues: [{ pathText: '(arguments)' }] });
  });

  it('writes paths the way a user reads them, and reports each problem once', () => {
    const schema = {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: { type: 'object', required: ['name'], properties: { 'display name': { type: 'string' } } },
        },
      },
      required: ['items', 'owner'],
    };
    const result = check(schema, { items: [{ name: 'a' }, { 'display name': 3 }] });
    expect(result.valid).toBe(false);
    if (!result.valid) {
      expect(result.issues.map((issue) => [issue.pathText, issue.message])).toEqual([
        ['owner', 'is required'],
        ['items[1].name', 'is required'],
        ['items[1]["display name"]', 'must be string'],
      ]);
      expect(result.issues[2]?.path).toEqual(['items', 1, 'display name']);
    }
  });

  it('keeps schemas that reuse an $id apart', () => {
    const first = { $id: 'https://example.com/args', type: 'object', required: ['a'] };
    const second = { $id: 'https://example.com/args', type: 'object', required: ['b'] };
    expect(check(first, { a: 1 }).valid).toBe(true);
    expect(check(second, { b: 1 }).valid).toBe(true);
    expect(check(second, { a: 1 }).valid).toBe(false);
  });

  it('lets a broken schema through to the server instead of failing every call', () => {
    const compiled = validator.compile({ type: 'object', properties: { a: { type: 'no-such-type' } } });
    expect(compiled.compileError).toEqual(expect.any(String));
    expect(compiled.validate({ a: 1 })).toEqual({ valid: true });
    const unresolvable = validator.compile({
      type: 'object',
      properties: { a: { $ref: 'https://example.com/remote.json' } },
    });
    expect(unresolvable.compileError).toEqual(expect.any(String));
  });

  it('compiles each schema object once', () => {
    const schema = { type: 'object' };
    expect(validator.compile(schema)).toBe(validator.compile(schema));
  });

  it('keeps at most cacheSize compiled schemas and releases the rest: tool-list churn does not grow memory', () => {
    const bounded = new JSONSchemaValidator({ cacheSize: 20 });
    const churn = (round: number) => {
      for (let index = 0; index < 200; index++) {
        // A new schema object each time, as after a `tools/list_changed`; ~60 KB compiled.
        const allowed = Array.from(
          { length: 500 },
          (_, value) => `round-${round}-tool-${index}-value-${value}`,
        );
        const schema = { type: 'object', properties: { unit: { enum: allowed } } };
        expect(bounded.compile(schema).validate({ unit: 'nope' }).valid).toBe(false);
      }
    };
    churn(0);
    collectGarbage();
    const afterFirstRound = process.memoryUsage().heapUsed;
    churn(1);
    churn(2);
    collectGarbage();
    const growth = process.memoryUsage().heapUsed - afterFirstRound;
    expect(bounded.cachedSchemas).toBe(20);
    // Kept forever, the 400 schemas of rounds 1 and 2 would hold ~25 MB; bounded, next to nothing.
    expect(growth).toBeLessThan(15 * 1024 * 1024);
    // A schema dropped from the cache compiles again when it comes back.
    const schema = { type: 'object', required: ['a'] };
    const first = bounded.compile(schema);
    for (let index = 0; index < 25; index++) bounded.compile({ type: 'object', title: String(index) });
    expect(bounded.compile(schema)).not.toBe(first);
    expect(bounded.compile(schema).validate({}).valid).toBe(false);
  });

  it('refuses a cache size that is not a positive integer', () => {
    for (const cacheSize of [0, -1, 1.5, Number.NaN]) {
      expect(() => new JSONSchemaValidator({ cacheSize }), String(cacheSize)).toThrow(/cacheSize/);
    }
  });
});
