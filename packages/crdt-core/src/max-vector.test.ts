import { describe, expect, it } from 'vitest';
import {
  EMPTY_ENTRIES,
  EMPTY_MERGE_RESULT,
  InvalidIndexError,
  InvalidValueError,
  MAX_INDEX,
  MAX_VALUE,
  MaxVector,
  isVigError,
} from './index.js';
import { sparse, pairs, registerWidth } from '../test/entries-fixtures.js';

/** HyperLogLog-like registers: 16384 ranks in 1..30. */
function hyperLogLog(seed: number): Uint8Array {
  return new Uint8Array(16_384).map(
    (_, position) => 1 + ((Math.imul(position + seed, 2_654_435_761) >>> 27) % 30),
  );
}

describe('MaxVector.from and fromEntries', () => {
  it('reads a record', () => {
    const vector = MaxVector.from({ 0: 5, 3: 7 });
    expect(vector.size).toBe(2);
    expect(vector.get(0)).toBe(5);
    expect(vector.get(3)).toBe(7);
    expect(vector.get(1)).toBe(0);
  });

  it('takes the max where an index repeats and skips zeros', () => {
    const vector = MaxVector.fromEntries({
      kind: 'sparse',
      indices: [4, 4, 9, 4],
      values: [2, 8, 0, 3],
    });
    expect(vector.toRecord()).toEqual({ 4: 8 });
  });

  it('reads dense entries at any offset', () => {
    const vector = MaxVector.fromEntries({
      kind: 'dense',
      offset: 100,
      registers: new Uint16Array([0, 300, 0, 2]),
    });
    expect(vector.toRecord()).toEqual({ 101: 300, 103: 2 });
  });

  it('rejects out-of-range indices and values, naming them and the range', () => {
    expect(() => MaxVector.from({ [-1]: 5 })).toThrow(
      'vector index -1 is out of range: expected an integer in 0..2^32-1',
    );
    expect(() => MaxVector.from({ 7: 2 ** 53 })).toThrow(
      'vector value 9007199254740992 at index 7 is out of range: expected an integer in 0..2^53-1',
    );
    expect(() =>
      MaxVector.fromEntries({ kind: 'sparse', indices: [1, 2.5], values: [1, 1] }),
    ).toThrow('vector index 2.5 is out of range');
    expect(() => MaxVector.fromEntries({ kind: 'sparse', indices: [3], values: [-4] })).toThrow(
      'vector value -4 at index 3 is out of range',
    );
    expect(() =>
      MaxVector.fromEntries({ kind: 'dense', offset: -1, registers: new Uint8Array(1) }),
    ).toThrow(InvalidIndexError);
    expect(() =>
      MaxVector.fromEntries({
        kind: 'dense',
        offset: MAX_INDEX,
        registers: new Uint8Array([1, 1]),
      }),
    ).toThrow('vector index 4294967296 is out of range');
    expect(() =>
      MaxVector.fromEntries({ kind: 'dense', offset: 10, registers: Float64Array.of(1, 0.5) }),
    ).toThrow('vector value 0.5 at index 11 is out of range');
  });

  it('rejects parallel arrays of different lengths', () => {
    expect(() => MaxVector.fromEntries({ kind: 'sparse', indices: [1, 2], values: [1] })).toThrow(
      'vector value undefined at index 2 is out of range',
    );
    expect(() => MaxVector.fromEntries({ kind: 'sparse', indices: [1], values: [1, 2] })).toThrow(
      'vector index undefined is out of range',
    );
  });

  it('rejects values of the wrong type, by name and with the Vig marker', () => {
    const values = ['5'] as unknown as number[];
    try {
      MaxVector.fromEntries({ kind: 'sparse', indices: [0], values });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidValueError);
      expect(isVigError(error, 'InvalidValueError')).toBe(true);
      expect((error as InvalidValueError).value).toBe('5');
      expect((error as InvalidValueError).message).toContain('vector value "5" at index 0');
    }
  });
});

