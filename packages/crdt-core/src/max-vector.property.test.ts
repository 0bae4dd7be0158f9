import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ENTRIES,
  EMPTY_MERGE_RESULT,
  InvalidIndexError,
  InvalidValueError,
  MAX_INDEX,
  MAX_VALUE,
  MaxVector,
  MergeOutput,
  forEachEntry,
} from './index.js';
import { registerWidth } from '../test/entries-fixtures.js';
import type { MergeResult, RegisterArray, VectorEntries } from './index.js';

// The model: a plain Map, merged entry by entry with the obvious rules.

type Model = Map<number, number>;

/** Incoming entries collapsed to one value per index (their max), zeros dropped. */
function collapse(entries: VectorEntries): Model {
  const collapsed: Model = new Map();
  forEachEntry(entries, (index, value) => {
    collapsed.set(index, Math.max(value, collapsed.get(index) ?? 0));
  });
  return collapsed;
}

/** Merges into the model and returns what grew and what was larger, as the spec defines them. */
function mergeModel(model: Model, entries: VectorEntries): { grew: Model; larger: Model } {
  const grew: Model = new Map();
  const larger: Model = new Map();
  for (const [index, value] of collapse(entries)) {
    const current = model.get(index) ?? 0;
    if (value > current) {
      model.set(index, value);
      grew.set(index, value);
    } else if (value < current) {
      larger.set(index, current);
    }
  }
  return { grew, larger };
}

function recordOf(model: Model): Record<number, number> {
  return Object.fromEntries([...model].sort(([left], [right]) => left - right));
}

function sorted(model: Model): [number, number][] {
  return [...model].sort(([left], [right]) => left - right);
}

/** True when no index appears twice among the entries' non-zero values. */
function hasUniqueIndices(entries: VectorEntries): boolean {
  const seen = new Set<number>();
  let unique = true;
  forEachEntry(entries, (index) => {
    if (seen.has(index)) unique = false;
    seen.add(index);
  });
  return unique;
}

// Arbitraries: indices that make vectors dense (small, clustered), sparse
// (spread out) or test the edges (near 2^32−1); values that fit each
// register width, cross from one to the next, or sit near 2^53−1.

const indexArbitrary = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 48 }) },
  { weight: 2, arbitrary: fc.integer({ min: 16_300, max: 16_400 }) },
  { weight: 2, arbitrary: fc.integer({ min: MAX_INDEX - 40, max: MAX_INDEX }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: MAX_INDEX }) },
);

const valueArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 300 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 70_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0xffff_ffff, 2 ** 32, MAX_VALUE - 1, MAX_VALUE) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_VALUE - 1000, max: MAX_VALUE }) },
);

function sparseFromPairs(pairs: readonly (readonly [number, number])[]): VectorEntries {
  return {
    kind: 'sparse',
    indices: pairs.map(([index]) => index),
    values: pairs.map(([, value]) => value),
  };
}

const uniqueSparseArbitrary: fc.Arbitrary<VectorEntries> = fc
  .uniqueArray(fc.tuple(indexArbitrary, valueArbitrary), {
    selector: ([index]) => index,
    maxLength: 40,
  })
  .map(sparseFromPairs);

const repeatingSparseArbitrary: fc.Arbitrary<VectorEntries> = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 12 }), valueArbitrary), { maxLength: 40 })
  .map(sparseFromPairs);

const registerKinds = [
  { make: (length: number) => new Uint8Array(length), largest: 0xff },
  { make: (length: number) => new Uint16Array(length), largest: 0xffff },
  { make: (length: number) => new Uint32Array(length), largest: 0xffff_ffff },
  { make: (length: number) => new Float64Array(length), largest: MAX_VALUE },
] as const;

/** Registers of a random width, sometimes a view at an odd byte offset (to test unaligned paths). */
const denseArbitrary: fc.Arbitrary<VectorEntries> = fc
  .record({
    kind: fc.integer({ min: 0, max: 3 }),
    anchor: fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 16_300, max: 16_400 }),
      fc.constant(MAX_INDEX),
    ),
    shift: fc.integer({ min: 0, max: 3 }),
    cells: fc.array(fc.oneof(fc.constant(0), valueArbitrary), { maxLength: 70 }),
  })
  .map(({ kind, anchor, shift, cells }): VectorEntries => {
    const { make, largest } = registerKinds[kind];
    const offset = Math.max(0, Math.min(anchor, MAX_INDEX - cells.length + 1));
    const buffer: RegisterArray = make(cells.length + shift);
    const registers = buffer.subarray(shift, shift + cells.length);
    cells.forEach((value, position) => {
      registers[position] = Math.min(value, largest);
    });
    return { kind: 'dense', offset, registers };
  });

