import { describe, expect, it } from 'vitest';
import {
  InvalidIndexError,
  InvalidValueError,
  entriesFromRecord,
  forEachEntry,
  isVigError,
} from './index.js';

describe('entriesFromRecord', () => {
  it('reads a plain record into sparse entries', () => {
    const entries = entriesFromRecord({ 0: 5, 3: 7 });
    const seen: [number, number][] = [];
    forEachEntry(entries, (index, value) => seen.push([index, value]));
    expect(seen).toEqual([
      [0, 5],
      [3, 7],
    ]);
  });

  it('names the index and the allowed range when an index is out of range', () => {
    expect(() => entriesFromRecord({ [-1]: 5 })).toThrow(InvalidIndexError);
    expect(() => entriesFromRecord({ [-1]: 5 })).toThrow(
      'vector index -1 is out of range: expected an integer in 0..2^32-1',
    );
    expect(() => entriesFromRecord({ [2 ** 32]: 1 })).toThrow(InvalidIndexError);
  });

  it('names the value and the allowed range when a value is out of range', () => {
    const attempt = () => entriesFromRecord({ 4: 1.5 });
    expect(attempt).toThrow(
      'vector value 1.5 at index 4 is out of range: expected an integer in 0..2^53-1',
    );
    try {
      attempt();
    } catch (error) {
      expect(isVigError(error, 'InvalidValueError')).toBe(true);
      expect(error).toBeInstanceOf(InvalidValueError);
    }
  });

  it('skips zero values when visiting, since a missing index reads as 0', () => {
    const seen: number[] = [];
    forEachEntry({ kind: 'dense', offset: 10, registers: new Uint8Array([0, 2, 0, 3]) }, (index) =>
      seen.push(index),
    );
    expect(seen).toEqual([11, 13]);
  });
});
