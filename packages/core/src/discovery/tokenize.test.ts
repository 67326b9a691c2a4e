import { describe, expect, it } from 'vitest';
import { splitWords, stem, tokenize } from './tokenize.js';

describe('splitWords', () => {
  it('splits snake_case, kebab-case, dots, camelCase and acronyms', () => {
    expect(splitWords('create_pull_request')).toEqual(['create', 'pull', 'request']);
    expect(splitWords('get-tiny-image')).toEqual(['get', 'tiny', 'image']);
    expect(splitWords('getPullRequest')).toEqual(['get', 'pull', 'request']);
    expect(splitWords('parseHTTPResponse')).toEqual(['parse', 'http', 'response']);
    expect(splitWords('github__list.issues')).toEqual(['github', 'list', 'issues']);
    expect(splitWords('Café crème, s3 bucket!')).toEqual(['café', 'crème', 's3', 'bucket']);
    expect(splitWords('  ')).toEqual([]);
  });
});

describe('stem', () => {
  it('folds plurals and verb forms of a word to one stem', () => {
    const same = (...words: string[]) => expect(new Set(words.map(stem)).size).toBe(1);
    same('issue', 'issues');
    same('create', 'created', 'creating', 'creates');
    same('query', 'queries');
    same('entity', 'entities');
    same('list', 'lists', 'listing', 'listed');
    same('run', 'running');
    same('address', 'addresses');
    same('branch', 'branches');
    same('translate', 'translation');
    same('schedule', 'scheduling', 'scheduled');
  });

  it('leaves short words, numbers and -ss/-us/-is endings alone', () => {
    expect(stem('pod')).toBe('pod');
    expect(stem('s3')).toBe('s3');
    expect(stem('status')).toBe('status');
    expect(stem('class')).toBe('class');
    expect(stem('analysis')).toBe('analysis');
    expect(stem('string')).toBe('string');
  });
});

describe('tokenize', () => {
  it('drops function words and stems the rest', () => {
    expect(tokenize('Show me the logs of a crashing pod')).toEqual(['show', 'log', 'crash', 'pod']);
    expect(tokenize('the a of')).toEqual([]);
  });
});