/** Large enough to turn a vector dense: HyperLogLog-like registers at 0. */
const hyperLogLogArbitrary: fc.Arbitrary<VectorEntries> = fc
  .tuple(fc.integer({ min: 1, max: 2048 }), fc.integer({ min: 1, max: 64 }), fc.nat())
  .map(([length, highest, seed]): VectorEntries => {
    const registers = new Uint8Array(length);
    for (let position = 0; position < length; position++) {
      registers[position] = (Math.imul(position + 1, seed | 1) >>> 7) % (highest + 1);
    }
    return { kind: 'dense', offset: 0, registers };
  });

const entriesArbitrary = fc.oneof(
  { weight: 4, arbitrary: uniqueSparseArbitrary },
  { weight: 3, arbitrary: denseArbitrary },
  { weight: 1, arbitrary: hyperLogLogArbitrary },
);

/** Entries, or sometimes a whole vector built from them (merging a MaxVector). */
const incomingArbitrary: fc.Arbitrary<VectorEntries | MaxVector> = fc.oneof(
  { weight: 4, arbitrary: entriesArbitrary },
  { weight: 1, arbitrary: entriesArbitrary.map((entries) => MaxVector.fromEntries(entries)) },
);

function entriesOf(incoming: VectorEntries | MaxVector): VectorEntries {
  return incoming instanceof MaxVector ? incoming.toEntries() : incoming;
}

function vectorOf(...updates: readonly VectorEntries[]): MaxVector {
  const vector = new MaxVector();
  for (const update of updates) vector.merge(update);
  return vector;
}

/** Read through a call, so the type checker does not carry a narrowing across a merge. */
function representationOf(vector: MaxVector): 'sparse' | 'dense' {
  return vector.representation;
}

function expectSameAsModel(vector: MaxVector, model: Model): void {
  expect(vector.toRecord()).toEqual(recordOf(model));
  expect(vector.size).toBe(model.size);
}

function expectOutputs(result: MergeResult, expected: { grew: Model; larger: Model }): void {
  expect(sorted(collapse(result.grew))).toEqual(sorted(expected.grew));
  expect(sorted(collapse(result.larger))).toEqual(sorted(expected.larger));
}

