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
 * A HyperLogLog handle on `key` of `store`. Each add hashes the item and
 * compares its rank with a local copy of the registers (no allocation); the
 * batch writes the registers it raised, and only where they beat the stored
 * ones. The local copy costs one byte per register (16 KiB at p = 14).
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
  // The largest rank this handle knows for each register: what the store held
  // when last read, raised by the adds since. An add that cannot beat it costs
  // one hash and one comparison, which is most adds once the registers fill.
  // Allocated by the first add.
  let local: Uint8Array | undefined;
  let learnedAll = false;
  // Registers raised since the last write (an index may repeat).
  let touched: number[] = [];
  const register: HllRegister = { index: 0, rank: 0 };

  const raise = (item: SketchItem): void => {
    const { index, rank } = profile.register(item, register);
    local ??= new Uint8Array(profile.registerCount);
    if (local[index] >= rank) return;
    local[index] = rank;
    touched.push(index);
  };

  const batch = new WriteBatch(async () => {
    if (local === undefined || touched.length === 0) return;
    const registers = local;
    const indices = uniqueSorted(touched);
    touched = [];
    const ranks = indices.map((index) => registers[index]);
    try {
      const current = await store.get(key);
      const delta = grownEntries(current, indices, ranks);
      if (delta.indices.length > 0) await store.put(key, delta);
      if (current !== undefined && !learnedAll) {
        // Once: learn what others wrote, so their registers filter our adds too.
        learnedAll = true;
        current.forEach((index, rank) => {
          if (index < registers.length && rank > registers[index]) registers[index] = rank;
        });
      }
    } catch (error) {
      // Nothing is lost: the ranks stay in the local registers; mark them for the next write.
      touched.push(...indices);
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

/** The distinct values of `indices`, ascending. */
function uniqueSorted(indices: readonly number[]): number[] {
  const sorted = Int32Array.from(indices).sort();
  const unique: number[] = [];
  for (let position = 0; position < sorted.length; position++) {
    if (position === 0 || sorted[position] !== sorted[position - 1]) unique.push(sorted[position]);
  }
  return unique;
}
