import { describe, expect, it } from 'vitest';
import { headerArgumentIssues, headerParametersOf } from './header-parameters.js';

const schema = {
  type: 'object',
  properties: {
    region: { type: 'string', 'x-mcp-header': 'Region' },
    priority: { type: 'integer', 'x-mcp-header': 'Priority' },
    verbose: { type: 'boolean', 'x-mcp-header': 'Verbose' },
    query: { type: 'string' },
    nested: {
      type: 'object',
      properties: { tenant: { type: 'string', 'x-mcp-header': 'Tenant' } },
    },
    // Not allowed by SEP-2243: never mirrored, so never checked here.
    score: { type: 'number', 'x-mcp-header': 'Score' },
    spaced: { type: 'string', 'x-mcp-header': 'My Region' },
    list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } },
  },
};

describe('headerParametersOf', () => {
  it('finds the declarations reached through properties, at any depth, with their header names', () => {
    expect(headerParametersOf(schema)).toEqual([
      { path: ['region'], header: 'Mcp-Param-Region', type: 'string' },
      { path: ['priority'], header: 'Mcp-Param-Priority', type: 'integer' },
      { path: ['verbose'], header: 'Mcp-Param-Verbose', type: 'boolean' },
      { path: ['nested', 'tenant'], header: 'Mcp-Param-Tenant', type: 'string' },
    ]);
  });

  it('returns nothing for schemas without declarations or that are not objects', () => {
    expect(headerParametersOf({ type: 'object', properties: { a: { type: 'string' } } })).toEqual([]);
    expect(headerParametersOf(undefined)).toEqual([]);
    expect(headerParametersOf(true)).toEqual([]);
  });
});

describe('headerArgumentIssues', () => {
  const parameters = headerParametersOf(schema);

  it('accepts values the SDK can mirror exactly, and null or absent ones (their header is left out)', () => {
    expect(
      headerArgumentIssues(parameters, {
        region: 'Hello, 世界',
        priority: -42,
        verbose: null,
        nested: { tenant: ' padded ' },
      }),
    ).toEqual([]);
    expect(headerArgumentIssues(parameters, {})).toEqual([]);
  });

  it('names each value that cannot be mirrored, its argument path and its header', () => {
    const issues = headerArgumentIssues(parameters, {
      region: { name: 'eu' },
      priority: 2 ** 60,
      verbose: 'yes',
      nested: { tenant: 7 },
    });
    expect(issues.map((issue) => [issue.pathText, issue.keyword])).toEqual([
      ['region', 'x-mcp-header'],
      ['priority', 'x-mcp-header'],
      ['verbose', 'x-mcp-header'],
      ['nested.tenant', 'x-mcp-header'],
    ]);
    expect(issues[0]?.message).toBe(
      'cannot be sent in its Mcp-Param-Region header (SEP-2243): expected a string, got an object',
    );
    expect(issues[1]?.message).toContain('beyond ±(2^53 − 1)');
    expect(issues[2]?.message).toContain('expected a boolean, got a string');
  });

  it('refuses non-integer and non-finite numbers for integer parameters', () => {
    expect(headerArgumentIssues(parameters, { priority: 1.5 })[0]?.message).toContain(
      'expected an integer, got a non-integer number',
    );
    expect(headerArgumentIssues(parameters, { priority: Number.NaN })[0]?.message).toContain('got NaN');
  });
});
