import { describe, expect, it } from 'vitest';
import {
  EMPTY_ENTRIES,
  InvalidIndexError,
  InvalidValueError,
  MaxVector,
  MergeOutput,
} from './index.js';
import type { VectorEntries } from './index.js';
import { recordOf, sparse } from '../test/entries-fixtures.js';

function sparseIndices(entries: VectorEntries): readonly number[] {
  if (entries.kind !== 'sparse') throw new Error('expected sparse entries');
  return entries.indices;
}

describe('MergeOutput', () => {
  it('starts empty', () => {
    const output = new MergeOutput();
    expect(output.grew).toBe(EMPTY_ENTRIES);
    expect(output.larger).toBe(EMPTY_ENTRIES);
  });

  it('holds the outputs of the last merge, reusing its arrays', () => {
    const vector = MaxVector.from({ 1: 5, 2: 5, 3: 5 });
    const output = new MergeOutput();
    const { grew, larger } = vector.mergeInto(sparse({ 1: 9, 2: 1 }), output);
    expect(grew).toEqual({ kind: 'sparse', indices: [1], values: [9] });
    expect(larger).toEqual({ kind: 'sparse', indices: [2], values: [5] });
    const grewIndices = sparseIndices(grew);
    vector.mergeInto(sparse({ 1: 10, 2: 6, 3: 7, 4: 1 }), output);
    expect(output.grew).toBe(grew);
    expect(sparseIndices(output.grew)).toBe(grewIndices);
    expect(recordOf(output.grew)).toEqual({ 1: 10, 2: 6, 3: 7, 4: 1 });
    expect(output.larger).toBe(EMPTY_ENTRIES);
    vector.mergeInto(sparse({ 4: 2 }), output);
    expect(output.grew).toEqual({ kind: 'sparse', indices: [4], values: [2] });
    expect(sparseIndices(output.grew)).toBe(grewIndices);
  });

  it('reuses dense outputs, cleared between merges', () => {
    const vector = MaxVector.fromEntries({
      kind: 'dense',
      offset: 0,
      registers: new Uint8Array(64).fill(5),
    });
    const output = new MergeOutput();
    const first = new Uint8Array(64);
    first[3] = 9;
    first[4] = 1;
    vector.mergeInto({ kind: 'dense', offset: 0, registers: first }, output);
    const grew = output.grew;
    if (grew.kind !== 'dense') throw new Error('expected dense outputs');
    const registers = grew.registers;
    expect(recordOf(grew)).toEqual({ 3: 9 });
    expect(recordOf(output.larger)).toEqual({ 4: 5 });
    const second = new Uint8Array(64);
    second[7] = 8;
    vector.mergeInto({ kind: 'dense', offset: 0, registers: second }, output);
    expect(output.grew).toBe(grew);
    expect(grew.registers).toBe(registers);
    expect(recordOf(output.grew)).toEqual({ 7: 8 });
    expect(output.larger).toBe(EMPTY_ENTRIES);
  });

  it('leaves the vector and the output as they were when a merge throws', () => {
    const vector = MaxVector.from({ 1: 5, 2: 5 });
    const output = new MergeOutput();
    vector.mergeInto(sparse({ 1: 9, 2: 1 }), output);
    const before = { grew: recordOf(output.grew), larger: recordOf(output.larger) };
    expect(() => vector.mergeInto(sparse({ 1: 20, 2: 0.5 }), output)).toThrow(InvalidValueError);
    expect(() =>
      vector.mergeInto({ kind: 'sparse', indices: [1, -1], values: [20, 1] }, output),
    ).toThrow(InvalidIndexError);
    expect(vector.toRecord()).toEqual({ 1: 9, 2: 5 });
    expect({ grew: recordOf(output.grew), larger: recordOf(output.larger) }).toEqual(before);
  });

  it('merges one of its own outputs back in without overwriting it first', () => {
    const source = MaxVector.from({ 1: 9, 2: 1, 3: 4 });
    const target = MaxVector.from({ 1: 2, 2: 7 });
    const output = new MergeOutput();
    source.mergeInto(sparse({ 1: 3, 2: 8, 3: 1 }), output);
    expect(recordOf(output.grew)).toEqual({ 2: 8 });
    expect(recordOf(output.larger)).toEqual({ 1: 9, 3: 4 });
    const larger = output.larger;
    target.mergeInto(larger, output);
    expect(target.toRecord()).toEqual({ 1: 9, 2: 7, 3: 4 });
    expect(recordOf(larger)).toEqual({ 1: 9, 3: 4 });
    expect(recordOf(output.grew)).toEqual({ 1: 9, 3: 4 });
  });

  it('accepts a vector as input', () => {
    const vector = MaxVector.from({ 1: 5 });
    const output = new MergeOutput();
    vector.mergeInto(MaxVector.from({ 1: 2, 6: 3 }), output);
    expect(recordOf(output.grew)).toEqual({ 6: 3 });
    expect(recordOf(output.larger)).toEqual({ 1: 5 });
    vector.mergeInto(vector, output);
    expect(output.grew).toBe(EMPTY_ENTRIES);
    expect(output.larger).toBe(EMPTY_ENTRIES);
  });
});
