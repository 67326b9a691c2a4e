/**
 * The validator against schemas a hostile or careless server could publish, on whichever engine
 * this runtime gets (the `no-codegen` project runs this file again on the interpreted engine).
 */
import { describe, expect, it } from 'vitest';
import { nativeRegExpSources } from '../../test/support/native-regexp-runs.js';
import { InvalidArgumentsError } from '../errors/invalid-arguments-error.js';
import { JSONSchemaValidator } from './json-schema-validator.js';
import { SCHEMA_LIMITS } from './schema-inspection.js';

const validator = new JSONSchemaValidator();

describe('hostile schemas', () => {
  it('sees a pattern run on the native (backtracking) engine: the probe below can fail', async () => {
    const { sources } = await nativeRegExpSources(() => /^(a+)+$/.test('aaa!'));
    expect(sources).toContain('^(a+)+$');
  });

  it('matches patterns in linear time, including patternProperties and format checks', async () => {
    const schema = {
      type: 'object',
      properties: {
        text: { type: 'string', pattern: '^(a+)+$' },
        alternation: { type: 'string', pattern: '^(a|aa)*c$' },
        site: { type: 'string', format: 'url' },
      },
      patternProperties: { '^(b+)+$': { type: 'string' } },
      additionalProperties: false,
    };
    const compiled = validator.compile(schema);
    expect(compiled.compileError).toBeUndefined();
    // Each of these takes a backtracking engine minutes (or years): none may reach it.
    const { sources } = await nativeRegExpSources(() => {
      expect(compiled.validate({ text: `${'a'.repeat(100_000)}!` }).valid).toBe(false);
      expect(compiled.validate({ alternation: 'a'.repeat(100_000) }).valid).toBe(false);
      expect(compiled.validate({ [`${'b'.repeat(10_000)}!`]: 'x' }).valid).toBe(false);
      compiled.validate({ site: `http://${'a'.repeat(40)} ` });
    });
    expect(sources).not.toContain('^(a+)+$');
    expect(sources).not.toContain('^(a|aa)*c$');
    expect(sources).not.toContain('^(b+)+$');
    expect(compiled.validate({ text: 'aaa', alternation: 'aac', bbb: 'x' })).toEqual({ valid: true });
  });

  it('keeps ECMAScript pattern syntax RE2 shares: classes, Unicode, named groups, unanchored search', () => {
    const compiled = validator.compile({
      type: 'object',
      properties: {
        year: { type: 'string', pattern: '^(?<year>\\d{4})$' },
        word: { type: 'string', pattern: '\\p{L}+' },
        hex: { type: 'string', pattern: '^[\\u0041-\\u0046\\d]+$' },
        inside: { type: 'string', pattern: 'needle' },
      },
    });
    expect(compiled.compileError).toBeUndefined();
    expect(compiled.validate({ year: '2026', word: 'été', hex: 'AF09', inside: 'hayneedlehay' }).valid).toBe(
      true,
    );
    for (const bad of [{ year: '26' }, { word: '123' }, { hex: 'AG' }, { inside: 'hay' }]) {
      expect(compiled.validate(bad).valid, JSON.stringify(bad)).toBe(false);
    }
  });

  it('refuses lookarounds and backreferences: the schema cannot compile and validates nothing', () => {
    for (const pattern of ['^(?=a)a$', '(?!x)y', '(a)\\1', '(?<=a)b']) {
      const compiled = validator.compile({ type: 'object', properties: { a: { type: 'string', pattern } } });
      expect(compiled.compileError, pattern).toMatch(/lookaround or backreference/);
      expect(compiled.validate({ a: 'anything' })).toEqual({ valid: true });
    }
  });

  it('treats schemas that refer to themselves in place as schemas that cannot compile', () => {
    const cases = [
      { type: 'object', $ref: '#' },
      { type: 'object', allOf: [{ $ref: '#' }] },
      { type: 'object', properties: { value: { anyOf: [{ $ref: '#/properties/value' }] } } },
      {
        type: 'object',
        $defs: { a: { $ref: '#/$defs/b' }, b: { not: { $ref: '#/$defs/a' } } },
        $ref: '#/$defs/a',
      },
      { type: 'object', $defs: { node: { $anchor: 'node', oneOf: [{ $ref: '#node' }] } }, $ref: '#node' },
      { $id: 'https://example.com/s', type: 'object', if: { $ref: 'https://example.com/s' } },
      { type: 'object', $dynamicAnchor: 'meta', anyOf: [{ $dynamicRef: '#meta' }] },
    ];
    for (const schema of cases) {
      const compiled = validator.compile(schema);
      expect(compiled.compileError, JSON.stringify(schema)).toMatch(/refers to itself/);
      expect(compiled.validate({ any: 'thing' })).toEqual({ valid: true });
    }
    // Recursion that descends into the arguments is fine (how recursive zod types are emitted).
    const tree = { type: 'object', properties: { child: { $ref: '#' }, name: { type: 'string' } } };
    expect(validator.compile(tree).compileError).toBeUndefined();
    expect(validator.compile(tree).validate({ child: { child: { name: 1 } } }).valid).toBe(false);
  });

  it('treats too deep, too large and nonsense-typed schemas as schemas that cannot compile', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < SCHEMA_LIMITS.maxDepth + 5; level++)
      deep = { type: 'object', properties: { a: deep } };
    expect(validator.compile(deep).compileError).toMatch(/more than 128 levels deep/);

    const huge = {
      type: 'object',
      properties: { a: { enum: new Array(SCHEMA_LIMITS.maxNodes + 1).fill(0) } },
    };
    expect(validator.compile(huge).compileError).toMatch(/more than 500000/);

    expect(validator.compile({ type: 'object', properties: { a: { type: 'text' } } }).compileError).toMatch(
      /unknown type "text"/,
    );
  });

  it('does not mistake data for schemas: a property named "pattern", an enum holding a schema', () => {
    const compiled = validator.compile({
      type: 'object',
      properties: { pattern: { type: 'string' }, kind: { enum: [{ $ref: '#' }, { pattern: '(?=x)' }] } },
    });
    expect(compiled.compileError).toBeUndefined();
    expect(compiled.validate({ pattern: 'x', kind: { $ref: '#' } }).valid).toBe(true);
  });

  it('summarizes a huge enum and bounds every text of an issue', () => {
    const allowed = Array.from({ length: 50_000 }, (_, index) => `value-${index}`);
    const longName = 'n'.repeat(100_000);
    const compiled = validator.compile({
      type: 'object',
      properties: { unit: { enum: allowed }, big: { const: 'c'.repeat(100_000) } },
      additionalProperties: false,
    });
    const result = compiled.validate({ unit: 'x', big: 'd', [longName]: 1 });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.issues.map((issue) => issue.keyword).sort()).toEqual([
      'additionalProperties',
      'const',
      'enum',
    ]);
    for (const issue of result.issues) {
      expect(issue.message.length).toBeLessThanOrEqual(300);
      expect(issue.pathText.length).toBeLessThanOrEqual(200);
      for (const segment of issue.path) expect(String(segment).length).toBeLessThanOrEqual(200);
    }
    expect(result.issues.find((issue) => issue.keyword === 'enum')?.message).toBe(
      'must be one of 50000 allowed values, such as "value-0", "value-1", "value-2"',
    );
  });

  it('keeps the first issues of a huge invalid array and counts the rest', () => {
    const compiled = validator.compile({
      type: 'object',
      properties: { ids: { type: 'array', items: { type: 'integer' } } },
    });
    const result = compiled.validate({ ids: Array.from({ length: 10_000 }, (_, index) => `id-${index}`) });
    expect(result).toMatchObject({ valid: false, issueCount: 10_000 });
    if (result.valid) return;
    expect(result.issues).toHaveLength(50);
    const error = new InvalidArgumentsError({
      tool: 't',
      issues: result.issues,
      issueCount: result.issueCount,
    });
    expect(error.message.split('\n')).toHaveLength(1 + 10 + 1);
    expect(error.message).toMatch(/ids\[0\]: must be integer[\s\S]*… and 9990 more problems$/);
  });

  it('reports arguments nested too deeply to check instead of crashing', () => {
    const schema = { type: 'object', properties: { node: { $ref: '#' } } };
    let args: Record<string, unknown> = {};
    for (let level = 0; level < 200_000; level++) args = { node: args };
    const result = validator.compile(schema).validate(args);
    expect(result).toMatchObject({ valid: false, issues: [{ pathText: '(arguments)', keyword: 'depth' }] });
  });
});
