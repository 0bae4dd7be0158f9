import { MAX_VALUE, assertIndex } from '@vig/crdt-core';
import { counterIncrement, counterValue } from './counter.js';
import { pnCounterKeys } from './pn-counter.js';
import { CounterOverflowError } from './sketch-errors.js';
import type { SketchStore } from './sketch-store.js';
import { WriteBatch } from './write-batch.js';

/** A G-Counter kept in one key of a {@link SketchStore}, counted by one writer. */
export interface CounterHandle {
  /** The key the counter lives in. */
  readonly key: string;
  /** The writer id this handle counts under (the vector index it raises). */
  readonly writerId: number;
  /**
   * Adds `by` (default 1). Increments made in one turn are summed into one
   * put of this writer's new count; the promise resolves when that put has.
   *
   * @throws {@link InvalidSketchParameterError} (synchronously) for `by` that is not an integer in 0..2^53−1
   */
  increment(by?: number): Promise<void>;
  /** The counter's value (every writer's count), after pending increments are written. */
  value(): Promise<number>;
  /** Resolves once every increment made so far is written. */
  flush(): Promise<void>;
}

/**
 * A G-Counter handle on `key` counting as `writerId`. The writer's own count
 * is read from the store and remembered, so an increment is exact as long as
 * no other handle anywhere counts under the same writer id: keep one handle
 * per key and writer (`VigNode.counter` does).
 *
 * @example
 * ```ts
 * const visits = counterHandle(node, 'visits', 7);
 * visits.increment();
 * visits.increment(4);
 * await visits.value(); // 5, plus what other writers counted
 * ```
 *
 * @throws `InvalidIndexError` (from `@vig/crdt-core`) for a writer id outside 0..2^32−1
 */
export function counterHandle(store: SketchStore, key: string, writerId: number): CounterHandle {
  assertIndex(writerId);
  let pending = 0;
  // The largest count this handle wrote: a store that lags (a client that
  // failed over to another node) cannot make the writer count twice.
  let written = 0;
  const batch = new WriteBatch(async () => {
    const by = pending;
    pending = 0;
    try {
      const current = await store.get(key);
      const own = Math.max(written, current?.get(writerId) ?? 0);
      if (by > MAX_VALUE - own) throw new CounterOverflowError('writer count');
      await store.put(key, { kind: 'sparse', indices: [writerId], values: [own + by] });
      written = own + by;
    } catch (error) {
      pending += by;
      throw error;
    }
  });
  const flush = (): Promise<void> => (pending > 0 ? batch.schedule() : batch.settled());
  return {
    key,
    writerId,
    increment(by = 1) {
      // Checks `by` (and the running sum) now, so a bad increment throws where it is made.
      counterIncrement(undefined, writerId, by);
      if (pending + by > MAX_VALUE) throw new CounterOverflowError('writer count');
      pending += by;
      return batch.schedule();
    },
    async value() {
      await flush();
      return counterValue(await store.get(key));
    },
    flush,
  };
}

/** A PN-Counter (increments and decrements) kept in `KEY:p` and `KEY:n` of a {@link SketchStore}. */
export interface PnCounterHandle {
  /** The counter's name; its vectors live in `KEY:p` and `KEY:n`. */
  readonly key: string;
  /** Adds `by` (default 1), batched as {@link CounterHandle.increment}. */
  increment(by?: number): Promise<void>;
  /** Subtracts `by` (default 1), batched as {@link CounterHandle.increment}. */
  decrement(by?: number): Promise<void>;
  /** P − N, after pending changes are written; may be negative. */
  value(): Promise<number>;
  /** Resolves once every change made so far is written. */
  flush(): Promise<void>;
}

/**
 * A PN-Counter handle on `key` counting as `writerId`: two G-Counter handles,
 * on `KEY:p` and `KEY:n` ({@link pnCounterKeys}).
 *
 * @throws `InvalidIndexError` for a writer id outside 0..2^32−1
 */
export function pnCounterHandle(
  store: SketchStore,
  key: string,
  writerId: number,
): PnCounterHandle {
  const keys = pnCounterKeys(key);
  return pnCounterOf(
    key,
    counterHandle(store, keys.positive, writerId),
    counterHandle(store, keys.negative, writerId),
  );
}

/** The PN-Counter `key` made of the G-Counter handles on its `KEY:p` and `KEY:n`. */
export function pnCounterOf(
  key: string,
  positive: CounterHandle,
  negative: CounterHandle,
): PnCounterHandle {
  return {
    key,
    increment: (by) => positive.increment(by),
    decrement: (by) => negative.increment(by),
    async value() {
      const [plus, minus] = await Promise.all([positive.value(), negative.value()]);
      return plus - minus;
    },
    flush: async () => {
      await Promise.all([positive.flush(), negative.flush()]);
    },
  };
}
