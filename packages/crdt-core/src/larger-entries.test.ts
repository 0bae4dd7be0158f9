import { describe, expect, it } from 'vitest';
import { EMPTY_ENTRIES, MaxVector, entriesFromRecord, largerEntries } from './index.js';

describe('largerEntries', () => {
  const vector = MaxVector.from({ 0: 5, 3: 7, 9: 2 });

  it('gives the local value where it is larger than the one sent, as merge would', () => {
    const sent = entriesFromRecord({ 0: 9, 3: 2, 8: 1 });
    expect(largerEntries(vector, sent)).toEqual({ kind: 'sparse', indices: [3], values: [7] });
    expect(largerEntries(vector, sent)).toEqual(vector.clone().merge(sent).larger);
    expect(vector.toRecord()).toEqual({ 0: 5, 3: 7, 9: 2 });
  });

  it('counts a repeated index with its largest value', () => {
    const sent = { kind: 'sparse', indices: [3, 3, 0], values: [2, 7, 1] } as const;
    expect(largerEntries(vector, sent)).toEqual({ kind: 'sparse', indices: [0], values: [5] });
  });

  it('reads dense entries, skipping zero registers', () => {
    const sent = {
      kind: 'dense',
      offset: 2,
      registers: Uint8Array.from([0, 1, 0, 0, 0, 0, 0, 9]),
    } as const;
    expect(largerEntries(vector, sent)).toEqual({ kind: 'sparse', indices: [3], values: [7] });
  });

  it('is the shared empty entries when nothing is larger', () => {
    expect(largerEntries(vector, entriesFromRecord({ 0: 5, 3: 8 }))).toBe(EMPTY_ENTRIES);
    expect(largerEntries(vector, EMPTY_ENTRIES)).toBe(EMPTY_ENTRIES);
  });
});
