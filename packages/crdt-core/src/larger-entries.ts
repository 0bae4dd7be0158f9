import { EMPTY_ENTRIES, forEachEntry } from './vector-entries.js';
import type { VectorEntries } from './vector-entries.js';
import type { MaxVector } from './max-vector.js';

/**
 * Among the indices `sent` carries, the entries where `vector` holds a larger
 * value, with that value: the `larger` output of a merge, computed without
 * merging (a node answering a `%` search or a `*` aggregate replies but stores
 * nothing). An index sent more than once counts with its largest value, so
 * the result names each index once, in the order first sent;
 * {@link EMPTY_ENTRIES} when none. O(entries sent).
 *
 * @example
 * ```ts
 * largerEntries(MaxVector.from({ 0: 5, 3: 7 }), entriesFromRecord({ 0: 9, 3: 2, 8: 1 }));
 * // { kind: 'sparse', indices: [3], values: [7] }
 * ```
 */
export function largerEntries(vector: MaxVector, sent: VectorEntries): VectorEntries {
  const largestSent = new Map<number, number>();
  forEachEntry(sent, (index, value) => {
    largestSent.set(index, Math.max(value, largestSent.get(index) ?? 0));
  });
  const indices: number[] = [];
  const values: number[] = [];
  for (const [index, value] of largestSent) {
    const local = vector.get(index);
    if (local > value) {
      indices.push(index);
      values.push(local);
    }
  }
  return indices.length === 0 ? EMPTY_ENTRIES : { kind: 'sparse', indices, values };
}