describe('get', () => {
  it('reads 0 for absent indices and for numbers that are not indices', () => {
    const vector = MaxVector.from({ 5: 1 });
    for (const index of [0, 6, -1, 5.5, Number.NaN, 2 ** 32]) expect(vector.get(index)).toBe(0);
    vector.raise(1, 9); // now dense
    expect(vector.representation).toBe('dense');
    for (const index of [0, 6, -1, 5.5, Number.NaN, 2 ** 32]) expect(vector.get(index)).toBe(0);
  });
});

describe('raise', () => {
  it('raises an entry only upward and says whether it grew', () => {
    const vector = new MaxVector();
    expect(vector.raise(3, 7)).toBe(true);
    expect(vector.raise(3, 5)).toBe(false);
    expect(vector.raise(3, 7)).toBe(false);
    expect(vector.raise(3, 8)).toBe(true);
    expect(vector.raise(4, 0)).toBe(false);
    expect(vector.toRecord()).toEqual({ 3: 8 });
  });

  it('accepts the extreme index and value', () => {
    const vector = new MaxVector();
    expect(vector.raise(MAX_INDEX, MAX_VALUE)).toBe(true);
    expect(vector.raise(0, 1)).toBe(true);
    expect(vector.get(MAX_INDEX)).toBe(MAX_VALUE);
    expect(vector.representation).toBe('sparse');
    expect(vector.toRecord()).toEqual({ 0: 1, [MAX_INDEX]: MAX_VALUE });
  });

  it('validates and changes nothing on a bad index or value', () => {
    const vector = MaxVector.from({ 1: 1 });
    expect(() => vector.raise(-3, 1)).toThrow(
      'vector index -3 is out of range: expected an integer in 0..2^32-1',
    );
    expect(() => vector.raise(2, Number.NaN)).toThrow(
      'vector value NaN at index 2 is out of range: expected an integer in 0..2^53-1',
    );
    expect(() => vector.raise(2, MAX_VALUE + 1)).toThrow(InvalidValueError);
    expect(vector.toRecord()).toEqual({ 1: 1 });
  });
});

