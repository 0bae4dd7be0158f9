import { InvalidIndexError, InvalidValueError } from './vector-errors.js';

/** The largest vector index: indices are unsigned 32-bit integers. */
export const MAX_INDEX = 0xffff_ffff;

/** The largest vector value: values are integers JavaScript numbers hold exactly. */
export const MAX_VALUE = Number.MAX_SAFE_INTEGER;

/**
 * Register storage for dense entries and dense vectors. The narrowest type that
 * holds every value is used: HyperLogLog ranks fit in bytes.
 */
export type RegisterArray = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/**
 * Entries as two parallel arrays: `values[i]` is the value at `indices[i]`.
 * Order is unspecified. An index may appear more than once (max makes that
 * harmless); a value of 0 carries nothing, since a missing index reads as 0.
 */
export interface SparseEntries {
  readonly kind: 'sparse';
  readonly indices: readonly number[];
  readonly values: readonly number[];
}

/**
 * Entries for a contiguous run of indices: `registers[i]` is the value at
 * `offset + i`, and 0 means "no entry". Used where most indices in a range are
 * set, such as HyperLogLog registers.
 */
export interface DenseEntries {
  readonly kind: 'dense';
  readonly offset: number;
  readonly registers: RegisterArray;
}

/**
 * A set of (index, value) pairs: what a message carries and what a merge
 * produces. Plain data, so it crosses package and process boundaries freely.
 */
export type VectorEntries = SparseEntries | DenseEntries;

const emptyIndices: readonly number[] = Object.freeze([]);

/** The entries with nothing in them (shared; never mutated). */
export const EMPTY_ENTRIES: SparseEntries = Object.freeze({
  kind: 'sparse',
  indices: emptyIndices,
  values: emptyIndices,
});

/** True for an integer in 0..2^32−1. */
export function isValidIndex(index: unknown): index is number {
  return typeof index === 'number' && index >>> 0 === index;
}

/** True for an integer in 0..2^53−1. */
export function isValidValue(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Throws {@link InvalidIndexError} unless `index` is an integer in 0..2^32−1. */
export function assertIndex(index: unknown): asserts index is number {
  if (!isValidIndex(index)) throw new InvalidIndexError(index);
}

/** Throws {@link InvalidValueError} unless `value` is an integer in 0..2^53−1. */
export function assertValue(index: number, value: unknown): asserts value is number {
  if (!isValidValue(value)) throw new InvalidValueError(index, value);
}

/** The number of pairs the entries hold, counting zero registers of dense entries too. */
export function entriesLength(entries: VectorEntries): number {
  return entries.kind === 'sparse' ? entries.indices.length : entries.registers.length;
}

/**
 * Calls `visit(index, value)` for every pair with a non-zero value, in the
 * entries' own order (ascending for dense entries).
 */
export function forEachEntry(
  entries: VectorEntries,
  visit: (index: number, value: number) => void,
): void {
  if (entries.kind === 'sparse') {
    const { indices, values } = entries;
    for (let i = 0; i < indices.length; i++) {
      const value = values[i];
      if (value !== 0) visit(indices[i], value);
    }
    return;
  }
  const { offset, registers } = entries;
  for (let i = 0; i < registers.length; i++) {
    const value = registers[i];
    if (value !== 0) visit(offset + i, value);
  }
}

/**
 * Builds sparse entries from a plain record such as `{ 0: 5, 3: 7 }`,
 * validating every index and value.
 *
 * @throws {@link InvalidIndexError} or {@link InvalidValueError}
 */
export function entriesFromRecord(record: Readonly<Record<number, number>>): SparseEntries {
  const indices: number[] = [];
  const values: number[] = [];
  for (const [key, value] of Object.entries(record)) {
    const index = Number(key);
    assertIndex(index);
    assertValue(index, value);
    indices.push(index);
    values.push(value);
  }
  return { kind: 'sparse', indices, values };
}
