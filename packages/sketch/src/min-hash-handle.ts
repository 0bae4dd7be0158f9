import { minHashAdd, minHashSimilarity } from './min-hash.js';
import { PendingDelta } from './pending-delta.js';
import type { SketchItem } from './sketch-item.js';
import type { SketchStore } from './sketch-store.js';

/** A Min-Hash signature kept in one key of a {@link SketchStore}. */
export interface MinHashHandle {
  /** The key the signature lives in. */
  readonly key: string;
  /** k, the number of registers; every writer of the key and every key compared must use the same. */
  readonly registers: number;
  /** Adds items; adds made in one turn go out as one put of the registers that grew. */
  add(...items: SketchItem[]): Promise<void>;
  /** The estimated Jaccard similarity of this set and the one in `otherKey`, after pending adds are written. */
  similarity(otherKey: string): Promise<number>;
  /** Resolves once every add made so far is written. */
  flush(): Promise<void>;
}

/**
 * A Min-Hash handle on `key` of `store` with `registers` registers (k); the
 * estimate's standard deviation is √(J(1−J)/k).
 *
 * @example
 * ```ts
 * const likes = minHashHandle(node, 'likes:ann', 128);
 * likes.add('red', 'green', 'blue');
 * await likes.similarity('likes:bob'); // the estimated Jaccard similarity
 * ```
 *
 * @throws {@link InvalidSketchParameterError} for a bad k
 */
export function minHashHandle(store: SketchStore, key: string, registers: number): MinHashHandle {
  minHashAdd([], registers);
  const pending = new PendingDelta(store, key);
  return {
    key,
    registers,
    add: (...items) => pending.add(minHashAdd(items, registers)),
    async similarity(otherKey) {
      const own = await pending.read();
      return minHashSimilarity(own, await store.get(otherKey), registers);
    },
    flush: () => pending.flush(),
  };
}
