import { describe, expect, it } from 'vitest';
import { type IndexedTool, SearchIndex } from './search-index.js';

const tool = (name: string, description: string, server = 'demo', schema: string[] = []): IndexedTool => ({
  names: [name],
  aliases: [`${server}__${name}`],
  server,
  description,
  schema,
});

const tools = [
  tool('delete_file', 'Delete a file from disk.'),
  tool('remove_member', 'Take a member out of a team.'),
  tool('read_file', 'Read a file and return its text. Files larger than the limit are truncated.'),
  tool('get_forecast', 'Weather forecast for the coming days.', 'weather', ['city', 'Name of the city']),
  tool('get_current_weather', 'Current conditions.', 'weather', ['city']),
  tool('create_pull_request', 'Propose changes from a branch.', 'github'),
  tool('list_pull_requests', 'List open changes.', 'github'),
  tool('request_pull', 'Ask a peer to pull your changes.', 'github'),
  tool('set_timezone', 'Set the time zone of the account, e.g. Europe/Oslo.', 'account', [
    'timezone',
    'IANA time zone name',
  ]),
];
const index = new SearchIndex(tools);
const names = (query: string) => index.search(query).map((hit) => tools[hit.index]!.names[0]);

describe('SearchIndex', () => {
  it('ranks a tool named for the query above one that only mentions it', () => {
    expect(names('file')[0]).toMatch(/_file$/);
    expect(names('read a file')[0]).toBe('read_file');
  });

  it('matches synonyms, below the word itself', () => {
    expect(names('remove a file')[0]).toBe('delete_file');
    const hits = index.search('remove');
    expect(tools[hits[0]!.index]!.names[0]).toBe('remove_member');
    expect(hits.map((hit) => tools[hit.index]!.names[0])).toContain('delete_file');
  });

  it('prefers tools matching more of the query', () => {
    expect(names('weather forecast')[0]).toBe('get_forecast');
  });

  it('rewards query words that stand together in the name', () => {
    expect(names('pull request')[0]).toBe('create_pull_request');
    expect(names('pull request').indexOf('request_pull')).toBeGreaterThan(0);
  });

  it('searches schema text (property names and descriptions)', () => {
    expect(names('IANA zone')[0]).toBe('set_timezone');
  });

  it('puts an exact name first, with or without the server prefix', () => {
    expect(names('get_current_weather')[0]).toBe('get_current_weather');
    expect(names('weather__get_forecast')[0]).toBe('get_forecast');
    expect(names('listPullRequests')[0]).toBe('list_pull_requests');
  });

  it('reports which query words matched and honours the filter', () => {
    const [hit] = index.search('delete the file please');
    expect(hit?.matched).toEqual(['delete', 'file']);
    expect(index.search('file', (position) => position !== 0).map((found) => found.index)).not.toContain(0);
  });

  it('returns nothing for a query of only function words or unknown words', () => {
    expect(index.search('the of and')).toEqual([]);
    expect(index.search('xylophone')).toEqual([]);
  });
});
