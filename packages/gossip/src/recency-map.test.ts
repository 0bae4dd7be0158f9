import { describe, expect, it } from 'vitest';
import { RecencyMap } from './recency-map.js';

describe('RecencyMap', () => {
  it('forgets the least recently set or refreshed entry beyond its capacity', () => {
    const map = new RecencyMap<string, number>(3);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    map.refresh('a');
    map.set('d', 4);
    expect(map.has('b')).toBe(false);
    expect(map.size).toBe(3);
    expect(map.oldest()).toEqual(['c', 3]);
    map.set('c', 30);
    expect(map.oldest()).toEqual(['a', 1]);
    expect(map.get('c')).toBe(30);
  });

  it('stays within its capacity whatever is set, refreshes nothing absent, and clears', () => {
    const map = new RecencyMap<number, true>(100);
    for (let key = 0; key < 100_000; key++) map.set(key, true);
    expect(map.size).toBe(100);
    expect(map.oldest()).toEqual([99_900, true]);
    map.refresh(5);
    expect(map.has(5)).toBe(false);
    expect(map.delete(99_950)).toBe(true);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.oldest()).toBeUndefined();
    expect(new RecencyMap(0).capacity).toBe(1);
  });
});
