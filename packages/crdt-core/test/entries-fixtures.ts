import { forEachEntry } from '../src/index.js';
import type { MaxVector, VectorEntries } from '../src/index.js';

/**
 * Sparse entries from a record, without validation, so tests can also build
 * entries that a merge must reject.
 */
export function sparse(record: Record<number, number>): VectorEntries {
  const entries = Object.entries(record);
  return {
    kind: 'sparse',
    indices: entries.map(([index]) => Number(index)),
    values: entries.map(([, value]) => value),
  };
}

/** Entries as a plain record, zeros dropped, whatever their kind. */
export function recordOf(entries: VectorEntries): Record<number, number> {
  const record: Record<number, number> = {};
  forEachEntry(entries, (index, value) => (record[index] = value));
  return record;
}

/** Entries as a sorted list of pairs, zeros dropped, whatever their kind. */
export function pairs(entries: VectorEntries): [number, number][] {
  const found: [number, number][] = [];
  forEachEntry(entries, (index, value) => found.push([index, value]));
  return found.sort(([left], [right]) => left - right);
}

/** Bytes per register of a dense vector; 0 for a sparse one. */
export function registerWidth(vector: MaxVector): number {
  const entries = vector.toEntries();
  return entries.kind === 'dense' ? entries.registers.BYTES_PER_ELEMENT : 0;
}
