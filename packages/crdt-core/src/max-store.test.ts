import { describe, expect, it } from 'vitest';
import {
  EMPTY_ENTRIES,
  InvalidIndexError,
  MaxStore,
  MaxVector,
  PatternKeyError,
  isVigError,
} from './index.js';
import { sparse, recordOf } from '../test/entries-fixtures.js';

function sampleStore(): MaxStore {
  const store = new MaxStore();
  store.merge('views:home', sparse({ 0: 120, 1: 75 }));
  store.merge('views:pricing', sparse({ 1: 12, 2: 9 }));
  store.merge('seen:alice', sparse({ 0: 29_340_017 }));
  store.merge('n:10.0.0.1:4000', sparse({ 0: 29_340_001 }));
  return store;
}

describe('MaxStore.merge', () => {
  it('creates an unknown key and says so', () => {
    const store = new MaxStore();
    const first = store.merge('views:home', sparse({ 0: 5 }));
    expect(first.created).toBe(true);
    expect(recordOf(first.grew)).toEqual({ 0: 5 });
    expect(first.larger).toBe(EMPTY_ENTRIES);
    const second = store.merge('views:home', sparse({ 0: 3, 1: 1 }));
    expect(second.created).toBe(false);
    expect(recordOf(second.grew)).toEqual({ 1: 1 });
    expect(recordOf(second.larger)).toEqual({ 0: 5 });
    expect(store.get('views:home')?.toRecord()).toEqual({ 0: 5, 1: 1 });
  });

  it('does not create a key from an empty merge', () => {
    const store = new MaxStore();
    const result = store.merge('views:home', EMPTY_ENTRIES);
    expect(result.created).toBe(false);
    expect(store.merge('views:home', sparse({ 4: 0 })).created).toBe(false);
    expect(store.has('views:home')).toBe(false);
    expect(store.size).toBe(0);
  });

  it('rejects patterns as keys', () => {
    const store = new MaxStore();
    for (const key of ['views:%', 'views:*', '%', 'a*b%']) {
      expect(() => store.merge(key, sparse({ 0: 1 }))).toThrow(PatternKeyError);
    }
    try {
      store.merge('views:%', sparse({ 0: 1 }));
    } catch (error) {
      expect(isVigError(error, 'PatternKeyError')).toBe(true);
      expect((error as PatternKeyError).key).toBe('views:%');
      expect((error as Error).message).toBe(
        'key "views:%" is a pattern (it holds % or *): patterns are read, never stored',
      );
    }
    expect(store.size).toBe(0);
  });

  it('creates nothing when a merge into an unknown key throws', () => {
    const store = new MaxStore();
    expect(() => store.merge('k', sparse({ 0: 1, [-2]: 1 }))).toThrow(InvalidIndexError);
    expect(store.has('k')).toBe(false);
  });

  it('merges a MaxVector', () => {
    const store = new MaxStore();
    const vector = MaxVector.from({ 3: 3 });
    expect(store.merge('k', vector).created).toBe(true);
    vector.raise(3, 9);
    expect(store.get('k')?.get(3)).toBe(3);
  });
});

describe('MaxStore reads', () => {
  it('gets, has, counts and iterates keys in creation order', () => {
    const store = sampleStore();
    expect(store.size).toBe(4);
    expect(store.has('seen:alice')).toBe(true);
    expect(store.has('seen:bob')).toBe(false);
    expect(store.get('seen:bob')).toBeUndefined();
    expect([...store.keys()]).toEqual([
      'views:home',
      'views:pricing',
      'seen:alice',
      'n:10.0.0.1:4000',
    ]);
    expect([...store].map(([key, vector]) => [key, vector.size])).toEqual([
      ['views:home', 2],
      ['views:pricing', 2],
      ['seen:alice', 1],
      ['n:10.0.0.1:4000', 1],
    ]);
    expect([...store.entries()].map(([key]) => key)).toEqual([...store.keys()]);
  });

  it('searches keys with % or *, sorted by key', () => {
    const store = sampleStore();
    store.merge('views:about', sparse({ 5: 5 }));
    expect(store.search('views:%').map(([key]) => key)).toEqual([
      'views:about',
      'views:home',
      'views:pricing',
    ]);
    expect(store.search('n:%').map(([key]) => key)).toEqual(['n:10.0.0.1:4000']);
    expect(store.search('%:home').map(([key, vector]) => [key, vector.toRecord()])).toEqual([
      ['views:home', { 0: 120, 1: 75 }],
    ]);
    expect(store.search('nothing:%')).toEqual([]);
    expect(store.search('seen:alice').map(([key]) => key)).toEqual(['seen:alice']);
  });

  it('aggregates matching keys into a new vector, the element-wise max', () => {
    const store = sampleStore();
    const aggregate = store.aggregate('views:*');
    expect(aggregate.toRecord()).toEqual({ 0: 120, 1: 75, 2: 9 });
    aggregate.raise(0, 1000);
    expect(store.get('views:home')?.get(0)).toBe(120);
    expect(store.aggregate('nothing:*').size).toBe(0);
  });

  it('aggregates dense vectors (HyperLogLog registers of several keys)', () => {
    const store = new MaxStore();
    for (let day = 0; day < 3; day++) {
      const registers = new Uint8Array(16_384).map((_, position) => ((position + day) % 7) + 1);
      store.merge(`visitors:day${day}`, { kind: 'dense', offset: 0, registers });
    }
    const union = store.aggregate('visitors:*');
    expect(union.representation).toBe('dense');
    expect(union.size).toBe(16_384);
    expect(union.get(0)).toBe(Math.max(1, 2, 3));
    expect(union.get(6)).toBe(7);
  });

  it('answers many different patterns (beyond the compiled-pattern cache)', () => {
    const store = sampleStore();
    for (let round = 0; round < 3; round++) {
      for (let pattern = 0; pattern < 100; pattern++) {
        expect(store.search(`views:%${pattern}`)).toEqual([]);
      }
    }
    expect(store.search('views:h%').length).toBe(1);
  });
});
