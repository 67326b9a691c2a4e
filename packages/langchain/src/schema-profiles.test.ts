/** Unit tests of the model-facing schema profiles: each documented transform, one by one. */
import type { ValidationResult } from '@toolwire/core';
import { JSONSchemaValidator } from '@toolwire/core';
import { describe, expect, it } from 'vitest';
import { GEMINI_MAX_REF_DEPTH, toModelSchema } from './schema-profiles.js';

const validator = new JSONSchemaValidator();
const validateWith =
  (schema: Record<string, unknown>) =>
  (value: unknown): ValidationResult =>
    validator.compile(schema).validate(value);

describe("'exact'", () => {
  it('hands out the very schema object, and arguments unchanged', () => {
    const schema = { type: 'object', properties: { a: { oneOf: [{ const: 1 }, { const: 2 }] } } };
    const model = toModelSchema(schema);
    expect(model.schema).toBe(schema);
    expect(model.restoreArguments({ a: null }, validateWith(schema))).toEqual({ a: null });
  });
});

describe("'openai-strict'", () => {
  it('closes objects, requires every property and makes optional ones nullable', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, default: 'x' },
        mode: { type: 'string', enum: ['a', 'b'] },
        tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        ref: { $ref: '#/definitions/item' },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        map: { type: 'object', additionalProperties: { type: 'string' } },
      },
      required: ['name'],
      definitions: { item: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } },
    };
    expect(toModelSchema(schema, 'openai-strict').schema).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        mode: { type: ['string', 'null'], enum: ['a', 'b', null] },
        tags: { type: ['array', 'null'], items: { type: 'string' } },
        ref: { anyOf: [{ $ref: '#/$defs/item' }, { type: 'null' }] },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] },
        map: { type: ['object', 'null'], properties: {}, required: [], additionalProperties: false },
      },
      required: ['name', 'mode', 'tags', 'ref', 'either', 'map'],
      additionalProperties: false,
      $defs: {
        item: {
          type: 'object',
          properties: { id: { type: 'integer' } },
          required: ['id'],
          additionalProperties: false,
        },
      },
    });
  });

  it('turns oneOf into anyOf, const into a typed enum, merges allOf and flattens tuples', () => {
    const schema = {
      type: 'object',
      properties: {
        kind: { oneOf: [{ const: 'a' }, { const: 2 }] },
        both: {
          allOf: [
            { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
            { properties: { y: { type: 'number' } }, required: ['y'] },
          ],
        },
        pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
      },
      required: ['kind', 'both', 'pair'],
    };
    expect(toModelSchema(schema, 'openai-strict').schema).toEqual({
      type: 'object',
      properties: {
        kind: {
          anyOf: [
            { enum: ['a'], type: 'string' },
            { enum: [2], type: 'integer' },
          ],
        },
        both: {
          type: 'object',
          properties: { x: { type: 'number' }, y: { type: 'number' } },
          required: ['x', 'y'],
          additionalProperties: false,
        },
        pair: {
          type: 'array',
          items: { anyOf: [{ type: 'string' }, { type: 'number' }] },
          minItems: 2,
          maxItems: 2,
        },
      },
      required: ['kind', 'both', 'pair'],
      additionalProperties: false,
    });
  });

  it('drops only the nulls the profile introduced, and only where the original rejects them', () => {
    const schema = {
      type: 'object',
      properties: {
        keep: { type: ['string', 'null'] },
        drop: { type: 'string' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { note: { type: 'string' }, id: { type: 'integer' } },
            required: ['id'],
          },
        },
        needed: { type: 'string' },
      },
      required: ['needed'],
    };
    const { restoreArguments } = toModelSchema(schema, 'openai-strict');
    const validate = validateWith(schema);
    expect(
      restoreArguments(
        {
          keep: null,
          drop: null,
          items: [
            { id: 1, note: null },
            { id: 2, note: 'n' },
          ],
          needed: 'y',
        },
        validate,
      ),
    ).toEqual({ keep: null, items: [{ id: 1 }, { id: 2, note: 'n' }], needed: 'y' });
    // A null for a required property was never introduced by the profile: it stays (and fails validation).
    expect(restoreArguments({ needed: null }, validate)).toEqual({ needed: null });
  });
});

describe("'gemini'", () => {
  it('inlines references, maps nullability and keeps only Gemini keywords', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        when: { type: ['string', 'null'], format: 'date-time' },
        url: { type: 'string', format: 'uri' },
        size: { anyOf: [{ $ref: '#/$defs/size' }, { type: 'null' }] },
        level: { enum: [1, 2] },
        tag: { const: 'fixed' },
        either: { type: ['string', 'number'] },
      },
      $defs: { size: { type: 'integer', format: 'int32', exclusiveMinimum: 0 } },
    };
    expect(toModelSchema(schema, 'gemini').schema).toEqual({
      type: 'object',
      properties: {
        when: { type: 'string', format: 'date-time', nullable: true },
        url: { type: 'string' },
        size: { type: 'integer', format: 'int32', nullable: true },
        level: { description: 'One of: 1, 2.' },
        tag: { type: 'string', enum: ['fixed'] },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      },
    });
  });

  it(`cuts recursive references after ${GEMINI_MAX_REF_DEPTH} levels`, () => {
    const schema = {
      type: 'object',
      properties: { node: { $ref: '#/$defs/node' } },
      $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } },
    };
    let level = toModelSchema(schema, 'gemini').schema.properties as Record<string, Record<string, unknown>>;
    for (let depth = 0; depth < GEMINI_MAX_REF_DEPTH; depth++) {
      const node = level.node ?? level.next;
      expect(node?.type).toBe('object');
      level = node?.properties as Record<string, Record<string, unknown>>;
    }
    expect(level.next).toEqual({ type: 'object', description: 'A nested "node" (same shape as above).' });
  });
});
