import { MaxVector } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_HASH_MAX, minHashAdd, minHashSimilarity } from './min-hash.js';
import { InvalidSketchParameterError } from './sketch-errors.js';
import { murmur3x86_32 } from '@vig/crdt-core';

const utf8 = new TextEncoder();
const encodeItem = (item: string): Uint8Array => utf8.encode(item);

/** `count` items named `item:start` … `item:start+count−1`. */
function itemRange(start: number, count: number): string[] {
  return Array.from({ length: count }, (_, position) => `item:${start + position}`);
}

describe('minHashAdd', () => {
  it('stores MAX − the minimum of hash i (MurmurHash3 seed i) in register i', () => {
    const items = ['red', 'green', 'blue'];
    const delta = minHashAdd(items, 4);
    if (delta.kind !== 'dense') throw new Error('minHashAdd gives dense entries');
    expect(delta.offset).toBe(0);
    const expected = [0, 1, 2, 3].map(
      (seed) =>
        MIN_HASH_MAX - Math.min(...items.map((item) => murmur3x86_32(encodeItem(item), seed))),
    );
    expect(Array.from(delta.registers)).toEqual(expected);
  });

  it('merges into exactly the signature of the union, commutatively and idempotently', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string()),
        fc.array(fc.string()),
        fc.integer({ min: 1, max: 32 }),
        (left, right, registers) => {
          const leftThenRight = MaxVector.fromEntries(minHashAdd(left, registers));
          leftThenRight.merge(minHashAdd(right, registers));
          const rightThenLeft = MaxVector.fromEntries(minHashAdd(right, registers));
          rightThenLeft.merge(minHashAdd(left, registers));
          rightThenLeft.merge(minHashAdd(left, registers));
          const union = MaxVector.fromEntries(minHashAdd([...left, ...right], registers));
          expect(leftThenRight.equals(union)).toBe(true);
          expect(rightThenLeft.equals(union)).toBe(true);
        },
      ),
    );
  });

  it('gives empty entries for no items and rejects a bad register count', () => {
    expect(minHashAdd([], 16)).toEqual({ kind: 'sparse', indices: [], values: [] });
    for (const registers of [0, -1, 1.5, 65_537, Number.NaN]) {
      expect(() => minHashAdd(['a'], registers)).toThrow(InvalidSketchParameterError);
      expect(() => minHashSimilarity(undefined, undefined, registers)).toThrow(
        InvalidSketchParameterError,
      );
    }
  });
});

describe('minHashSimilarity', () => {
  it('estimates Jaccard similarity within 3 standard deviations, √(J(1−J)/k), at k = 256', () => {
    const registers = 256;
    const setSize = 1_000;
    for (const shared of [50, 200, 333, 500, 667, 800, 950]) {
      const left = itemRange(0, setSize);
      const right = itemRange(setSize - shared, setSize);
      const jaccard = shared / (2 * setSize - shared);
      const estimate = minHashSimilarity(
        minHashAdd(left, registers),
        minHashAdd(right, registers),
        registers,
      );
      const standardDeviation = Math.sqrt((jaccard * (1 - jaccard)) / registers);
      expect(Math.abs(estimate - jaccard), `J = ${jaccard}`).toBeLessThanOrEqual(
        3 * standardDeviation,
      );
    }
  });

  it('is 1 for equal sets and 0 for disjoint ones', () => {
    const signature = minHashAdd(itemRange(0, 300), 128);
    expect(minHashSimilarity(signature, MaxVector.fromEntries(signature), 128)).toBe(1);
    expect(minHashSimilarity(signature, minHashAdd(itemRange(300, 300), 128), 128)).toBe(0);
  });

  it('is 0 when either signature is empty, including both', () => {
    const signature = minHashAdd(['a', 'b'], 64);
    expect(minHashSimilarity(signature, undefined, 64)).toBe(0);
    expect(minHashSimilarity(new MaxVector(), signature, 64)).toBe(0);
    expect(minHashSimilarity(undefined, undefined, 64)).toBe(0);
    expect(minHashSimilarity(new MaxVector(), new MaxVector(), 64)).toBe(0);
  });

  it('compares only registers 0..k−1 and skips registers absent in both', () => {
    const left = MaxVector.from({ 0: 5, 1: 7, 9: 1 });
    const right = MaxVector.from({ 0: 5, 1: 8, 9: 2 });
    expect(minHashSimilarity(left, right, 4)).toBe(0.5);
    expect(minHashSimilarity(MaxVector.from({ 0: 5 }), MaxVector.from({ 0: 5, 1: 3 }), 4)).toBe(
      0.5,
    );
  });
});
