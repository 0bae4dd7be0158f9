import type { SparseEntries } from '@vig/crdt-core';
import { counterIncrement, counterValue } from './counter.js';
import type { VectorLike } from './vector-lookup.js';

/** The two keys that hold a PN-Counter: increments and decrements, each a G-Counter. */
export interface PnCounterKeys {
  /** `KEY:p`, the G-Counter of increments. */
  readonly positive: string;
  /** `KEY:n`, the G-Counter of decrements. */
  readonly negative: string;
}

/**
 * The keys of the PN-Counter named `key`, by Vig's convention: increments live
 * under `KEY:p` and decrements under `KEY:n`, two ordinary G-Counter vectors
 * (index = writer id, value = that writer's own running total). The key is
 * not checked: a pattern such as `visits:*` gives patterns (`visits:*:p`).
 *
 * @example
 * ```ts
 * pnCounterKeys('stock:apples'); // { positive: 'stock:apples:p', negative: 'stock:apples:n' }
 * ```
 */
export function pnCounterKeys(key: string): PnCounterKeys {
  return { positive: `${key}:p`, negative: `${key}:n` };
}

/**
 * The delta for the positive vector (`KEY:p`) that adds `by` on behalf of
 * `writerId`; `positive` is the writer's replica of that vector. The same rules
 * as {@link counterIncrement}.
 *
 * @throws as {@link counterIncrement}
 */
export function pnCounterIncrement(
  positive: VectorLike | undefined,
  writerId: number,
  by = 1,
): SparseEntries {
  return counterIncrement(positive, writerId, by);
}

/**
 * The delta for the negative vector (`KEY:n`) that subtracts `by` on behalf of
 * `writerId`; `negative` is the writer's replica of that vector. The same rules
 * as {@link counterIncrement}: `by` is a non-negative integer, the amount taken
 * away.
 *
 * @throws as {@link counterIncrement}
 */
export function pnCounterDecrement(
  negative: VectorLike | undefined,
  writerId: number,
  by = 1,
): SparseEntries {
  return counterIncrement(negative, writerId, by);
}

/**
 * A PN-Counter's value, P − N: the sum of the positive vector less the sum of
 * the negative one (`undefined` counts 0). Exact, and may be negative.
 *
 * @throws {@link CounterOverflowError} when either sum exceeds 2^53−1
 */
export function pnCounterValue(
  positive: VectorLike | undefined,
  negative: VectorLike | undefined,
): number {
  return counterValue(positive) - counterValue(negative);
}
