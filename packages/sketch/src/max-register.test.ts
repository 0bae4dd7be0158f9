import { InvalidIndexError, InvalidValueError, MaxVector } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastSeen, lastSeenTime, maxRegisterSet, maxRegisterValue } from './max-register.js';

describe('max register', () => {
  it('holds the largest value set, in any order, any number of times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.maxSafeNat(), { minLength: 1 }),
        fc.nat({ max: 0xffff_ffff }),
        (values, index) => {
          const forward = new MaxVector();
          for (const value of values) forward.merge(maxRegisterSet(value, index));
          const backward = new MaxVector();
          for (const value of [...values].reverse()) backward.merge(maxRegisterSet(value, index));
          backward.merge(maxRegisterSet(values[0] ?? 0, index));
          expect(maxRegisterValue(forward, index)).toBe(Math.max(...values));
          expect(forward.equals(backward)).toBe(true);
        },
      ),
    );
  });

  it('uses index 0 by default and reads 0 when never set', () => {
    expect(maxRegisterSet(42)).toEqual({ kind: 'sparse', indices: [0], values: [42] });
    expect(maxRegisterValue(maxRegisterSet(42))).toBe(42);
    expect(maxRegisterValue(undefined)).toBe(0);
    expect(maxRegisterValue(MaxVector.from({ 1: 9 }))).toBe(0);
  });

  it('rejects values and indices a vector cannot hold', () => {
    expect(() => maxRegisterSet(-1)).toThrow(InvalidValueError);
    expect(() => maxRegisterSet(2 ** 53)).toThrow(InvalidValueError);
    expect(() => maxRegisterSet(1, -1)).toThrow(InvalidIndexError);
  });
});

describe('last-seen timestamps', () => {
  it('keeps the latest time each id was seen', () => {
    const seen = new MaxVector();
    seen.merge(lastSeen(1_700_000_005_000, 7));
    seen.merge(lastSeen(1_700_000_000_000, 7));
    seen.merge(lastSeen(1_700_000_001_000, 8));
    expect(lastSeenTime(seen, 7)).toBe(1_700_000_005_000);
    expect(lastSeenTime(seen, 8)).toBe(1_700_000_001_000);
    expect(lastSeenTime(seen, 9)).toBeUndefined();
    expect(lastSeenTime(undefined, 7)).toBeUndefined();
  });
});