describe('merge', () => {
  it('returns what grew (new values) and what is larger here (local values)', () => {
    const vector = MaxVector.from({ 0: 5, 3: 7, 9: 1 });
    const { grew, larger } = vector.merge(sparse({ 0: 9, 3: 2, 4: 6, 9: 1 }));
    expect(pairs(grew)).toEqual([
      [0, 9],
      [4, 6],
    ]);
    expect(pairs(larger)).toEqual([[3, 7]]);
    expect(vector.toRecord()).toEqual({ 0: 9, 3: 7, 4: 6, 9: 1 });
  });

  it('ignores zero values: they are neither sent nor compared', () => {
    const vector = MaxVector.from({ 2: 5 });
    const result = vector.merge(sparse({ 2: 0, 3: 0 }));
    expect(result).toBe(EMPTY_MERGE_RESULT);
    expect(vector.size).toBe(1);
  });

  it('returns the shared empty entries for an empty output', () => {
    const vector = MaxVector.from({ 2: 5 });
    const onlyLarger = vector.merge(sparse({ 2: 1 }));
    expect(onlyLarger.grew).toBe(EMPTY_ENTRIES);
    const onlyGrew = vector.merge(sparse({ 2: 6 }));
    expect(onlyGrew.larger).toBe(EMPTY_ENTRIES);
    expect(vector.merge(EMPTY_ENTRIES)).toBe(EMPTY_MERGE_RESULT);
  });

  it('merges another MaxVector, sparse or dense, without changing it', () => {
    const source = MaxVector.from({ 1: 4, 1000: 3 });
    const target = MaxVector.from({ 1: 2, 1000: 8 });
    const result = target.merge(source);
    expect(pairs(result.grew)).toEqual([[1, 4]]);
    expect(pairs(result.larger)).toEqual([[1000, 8]]);
    expect(source.toRecord()).toEqual({ 1: 4, 1000: 3 });
    const dense = MaxVector.fromEntries({ kind: 'dense', offset: 0, registers: hyperLogLog(1) });
    const copy = new MaxVector();
    copy.merge(dense);
    expect(copy.equals(dense)).toBe(true);
    expect(copy.representation).toBe('dense');
  });

  it('gives dense outputs, aligned with the input, for dense input into a dense vector', () => {
    const vector = MaxVector.fromEntries({
      kind: 'dense',
      offset: 0,
      registers: new Uint8Array([3, 3, 3, 3, 3, 3, 3, 3]),
    });
    expect(vector.representation).toBe('dense');
    const { grew, larger } = vector.merge({
      kind: 'dense',
      offset: 2,
      registers: new Uint8Array([5, 0, 1, 3]),
    });
    expect(grew).toEqual({ kind: 'dense', offset: 2, registers: new Uint8Array([5, 0, 0, 0]) });
    expect(larger).toEqual({ kind: 'dense', offset: 2, registers: new Uint8Array([0, 0, 3, 0]) });
    expect(vector.get(2)).toBe(5);
  });

  it('allocates a dense output only when something goes in it', () => {
    const vector = MaxVector.fromEntries({ kind: 'dense', offset: 0, registers: hyperLogLog(2) });
    const same = vector.merge({ kind: 'dense', offset: 0, registers: hyperLogLog(2) });
    expect(same).toBe(EMPTY_MERGE_RESULT);
    const registers = hyperLogLog(2).map((value) => value - 1);
    const lower = vector.merge({ kind: 'dense', offset: 0, registers });
    expect(lower.grew).toBe(EMPTY_ENTRIES);
    expect(lower.larger.kind).toBe('dense');
  });

  it('merges 16384 HyperLogLog registers both ways in one pass', () => {
    const left = MaxVector.fromEntries({ kind: 'dense', offset: 0, registers: hyperLogLog(3) });
    const rightRegisters = hyperLogLog(4);
    const expected = hyperLogLog(3).map((value, position) =>
      Math.max(value, rightRegisters[position] ?? 0),
    );
    const { grew, larger } = left.merge({ kind: 'dense', offset: 0, registers: rightRegisters });
    if (grew.kind !== 'dense' || larger.kind !== 'dense') throw new Error('expected dense outputs');
    hyperLogLog(3).forEach((value, position) => {
      const sent = rightRegisters[position] ?? 0;
      expect(grew.registers[position]).toBe(sent > value ? sent : 0);
      expect(larger.registers[position]).toBe(value > sent ? value : 0);
    });
    expect(left.toEntries()).toEqual({ kind: 'dense', offset: 0, registers: expected });
  });

  it('handles registers at unaligned byte offsets and odd lengths', () => {
    const buffer = new Uint8Array(40).map((_, position) => (position * 7) % 11);
    for (let shift = 0; shift < 4; shift++) {
      for (const offset of [0, 1, 2, 3, 4]) {
        const vector = MaxVector.fromEntries({
          kind: 'dense',
          offset: 0,
          registers: new Uint8Array(41).fill(5),
        });
        const registers = buffer.subarray(shift, shift + 33);
        const { grew, larger } = vector.merge({ kind: 'dense', offset, registers });
        registers.forEach((sent, position) => {
          expect(vector.get(offset + position)).toBe(Math.max(5, sent));
        });
        expect(pairs(grew)).toEqual(
          [...registers].flatMap((sent, position) => (sent > 5 ? [[offset + position, sent]] : [])),
        );
        expect(pairs(larger)).toEqual(
          [...registers].flatMap((sent, position) =>
            sent > 0 && sent < 5 ? [[offset + position, 5]] : [],
          ),
        );
      }
    }
  });

  it('merges a large sparse update and small ones after it', () => {
    const vector = new MaxVector();
    const indices = Array.from({ length: 70_000 }, (_, position) => position * 60_000);
    const { grew } = vector.merge({ kind: 'sparse', indices, values: indices.map(() => 2) });
    expect(grew.kind === 'sparse' && grew.indices.length).toBe(70_000);
    expect(vector.representation).toBe('sparse');
    const small = vector.merge(sparse({ 0: 5, 60_000: 1 }));
    expect(pairs(small.grew)).toEqual([[0, 5]]);
    expect(pairs(small.larger)).toEqual([[60_000, 2]]);
  });

  it('is atomic: a bad entry anywhere leaves the vector unchanged', () => {
    const vector = MaxVector.from({ 1: 1, 2: 2 });
    expect(() =>
      vector.merge({ kind: 'sparse', indices: [1, 2, 3, -1], values: [9, 9, 9, 9] }),
    ).toThrow(InvalidIndexError);
    expect(() =>
      vector.merge({ kind: 'sparse', indices: [1, 2, 3], values: [9, 9, 1.25] }),
    ).toThrow('vector value 1.25 at index 3 is out of range');
    expect(vector.toRecord()).toEqual({ 1: 1, 2: 2 });
  });
});

