/**
 * The hashes behind the key digest of anti-entropy (`KeyDigest`). They
 * are part of the protocol: two nodes compare these numbers, so another
 * implementation must compute exactly the same ones. Every function here
 * returns an unsigned 32-bit integer, computed with 32-bit multiplication
 * (`Math.imul`) and wrap-around, no floating point and no BigInt.
 *
 * Two building blocks are used, both published and widely implemented:
 *
 * - FNV-1a, 32-bit: offset basis `0x811c9dc5`, prime `0x01000193`;
 * - MurmurHash3 x86_32 (Austin Appleby), with its finaliser `fmix32`:
 *   `h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16`.
 */
import { FNV_OFFSET_BASIS, FNV_PRIME, fmix32, murmurMixBlock } from '@vig/crdt-core';
import type { MaxVector } from '@vig/crdt-core';

const TWO_TO_32 = 0x1_0000_0000;

/** MurmurHash3 x86_32's last step, for an input of `byteLength` bytes with no tail. */
function murmurFinish(hash: number, byteLength: number): number {
  return fmix32(hash ^ byteLength);
}

/**
 * The 32-bit unsigned hash of a key: FNV-1a over the key's UTF-16 code units,
 * then MurmurHash3's `fmix32` finaliser.
 *
 * Exactly: `h = 0x811c9dc5`; for each code unit `c` (0..65535, as
 * `charCodeAt` gives it, so a surrogate pair is two units) `h = (h ^ c) ×
 * 0x01000193 mod 2^32`; the result is `fmix32(h)`. For ASCII keys this is
 * FNV-1a of the key's bytes. The finaliser is there because the digest
 * places a key by its hash's top bits (`leafOf`), which FNV-1a alone
 * leaves nearly equal for keys that differ only in their last characters.
 *
 * @example
 * ```ts
 * keyHash('views:home'); // the same number on every node, in every implementation
 * ```
 */
export function keyHash(key: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let position = 0; position < key.length; position++) {
    hash = Math.imul(hash ^ key.charCodeAt(position), FNV_PRIME);
  }
  return fmix32(hash);
}

/**
 * The hash of one non-zero vector entry: MurmurHash3 x86_32, seed 0, of the
 * 12 bytes `index`, `value mod 2^32`, `floor(value / 2^32)`, each a 32-bit
 * little-endian word.
 */
function vectorEntryHash(index: number, value: number): number {
  const low = value >>> 0;
  const high = Math.floor(value / TWO_TO_32);
  let hash = murmurMixBlock(0, index);
  hash = murmurMixBlock(hash, low);
  hash = murmurMixBlock(hash, high);
  return murmurFinish(hash, 12);
}

/**
 * The 32-bit unsigned hash of a vector's contents, independent of the order
 * of its entries and of its representation (a sparse and a dense
 * {@link MaxVector} holding the same values hash the same).
 *
 * Exactly: the sum modulo 2^32, over every non-zero entry `(index, value)`,
 * of MurmurHash3 x86_32 with seed 0 of the 12 bytes made of three 32-bit
 * little-endian words: `index`, `value mod 2^32` and `floor(value / 2^32)`
 * (values go up to 2^53−1, so both halves count). A vector with no non-zero
 * entry hashes to 0.
 *
 * A sum, rather than a hash of the sorted entries, needs no sorting and lets
 * a dense vector be hashed in one pass over its registers.
 */
export function contentHash(vector: MaxVector): number {
  let sum = 0;
  vector.forEach((index, value) => {
    sum = (sum + vectorEntryHash(index, value)) >>> 0;
  });
  return sum;
}

/**
 * The hash of one key's state, as it counts in its digest leaf: MurmurHash3
 * x86_32 with seed 0 of the 8 bytes `keyHashValue`, `contentHashValue` (two
 * 32-bit little-endian words), except that a result of 0 becomes 1.
 *
 * Leaves add these hashes up, so a hash of 0 would make a key invisible to
 * its leaf; never being 0, a key always changes its leaf's hash when it
 * appears.
 */
export function entryHash(keyHashValue: number, contentHashValue: number): number {
  let hash = murmurMixBlock(0, keyHashValue);
  hash = murmurMixBlock(hash, contentHashValue);
  const mixed = murmurFinish(hash, 8);
  return mixed === 0 ? 1 : mixed;
}

/**
 * A second hash of a key, independent of {@link keyHash}: FNV-1a over the
 * key's UTF-16 code units taken last to first, from the offset basis
 * 0x811c9dc5 XOR 0x5bd1e995, then murmur3's fmix32.
 */
function secondKeyHash(key: string): number {
  let hash = (FNV_OFFSET_BASIS ^ 0x5bd1e995) >>> 0;
  for (let position = key.length - 1; position >= 0; position--) {
    hash = Math.imul(hash ^ key.charCodeAt(position), FNV_PRIME);
  }
  return fmix32(hash);
}

/**
 * The hash of a key's state, the second word of each digest pair: MurmurHash3
 * x86_32 with seed 0 of the 8 bytes `secondKeyHash(key)`, `contentHash(vector)`
 * (two 32-bit little-endian words). Mixing in a second hash of the key means
 * two keys whose {@link keyHash}es collide still differ here even when their
 * vectors are equal, so anti-entropy tells them apart and repairs both.
 */
export function stateHash(key: string, vector: MaxVector): number {
  let hash = murmurMixBlock(0, secondKeyHash(key));
  hash = murmurMixBlock(hash, contentHash(vector));
  return murmurFinish(hash, 8);
}
