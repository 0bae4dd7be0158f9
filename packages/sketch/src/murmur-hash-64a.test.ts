import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmurHash64A, REDIS_HLL_SEED } from './murmur-hash-64a.js';

const mask64 = (1n << 64n) - 1n;

/** MurmurHash64A transcribed from Redis's C with BigInt: the oracle. */
function referenceMurmurHash64A(bytes: Uint8Array, seed: number): bigint {
  const multiplier = 0xc6a4a7935bd1e995n;
  let hash = (BigInt(seed) ^ (BigInt(bytes.length) * multiplier)) & mask64;
  const blockEnd = bytes.length - (bytes.length & 7);
  for (let offset = 0; offset < blockEnd; offset += 8) {
    let block = 0n;
    for (let byte = 7; byte >= 0; byte--) block = (block << 8n) | BigInt(bytes[offset + byte]);
    block = (block * multiplier) & mask64;
    block ^= block >> 47n;
    block = (block * multiplier) & mask64;
    hash ^= block;
    hash = (hash * multiplier) & mask64;
  }
  const tail = bytes.length & 7;
  if (tail !== 0) {
    for (let byte = tail - 1; byte >= 0; byte--) {
      hash ^= BigInt(bytes[blockEnd + byte]) << BigInt(8 * byte);
    }
    hash = (hash * multiplier) & mask64;
  }
  hash ^= hash >> 47n;
  hash = (hash * multiplier) & mask64;
  hash ^= hash >> 47n;
  return hash;
}

function asBigInt({ high, low }: { high: number; low: number }): bigint {
  return (BigInt(high) << 32n) | BigInt(low);
}

describe('murmurHash64A', () => {
  it('equals a BigInt transcription of Redis C for random byte strings and seeds', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        (bytes, seed) => {
          expect(asBigInt(murmurHash64A(bytes, bytes.length, seed))).toBe(
            referenceMurmurHash64A(bytes, seed),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('hashes only the first `length` bytes and leaves halves unsigned', () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const hash = murmurHash64A(bytes, 9);
    expect(asBigInt(hash)).toBe(referenceMurmurHash64A(bytes.subarray(0, 9), REDIS_HLL_SEED));
    expect(hash.high).toBeGreaterThanOrEqual(0);
    expect(hash.low).toBeGreaterThanOrEqual(0);
  });

  it('matches golden values of the Redis seed', () => {
    // Their low 14 bits and ranks are the registers Redis 7.0.15's PFDEBUG
    // GETREG shows after PFADD of each item (see hyperloglog.test.ts).
    const golden: [string, string][] = [
      ['', 'd8dfea6585bc9732'],
      ['a', '53d2470a9b43b1a7'],
      ['hello', '0f656f01eecfe400'],
      ['alice', '788e93251e48053d'],
      ['0123456789abcdef', '9f8565428eaa573d'],
    ];
    for (const [text, hex] of golden) {
      const hash = asBigInt(murmurHash64A(new TextEncoder().encode(text)));
      expect(hash.toString(16).padStart(16, '0')).toBe(hex);
    }
  });
});
