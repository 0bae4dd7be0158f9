import type { SketchItem } from './sketch-item.js';

/** Where an item lands: its register index and the rank it offers that register. */
export interface HllRegister {
  /** The register index, in 0..registerCount−1. */
  index: number;
  /** The rank (position of the first 1 bit), at least 1. */
  rank: number;
}

/**
 * How a HyperLogLog maps items to registers and registers to a count. A
 * HyperLogLog is a max vector (register index → rank) read through a profile;
 * every node that counts a key must use the same profile.
 */
export interface HllProfile {
  /** `"redis"` (MurmurHash64A, Ertl's estimator) or `"vignette"` (the Ruby prototype). */
  readonly name: 'redis' | 'vignette';
  /** log2 of the register count. */
  readonly precision: number;
  /** How many registers: 2^precision. */
  readonly registerCount: number;
  /** The largest rank the hash can produce. */
  readonly maxRank: number;
  /**
   * The register `item` sets. Writes into `output` when given (no allocation)
   * and returns it.
   */
  register(item: SketchItem, output?: HllRegister): HllRegister;
  /**
   * The estimated count from a rank histogram: `histogram[r]` is how many of
   * the `registerCount` registers hold rank r (absent registers count as 0).
   * Its length is `maxRank + 1`.
   */
  estimate(histogram: ArrayLike<number>): number;
}
