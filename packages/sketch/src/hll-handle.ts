import type { HllRegister } from './hyperloglog-profile.js';
import { hllCount } from './hyperloglog.js';
import { profileOf } from './hyperloglog-profiles.js';
import type { HllOptions } from './hyperloglog-profiles.js';
import { grownEntries } from './grown-entries.js';
import type { SketchItem } from './sketch-item.js';
import type { SketchStore } from './sketch-store.js';
import { WriteBatch } from './write-batch.js';

/** A HyperLogLog kept in one key of a {@link SketchStore}. */
export interface HllHandle {
  /** The key the HyperLogLog lives in. */
  readonly key: string;
  /**
   * Adds items. Adds made in one turn are batched into one put carrying only
   * the registers that grew; the promise resolves when that put has.
   */
  add(...items: SketchItem[]): Promise<void>;
  /** Adds every item of `items` (see {@link HllHandle.add}). */
  addAll(items: Iterable<SketchItem>): Promise<void>;
  /** The estimated number of distinct items, after pending adds are written. */
  count(): Promise<number>;
  /** Resolves once every add made so far is written. */
  flush(): Promise<void>;
}

/**
 * A HyperLogLog handle on `key` of `store`. Each add hashes the item into a
 * local register array (no allocation); the batch writes, per register, the
 * largest rank seen, and only where it beats the stored register.
 *
 * @example
 * ```ts
 * const visitors = hllHandle(node, 'visitors');
 * visitors.add('alice', 'bob');
 * await visitors.count(); // 2
 * ```
 */
export function hllHandle(store: SketchStore, key: string, options?: HllOptions): HllHandle {
  const profile = profileOf(options);
  // Allocated by the first add of a batch and dropped after its write, so an
  // idle handle holds no register array.
  let pending: Uint8Array | undefined;
  let touched: number[] = [];
  const register: HllRegister = { index: 0, rank: 0 };

  const raiseRegister = (index: number, rank: number): void => {
    pending ??= new Uint8Array(profile.registerCount);
    const current = pending[index];
    if (current >= rank) return;
    if (current === 0) touched.push(index);
    pending[index] = rank;
  };
  const raise = (item: SketchItem): void => {
    const { index, rank } = profile.register(item, register);
    raiseRegister(index, rank);
  };

  const batch = new WriteBatch(async () => {
    const taken = pending;
    if (taken === undefined) return;
    const indices = Int32Array.from(touched).sort();
    const ranks = Array.from(indices, (index) => taken[index]);
    pending = undefined;
    touched = [];
    try {
      const delta = grownEntries(await store.get(key), Array.from(indices), ranks);
      if (delta.indices.length > 0) await store.put(key, delta);
    } catch (error) {
      // Nothing is lost: the ranks go back to the pending batch, for the next write.
      indices.forEach((index, entry) => raiseRegister(index, ranks[entry]));
      throw error;
    }
  });

  const flush = (): Promise<void> => (touched.length > 0 ? batch.schedule() : batch.settled());

  return {
    key,
    add(...items) {
      for (const item of items) raise(item);
      return batch.schedule();
    },
    addAll(items) {
      for (const item of items) raise(item);
      return batch.schedule();
    },
    async count() {
      await flush();
      return hllCount(
        (await store.get(key)) ?? { kind: 'sparse', indices: [], values: [] },
        options,
      );
    },
    flush,
  };
}
