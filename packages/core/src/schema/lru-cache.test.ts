import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('drops the least recently used entry, counting a look-up as a use', () => {
    const evicted: string[] = [];
    const cache = new LruCache<string, number>(2, (key) => evicted.push(key));
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(evicted).toEqual(['b']);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.size]).toEqual([1, 3, 2]);
  });

  it('keeps the order right when the newest entry is looked up again and again', () => {
    const evicted: string[] = [];
    const cache = new LruCache<string, number>(3, (key) => evicted.push(key));
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    for (let round = 0; round < 3; round++) expect(cache.get('c')).toBe(3);
    expect(cache.get('a')).toBe(1);
    for (let round = 0; round < 3; round++) expect(cache.get('a')).toBe(1);
    cache.set('d', 4);
    cache.set('e', 5);
    // a was used last of the three before d came, so b and then c are the least recently used.
    expect(evicted).toEqual(['b', 'c']);
    expect([cache.get('a'), cache.get('d'), cache.get('e')]).toEqual([1, 4, 5]);
  });

  it('counts a look-up of the entry that was newest before another was added as a use', () => {
    const evicted: string[] = [];
    const cache = new LruCache<string, number>(2, (key) => evicted.push(key));
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(evicted).toEqual(['b']);
  });
});
