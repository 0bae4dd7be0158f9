import { MaxVector, isVigError } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bloomAdd, bloomHas } from './bloom-filter.js';
import { bloomParameters } from './bloom-parameters.js';
import { InvalidSketchParameterError } from './sketch-errors.js';

/** Parameters for small filters, from 1 to 500 expected items at 0.1%–50%. */
const parametersArbitrary = fc
  .tuple(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.001, max: 0.5, noNaN: true }))
  .map(([expectedItems, falsePositiveRate]) => bloomParameters(expectedItems, falsePositiveRate));

describe('bloomParameters', () => {
  it('gives the standard optimum m = ⌈−n ln p / (ln 2)²⌉ and k = round(m/n · ln 2)', () => {
    expect(bloomParameters(10_000, 0.01)).toEqual({ bits: 95_851, hashes: 7 });
    expect(bloomParameters(1_000_000, 0.001)).toEqual({ bits: 14_377_588, hashes: 10 });
    expect(bloomParameters(1, 0.5)).toEqual({ bits: 2, hashes: 1 });
  });

  it('rejects an expected item count that is not a positive integer', () => {
    for (const expectedItems of [0, -1, 1.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(() => bloomParameters(expectedItems, 0.01)).toThrow(InvalidSketchParameterError);
    }
  });

  it('rejects a false-positive rate outside (0, 1)', () => {
    for (const rate of [0, 1, -0.1, 1.5, Number.NaN]) {
      expect(() => bloomParameters(100, rate)).toThrow(InvalidSketchParameterError);
    }
    try {
      bloomParameters(10_000, 1.5);
      expect.unreachable();
    } catch (error) {
      expect(isVigError(error, 'InvalidSketchParameterError')).toBe(true);
      expect((error as Error).message).toBe(
        'bloom falsePositiveRate 1.5 is out of range: expected a number strictly between 0 and 1',
      );
    }
  });

  it('rejects filters a vector cannot hold: more than 2^32 bits or 64 hashes', () => {
    expect(() => bloomParameters(2 ** 40, 0.01)).toThrow(
      /bloom bits .* expected an integer in 1..2\^32/,
    );
    expect(() => bloomParameters(10, 1e-30)).toThrow(/bloom hashes 100 is out of range/);
    expect(() => bloomAdd(['a'], { bits: 0, hashes: 1 })).toThrow(InvalidSketchParameterError);
    expect(() => bloomHas(undefined, 'a', { bits: 8, hashes: 0.5 })).toThrow(
      InvalidSketchParameterError,
    );
  });
});

describe('bloomAdd and bloomHas', () => {
  it('never gives a false negative', () => {
    fc.assert(
      fc.property(
        parametersArbitrary,
        fc.array(fc.string(), { maxLength: 200 }),
        (parameters, items) => {
          const filter = MaxVector.fromEntries(bloomAdd(items, parameters));
          for (const item of items) expect(bloomHas(filter, item, parameters)).toBe(true);
        },
      ),
    );
  });

  it('sets each bit once, as a 1, in ascending order within 0..m−1', () => {
    fc.assert(
      fc.property(
        parametersArbitrary,
        fc.array(fc.string(), { maxLength: 50 }),
        (parameters, items) => {
          const delta = bloomAdd(items, parameters);
          expect(delta.values.every((value) => value === 1)).toBe(true);
          expect(delta.indices.every((index) => index >= 0 && index < parameters.bits)).toBe(true);
          expect(
            delta.indices.every(
              (index, position) => position === 0 || index > (delta.indices[position - 1] ?? 0),
            ),
          ).toBe(true);
          expect(delta.indices.length).toBeLessThanOrEqual(items.length * parameters.hashes);
        },
      ),
    );
  });

  it('merges by max into the filter of the union, commutatively and idempotently', () => {
    fc.assert(
      fc.property(
        parametersArbitrary,
        fc.array(fc.string()),
        fc.array(fc.string()),
        (parameters, left, right) => {
          const leftThenRight = MaxVector.fromEntries(bloomAdd(left, parameters));
          leftThenRight.merge(bloomAdd(right, parameters));
          const rightThenLeft = MaxVector.fromEntries(bloomAdd(right, parameters));
          rightThenLeft.merge(bloomAdd(left, parameters));
          rightThenLeft.merge(bloomAdd(right, parameters));
          const union = MaxVector.fromEntries(bloomAdd([...left, ...right], parameters));
          expect(leftThenRight.equals(union)).toBe(true);
          expect(rightThenLeft.equals(union)).toBe(true);
        },
      ),
    );
  });

  it('answers the same from entries as from a vector, and false for an absent key', () => {
    const parameters = bloomParameters(100, 0.01);
    const delta = bloomAdd(['alice', 'bob'], parameters);
    const filter = MaxVector.fromEntries(delta);
    for (const item of ['alice', 'bob', 'carol', 'dave']) {
      expect(bloomHas(delta, item, parameters)).toBe(bloomHas(filter, item, parameters));
    }
    expect(bloomHas(undefined, 'alice', parameters)).toBe(false);
    expect(bloomHas(new MaxVector(), 'alice', parameters)).toBe(false);
    expect(bloomAdd([], parameters)).toEqual({ kind: 'sparse', indices: [], values: [] });
  });

  it('keeps the false-positive rate within 1.5× the target (n = 10k, p = 1%, 100k absent items)', () => {
    const parameters = bloomParameters(10_000, 0.01);
    const present = Array.from({ length: 10_000 }, (_, position) => `present:${position}`);
    const filter = MaxVector.fromEntries(bloomAdd(present, parameters));
    let falsePositives = 0;
    for (let position = 0; position < 100_000; position++) {
      if (bloomHas(filter, `absent:${position}`, parameters)) falsePositives++;
    }
    const observedRate = falsePositives / 100_000;
    expect(observedRate).toBeLessThanOrEqual(0.015);
    expect(observedRate).toBeGreaterThan(0.005);
  });
});
