/**
 * The pair of item hashes that Bloom filters combine by double hashing, on
 * the 32-bit hashes of `@vig/crdt-core`.
 */
import { fnv1a32, murmur3x86_32 } from '@vig/crdt-core';
import { itemBytes } from './sketch-item.js';
import type { SketchItem } from './sketch-item.js';

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
  const { bytes, length } = itemBytes(item);
  return { first: murmur3x86_32(bytes, ITEM_HASH_SEED, length), second: fnv1a32(bytes, length) };
}
