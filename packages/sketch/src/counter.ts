import { MAX_VALUE, assertIndex } from '@vig/crdt-core';
import type { SparseEntries } from '@vig/crdt-core';
import { CounterOverflowError, InvalidSketchParameterError } from './sketch-errors.js';
import { toMaxVector } from './vector-lookup.js';
import type { VectorLike } from './vector-lookup.js';

/**
 * Throws unless `by` is an integer in 0..2^53−1.
 *
 * @throws {@link InvalidSketchParameterError}
 */
function assertIncrement(by: number): void {
  if (!Number.isSafeInteger(by) || by < 0) {
    throw new InvalidSketchParameterError(
      'counter increment',
      by,
      'an integer in 0..2^53-1 (a G-Counter only grows; count decrements in a PN-Counter)',
    );
  }
}

/**
 * The delta that adds `by` to a G-Counter on behalf of writer `writerId`: one
 * entry, `{ writerId: own + by }`, where `own` is that writer's count in
 * `current` (0 when `current` is undefined or holds none).
 *
 * A G-Counter is a max vector whose index is a writer's stable numeric id and
 * whose value is that writer's own running count. Only the writer ever raises
 * its own index, so `current` must already hold every earlier increment by
 * `writerId`, which is true of the writer's own replica once it has merged
 * its own deltas. An increment computed from a stale vector is absorbed by the
 * max and lost; increments by different writers never interfere.
 *
 * @param current - the writer's replica of the counter
 * @param writerId - the writer's stable id, an integer in 0..2^32−1
 * @param by - how much to add, an integer in 0..2^53−1 (default 1)
 * @throws `InvalidIndexError` (from `@vig/crdt-core`) for a bad `writerId`,
 *   {@link InvalidSketchParameterError} for a bad `by`, and
 *   {@link CounterOverflowError} if the writer's count would pass 2^53−1
 *
 * @example
 * ```ts
 * const replica = new MaxVector();
 * replica.merge(counterIncrement(replica, 7)); // { 7: 1 }
 * replica.merge(counterIncrement(replica, 7, 4)); // { 7: 5 }
 * counterValue(replica); // 5
 * ```
 */
export function counterIncrement(
  current: VectorLike | undefined,
  writerId: number,
  by = 1,
): SparseEntries {
  assertIndex(writerId);
  assertIncrement(by);
  const own = current === undefined ? 0 : toMaxVector(current).get(writerId);
  if (by > MAX_VALUE - own) throw new CounterOverflowError('writer count');
  return { kind: 'sparse', indices: [writerId], values: [own + by] };
}

/**
 * A G-Counter's value: the sum of every writer's count. Exact: it throws
 * rather than return a sum of 2^53 or more, which a number cannot hold exactly.
 * `undefined` (a key never written) counts 0.
 *
 * @throws {@link CounterOverflowError} when the sum exceeds 2^53−1
 */
export function counterValue(vector: VectorLike | undefined): number {
  if (vector === undefined) return 0;
  let total = 0;
  toMaxVector(vector).forEach((_, count) => {
    if (count > MAX_VALUE - total) throw new CounterOverflowError('total');
    total += count;
  });
  return total;
}
