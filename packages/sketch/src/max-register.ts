import { assertIndex, assertValue } from '@vig/crdt-core';
import type { SparseEntries } from '@vig/crdt-core';
import { toMaxVector } from './vector-lookup.js';
import type { VectorLike } from './vector-lookup.js';

/**
 * The delta that raises the max register at `index` to `value`: one entry,
 * `{ index: value }`. Merged anywhere, the register holds the largest value
 * ever set; setting a smaller value changes nothing. One vector can hold many
 * registers, one per index.
 *
 * @param value - an integer in 0..2^53−1
 * @param index - the register, an integer in 0..2^32−1 (default 0)
 * @throws `InvalidIndexError` or `InvalidValueError` from `@vig/crdt-core`
 *
 * @example
 * ```ts
 * const highScore = new MaxVector();
 * highScore.merge(maxRegisterSet(420));
 * highScore.merge(maxRegisterSet(90));
 * maxRegisterValue(highScore); // 420
 * ```
 */
export function maxRegisterSet(value: number, index = 0): SparseEntries {
  assertIndex(index);
  assertValue(index, value);
  return { kind: 'sparse', indices: [index], values: [value] };
}

/**
 * The max register at `index` (default 0): the largest value set there, or 0
 * when none was (including for `undefined`, a key never written).
 */
export function maxRegisterValue(vector: VectorLike | undefined, index = 0): number {
  return vector === undefined ? 0 : toMaxVector(vector).get(index);
}

/**
 * The delta recording that `id` was seen at `timestampMilliseconds` (e.g.
 * `Date.now()`): `{ id: timestampMilliseconds }`. A vector of these keeps, for
 * every id, the latest time any replica saw it, as Vig's `n:` peer keys keep
 * heartbeats.
 *
 * @param timestampMilliseconds - milliseconds since the Unix epoch, an integer in 0..2^53−1
 * @param id - what was seen (a writer, device or peer id), an integer in 0..2^32−1
 * @throws `InvalidIndexError` or `InvalidValueError` from `@vig/crdt-core`
 */
export function lastSeen(timestampMilliseconds: number, id: number): SparseEntries {
  return maxRegisterSet(timestampMilliseconds, id);
}

/**
 * When `id` was last seen, in milliseconds since the Unix epoch, or
 * `undefined` if it never was.
 */
export function lastSeenTime(vector: VectorLike | undefined, id: number): number | undefined {
  const time = maxRegisterValue(vector, id);
  return time === 0 ? undefined : time;
}
