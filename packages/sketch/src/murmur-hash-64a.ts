/** The seed Redis's HyperLogLog hashes every element with. */
export const REDIS_HLL_SEED = 0xadc83b19;

/** A 64-bit value as two unsigned 32-bit halves. */
export interface Hash64 {
  /** Bits 32..63, as an unsigned 32-bit integer. */
  high: number;
  /** Bits 0..31, as an unsigned 32-bit integer. */
  low: number;
}

// The multiplier m = 0xc6a4a7935bd1e995 as 32-bit halves and 16-bit limbs.
const multiplierHigh = 0xc6a4a793;
const multiplierLow = 0x5bd1e995;
const multiplierLow0 = multiplierLow & 0xffff;
const multiplierLow1 = multiplierLow >>> 16;

// Scratch for the 64-bit product: written by multiplyByM, read right after.
let productHigh = 0;
let productLow = 0;

/** Sets productHigh:productLow to (high:low × m) mod 2^64. */
function multiplyByM(high: number, low: number): void {
  const low0 = low & 0xffff;
  const low1 = low >>> 16;
  const part00 = low0 * multiplierLow0;
  const part01 = low0 * multiplierLow1;
  const part10 = low1 * multiplierLow0;
  const middle = (part00 >>> 16) + (part01 & 0xffff) + (part10 & 0xffff);
  const carry = low1 * multiplierLow1 + (part01 >>> 16) + (part10 >>> 16);
  productHigh =
    (carry + (middle >>> 16) + Math.imul(high, multiplierLow) + Math.imul(low, multiplierHigh)) >>>
    0;
  productLow = Math.imul(low, multiplierLow) >>> 0;
}

/** Reads 4 bytes at `offset` as a little-endian unsigned 32-bit integer. */
function readWord(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset] |
      (bytes[offset + 1] << 8) |
      (bytes[offset + 2] << 16) |
      (bytes[offset + 3] << 24)) >>>
    0
  );
}

/**
 * MurmurHash64A (MurmurHash2, 64-bit) exactly as Redis computes it in
 * `hyperloglog.c` (endian-neutral: 8-byte blocks read little-endian), on
 * 32-bit integer arithmetic.
 *
 * @param bytes - the input; only the first `length` bytes are hashed
 * @param length - how many bytes of `bytes` to hash (default: all)
 * @param seed - an unsigned 32-bit seed (default {@link REDIS_HLL_SEED})
 * @param output - where to write the hash (reused to avoid allocation)
 * @returns `output`, holding the 64-bit hash
 *
 * @example
 * ```ts
 * const { high, low } = murmurHash64A(new TextEncoder().encode('hello'));
 * ```
 */
export function murmurHash64A(
  bytes: Uint8Array,
  length: number = bytes.length,
  seed: number = REDIS_HLL_SEED,
  output: Hash64 = { high: 0, low: 0 },
): Hash64 {
  multiplyByM(0, length >>> 0);
  let high = productHigh;
  let low = (productLow ^ seed) >>> 0;
  const blockEnd = length - (length & 7);
  for (let offset = 0; offset < blockEnd; offset += 8) {
    multiplyByM(readWord(bytes, offset + 4), readWord(bytes, offset));
    const blockHigh = productHigh;
    const blockLow = (productLow ^ (productHigh >>> 15)) >>> 0;
    multiplyByM(blockHigh, blockLow);
    multiplyByM((high ^ productHigh) >>> 0, (low ^ productLow) >>> 0);
    high = productHigh;
    low = productLow;
  }
  const tail = length & 7;
  if (tail !== 0) {
    for (let position = tail - 1; position >= 0; position--) {
      const byte = bytes[blockEnd + position];
      if (position >= 4) high ^= byte << (8 * (position - 4));
      else low ^= byte << (8 * position);
    }
    multiplyByM(high >>> 0, low >>> 0);
    high = productHigh;
    low = productLow;
  }
  low = (low ^ (high >>> 15)) >>> 0;
  multiplyByM(high, low);
  output.high = productHigh;
  output.low = (productLow ^ (productHigh >>> 15)) >>> 0;
  return output;
}
