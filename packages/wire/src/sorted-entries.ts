import {
  InvalidIndexError,
  InvalidValueError,
  MAX_INDEX,
  isValidIndex,
  isValidValue,
} from '@vig/crdt-core';
import type { DenseEntries, SparseEntries, VectorEntries } from '@vig/crdt-core';

/** Entries in ascending index order, each index once, no zero values. */
export interface SortedEntries {
  readonly indices: readonly number[];
  readonly values: readonly number[];
}

/**
 * Validates entries and puts them in ascending order, keeping the largest
 * value of a repeated index and dropping zeros (a missing index reads as 0).
 *
 * @throws crdt-core's `InvalidIndexError` or `InvalidValueError`
 */
export function sortEntries(entries: VectorEntries): SortedEntries {
  return entries.kind === 'sparse' ? sortSparse(entries) : collectDense(entries);
}

function sortSparse(entries: SparseEntries): SortedEntries {
  const { indices, values } = entries;
  const order: number[] = [];
  let ascending = true;
  let previous = -1;
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    const value = values[i];
    if (!isValidIndex(index)) throw new InvalidIndexError(index);
    if (!isValidValue(value)) throw new InvalidValueError(index, value);
    if (value === 0) continue;
    if (index <= previous) ascending = false;
    previous = index;
    order.push(i);
  }
  if (!ascending) order.sort((left, right) => indices[left] - indices[right]);
  const sortedIndices: number[] = [];
  const sortedValues: number[] = [];
  for (const position of order) {
    const index = indices[position] + 0;
    const value = values[position];
    const last = sortedIndices.length - 1;
    if (last >= 0 && sortedIndices[last] === index) {
      if (value > sortedValues[last]) sortedValues[last] = value;
    } else {
      sortedIndices.push(index);
      sortedValues.push(value);
    }
  }
  return { indices: sortedIndices, values: sortedValues };
}

function collectDense(entries: DenseEntries): SortedEntries {
  const { offset, registers } = entries;
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < registers.length; i++) {
    const value = registers[i];
    if (value === 0) continue;
    const index = offset + i;
    if (!isValidIndex(offset) || index > MAX_INDEX) throw new InvalidIndexError(index);
    if (!isValidValue(value)) throw new InvalidValueError(index, value);
    indices.push(index);
    values.push(value);
  }
  return { indices, values };
}
