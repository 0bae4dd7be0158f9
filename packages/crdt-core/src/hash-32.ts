/**
 * Two published 32-bit hashes, written once for every layer that hashes:
 * FNV-1a and MurmurHash3 x86_32 (Austin Appleby), with the building blocks
 * the gossip key digest combines on its own. Pure integer arithmetic
 * (`Math.imul`, wrap-around): no floating point, no BigInt, the same numbers
 * on every platform, so protocols may rely on them.
 */

/** FNV-1a's 32-bit offset basis. */
export const FNV_OFFSET_BASIS = 0x811c9dc5;
/** FNV-1a's 32-bit prime. */
export const FNV_PRIME = 0x01000193;

const MURMUR_C1 = 0xcc9e2d51;
const MURMUR_C2 = 0x1b873593;

/**
 * The 32-bit FNV-1a hash of the first `length` bytes of `bytes` (all of them
 * by default): for each byte, xor it in, then multiply by the prime mod 2^32.
 * `fnv1a32(utf8("a"))` is 0xe40c292c.
 */
export function fnv1a32(bytes: Uint8Array, length = bytes.length): number {
  let hash = FNV_OFFSET_BASIS;
  for (let position = 0; position < length; position++) {
    hash = Math.imul(hash ^ bytes[position], FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * MurmurHash3's 32-bit finaliser `fmix32`: `h ^= h >>> 16; h *= 0x85ebca6b;
 * h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16`, so every input bit affects
 * every output bit. Unsigned result.
 */
export function fmix32(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A 4-byte block (or the zero-padded tail) scrambled as MurmurHash3 does before mixing it in. */
function murmurScramble(word: number): number {
  const multiplied = Math.imul(word, MURMUR_C1);
  return Math.imul((multiplied << 15) | (multiplied >>> 17), MURMUR_C2);
}

/**
 * One step of MurmurHash3 x86_32's body: mixes a 4-byte block, read
 * little-endian as `word`, into `hash`. A hash of whole words is
 * `fmix32(steps ^ byteLength)` from a seed, as {@link murmur3x86_32} ends.
 */
export function murmurMixBlock(hash: number, word: number): number {
  hash ^= murmurScramble(word);
  hash = (hash << 13) | (hash >>> 19);
  return (Math.imul(hash, 5) + 0xe6546b64) | 0;
}

/**
 * MurmurHash3 x86_32 of the first `length` bytes of `bytes` (all of them by
 * default) with a 32-bit `seed`, exactly as the reference
 * `MurmurHash3_x86_32`: little-endian 4-byte blocks, the standard tail and
 * finaliser. `murmur3x86_32(utf8("test"), 0)` is 0xba6bd213.
 */
export function murmur3x86_32(bytes: Uint8Array, seed: number, length = bytes.length): number {
  const blocksEnd = length - (length % 4);
  let hash = seed >>> 0;
  for (let position = 0; position < blocksEnd; position += 4) {
    const word =
      bytes[position] |
      (bytes[position + 1] << 8) |
      (bytes[position + 2] << 16) |
      (bytes[position + 3] << 24);
    hash = murmurMixBlock(hash, word);
  }
  const tailLength = length - blocksEnd;
  if (tailLength > 0) {
    let tail = bytes[blocksEnd];
    if (tailLength > 1) tail |= bytes[blocksEnd + 1] << 8;
    if (tailLength > 2) tail |= bytes[blocksEnd + 2] << 16;
    hash ^= murmurScramble(tail);
  }
  return fmix32(hash ^ length);
}
