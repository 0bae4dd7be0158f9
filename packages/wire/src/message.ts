import type { VectorEntries } from '@vig/crdt-core';

/**
 * The Vig protocol version this package speaks: the value a Vig node puts in
 * the `vig` field of what it sends. A peer that sends `vig: n` reads every
 * extension of versions 1..n.
 */
export const VIG_PROTOCOL_VERSION = 1;

/** The largest `vig` version written or read: 2^31. */
export const MAX_VIG_PROTOCOL_VERSION = 2 ** 31;

/**
 * One vignette message: the only message of the protocol (SPEC §2).
 *
 * - `key`: the key, or a `%` search / `*` aggregate pattern.
 * - `vector`: the entries sent; no entries means "send me what you have".
 * - `ttl`: hops left; a message sent because of this one carries `ttl - 1`.
 * - `full`: the sender sent its whole vector for this key.
 *
 * Two optional extension fields describe the node that sends the message
 * (not the one that first wrote its entries: a node passing on a message it
 * received sets its own). Absent means absent: they are written only when
 * present, and decoded only when sent. The Ruby and Clojure peers ignore
 * them, like every field they do not know.
 *
 * - `vig`: the sender is a Vig node that reads extensions (the dense field,
 *   digests, client markers) up to this protocol version, an integer in
 *   1..2^31 ({@link VIG_PROTOCOL_VERSION} for this package). A higher
 *   version than the receiver knows is still valid: the number is information.
 * - `client`: when true, the sender is a client library inside another
 *   process: answer it, never make it a member.
 */
export interface VignetteMessage {
  readonly key: string;
  readonly vector: VectorEntries;
  readonly ttl: number;
  readonly full: boolean;
  readonly vig?: number;
  readonly client?: boolean;
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
