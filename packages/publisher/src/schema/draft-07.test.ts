/** The 2020-12 → draft-07 rewrite of listed input schemas, keyword by keyword. */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DRAFT_07_URI, toDraft07 } from './draft-07.js';

/**
 * Ajv's default class is draft-07; strict mode refuses keywords draft-07 does not know (its
 * tuple and type style checks are about taste, not validity, and stay off).
 */
const draft07 = () => new Ajv({ strict: true, strictTuples: false, strictTypes: false, allErrors: true });

describe('toDraft07', () => {
  it('moves $defs to definitions and rewrites local references, nested ones too', () => {
    const converted = toDraft07(
      {
        type: 'object',
        properties: {
          node: { $ref: '#/$defs/node' },
          leaf: { $ref: '#/$defs/node/$defs/leaf' },
          remote: { $ref: 'https://example.com/schema.json#/$defs/x' },
        },
        $defs: {
          node: {
            type: 'object',
            properties: { children: { type: 'array', items: { $ref: '#/$defs/node' } } },
            $defs: { leaf: { type: 'string' } },
          },
        },
      },
      'tree',
    );
    expect(converted).toEqual({
      $schema: DRAFT_07_URI,
      type: 'object',
      properties: {
        node: { $ref: '#/definitions/node' },
        leaf: { $ref: '#/definitions/node/definitions/leaf' },
        remote: { $ref: 'https://example.com/schema.json#/$defs/x' },
      },
      definitions: {
        node: {
          type: 'object',
          properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } } },
          definitions: { leaf: { type: 'string' } },
        },
      },
    });
  });

  it('turns prefixItems + items into array items + additionalItems', () => {
    const converted = toDraft07(
      {
        type: 'object',
        properties: {
          pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
          open: { type: 'array', prefixItems: [{ type: 'string' }] },
          list: { type: 'array', items: { type: 'integer' } },
        },
      },
      'tuples',
    );
    expect(converted.properties).toEqual({
      pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false },
      open: { type: 'array', items: [{ type: 'string' }] },
      list: { type: 'array', items: { type: 'integer' } },
    });
    const validate = draft07().compile(converted);
    expect(validate({ pair: ['a', 1] })).toBe(true);
    expect(validate({ pair: ['a', 1, 2] })).toBe(false);
    expect(validate({ pair: [1, 'a'] })).toBe(false);
    expect(validate({ open: ['a', 3] })).toBe(true);
  });

  it('keeps keywords beside $ref in force with allOf, as 2020-12 applies them', () => {
    const converted = toDraft07(
      {
        type: 'object',
        properties: { name: { $ref: '#/$defs/text', maxLength: 3, description: 'short' } },
        $defs: { text: { type: 'string' } },
      },
      'refs',
    );
    expect(converted.properties).toEqual({
      name: { maxLength: 3, description: 'short', allOf: [{ $ref: '#/definitions/text' }] },
    });
    const validate = draft07().compile(converted);
    expect(validate({ name: 'abc' })).toBe(true);
    expect(validate({ name: 'abcd' })).toBe(false);
    expect(validate({ name: 4 })).toBe(false);
  });

  it('merges dependentRequired and dependentSchemas into dependencies', () => {
    const converted = toDraft07(
      {
        type: 'object',
        dependentRequired: { card: ['expiry'] },
        dependentSchemas: { coupon: { properties: { code: { type: 'string', prefixItems: [] } } } },
      },
      'deps',
    );
    expect(converted.dependencies).toEqual({
      card: ['expiry'],
      coupon: { properties: { code: { type: 'string', items: [] } } },
    });
  });

  it('refuses what draft-07 cannot express, naming the tool and the schema path', () => {
    const convert = () =>
      toDraft07(
        { type: 'object', properties: { tags: { type: 'array', contains: { const: 'a' }, minContains: 2 } } },
        'tagger',
      );
    expect(convert).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        tool: 'tagger',
        message: expect.stringContaining('/properties/tags/minContains'),
      }),
    );
    expect(() => toDraft07({ type: 'object', unevaluatedProperties: false }, 'strict')).toThrow(
      /unevaluatedProperties/,
    );
    expect(() => toDraft07({ type: 'object', $defs: { a: {} }, definitions: { a: {} } }, 'twice')).toThrow(
      /"a" is defined twice/,
    );
  });

  it('leaves a schema that already declares draft-07 alone, and drops nested $schema markers', () => {
    const declared = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', definitions: {} };
    expect(toDraft07(declared, 'declared')).toBe(declared);
    expect(
      toDraft07(
        {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: { a: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'string' } },
        },
        'marked',
      ),
    ).toEqual({ $schema: DRAFT_07_URI, type: 'object', properties: { a: { type: 'string' } } });
  });

  it('does not take property names for keywords', () => {
    const converted = toDraft07(
      { type: 'object', properties: { $defs: { type: 'string' }, prefixItems: { type: 'number' } } },
      'names',
    );
    expect(converted.properties).toEqual({ $defs: { type: 'string' }, prefixItems: { type: 'number' } });
  });
});