describe('representation', () => {
  it('starts sparse and turns dense when registers take no more memory (HyperLogLog)', () => {
    const vector = new MaxVector();
    expect(vector.representation).toBe('sparse');
    vector.merge({ kind: 'dense', offset: 0, registers: hyperLogLog(5) });
    expect(vector.representation).toBe('dense');
    expect(vector.size).toBe(16_384);
    expect(vector.byteSize).toBe(16_384);
  });

  it('stays sparse for a few far-apart entries', () => {
    const vector = MaxVector.from({ 0: 1, 5000: 1, 90_000: 1, [MAX_INDEX]: 1 });
    expect(vector.representation).toBe('sparse');
    expect(vector.byteSize).toBeLessThan(1000);
  });

  it('turns dense once filled in, one raise at a time', () => {
    const vector = new MaxVector();
    // 101 entries over 10001 indices: sparse (at least 2424 bytes) beats dense (10001).
    for (let index = 0; index <= 10_000; index += 100) vector.raise(index, 3);
    expect(vector.representation).toBe('sparse');
    // Dense wins from 417 entries on (24 × 417 ≥ 10001).
    let next = 1;
    while (vector.size < 416) vector.raise(next++, 3);
    expect(vector.representation).toBe('sparse');
    vector.raise(next, 3);
    expect(vector.size).toBe(417);
    expect(vector.representation).toBe('dense');
    expect(vector.byteSize).toBe(10_001);
  });

  it('goes back to sparse when a far-away index would make dense much larger', () => {
    const vector = MaxVector.fromEntries({ kind: 'dense', offset: 0, registers: hyperLogLog(6) });
    const before = vector.clone();
    const result = vector.merge(sparse({ [MAX_INDEX]: 1 }));
    expect(pairs(result.grew)).toEqual([[MAX_INDEX, 1]]);
    expect(vector.representation).toBe('sparse');
    expect(vector.size).toBe(16_385);
    before.forEach((index, value) => expect(vector.get(index)).toBe(value));
  });

  it('has hysteresis: a dense vector stays dense while dense is up to 4× the sparse estimate', () => {
    // 100 entries: sparse takes at least 2400 bytes, so dense may span up to 9600 one-byte registers.
    const vector = MaxVector.fromEntries({
      kind: 'dense',
      offset: 0,
      registers: new Uint8Array(100).fill(1),
    });
    vector.raise(9000, 1);
    expect(vector.representation).toBe('dense');
    vector.raise(12_000, 1);
    expect(vector.representation).toBe('sparse');
    // And back only once dense is no larger than sparse again: 12001 registers need 501 entries.
    for (let index = 100; index < 490; index++) vector.raise(index, 1);
    expect(vector.representation).toBe('sparse');
    for (let index = 490; index < 600; index++) vector.raise(index, 1);
    expect(vector.representation).toBe('dense');
  });

  it('widens registers as larger values arrive, staying dense', () => {
    const vector = MaxVector.fromEntries({ kind: 'dense', offset: 0, registers: hyperLogLog(7) });
    expect(registerWidth(vector)).toBe(1);
    const steps: [number, number][] = [
      [256, 2],
      [65_536, 4],
      [2 ** 32, 8],
      [MAX_VALUE, 8],
    ];
    for (const [value, width] of steps) {
      const { grew } = vector.merge(sparse({ 77: value }));
      expect(pairs(grew)).toEqual([[77, value]]);
      expect(vector.representation).toBe('dense');
      expect(registerWidth(vector)).toBe(width);
      expect(vector.byteSize).toBe(16_384 * width);
      expect(vector.get(76)).toBe(hyperLogLog(7)[76]);
    }
  });

  it('grows a dense vector on either side, leaving room', () => {
    const vector = MaxVector.fromEntries({
      kind: 'dense',
      offset: 1000,
      registers: new Uint8Array(64).fill(2),
    });
    vector.raise(1064, 3);
    vector.raise(999, 4);
    expect(vector.representation).toBe('dense');
    expect(vector.toEntries()).toEqual({
      kind: 'dense',
      offset: 999,
      registers: Uint8Array.from([4, ...new Array<number>(64).fill(2), 3]),
    });
    expect(vector.byteSize).toBeGreaterThan(66);
  });
});

