import { itemBytes } from './sketch-item.js';
import type { SketchItem } from './sketch-item.js';
import type { HllProfile, HllRegister } from './hyperloglog-profile.js';
import { md5 } from './md5.js';

const bucketCount = 1024;
const alpha = 0.721;
const twoTo32 = 2 ** 32;

/**
 * The Ruby prototype's register function (`HyperLogLog.vector`): h = the
 * first 4 bytes of MD5(item) read little-endian; bucket = h mod 1024;
 * rank = 32 − ⌊log2 h⌋, which is the leading zeros of h as a 32-bit word + 1
 * (1..32; Ruby computes it with floating-point logarithms, which are exact at
 * every power of two below 2^32). For h = 0 Ruby raises; this gives 33.
 */
export function vignetteRegister(
  item: SketchItem,
  output: HllRegister = { index: 0, rank: 0 },
): HllRegister {
  const { bytes, length } = itemBytes(item);
  const digest = md5(bytes, length);
  const word = (digest[0] | (digest[1] << 8) | (digest[2] << 16) | (digest[3] << 24)) >>> 0;
  output.index = word & (bucketCount - 1);
  output.rank = Math.clz32(word) + 1;
  return output;
}

/**
 * The Ruby prototype's estimator (`HyperLogLog.estimate`): α = 0.721 raw
 * estimate, linear counting at or below 2500 when a bucket is empty, the
 * 2^32 large-range correction above 2^32/30, rounded half away from zero.
 */
export function vignetteEstimate(histogram: ArrayLike<number>): number {
  const zeros = histogram[0];
  let sum = 0;
  for (let rank = 1; rank < histogram.length; rank++) sum += histogram[rank] * 2 ** -rank;
  let estimate = (alpha * bucketCount * bucketCount) / (sum + zeros);
  if (estimate <= 2500 && zeros > 0) {
    estimate = bucketCount * Math.log(bucketCount / zeros);
  } else if (estimate > twoTo32 / 30) {
    estimate = -twoTo32 * Math.log(1 - estimate / twoTo32);
  }
  return Math.round(estimate);
}

/**
 * The `vignette` profile: the Ruby prototype's HyperLogLog (1024 buckets,
 * MD5, α = 0.721), so keys written by Ruby nodes count the same. Standard
 * error about 1.04/√1024 ≈ 3.3%.
 */
export const vignetteProfile: HllProfile = Object.freeze({
  name: 'vignette' as const,
  precision: 10,
  registerCount: bucketCount,
  maxRank: 33,
  register: vignetteRegister,
  estimate: vignetteEstimate,
});
