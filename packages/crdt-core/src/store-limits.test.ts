import { describe, expect, it } from 'vitest';
import {
  EMPTY_ENTRIES,
  InvalidIndexError,
  InvalidStoreLimitError,
  MaxStore,
  MaxVector,
  NO_STORE_LIMITS,
  StoreLimitError,
  isVigError,
  storeLimits,
} from './index.js';
import { recordOf, sparse } from '../test/entries-fixtures.js';

describe('storeLimits', () => {
  it('fills in no limit and checks every field', () => {
    expect(storeLimits()).toEqual(NO_STORE_LIMITS);
    expect(storeLimits({ maxKeys: 3 })).toEqual({ maxKeys: 3, maxEntriesPerKey: Infinity });
    // A JavaScript caller's undefined field means "not given".
    expect(storeLimits({ maxKeys: undefined } as unknown as { maxKeys: number })).toEqual(
      NO_STORE_LIMITS,
    );
    for (const bad of [0, -1, 1.5, Number.NaN, '3']) {
      expect(() => storeLimits({ maxEntriesPerKey: bad as number })).toThrow(
        InvalidStoreLimitError,
      );
    }
    expect(() => new MaxStore({ limits: { maxKeys: 0 } })).toThrow(
      'store limit maxKeys is 0: expected a positive integer, or Infinity for no limit',
    );
  });
});

describe('MaxStore under a key limit', () => {
  it('refuses a new key at the limit, says so, and still merges into the keys it holds', () => {
    const store = new MaxStore({ limits: { maxKeys: 2 } });
    store.merge('a', sparse({ 0: 1 }));
    store.merge('b', sparse({ 0: 1 }));

    const refused = store.merge('c', sparse({ 0: 5, 1: 6, 2: 0 }));

    expect(refused).toEqual({
      grew: EMPTY_ENTRIES,
      larger: EMPTY_ENTRIES,
      created: false,
      refused: { limit: 'keys', entries: 2 },
    });
    expect(store.has('c')).toBe(false);
    expect(store.size).toBe(2);
    const merged = store.merge('a', sparse({ 0: 3, 7: 7 }));
    expect(recordOf(merged.grew)).toEqual({ 0: 3, 7: 7 });
    expect(merged.refused).toBeUndefined();
  });

  it('refuses nothing for an empty update at the limit, and still validates', () => {
    const store = new MaxStore({ limits: { maxKeys: 1 } });
    store.merge('a', sparse({ 0: 1 }));
    expect(store.merge('b', EMPTY_ENTRIES)).toEqual({
      grew: EMPTY_ENTRIES,
      larger: EMPTY_ENTRIES,
      created: false,
    });
    expect(() => store.merge('b', sparse({ [-1]: 1 }))).toThrow(InvalidIndexError);
  });

  it('lets a writer bypass the limits for its own bookkeeping', () => {
    const store = new MaxStore({ limits: { maxKeys: 1 } });
    store.merge('a', sparse({ 0: 1 }));
    expect(store.merge('n:self', sparse({ 0: 9 }), { ignoreLimits: true }).created).toBe(true);
    expect(store.size).toBe(2);
  });

  it('never evicts: lowering the limit below the size keeps every key', () => {
    const store = new MaxStore();
    for (const key of ['a', 'b', 'c']) store.merge(key, sparse({ 0: 1 }));
    store.setLimits({ maxKeys: 2 });
    expect(store.limits).toEqual({ maxKeys: 2, maxEntriesPerKey: Infinity });
    expect([...store.keys()]).toEqual(['a', 'b', 'c']);
    expect(store.merge('d', sparse({ 0: 1 })).refused?.limit).toBe('keys');
    expect(store.merge('c', sparse({ 0: 2 })).grew).toEqual(sparse({ 0: 2 }));
  });
});

