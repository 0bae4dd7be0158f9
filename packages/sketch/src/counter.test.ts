import { InvalidIndexError, MAX_VALUE, MaxVector, isVigError } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterIncrement, counterValue } from './counter.js';
import { CounterOverflowError, InvalidSketchParameterError } from './sketch-errors.js';

/** Several writers with distinct ids, each with the amounts it adds, in its own order. */
const writersArbitrary = fc.uniqueArray(
  fc.record({
    writerId: fc.nat({ max: 0xffff_ffff }),
    increments: fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 12 }),
  }),
  { selector: (writer) => writer.writerId, minLength: 1, maxLength: 6 },
);

/** Every writer's deltas, each computed from the writer's own replica. */
function deltasOf(writers: readonly { writerId: number; increments: number[] }[]): VectorEntries[] {
  return writers.flatMap(({ writerId, increments }) => {
    const replica = new MaxVector();
    return increments.map((by) => {
      const delta = counterIncrement(replica, writerId, by);
      replica.merge(delta);
      return delta;
    });
  });
}

/** The deltas in the order `order` gives, then the ones listed in `repeats` again. */
function mergedInOrder(
  deltas: readonly VectorEntries[],
  order: readonly number[],
  repeats: readonly number[],
): MaxVector {
  const vector = new MaxVector();
  for (const position of [...order, ...repeats]) {
    const delta = deltas[position % deltas.length];
    if (delta !== undefined) vector.merge(delta);
  }
  return vector;
}

describe('counterIncrement and counterValue', () => {
  it('counts exactly whatever the order and repetition of the deltas', () => {
    fc.assert(
      fc.property(
        writersArbitrary.chain((writers) => {
          const deltaCount = writers.reduce((sum, writer) => sum + writer.increments.length, 0);
          const positions = Array.from({ length: deltaCount }, (_, position) => position);
          return fc.tuple(
            fc.constant(writers),
            fc.shuffledSubarray(positions, { minLength: deltaCount, maxLength: deltaCount }),
            fc.shuffledSubarray(positions, { minLength: deltaCount, maxLength: deltaCount }),
            fc.array(fc.nat(), { maxLength: 10 }),
          );
        }),
        ([writers, firstOrder, secondOrder, repeats]) => {
          const expected = writers
            .flatMap((writer) => writer.increments)
            .reduce((sum, by) => sum + by, 0);
          const deltas = deltasOf(writers);
          const first = mergedInOrder(deltas, firstOrder, repeats);
          const second = mergedInOrder(deltas, secondOrder, []);
          expect(counterValue(first)).toBe(expected);
          expect(counterValue(second)).toBe(expected);
          expect(first.equals(second)).toBe(true);
        },
      ),
    );
  });

  it('merging replicas is commutative and idempotent', () => {
    fc.assert(
      fc.property(writersArbitrary, writersArbitrary, (left, right) => {
        const leftVector = new MaxVector();
        for (const delta of deltasOf(left)) leftVector.merge(delta);
        const rightVector = new MaxVector();
        for (const delta of deltasOf(right)) rightVector.merge(delta);
        const leftThenRight = leftVector.clone();
        leftThenRight.merge(rightVector);
        const rightThenLeft = rightVector.clone();
        rightThenLeft.merge(leftVector);
        expect(leftThenRight.equals(rightThenLeft)).toBe(true);
        const again = leftThenRight.clone();
        again.merge(rightVector);
        again.merge(leftVector);
        expect(again.equals(leftThenRight)).toBe(true);
      }),
    );
  });

  it('produces one entry holding the writer’s new count', () => {
    const replica = MaxVector.from({ 3: 10, 9: 4 });
    expect(counterIncrement(replica, 3, 5)).toEqual({ kind: 'sparse', indices: [3], values: [15] });
    expect(counterIncrement(undefined, 9)).toEqual({ kind: 'sparse', indices: [9], values: [1] });
    expect(counterIncrement({ kind: 'sparse', indices: [9], values: [4] }, 9)).toEqual({
      kind: 'sparse',
      indices: [9],
      values: [5],
    });
  });

  it('loses an increment computed from a stale replica, as documented', () => {
    const replica = new MaxVector();
    const stale = counterIncrement(replica, 1);
    replica.merge(counterIncrement(replica, 1));
    replica.merge(stale);
    expect(counterValue(replica)).toBe(1);
  });

  it('reads an absent counter as 0 and repeated sparse indices by their max', () => {
    expect(counterValue(undefined)).toBe(0);
    expect(counterValue(new MaxVector())).toBe(0);
    expect(counterValue({ kind: 'sparse', indices: [1, 1, 2], values: [3, 5, 2] })).toBe(7);
  });

  it('rejects bad writer ids and increments with typed errors', () => {
    expect(() => counterIncrement(undefined, -1)).toThrow(InvalidIndexError);
    expect(() => counterIncrement(undefined, 2 ** 32)).toThrow(InvalidIndexError);
    expect(() => counterIncrement(undefined, 1, -1)).toThrow(InvalidSketchParameterError);
    expect(() => counterIncrement(undefined, 1, 0.5)).toThrow(InvalidSketchParameterError);
    try {
      counterIncrement(undefined, 1, -2);
      expect.unreachable();
    } catch (error) {
      expect(isVigError(error, 'InvalidSketchParameterError')).toBe(true);
      expect((error as Error).message).toMatch(/counter increment -2 is out of range/);
    }
  });

  it('stays exact up to 2^53−1 and throws beyond', () => {
    expect(counterValue(MaxVector.from({ 0: MAX_VALUE - 1, 1: 1 }))).toBe(MAX_VALUE);
    expect(() => counterValue(MaxVector.from({ 0: MAX_VALUE, 1: 1 }))).toThrow(
      CounterOverflowError,
    );
    expect(() => counterIncrement(MaxVector.from({ 4: MAX_VALUE }), 4)).toThrow(
      CounterOverflowError,
    );
    expect(counterIncrement(MaxVector.from({ 4: MAX_VALUE - 2 }), 4, 2).values).toEqual([
      MAX_VALUE,
    ]);
    try {
      counterValue(MaxVector.from({ 0: MAX_VALUE, 1: MAX_VALUE }));
      expect.unreachable();
    } catch (error) {
      expect(isVigError(error, 'CounterOverflowError')).toBe(true);
      expect((error as CounterOverflowError).what).toBe('total');
    }
  });
});
