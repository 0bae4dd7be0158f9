/**
 * An item a sketch counts or tests: a string, read as its UTF-8 bytes, or the
 * bytes themselves. `"é"` and `new Uint8Array([0xc3, 0xa9])` are the same item.
 */
export type SketchItem = string | Uint8Array;

const utf8 = new TextEncoder();

/** The item's bytes: UTF-8 for a string (lone surrogates become U+FFFD), as given for bytes. */
export function encodeItem(item: SketchItem): Uint8Array {
  return typeof item === 'string' ? utf8.encode(item) : item;
}

/** FNV-1a's 32-bit offset basis. */
const FNV_OFFSET_BASIS = 0x811c9dc5;
/** FNV-1a's 32-bit prime. */
const FNV_PRIME = 0x01000193;

/**
 * The 32-bit FNV-1a hash of `bytes` (offset basis 0x811c9dc5, prime
 * 0x01000193): for each byte, xor it in, then multiply by the prime mod 2^32.
 * Returns an unsigned integer in 0..2^32−1; `fnv1a32(encodeItem("a"))` is
 * 0xe40c292c.
 */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = FNV_OFFSET_BASIS;
  for (let position = 0; position < bytes.length; position++) {
    hash = Math.imul(hash ^ bytes[position], FNV_PRIME);
  }
  return hash >>> 0;
}

const MURMUR_C1 = 0xcc9e2d51;
const MURMUR_C2 = 0x1b873593;

/** One 4-byte block (or the zero-padded tail) scrambled as MurmurHash3 does before mixing it in. */
function murmurScramble(block: number): number {
  const multiplied = Math.imul(block, MURMUR_C1);
  return Math.imul((multiplied << 15) | (multiplied >>> 17), MURMUR_C2);
}

/**
 * Austin Appleby's MurmurHash3 x86_32 of `bytes` with a 32-bit `seed`
 * (little-endian 4-byte blocks, the standard tail and finalizer), exactly as
 * the reference `MurmurHash3_x86_32`. Returns an unsigned integer in
 * 0..2^32−1; `murmur3x86_32(encodeItem("test"), 0)` is 0xba6bd213.
 */
export function murmur3x86_32(bytes: Uint8Array, seed: number): number {
  const length = bytes.length;
  const blocksEnd = length - (length % 4);
  let hash = seed >>> 0;
  for (let position = 0; position < blocksEnd; position += 4) {
    const block =
      bytes[position] |
      (bytes[position + 1] << 8) |
      (bytes[position + 2] << 16) |
      (bytes[position + 3] << 24);
    hash ^= murmurScramble(block);
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  }
  const tailLength = length - blocksEnd;
  if (tailLength > 0) {
    let tail = bytes[blocksEnd];
    if (tailLength > 1) tail |= bytes[blocksEnd + 1] << 8;
    if (tailLength > 2) tail |= bytes[blocksEnd + 2] << 16;
    hash ^= murmurScramble(tail);
  }
  hash ^= length;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The MurmurHash3 seed of {@link itemHashPair}'s first hash. */
export const ITEM_HASH_SEED = 0x9747b28c;

/**
 * Two independent 32-bit hashes of an item's bytes, the pair Bloom filters
 * combine by double hashing: `first` is {@link murmur3x86_32} with seed
 * {@link ITEM_HASH_SEED} (0x9747b28c), `second` is {@link fnv1a32}. Both are
 * unsigned integers in 0..2^32−1.
 */
export function itemHashPair(item: SketchItem): {
  readonly first: number;
  readonly second: number;
} {
  const bytes = encodeItem(item);
  return { first: murmur3x86_32(bytes, ITEM_HASH_SEED), second: fnv1a32(bytes) };
}
