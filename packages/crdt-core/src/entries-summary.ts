import { InvalidIndexError, InvalidValueError } from './vector-errors.js';
import { holdsOnlyValidValues } from './register-width.js';
import { MAX_INDEX, isValidIndex, isValidValue } from './vector-entries.js';
import type { RegisterArray } from './vector-entries.js';

/**
 * What a merge must know about incoming entries before it changes anything:
 * how many non-zero entries there are (an upper bound when indices repeat),
 * their lowest and highest index, and their largest value.
 */
export interface EntriesSummary {
  count: number;
  lowest: number;
  highest: number;
  largest: number;
}

/**
 * The one summary every summarize call fills and returns, so validating
 * allocates nothing: read it before the next call. Summarizing runs no
 * callbacks, so calls never overlap.
 */
const summary: EntriesSummary = { count: 0, lowest: 0, highest: 0, largest: 0 };

/** Fills the shared summary (also for trusted entries, which need no validation) and returns it. */
export function summarized(
  count: number,
  lowest: number,
  highest: number,
  largest: number,
): EntriesSummary {
  summary.count = count;
  summary.lowest = lowest;
  summary.highest = highest;
  summary.largest = largest;
  return summary;
}

/**
 * Validates sparse entries and summarises them (into the shared summary,
 * valid until the next call). Throws before a merge has changed anything,
 * which is what makes a merge atomic.
 *
 * @throws {@link InvalidIndexError} for an index that is not an integer in 0..2^32−1
 *   (including a missing one, when `indices` is shorter than `values`)
 * @throws {@link InvalidValueError} for a value that is not an integer in 0..2^53−1
 */
export function summarizeSparse(
  indices: readonly number[],
  values: readonly number[],
): EntriesSummary {
  const length = indices.length;
  if (values.length !== length) throw mismatchedLengths(indices, values);
  // The common case first: every entry valid and non-zero. One combined test
  // an entry (`x >>> 0 === x` is true only for integers in 0..2^32−1, and
  // never for a non-number); anything else goes to the exact pass below.
  let lowest = 0xffff_ffff;
  let highest = 0;
  let largest = 0;
  for (let i = 0; i < length; i++) {
    const index = indices[i];
    const value = values[i];
    if (index >>> 0 !== index || value >>> 0 !== value || value === 0) {
      return summarizeSparseExactly(indices, values);
    }
    if (index < lowest) lowest = index;
    if (index > highest) highest = index;
    if (value > largest) largest = value;
  }
  return summarized(length, lowest, highest, largest);
}

/** {@link summarizeSparse} for entries with zeros, values past 2^32 or an error to report. */
function summarizeSparseExactly(
  indices: readonly number[],
  values: readonly number[],
): EntriesSummary {
  const length = indices.length;
  let count = 0;
  let lowest = MAX_INDEX;
  let highest = 0;
  let largest = 0;
  for (let i = 0; i < length; i++) {
    const index = indices[i];
    if (index >>> 0 !== index) throw new InvalidIndexError(index);
    const value = values[i];
    if (!isValidValue(value)) throw new InvalidValueError(index, value);
    if (value === 0) continue;
    count++;
    if (index < lowest) lowest = index;
    if (index > highest) highest = index;
    if (value > largest) largest = value;
  }
  return summarized(count, lowest, highest, largest);
}

/** The error for parallel arrays of different lengths: the first entry missing its pair. */
function mismatchedLengths(indices: readonly number[], values: readonly number[]): Error {
  const length = Math.max(indices.length, values.length);
  for (let i = 0; i < length; i++) {
    const index = indices[i];
    if (!isValidIndex(index)) return new InvalidIndexError(index);
    if (!isValidValue(values[i])) return new InvalidValueError(index, values[i]);
  }
  return new InvalidIndexError(undefined);
}

/**
 * Validates dense entries and summarises them (into the shared summary): the offset and the last index
 * must be valid indices, and every register a valid value (always true of
 * unsigned integer arrays, so only `Float64Array` registers are checked).
 *
 * @throws {@link InvalidIndexError} or {@link InvalidValueError}
 */
export function summarizeDense(offset: number, registers: RegisterArray): EntriesSummary {
  if (!isValidIndex(offset)) throw new InvalidIndexError(offset);
  const length = registers.length;
  if (length > 0 && offset + length - 1 > MAX_INDEX) {
    throw new InvalidIndexError(offset + length - 1);
  }
  const checkValues = !holdsOnlyValidValues(registers);
  let count = 0;
  let first = -1;
  let last = -1;
  let largest = 0;
  for (let i = 0; i < length; i++) {
    const value = registers[i];
    if (checkValues && !isValidValue(value)) throw new InvalidValueError(offset + i, value);
    if (value === 0) continue;
    count++;
    if (first < 0) first = i;
    last = i;
    if (value > largest) largest = value;
  }
  return summarized(count, offset + first, offset + last, largest);
}
