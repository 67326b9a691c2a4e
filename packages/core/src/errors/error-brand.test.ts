/**
 * Every error class `@toolwire/core` exports is recognisable without `instanceof` (two copies
 * of the package in one process make `instanceof` lie): it has its own `static isInstance`
 * and its instances carry a `Symbol.for` marker of their own. New error classes are found by
 * walking the exports, so forgetting the marker fails here.
 */
import { describe, expect, it } from 'vitest';
import * as core from '../index.js';
import { ToolwireError } from './toolwire-error.js';

type ErrorClass = (new (options: never) => Error) & { isInstance?: (value: unknown) => boolean };

const errorClasses: [string, ErrorClass][] = Object.entries(core as Record<string, unknown>)
  .filter(
    ([, value]) =>
      typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error,
  )
  .map(([name, value]) => [name, value as ErrorClass]);

/** Options every exported error constructor accepts (each reads what it needs). */
const sampleOptions = {
  message: 'sample message',
  code: 'INTERNAL',
  server: 'sample-server',
  tool: 'sample_tool',
  issues: [{ path: 'sample', pathText: 'sample', message: 'is wrong', keyword: 'type' }],
  suggestions: ['sample_tool_2'],
};

function registeredMarkers(value: object): symbol[] {
  return Object.getOwnPropertySymbols(value).filter(
    (symbol) => Symbol.keyFor(symbol) !== undefined && (value as Record<symbol, unknown>)[symbol] === true,
  );
}

describe('exported error classes', () => {
  it('are found by walking the exports', () => {
    expect(errorClasses.map(([name]) => name).sort()).toEqual(
      expect.arrayContaining(['ConfigError', 'InvalidArgumentsError', 'ToolNotFoundError', 'ToolwireError']),
    );
  });

  describe.each(errorClasses)('%s', (name, ErrorType) => {
    const instance = new ErrorType(sampleOptions as never) as Error & { code?: unknown };

    it('has its own static isInstance', () => {
      expect(Object.hasOwn(ErrorType, 'isInstance'), `${name} must define static isInstance()`).toBe(true);
      expect(typeof ErrorType.isInstance).toBe('function');
    });

    it('marks its instances with a Symbol.for marker of its own', () => {
      const markers = registeredMarkers(instance);
      expect(markers.length, `${name} instances carry no Symbol.for marker`).toBeGreaterThan(0);
      if (ErrorType !== ToolwireError) {
        const parentMarkers = registeredMarkers(new ToolwireError({ message: 'x', code: 'INTERNAL' }));
        const own = markers.filter((marker) => !parentMarkers.includes(marker));
        expect(own.length, `${name} reuses its parent's marker`).toBeGreaterThan(0);
      }
    });

    it('recognises its instances, and only them', () => {
      expect(ErrorType.isInstance?.(instance)).toBe(true);
      expect(ToolwireError.isInstance(instance)).toBe(true);
      for (const other of [new Error('plain'), null, undefined, 'text', { code: instance.code }]) {
        expect(ErrorType.isInstance?.(other)).toBe(false);
      }
      if (ErrorType !== ToolwireError) {
        expect(ErrorType.isInstance?.(new ToolwireError({ message: 'x', code: 'INTERNAL' }))).toBe(false);
      }
    });

    it('recognises an instance from another copy of the package (no instanceof)', () => {
      const fromElsewhere = Object.fromEntries(registeredMarkers(instance).map((marker) => [marker, true]));
      expect(fromElsewhere instanceof ErrorType).toBe(false);
      expect(ErrorType.isInstance?.(fromElsewhere)).toBe(true);
    });

    it('has a stable code and its own name', () => {
      expect(typeof instance.code).toBe('string');
      expect(instance.name).toBe(name);
    });
  });
});
