// The sync messages: Vig's anti-entropy and membership extension messages,
// exchanged only between peers known to be Vig nodes (see the README, "Sync
// messages (Vig extension)").

/**
 * Envelope fields every sync message carries, whatever its kind.
 *
 * - `vig`: the sender's Vig protocol version, an integer in 1..2^31, as in a
 *   vignette message's `vig` (required: only Vig nodes send sync messages).
 * - `client`: when true, the sender is a client library inside another
 *   process: answer it, never make it a member. Written only when true.
 */
export interface SyncEnvelope {
  readonly vig: number;
  readonly client?: boolean;
}

/**
 * The root of the sender's key digest: the hash of each of its 64 buckets, and
 * how many keys the digest covers. Equal roots mean nothing to repair.
 */
export interface SyncRoot extends SyncEnvelope {
  readonly kind: 'root';
  /** One hash per bucket, in bucket order (64 for Vig's digest). */
  readonly hashes: Uint32Array;
  /** Keys the digest covers, an integer in 0..2^53−1. */
  readonly keys: number;
}

/** One bucket of the sender's digest, by its leaf hashes. */
export interface SyncBucketDigest {
  /** The bucket's number, an integer in 0..2^32−1. */
  readonly bucket: number;
  /** The hash of each of the bucket's leaves, in leaf order. */
  readonly hashes: Uint32Array;
}

/** The leaf hashes of the buckets whose hashes differed from the receiver's root. */
export interface SyncBuckets extends SyncEnvelope {
  readonly kind: 'buckets';
  readonly buckets: readonly SyncBucketDigest[];
}

/** The sender's keys in one leaf, within a range of key hashes. */
export interface SyncLeafRange {
  /** The leaf's number, an integer in 0..2^32−1. */
  readonly leaf: number;
  /** The first key hash of the range, an integer in 0..2^32−1. */
  readonly from: number;
  /** The last key hash of the range, an integer in 0..2^32−1. */
  readonly to: number;
  /** pairs: keyHash, contentHash, ... (an even number of words). */
  readonly entries: Uint32Array;
}

/** (keyHash, contentHash) pairs of the sender's keys in the leaves that differ. */
export interface SyncLeaves extends SyncEnvelope {
  readonly kind: 'leaves';
  readonly leaves: readonly SyncLeafRange[];
}

/** Key hashes the sender lacks (or holds older content for), asking the receiver to push those keys. */
export interface SyncWant extends SyncEnvelope {
  readonly kind: 'want';
  readonly hashes: Uint32Array;
}

/** One membership table entry: a peer's address, its heartbeat and its leave marker. */
export interface SyncPeerEntry {
  /** The peer's address (`host:port`), at most 255 UTF-8 bytes. */
  readonly address: string;
  /** The highest heartbeat the sender saw from the peer, an integer in 0..2^53−1. */
  readonly heartbeat: number;
  /** The peer's leave marker (0: it has not left), an integer in 0..2^53−1. */
  readonly leave: number;
}

/**
 * Entries of the sender's membership table; `reply` is true on the answer to a
 * `peers` message.
 *
 * With an address range (`from`, `to`, or both), the sender's table is sorted
 * by address in JavaScript string order (UTF-16 code units, what `<` compares;
 * not UTF-8 byte order), each address once, and `peers` lists every entry the
 * sender holds whose address is in the half-open range [`from`, `to`): an
 * absent `from` means from the start, an absent `to` means no upper bound. So
 * an address in the range but not in `peers` is one the sender does not hold.
 * Without either, the message says nothing about what the sender lacks. A
 * `from` above `to` is not an error: receivers treat the range as empty.
 *
 * {@link splitSyncMessage} writes contiguous ranges on the datagrams of a
 * list it cuts, covering exactly the message's range.
 */
export interface SyncPeers extends SyncEnvelope {
  readonly kind: 'peers';
  readonly reply: boolean;
  readonly peers: readonly SyncPeerEntry[];
  /** The lowest address the range holds (inclusive), at most 255 UTF-8 bytes; absent: from the start. */
  readonly from?: string;
  /** The first address above the range (exclusive), at most 255 UTF-8 bytes; absent: no upper bound. */
  readonly to?: string;
}

/** One member as the sender sees it: its address and its status. */
export interface SyncMemberEntry {
  /** The member's address (`host:port`), at most 255 UTF-8 bytes. */
  readonly address: string;
  /**
   * Its status as the sender sees it (`alive`, `suspect`, `dead`, `left`; any
   * string of at most 255 UTF-8 bytes, so later versions may add statuses).
   */
  readonly status: string;
}

/**
 * The sender's membership view, for a client library that asks a node who is
 * in the cluster (`reply` false, `members` empty); the node answers with
 * `reply` true and its view: itself first, as `alive`, then every member of
 * its table with its status. Clients never become members, so the answer is
 * the only way a client learns who is.
 */
export interface SyncMembers extends SyncEnvelope {
  readonly kind: 'members';
  readonly reply: boolean;
  readonly members: readonly SyncMemberEntry[];
}

/** A sync message: one of Vig's anti-entropy and membership extension messages. */
export type SyncMessage = SyncRoot | SyncBuckets | SyncLeaves | SyncWant | SyncPeers | SyncMembers;

/** The kind of a sync message, the value of its `sync` field. */
export type SyncKind = SyncMessage['kind'];

/** Every sync kind, in the order the README lists them. */
export const SYNC_KINDS: readonly SyncKind[] = [
  'root',
  'buckets',
  'leaves',
  'want',
  'peers',
  'members',
];

/**
 * The fields of a sync message an error may name: the wire fields, and the
 * members of a list item (`bucket`, `leaf`, `from`, `to`, `entries`,
 * `address`, `heartbeat`, `leave`, `status`; a bucket's `hashes` is
 * `hashes`). `from` and `to` name a leaf's members, or a `peers` message's
 * address range; `address` names a member of a `peers` or `members` item.
 */
export type SyncField =
  | 'sync'
  | 'vig'
  | 'client'
  | 'hashes'
  | 'keys'
  | 'buckets'
  | 'leaves'
  | 'reply'
  | 'peers'
  | 'bucket'
  | 'leaf'
  | 'from'
  | 'to'
  | 'entries'
  | 'address'
  | 'heartbeat'
  | 'leave'
  | 'members'
  | 'status';

/** The most items (buckets, leaves or peers) one sync message's list may hold: 4096. */
export const MAX_SYNC_ITEMS = 4096;

/**
 * The most 32-bit words one bin of a sync message may hold: 16384 (64 KiB):
 * hashes of a root, a bucket or a want, or 8192 (keyHash, contentHash) pairs
 * of a leaf.
 */
export const MAX_SYNC_HASHES = 16_384;

/**
 * The longest peer address (or range bound `from`, `to`) in a `peers`
 * message, and the longest address or status in a `members` message, in
 * UTF-8 bytes: 255.
 */
export const MAX_SYNC_ADDRESS_BYTES = 255;
