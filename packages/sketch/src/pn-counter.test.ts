import { MaxVector } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  pnCounterDecrement,
  pnCounterIncrement,
  pnCounterKeys,
  pnCounterValue,
} from './pn-counter.js';
import { InvalidSketchParameterError } from './sketch-errors.js';

/** Several writers with distinct ids, each with its signed changes in order. */
const writersArbitrary = fc.uniqueArray(
  fc.record({
    writerId: fc.nat({ max: 50 }),
    changes: fc.array(fc.integer({ min: -1_000, max: 1_000 }), { maxLength: 12 }),
  }),
  { selector: (writer) => writer.writerId, minLength: 1, maxLength: 5 },
);

/** A delta addressed to one of the counter's two vectors. */
interface AddressedDelta {
  readonly part: 'positive' | 'negative';
  readonly entries: VectorEntries;
}

/** One writer's deltas, each computed from the writer's own replicas of P and N. */
function deltasOf(writerId: number, changes: readonly number[]): AddressedDelta[] {
  const positive = new MaxVector();
  const negative = new MaxVector();
  return changes.map((change) => {
    const part = change >= 0 ? 'positive' : 'negative';
    const entries =
      part === 'positive'
        ? pnCounterIncrement(positive, writerId, change)
        : pnCounterDecrement(negative, writerId, -change);
    (part === 'positive' ? positive : negative).merge(entries);
    return { part, entries };
  });
}

describe('PN-Counter', () => {
  it('names its two vectors KEY:p and KEY:n', () => {
    expect(pnCounterKeys('stock:apples')).toEqual({
      positive: 'stock:apples:p',
      negative: 'stock:apples:n',
    });
  });

  it('is exact, P − N, under any merge order and repetition', () => {
    fc.assert(
      fc.property(
        writersArbitrary.chain((writers) => {
          const deltaCount = writers.reduce((sum, writer) => sum + writer.changes.length, 0);
          const positions = Array.from({ length: deltaCount }, (_, position) => position);
          return fc.tuple(
            fc.constant(writers),
            fc.shuffledSubarray(positions, { minLength: deltaCount, maxLength: deltaCount }),
            fc.array(fc.nat(), { maxLength: 10 }),
          );
        }),
        ([writers, order, repeats]) => {
          const deltas = writers.flatMap(({ writerId, changes }) => deltasOf(writerId, changes));
          const positive = new MaxVector();
          const negative = new MaxVector();
          for (const position of [...order, ...repeats]) {
            const delta = deltas[position % deltas.length];
            if (delta === undefined) continue;
            (delta.part === 'positive' ? positive : negative).merge(delta.entries);
          }
          const expected = writers
            .flatMap((writer) => writer.changes)
            .reduce((sum, change) => sum + change, 0);
          expect(pnCounterValue(positive, negative)).toBe(expected);
        },
      ),
    );
  });

  it('reads absent vectors as 0 and may be negative', () => {
    expect(pnCounterValue(undefined, undefined)).toBe(0);
    const negative = new MaxVector();
    negative.merge(pnCounterDecrement(negative, 2, 5));
    expect(pnCounterValue(undefined, negative)).toBe(-5);
  });

  it('rejects a negative amount: a decrement says how much to take away', () => {
    expect(() => pnCounterDecrement(undefined, 1, -3)).toThrow(InvalidSketchParameterError);
    expect(() => pnCounterIncrement(undefined, 1, -3)).toThrow(InvalidSketchParameterError);
  });
});
