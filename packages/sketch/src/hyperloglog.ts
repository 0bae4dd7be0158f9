import { forEachEntry, MaxVector } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import { InvalidRegisterError } from './hyperloglog-errors.js';
import type { SketchItem } from './sketch-item.js';
import type { HllProfile, HllRegister } from './hyperloglog-profile.js';
import { profileOf } from './hyperloglog-profiles.js';
import type { HllOptions } from './hyperloglog-profiles.js';

const scratchRegister: HllRegister = { index: 0, rank: 0 };

/**
 * Where `item` lands in a HyperLogLog: its register index and rank.
 *
 * @example
 * ```ts
 * hllRegister('alice'); // { index: …, rank: … }, as Redis's PFADD sets it
 * ```
 */
export function hllRegister(item: SketchItem, options?: HllOptions): HllRegister {
  return profileOf(options).register(item, { index: 0, rank: 0 });
}

/**
 * Raises `registers[index]` to the rank `item` offers, in place: the dense
 * form of one add. `registers` has one byte per register of the profile.
 *
 * @returns true when the register grew
 */
export function hllAdd(registers: Uint8Array, item: SketchItem, options?: HllOptions): boolean {
  const { index, rank } = profileOf(options).register(item, scratchRegister);
  if (registers[index] >= rank) return false;
  registers[index] = rank;
  return true;
}

/**
 * The max-vector delta adding `items` produces: for each register the items
 * reach, the largest rank they offer it. Merging the delta into a key's vector
 * is the add; merging is idempotent and commutative, so deltas may travel in
 * any order. Sparse entries, ascending by index.
 *
 * @example
 * ```ts
 * const vector = new MaxVector();
 * vector.merge(hllDelta(['alice', 'bob']));
 * hllCount(vector); // 2
 * ```
 */
export function hllDelta(items: Iterable<SketchItem>, options?: HllOptions): VectorEntries {
  const profile = profileOf(options);
  if (deltaRanks.length < profile.registerCount) deltaRanks = new Uint8Array(profile.registerCount);
  // A shared scratch array, left all zero again before returning: no allocation per call.
  const ranks = deltaRanks;
  const touched: number[] = [];
  try {
    for (const item of items) {
      const { index, rank } = profile.register(item, scratchRegister);
      const current = ranks[index];
      if (current >= rank) continue;
      if (current === 0) touched.push(index);
      ranks[index] = rank;
    }
    return { kind: 'sparse', ...touchedEntries(ranks, touched, profile.registerCount) };
  } finally {
    for (const index of touched) ranks[index] = 0;
  }
}

/**
 * The touched registers of `ranks`, ascending: by a scan of every register
 * when many are touched (cheaper than sorting them), else by sorting.
 */
function touchedEntries(
  ranks: Uint8Array,
  touched: readonly number[],
  registerCount: number,
): { indices: number[]; values: number[] } {
  const indices: number[] = [];
  const values: number[] = [];
  if (touched.length * 64 >= registerCount) {
    for (let index = 0; index < registerCount; index++) {
      if (ranks[index] === 0) continue;
      indices.push(index);
      values.push(ranks[index]);
    }
    return { indices, values };
  }
  for (const index of Int32Array.from(touched).sort()) {
    indices.push(index);
    values.push(ranks[index]);
  }
  return { indices, values };
}

let deltaRanks = new Uint8Array(0);

/** What a HyperLogLog count reads: a key's vector or entries. */
export type HllVector = MaxVector | VectorEntries;

/** The rank histogram of the element-wise max of `vectors`. */
function unionHistogram(vectors: readonly HllVector[], profile: HllProfile): Uint32Array {
  const histogram = new Uint32Array(profile.maxRank + 1);
  if (vectors.length === 1) {
    const only = vectors[0];
    if (!(only instanceof MaxVector) && only.kind === 'dense' && only.offset === 0) {
      return denseHistogram(only.registers, histogram, profile);
    }
  }
  const ranks = new Uint8Array(profile.registerCount);
  let touched = 0;
  const raise = (index: number, rank: number): void => {
    if (index >= profile.registerCount || rank > profile.maxRank) {
      throw new InvalidRegisterError(index, rank, profile.registerCount, profile.maxRank);
    }
    if (ranks[index] < rank) ranks[index] = rank;
    touched++;
  };
  for (const vector of vectors) {
    if (vector instanceof MaxVector) vector.forEach(raise);
    else forEachEntry(vector, raise);
  }
  if (touched === 0) histogram[0] = profile.registerCount;
  else denseHistogram(ranks, histogram, profile);
  return histogram;
}

/** The histogram of dense registers (index 0 first); missing registers count as 0. */
function denseHistogram(
  registers: ArrayLike<number>,
  histogram: Uint32Array,
  profile: HllProfile,
): Uint32Array {
  for (let index = profile.registerCount; index < registers.length; index++) {
    if (registers[index] !== 0) {
      throw new InvalidRegisterError(
        index,
        registers[index],
        profile.registerCount,
        profile.maxRank,
      );
    }
  }
  const end = Math.min(registers.length, profile.registerCount);
  if (registers instanceof Uint8Array) byteHistogram(registers, end, histogram, profile);
  else {
    for (let index = 0; index < end; index++) {
      const rank = registers[index];
      if (rank > profile.maxRank) {
        throw new InvalidRegisterError(index, rank, profile.registerCount, profile.maxRank);
      }
      histogram[rank]++;
    }
  }
  histogram[0] += profile.registerCount - end;
  return histogram;
}

const byteCounts = new Uint32Array(256);

/** The histogram of the first `end` one-byte registers: counts every byte value, then checks. */
function byteHistogram(
  registers: Uint8Array,
  end: number,
  histogram: Uint32Array,
  profile: HllProfile,
): void {
  byteCounts.fill(0);
  for (let index = 0; index < end; index++) byteCounts[registers[index]]++;
  for (let rank = profile.maxRank + 1; rank < 256; rank++) {
    if (byteCounts[rank] === 0) continue;
    const index = registers.indexOf(rank);
    throw new InvalidRegisterError(index, rank, profile.registerCount, profile.maxRank);
  }
  for (let rank = 0; rank <= profile.maxRank; rank++) histogram[rank] += byteCounts[rank];
}

/**
 * The estimated number of distinct items added to a HyperLogLog vector. With
 * the default profile this equals Redis's `PFCOUNT` on the same items.
 *
 * @throws {@link InvalidRegisterError} when the vector holds a register the profile cannot produce
 */
export function hllCount(vector: HllVector, options?: HllOptions): number {
  return hllCountUnion([vector], options);
}

/**
 * The estimated number of distinct items in the union of several HyperLogLogs:
 * the count of their element-wise max (as Redis's `PFCOUNT key1 key2 …`).
 *
 * @throws {@link InvalidRegisterError} when a vector holds a register the profile cannot produce
 */
export function hllCountUnion(vectors: readonly HllVector[], options?: HllOptions): number {
  const profile = profileOf(options);
  return profile.estimate(unionHistogram(vectors, profile));
}
