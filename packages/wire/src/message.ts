import type { VectorEntries } from '@vig/crdt-core';

/**
 * One vignette message: the only message of the protocol (SPEC §2).
 *
 * - `key`: the key, or a `%` search / `*` aggregate pattern.
 * - `vector`: the entries sent; no entries means "send me what you have".
 * - `ttl`: hops left; a message sent because of this one carries `ttl - 1`.
 * - `full`: the sender sent its whole vector for this key.
 */
export interface VignetteMessage {
  readonly key: string;
  readonly vector: VectorEntries;
  readonly ttl: number;
  readonly full: boolean;
}

/**
 * How the encoder may use the `dense` field, which only Vig nodes read:
 *
 * - `'never'` (the default): entries travel only in the `vector` map, which
 *   every vignette peer reads.
 * - `'auto'`: whichever of the two encodings is smaller, byte for byte.
 * - `'always'`: the `dense` field for every non-empty vector.
 *
 * A peer that ignores `dense` sees an empty `vector`, which means "send me
 * everything": only send dense messages to peers known to be Vig nodes.
 */
export type DenseMode = 'never' | 'auto' | 'always';
