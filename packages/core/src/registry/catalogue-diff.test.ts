import type { Tool } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { type CatalogueEntryView, diffCatalogue } from './catalogue-diff.js';

const tool = (name: string, description = `the ${name} tool`): Tool => ({
  name,
  description,
  inputSchema: { type: 'object', properties: {} },
});

const catalogue = (...entries: [string, string, Tool][]) =>
  new Map<string, CatalogueEntryView>(
    entries.map(([name, server, definition]) => [name, { server, tool: definition }]),
  );

describe('diffCatalogue', () => {
  it('reports nothing when a server re-lists the same definitions as new objects', () => {
    const before = catalogue(['a__x', 'a', tool('x')], ['a__y', 'a', tool('y')]);
    const after = catalogue(['a__x', 'a', tool('x')], ['a__y', 'a', tool('y')]);
    expect(diffCatalogue(before, after)).toEqual(new Map());
  });

  it('separates added, changed and removed tools by server', () => {
    const before = catalogue(['a__x', 'a', tool('x')], ['a__y', 'a', tool('y')], ['b__z', 'b', tool('z')]);
    const after = catalogue(
      ['a__x', 'a', tool('x', 'now different')],
      ['a__new', 'a', tool('new')],
      ['b__z', 'b', tool('z')],
    );
    expect(diffCatalogue(before, after)).toEqual(
      new Map([['a', { added: ['a__new'], changed: ['a__x'], removed: ['a__y'] }]]),
    );
  });

  it('treats a name that moved to another server as removed there and added here', () => {
    const before = catalogue(['search', 'a', tool('search')]);
    const after = catalogue(['search', 'b', tool('search')]);
    expect(diffCatalogue(before, after)).toEqual(
      new Map([
        ['b', { added: ['search'], changed: [], removed: [] }],
        ['a', { added: [], changed: [], removed: ['search'] }],
      ]),
    );
  });
});
