import { maxRegisterSet, maxRegisterValue } from './max-register.js';
import { PendingDelta } from './pending-delta.js';
import type { SketchStore } from './sketch-store.js';

/** Max registers (a high-water mark, last-seen timestamps) kept in one key of a {@link SketchStore}. */
export interface MaxRegisterHandle {
  /** The key the registers live in. */
  readonly key: string;
  /** Raises register `index` (default 0) to `value` if that is larger; batched per turn. */
  set(value: number, index?: number): Promise<void>;
  /** The largest value register `index` (default 0) has seen anywhere (0 when none), after pending sets are written. */
  value(index?: number): Promise<number>;
  /** Resolves once every set made so far is written. */
  flush(): Promise<void>;
}

/**
 * A max-register handle on `key` of `store`. With `index` = a node or user id
 * and `value` = `Date.now()`, it keeps last-seen timestamps.
 *
 * @example
 * ```ts
 * const highWater = maxRegisterHandle(node, 'queue:high-water');
 * highWater.set(42);
 * await highWater.value(); // 42, or more if another writer saw more
 * ```
 */
export function maxRegisterHandle(store: SketchStore, key: string): MaxRegisterHandle {
  const pending = new PendingDelta(store, key);
  return {
    key,
    set: (value, index = 0) => pending.add(maxRegisterSet(value, index)),
    value: async (index = 0) => maxRegisterValue(await pending.read(), index),
    flush: () => pending.flush(),
  };
}