describe('MaxStore under an entry limit', () => {
  it('merges entries at indices it holds and new ones while room lasts, in the update order', () => {
    const store = new MaxStore({ limits: { maxEntriesPerKey: 4 } });
    store.merge('k', sparse({ 0: 1, 1: 1 }));

    const result = store.merge('k', {
      kind: 'sparse',
      indices: [9, 0, 8, 7, 8, 6],
      values: [9, 5, 8, 7, 3, 6],
    });

    // 9 and 8 fit (2 more), 0 is held, the repeat of 8 is not new; 7 and 6 are refused.
    expect(store.get('k')?.toRecord()).toEqual({ 0: 5, 1: 1, 8: 8, 9: 9 });
    expect(recordOf(result.grew)).toEqual({ 0: 5, 8: 8, 9: 9 });
    expect(result.refused).toEqual({ limit: 'entries', entries: 2 });
    expect(result.created).toBe(false);
  });

  it('keeps raising a full vector, and answers what it holds larger', () => {
    const store = new MaxStore({ limits: { maxEntriesPerKey: 2 } });
    store.merge('k', sparse({ 0: 4, 1: 4 }));
    const result = store.merge('k', sparse({ 0: 9, 1: 2, 5: 5 }));
    expect(recordOf(result.grew)).toEqual({ 0: 9 });
    expect(recordOf(result.larger)).toEqual({ 1: 4 });
    expect(result.refused).toEqual({ limit: 'entries', entries: 1 });
  });

  it('limits a new key and a dense update (HyperLogLog registers) too', () => {
    const store = new MaxStore({ limits: { maxEntriesPerKey: 100 } });
    const registers = new Uint8Array(16_384).fill(3);
    const result = store.merge('hll', { kind: 'dense', offset: 0, registers });
    expect(result.created).toBe(true);
    expect(store.get('hll')?.size).toBe(100);
    expect(store.get('hll')?.get(99)).toBe(3);
    expect(store.get('hll')?.get(100)).toBe(0);
    expect(result.refused).toEqual({ limit: 'entries', entries: 16_284 });
    // The registers it holds still rise under max.
    const again = store.merge('hll', { kind: 'dense', offset: 0, registers: registers.fill(4) });
    expect(store.get('hll')?.get(0)).toBe(4);
    expect(again.refused?.entries).toBe(16_284);
  });

  it('takes a whole update that only looks too long (zeros, repeats)', () => {
    const store = new MaxStore({ limits: { maxEntriesPerKey: 2 } });
    const result = store.merge('k', {
      kind: 'sparse',
      indices: [3, 3, 4, 5],
      values: [1, 2, 1, 0],
    });
    expect(result.refused).toBeUndefined();
    expect(store.get('k')?.toRecord()).toEqual({ 3: 2, 4: 1 });
    const vector = MaxVector.from({ 3: 7, 4: 7 });
    expect(store.merge('k', vector).refused).toBeUndefined();
  });

  it('validates entries it refuses: a bad entry fails the whole merge', () => {
    const store = new MaxStore({ limits: { maxEntriesPerKey: 1 } });
    store.merge('k', sparse({ 0: 1 }));
    expect(() => store.merge('k', sparse({ 1: 1, 2: 0.5 }))).toThrow(
      'vector value 0.5 at index 2 is out of range',
    );
    expect(store.get('k')?.toRecord()).toEqual({ 0: 1 });
  });
});

describe('MaxStore.checkLimits', () => {
  it('throws a StoreLimitError with a one-line message, and changes nothing', () => {
    const store = new MaxStore({ limits: { maxKeys: 1, maxEntriesPerKey: 3 } });
    store.merge('a', sparse({ 0: 1, 1: 1 }));

    expect(() => store.checkLimits('b', sparse({ 0: 1 }))).toThrow(
      'key "b" cannot be created: the store already holds its limit of 1 keys',
    );
    expect(() => store.checkLimits('a', sparse({ 0: 2, 5: 1, 6: 1 }))).toThrow(
      'key "a" would hold 4 entries: over the limit of 3 entries per key',
    );
    try {
      store.checkLimits('a', sparse({ 7: 1, 8: 1 }));
    } catch (error) {
      expect(error).toBeInstanceOf(StoreLimitError);
      expect(isVigError(error, 'StoreLimitError')).toBe(true);
      expect(error).toMatchObject({ key: 'a', limit: 'entries', maximum: 3 });
    }
    expect(store.get('a')?.toRecord()).toEqual({ 0: 1, 1: 1 });
    expect(store.size).toBe(1);
  });

  it('passes writes within the limits (raising held entries, empty writes, the last room)', () => {
    const store = new MaxStore({ limits: { maxKeys: 1, maxEntriesPerKey: 3 } });
    expect(() => store.checkLimits('a', sparse({ 0: 1, 1: 1, 2: 1 }))).not.toThrow();
    store.merge('a', sparse({ 0: 1, 1: 1 }));
    expect(() => store.checkLimits('a', sparse({ 0: 9, 1: 9, 2: 9 }))).not.toThrow();
    expect(() => store.checkLimits('b', EMPTY_ENTRIES)).not.toThrow();
    expect(() => new MaxStore().checkLimits('x', sparse({ 0: 1 }))).not.toThrow();
  });
});
