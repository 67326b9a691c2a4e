import { describe, expect, it } from 'vitest';
import { closestMatches } from './closest-matches.js';

const tools = [
  'weather__get_forecast',
  'weather__get_alerts',
  'files__read_file',
  'files__write_file',
  'github__search',
];

describe('closestMatches', () => {
  it('suggests names within a few typos, closest first', () => {
    expect(closestMatches('weather__get_forcast', tools)[0]).toBe('weather__get_forecast');
    expect(closestMatches('files__rite_file', tools)[0]).toBe('files__write_file');
  });

  it('finds the registry name from a server-side (unprefixed) name', () => {
    expect(closestMatches('search', tools)).toEqual(['github__search']);
    expect(closestMatches('read_file', tools)).toEqual(['files__read_file']);
  });

  it('ignores case', () => {
    expect(closestMatches('GITHUB__SEARCH', tools)).toEqual(['github__search']);
  });

  it('returns nothing when nothing is close, and at most `limit` names', () => {
    expect(closestMatches('launch_rocket', tools)).toEqual([]);
    expect(closestMatches('x', [])).toEqual([]);
    expect(closestMatches('file', ['file1', 'file2', 'file3', 'file4'], 2)).toEqual(['file1', 'file2']);
  });

  it('breaks ties by name, so suggestions are stable', () => {
    expect(closestMatches('tool', ['toolb', 'toola'])).toEqual(['toola', 'toolb']);
  });
});
