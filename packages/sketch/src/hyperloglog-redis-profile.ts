import { InvalidSketchParameterError } from './sketch-errors.js';
import { ertlEstimate } from './hyperloglog-ertl-estimate.js';
import { itemBytes } from './sketch-item.js';
import type { SketchItem } from './sketch-item.js';
import type { HllProfile, HllRegister } from './hyperloglog-profile.js';
import { murmurHash64A, REDIS_HLL_SEED } from './murmur-hash-64a.js';
import type { Hash64 } from './murmur-hash-64a.js';

/** Redis's precision: 2^14 = 16384 registers. */
export const REDIS_PRECISION = 14;

/** The smallest precision the `redis` profile supports. */
export const MIN_PRECISION = 4;

/** The largest precision the `redis` profile supports. */
export const MAX_PRECISION = 18;

/** Count of trailing zero bits of a non-zero 32-bit integer. */
function trailingZeros(word: number): number {
  return 31 - Math.clz32(word & -word);
}

const hash: Hash64 = { high: 0, low: 0 };

/**
 * Redis's register function (`hllPatLen`) for precision p: index = the low p
 * bits of MurmurHash64A(item, 0xadc83b19); rank = 1 + the trailing zeros of
 * the hash shifted right by p, with bit 64−p set so the rank is at most 65−p.
 */
export function redisRegister(
  item: SketchItem,
  precision: number,
  output: HllRegister = { index: 0, rank: 0 },
): HllRegister {
  const { bytes, length } = itemBytes(item);
  murmurHash64A(bytes, length, REDIS_HLL_SEED, hash);
  const shiftedLow = (hash.low >>> precision) | (hash.high << (32 - precision));
  output.index = hash.low & ((1 << precision) - 1);
  output.rank =
    shiftedLow !== 0
      ? trailingZeros(shiftedLow) + 1
      : trailingZeros((hash.high >>> precision) | (1 << (32 - precision))) + 33;
  return output;
}

const profiles = new Map<number, HllProfile>();

/**
 * The `redis` profile at precision p (default 14, Redis's own): Redis's
 * register function and Redis's estimator, so at p = 14 every register equals
 * `PFDEBUG GETREG` and every count equals `PFCOUNT`. Standard error
 * 1.04/√(2^p) (0.81% at p = 14).
 *
 * @throws {@link InvalidSketchParameterError} unless p is an integer in 4..18
 */
export function redisProfile(precision: number = REDIS_PRECISION): HllProfile {
  if (!Number.isInteger(precision) || precision < MIN_PRECISION || precision > MAX_PRECISION) {
    throw new InvalidSketchParameterError(
      'hyperloglog precision',
      precision,
      `an integer in ${MIN_PRECISION}..${MAX_PRECISION}`,
    );
  }
  const known = profiles.get(precision);
  if (known !== undefined) return known;
  const profile: HllProfile = Object.freeze({
    name: 'redis' as const,
    precision,
    registerCount: 2 ** precision,
    maxRank: 65 - precision,
    register: (item: SketchItem, output?: HllRegister) => redisRegister(item, precision, output),
    estimate: (histogram: ArrayLike<number>) => ertlEstimate(histogram, precision),
  });
  profiles.set(precision, profile);
  return profile;
}
