import { fmix32, murmurMixBlock } from './hash-32.js';
import type { Version } from './versioned-operation.js';

/**
 * An order-independent digest of the operations a store holds: how many, and
 * two sums mod 2^32, each of an independent 32-bit hash of every version held
 * ({@link versionHashLow}, {@link versionHashHigh}). Adding an operation
 * updates it in O(1), and two stores holding the same set of operations have
 * equal digests whatever order they received them in. Stores holding
 * different sets have equal digests only by a collision of both 32-bit sums
 * (about one chance in 2^64 for sets that differ by chance), so equal digests
 * are taken to mean "in sync". Its size never depends on the history or on
 * the number of agents.
 */
export interface HistoryDigest {
  /** Operations held (waiting ones excluded). */
  readonly count: number;
  /** The sum mod 2^32 of {@link versionHashLow} over every version held. */
  readonly low: number;
  /** The sum mod 2^32 of {@link versionHashHigh} over every version held. */
  readonly high: number;
}

/** The digest of an empty history. */
export const EMPTY_HISTORY_DIGEST: HistoryDigest = Object.freeze({ count: 0, low: 0, high: 0 });

/** Seeds of the two lanes: any two different constants, fixed for good (digests travel). */
const LOW_SEED = 0x9e3779b9;
const HIGH_SEED = 0x85ebca6b;

/**
 * MurmurHash3-style hash of a version from `seed`: the agent id's UTF-16 code
 * units, one per block, then the seq's low and high 32 bits, finalised with
 * the unit count. Integer arithmetic only, so every platform agrees.
 */
function versionHash(seed: number, agent: string, seq: number): number {
  let hash = seed;
  for (let position = 0; position < agent.length; position++) {
    hash = murmurMixBlock(hash, agent.charCodeAt(position));
  }
  hash = murmurMixBlock(hash, seq >>> 0);
  hash = murmurMixBlock(hash, Math.floor(seq / 0x1_0000_0000));
  return fmix32(hash ^ (agent.length + 2));
}

/** The first 32-bit hash of a version, summed in {@link HistoryDigest.low}. */
export function versionHashLow(version: Version): number {
  return versionHash(LOW_SEED, version.agent, version.seq);
}

/** The second, independent 32-bit hash of a version, summed in {@link HistoryDigest.high}. */
export function versionHashHigh(version: Version): number {
  return versionHash(HIGH_SEED, version.agent, version.seq);
}

/** `digest` with one more version in it. */
export function addToDigest(digest: HistoryDigest, agent: string, seq: number): HistoryDigest {
  return {
    count: digest.count + 1,
    low: (digest.low + versionHash(LOW_SEED, agent, seq)) >>> 0,
    high: (digest.high + versionHash(HIGH_SEED, agent, seq)) >>> 0,
  };
}

/** Whether two digests are equal: the two stores hold the same operations (see {@link HistoryDigest}). */
export function sameHistoryDigest(left: HistoryDigest, right: HistoryDigest): boolean {
  return left.count === right.count && left.low === right.low && left.high === right.high;
}