describe('MaxVector against a Map model', () => {
  it('merges any sequence of sparse, dense and vector inputs with exactly the right outputs', () => {
    const seen = { toDense: 0, toSparse: 0, widened: 0, denseOutputs: 0 };
    fc.assert(
      fc.property(fc.array(incomingArbitrary, { minLength: 1, maxLength: 8 }), (updates) => {
        const vector = new MaxVector();
        const model: Model = new Map();
        for (const incoming of updates) {
          const before = vector.representation;
          const wasDense = before === 'dense';
          const widthBefore = registerWidth(vector);
          const result = vector.merge(incoming);
          const after = representationOf(vector);
          if (before !== after) seen[after === 'dense' ? 'toDense' : 'toSparse']++;
          if (wasDense && registerWidth(vector) > widthBefore) seen.widened++;
          if (result.grew.kind === 'dense' || result.larger.kind === 'dense') seen.denseOutputs++;
          const expected = mergeModel(model, entriesOf(incoming));
          expectOutputs(result, expected);
          expectSameAsModel(vector, model);
          for (const output of [result.grew, result.larger]) {
            if (output.kind === 'dense') {
              expect(wasDense || after === 'dense').toBe(true);
              expect(incoming instanceof MaxVector || incoming.kind === 'dense').toBe(true);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
    // The runs must have covered both switches, widening and dense outputs.
    expect(seen.toDense).toBeGreaterThan(20);
    expect(seen.toSparse).toBeGreaterThan(20);
    expect(seen.widened).toBeGreaterThan(2);
    expect(seen.denseOutputs).toBeGreaterThan(20);
  });

  it('keeps the max and reports every increase when an index repeats within one merge', () => {
    fc.assert(
      fc.property(uniqueSparseArbitrary, repeatingSparseArbitrary, (start, repeating) => {
        const vector = MaxVector.fromEntries(start);
        const model = collapse(start);
        const before = new Map(model);
        const result = vector.merge(repeating);
        const expected = mergeModel(model, repeating);
        expectSameAsModel(vector, model);
        // `grew`, collapsed to each index's last (largest) report, is exact.
        expect(sorted(collapse(result.grew))).toEqual(sorted(expected.grew));
        // `larger` holds at least the exact entries; any extra is a stale but harmless report.
        const reported = collapse(result.larger);
        for (const [index, value] of expected.larger) expect(reported.get(index)).toBe(value);
        for (const [index, value] of reported) {
          expect(value).toBeLessThanOrEqual(model.get(index) ?? 0);
          expect(value).toBeGreaterThanOrEqual(before.get(index) ?? 0);
        }
        if (hasUniqueIndices(repeating)) expectOutputs(result, expected);
      }),
      { numRuns: 200 },
    );
  });

  it('raises one entry at a time like the model', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(indexArbitrary, valueArbitrary), { maxLength: 60 }),
        (pairs) => {
          const vector = new MaxVector();
          const model: Model = new Map();
          for (const [index, value] of pairs) {
            const current = model.get(index) ?? 0;
            expect(vector.raise(index, value)).toBe(value > current);
            if (value > current) model.set(index, value);
            expect(vector.get(index)).toBe(model.get(index) ?? 0);
          }
          expectSameAsModel(vector, model);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('merge is a join', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(entriesArbitrary, entriesArbitrary, (first, second) => {
        const left = vectorOf(first);
        left.merge(second);
        const right = vectorOf(second);
        right.merge(first);
        expect(left.equals(right)).toBe(true);
        expect(right.equals(left)).toBe(true);
      }),
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(entriesArbitrary, entriesArbitrary, entriesArbitrary, (first, second, third) => {
        const leftFirst = vectorOf(first, second);
        leftFirst.merge(vectorOf(third));
        const rightFirst = vectorOf(second, third);
        const grouped = vectorOf(first);
        grouped.merge(rightFirst);
        expect(leftFirst.equals(grouped)).toBe(true);
      }),
    );
  });

  it('is idempotent: merging what is already there changes nothing and reports nothing', () => {
    fc.assert(
      fc.property(
        fc.array(entriesArbitrary, { maxLength: 4 }),
        entriesArbitrary,
        (history, update) => {
          const vector = vectorOf(...history, update);
          const before = vector.clone();
          const again = vector.merge(update);
          expect(again.grew).toBe(again.grew.kind === 'dense' ? again.grew : again.grew);
          expect(collapse(again.grew).size).toBe(0);
          expect(vector.equals(before)).toBe(true);
          const itself = vector.merge(vector.clone());
          expect(collapse(itself.grew).size).toBe(0);
          expect(collapse(itself.larger).size).toBe(0);
          expect(vector.merge(vector)).toBe(EMPTY_MERGE_RESULT);
          expect(vector.equals(before)).toBe(true);
        },
      ),
    );
  });

  it('gives the same vector for any split of an update merged in any order', () => {
    fc.assert(
      fc.property(
        fc.array(entriesArbitrary, { maxLength: 3 }),
        fc.uniqueArray(fc.tuple(indexArbitrary, valueArbitrary), {
          selector: ([index]) => index,
          maxLength: 60,
        }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (history, pairs, cuts) => {
          const whole = vectorOf(...history, sparseFromPairs(pairs));
          // Pieces: each pair goes to piece `cuts[i] % 5`; pieces are merged in a shuffled order.
          const pieces: (readonly [number, number])[][] = [[], [], [], [], []];
          pairs.forEach((pair, position) => pieces[(cuts[position] ?? 0) % 5]?.push(pair));
          const order = [...pieces.keys()].sort(
            (left, right) => ((cuts[left] ?? left) % 7) - ((cuts[right] ?? right) % 7),
          );
          const pieced = vectorOf(...history);
          for (const piece of order) {
            const entries = sparseFromPairs(pieces[piece] ?? []);
            // Half the pieces travel as a vector (possibly dense) instead of entries.
            pieced.merge(piece % 2 === 0 ? entries : MaxVector.fromEntries(entries));
          }
          expect(pieced.equals(whole)).toBe(true);
        },
      ),
    );
  });
});

describe('snapshots', () => {
  it('round-trips through toEntries and toRecord in either representation', () => {
    fc.assert(
      fc.property(fc.array(entriesArbitrary, { maxLength: 5 }), (updates) => {
        const vector = vectorOf(...updates);
        const entries = vector.toEntries();
        expect(entries.kind).toBe(vector.size === 0 ? 'sparse' : vector.representation);
        expect(MaxVector.fromEntries(entries).equals(vector)).toBe(true);
        expect(MaxVector.from(vector.toRecord()).equals(vector)).toBe(true);
        const visited: Model = new Map();
        vector.forEach((index, value) => visited.set(index, value));
        expect(recordOf(visited)).toEqual(vector.toRecord());
        const copy = vector.clone();
        expect(copy.equals(vector)).toBe(true);
        expect(copy.representation).toBe(vector.representation);
      }),
    );
  });
});

describe('atomicity', () => {
  const badIndices = [-1, 2 ** 32, 1.5, Number.NaN, Infinity] as const;
  const badValues = [-1, 0.5, 2 ** 53, Number.NaN, -Infinity] as const;

  it('changes nothing when any entry of a merge is out of range', () => {
    fc.assert(
      fc.property(
        fc.array(entriesArbitrary, { maxLength: 4 }),
        fc.uniqueArray(fc.tuple(indexArbitrary, valueArbitrary), {
          selector: ([index]) => index,
          maxLength: 30,
        }),
        fc.nat(),
        fc.boolean(),
        fc.integer({ min: 0, max: 4 }),
        (history, pairs, position, breakIndex, which) => {
          const vector = vectorOf(...history);
          const before = vector.clone();
          const { representation, byteSize } = vector;
          const indices: number[] = pairs.map(([index]) => index);
          const values: number[] = pairs.map(([, value]) => value);
          const at = position % (pairs.length + 1);
          indices.splice(at, 0, breakIndex ? badIndices[which] : 7);
          values.splice(at, 0, breakIndex ? 1 : badValues[which]);
          expect(() => vector.merge({ kind: 'sparse', indices, values })).toThrow(
            breakIndex ? InvalidIndexError : InvalidValueError,
          );
          expect(vector.equals(before)).toBe(true);
          expect(vector.representation).toBe(representation);
          expect(vector.byteSize).toBe(byteSize);
        },
      ),
    );
  });

  it('changes nothing when a dense register is out of range', () => {
    fc.assert(
      fc.property(
        fc.array(entriesArbitrary, { maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 30 }),
        fc.nat(),
        fc.integer({ min: 0, max: 4 }),
        (history, cells, position, which) => {
          const vector = vectorOf(...history);
          const before = vector.clone();
          const registers = Float64Array.from(cells);
          const bad = Float64Array.from([
            ...cells.slice(0, position % (cells.length + 1)),
            badValues[which],
            ...cells.slice(position % (cells.length + 1)),
          ]);
          expect(() => vector.merge({ kind: 'dense', offset: 3, registers: bad })).toThrow(
            InvalidValueError,
          );
          expect(vector.equals(before)).toBe(true);
          // The same registers without the bad value merge fine.
          vector.merge({ kind: 'dense', offset: 3, registers });
        },
      ),
    );
  });
});

describe('MaxVector.mergeInto against MaxVector.merge', () => {
  it('gives the same vector and the same outputs, through one reused output', () => {
    fc.assert(
      fc.property(fc.array(incomingArbitrary, { minLength: 1, maxLength: 10 }), (updates) => {
        const byMerge = new MaxVector();
        const byMergeInto = new MaxVector();
        const output = new MergeOutput();
        for (const incoming of updates) {
          const result = byMerge.merge(incoming);
          expect(byMergeInto.mergeInto(incoming, output)).toBe(output);
          expect(output.grew).toEqual(result.grew);
          expect(output.larger).toEqual(result.larger);
          expect(output.grew === EMPTY_ENTRIES).toBe(result.grew === EMPTY_ENTRIES);
          expect(output.larger === EMPTY_ENTRIES).toBe(result.larger === EMPTY_ENTRIES);
          expect(byMergeInto.representation).toBe(byMerge.representation);
          expect(byMergeInto.toEntries()).toEqual(byMerge.toEntries());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays equal to merge when outputs are fed back in through the same output', () => {
    fc.assert(
      fc.property(
        fc.array(incomingArbitrary, { minLength: 1, maxLength: 6 }),
        fc.array(entriesArbitrary, { minLength: 1, maxLength: 6 }),
        (updates, others) => {
          const byMerge = new MaxVector();
          const byMergeInto = new MaxVector();
          const otherByMerge = vectorOf(...others);
          const otherByMergeInto = otherByMerge.clone();
          const output = new MergeOutput();
          for (const incoming of updates) {
            const { grew, larger } = byMerge.merge(incoming);
            byMergeInto.mergeInto(incoming, output);
            // Forward the outputs, read straight from the output they live in.
            const expectedGrew = otherByMerge.merge(grew);
            expect(otherByMergeInto.mergeInto(output.grew, output).grew).toEqual(expectedGrew.grew);
            otherByMerge.merge(larger);
            byMergeInto.mergeInto(larger, output);
            otherByMergeInto.mergeInto(larger, output);
            byMerge.merge(larger);
            expect(byMergeInto.toEntries()).toEqual(byMerge.toEntries());
            expect(otherByMergeInto.toEntries()).toEqual(otherByMerge.toEntries());
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