describe('snapshots and comparison', () => {
  it('toEntries gives sorted sparse entries or a trimmed dense copy', () => {
    const sparseVector = MaxVector.from({ 900_000: 1, 5: 2, 70_000: 3 });
    expect(sparseVector.toEntries()).toEqual({
      kind: 'sparse',
      indices: [5, 70_000, 900_000],
      values: [2, 3, 1],
    });
    const denseVector = MaxVector.fromEntries({
      kind: 'dense',
      offset: 10,
      registers: new Uint8Array([0, 0, 4, 5, 0]),
    });
    const entries = denseVector.toEntries();
    expect(entries).toEqual({ kind: 'dense', offset: 12, registers: new Uint8Array([4, 5]) });
    if (entries.kind === 'dense') entries.registers[0] = 99;
    expect(denseVector.get(12)).toBe(4);
    expect(new MaxVector().toEntries()).toBe(EMPTY_ENTRIES);
  });

  it('toRecord gives a plain object for JSON', () => {
    expect(JSON.stringify(MaxVector.from({ 3: 7, 0: 5 }).toRecord())).toBe('{"0":5,"3":7}');
    expect(new MaxVector().toRecord()).toEqual({});
  });

  it('forEach visits each non-zero entry once', () => {
    const vector = MaxVector.from({ 1: 1, 2: 2, 40: 4 });
    const seen: [number, number][] = [];
    vector.forEach((index, value) => seen.push([index, value]));
    expect(seen.sort(([left], [right]) => left - right)).toEqual([
      [1, 1],
      [2, 2],
      [40, 4],
    ]);
  });

  it('clone is independent', () => {
    const vector = MaxVector.from({ 1: 1 });
    const copy = vector.clone();
    copy.raise(1, 5);
    copy.raise(2, 5);
    expect(vector.toRecord()).toEqual({ 1: 1 });
    expect(copy.toRecord()).toEqual({ 1: 5, 2: 5 });
  });

  it('equals compares entries, not representations', () => {
    const registers = new Uint8Array(64).fill(3);
    const dense = MaxVector.fromEntries({ kind: 'dense', offset: 0, registers });
    const pairsOnly = new MaxVector();
    for (let index = 63; index >= 0; index--) {
      pairsOnly.merge(sparse({ [index]: 3, [index + 5_000_000]: 0 }));
    }
    expect(dense.representation).toBe('dense');
    expect(dense.equals(pairsOnly)).toBe(true);
    const sparseTwin = dense.clone();
    sparseTwin.raise(MAX_INDEX, 1);
    expect(sparseTwin.representation).toBe('sparse');
    expect(dense.equals(sparseTwin)).toBe(false);
    expect(sparseTwin.equals(dense)).toBe(false);
    const other = dense.clone();
    other.raise(0, 4);
    expect(dense.equals(other)).toBe(false);
    expect(dense.equals(dense)).toBe(true);
  });
});
