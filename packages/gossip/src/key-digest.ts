import { VigError, isPeerKey } from '@vig/crdt-core';
import type { MaxStore } from '@vig/crdt-core';
import { entryHash, keyHash, stateHash } from './key-hash.js';

/** Level 1 of the digest: the number of buckets, each summing {@link LEAVES_PER_BUCKET} leaves. */
export const DIGEST_BUCKETS = 64;

/** Level 2 of the digest: the number of leaves in each bucket. */
export const LEAVES_PER_BUCKET = 64;

/** The number of leaves in a digest (4096); a key's leaf is the top 12 bits of its key hash. */
export const DIGEST_LEAVES = DIGEST_BUCKETS * LEAVES_PER_BUCKET;

/** 32 bits of key hash less the 12 that pick the leaf. */
const LEAF_SHIFT = 20;
/** log2 of {@link LEAVES_PER_BUCKET}. */
const BUCKET_SHIFT = 6;
/** The largest 32-bit unsigned hash, the default upper end of a range. */
const LARGEST_HASH = 0xffff_ffff;

/** A bucket or leaf number outside the digest. */
export class InvalidDigestIndexError extends VigError {
  static override readonly name = 'InvalidDigestIndexError';
  override readonly name = 'InvalidDigestIndexError';
  /** Whether a bucket or a leaf was asked for. */
  readonly level: 'bucket' | 'leaf';
  /** The rejected number, as given. */
  readonly index: number;

  constructor(level: 'bucket' | 'leaf', index: number, options?: ErrorOptions) {
    const count = level === 'bucket' ? DIGEST_BUCKETS : DIGEST_LEAVES;
    super(
      `digest ${level} ${String(index)} is out of range: expected an integer in 0..${count - 1}`,
      options,
    );
    this.level = level;
    this.index = index;
  }
}

/** A key-hash range whose ends are not 32-bit unsigned integers. */
export class InvalidHashRangeError extends VigError {
  static override readonly name = 'InvalidHashRangeError';
  override readonly name = 'InvalidHashRangeError';
  /** The rejected lower end, as given. */
  readonly from: number;
  /** The rejected upper end, as given. */
  readonly to: number;

  constructor(from: number, to: number, options?: ErrorOptions) {
    super(
      `key-hash range ${String(from)}..${String(to)} is invalid: expected integers in 0..2^32-1`,
      options,
    );
    this.from = from;
    this.to = to;
  }
}

/** A list of (keyHash, contentHash) pairs with an odd length, so its last pair is cut short. */
export class InvalidLeafEntriesError extends VigError {
  static override readonly name = 'InvalidLeafEntriesError';
  override readonly name = 'InvalidLeafEntriesError';
  /** The rejected length. */
  readonly length: number;

  constructor(length: number, options?: ErrorOptions) {
    super(
      `leaf entries of length ${length} are malformed: expected (keyHash, contentHash) pairs, an even length`,
      options,
    );
    this.length = length;
  }
}

/**
 * The leaf of a key hash: its top 12 bits, 0..{@link DIGEST_LEAVES}−1 (the
 * hash is read as an unsigned 32-bit integer). Leaves therefore split the
 * hash space into contiguous ranges, in order.
 */
export function leafOf(keyHashValue: number): number {
  return keyHashValue >>> LEAF_SHIFT;
}

/**
 * The bucket of a leaf: `leaf >>> 6`, 0..{@link DIGEST_BUCKETS}−1.
 *
 * @throws {@link InvalidDigestIndexError} unless `leaf` is an integer in 0..4095
 */
export function bucketOfLeaf(leaf: number): number {
  assertLeaf(leaf);
  return leaf >>> BUCKET_SHIFT;
}

/** What a {@link KeyDigest} covers. */
export interface KeyDigestOptions {
  /**
   * Which keys the digest covers; default: every key that is not a peer key
   * (`isPeerKey` from `@vig/crdt-core`), since heartbeats change every second
   * and are reconciled separately.
   */
  readonly include?: (key: string) => boolean;
}

/** A covered key and its hashes, as {@link KeyDigest.keysInRange} lists it. */
export interface DigestKey {
  /** The key. */
  readonly key: string;
  /** Its {@link keyHash}. */
  readonly keyHash: number;
  /** The {@link contentHash} of its vector. */
  readonly contentHash: number;
}

/** A covered key as the digest holds it: the content hash changes as the key grows. */
interface CoveredKey {
  readonly key: string;
  readonly keyHash: number;
  contentHash: number;
}

const NO_KEYS: readonly CoveredKey[] = [];

/** Orders a leaf's keys by key hash, then content hash, then key (so ties are deterministic). */
function byHashes(left: CoveredKey, right: CoveredKey): number {
  return (
    left.keyHash - right.keyHash ||
    left.contentHash - right.contentHash ||
    (left.key < right.key ? -1 : left.key > right.key ? 1 : 0)
  );
}

/** The first position in sorted `keys` whose key hash is at least `keyHashValue`. */
function lowerBound(keys: readonly CoveredKey[], keyHashValue: number): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle].keyHash < keyHashValue) low = middle + 1;
    else high = middle;
  }
  return low;
}

function isHash(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= LARGEST_HASH;
}

function assertLeaf(leaf: number): void {
  if (!Number.isInteger(leaf) || leaf < 0 || leaf >= DIGEST_LEAVES) {
    throw new InvalidDigestIndexError('leaf', leaf);
  }
}

function assertBucket(bucket: number): void {
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= DIGEST_BUCKETS) {
    throw new InvalidDigestIndexError('bucket', bucket);
  }
}

function assertHashRange(from: number, to: number): void {
  if (!isHash(from) || !isHash(to)) throw new InvalidHashRangeError(from, to);
}

/**
 * A two-level Merkle-style summary of a {@link MaxStore}'s keys, so that two
 * nodes find the keys where they differ at a cost proportional to the
 * differences rather than to the number of keys.
 *
 * Each covered key sits in the leaf given by the top 12 bits of its
 * {@link keyHash}, and counts there with its {@link entryHash} (which mixes
 * the key hash with the {@link contentHash} of its vector). A leaf's hash is
 * the sum modulo 2^32 of its keys' entry hashes, a bucket's hash the sum of
 * its 64 leaves' hashes, and the root hash the sum of the 64 bucket hashes.
 * Sums, unlike hashes of hashes, can be updated in place when one key
 * changes: subtract its old entry hash, add the new one.
 *
 * Anti-entropy walks down: compare the 64 bucket hashes
 * ({@link KeyDigest.rootHashes}, {@link differingIndices}), then the 64 leaf
 * hashes of each differing bucket ({@link KeyDigest.bucketHashes}), then the
 * (keyHash, contentHash) pairs of each differing leaf
 * ({@link KeyDigest.leafEntries}, {@link compareLeafRange}), which name the
 * keys to push and the key hashes to ask for.
 *
 * The digest is kept up to date incrementally: the engine calls
 * {@link KeyDigest.touch} after a key grows, and touched keys are rehashed
 * lazily at the next read, so a burst of merges into one key costs one
 * rehash. Memory: 16 KiB of leaf hashes and 256 bytes of bucket hashes,
 * plus a small record per covered key; a leaf's key list exists only once a
 * key lands in it.
 *
 * @example
 * ```ts
 * const digest = new KeyDigest(store);
 * store.merge('views:home', { kind: 'sparse', indices: [0], values: [121] });
 * digest.touch('views:home');
 * const buckets = differingIndices(digest.rootHashes(), peerRootHashes);
 * ```
 */
export class KeyDigest {
  readonly #store: MaxStore;
  readonly #include: (key: string) => boolean;
  readonly #leaves = new Uint32Array(DIGEST_LEAVES);
  readonly #buckets = new Uint32Array(DIGEST_BUCKETS);
  #root = 0;
  readonly #covered = new Map<string, CoveredKey>();
  /** Leaf → its keys, sorted by {@link byHashes} unless the leaf is in `#unsorted`. */
  readonly #leafKeys = new Map<number, CoveredKey[]>();
  readonly #unsorted = new Set<number>();
  readonly #touched = new Set<string>();

  /** A digest of `store`, covering every included key already in it. */
  constructor(store: MaxStore, options: KeyDigestOptions = {}) {
    this.#store = store;
    this.#include = options.include ?? ((key) => !isPeerKey(key));
    for (const key of store.keys()) {
      if (this.#include(key)) this.#rehash(key);
    }
  }

  /**
   * Notes that `key` grew or was created in the store; its hashes are
   * recomputed at the next read. Ignored for a key the digest does not
   * cover; touching a key that did not change, or is not in the store yet,
   * is harmless.
   */
  touch(key: string): void {
    if (this.#include(key)) this.#touched.add(key);
  }

  /** The number of keys covered. */
  get size(): number {
    this.#refresh();
    return this.#covered.size;
  }

  /** The sum modulo 2^32 of the bucket hashes: equal roots mean equal digests, almost surely. */
  rootHash(): number {
    this.#refresh();
    return this.#root;
  }

  /** The 64 bucket hashes, in bucket order (a fresh copy). */
  rootHashes(): Uint32Array {
    this.#refresh();
    return this.#buckets.slice();
  }

  /**
   * The 64 leaf hashes of `bucket` (a fresh copy): position `i` holds leaf
   * `bucket × 64 + i`.
   *
   * @throws {@link InvalidDigestIndexError} unless `bucket` is an integer in 0..63
   */
  bucketHashes(bucket: number): Uint32Array {
    assertBucket(bucket);
    this.#refresh();
    const first = bucket * LEAVES_PER_BUCKET;
    return this.#leaves.slice(first, first + LEAVES_PER_BUCKET);
  }

  /**
   * The hash of `leaf`: the sum modulo 2^32 of the entry hashes of its keys (0 when it has none).
   *
   * @throws {@link InvalidDigestIndexError} unless `leaf` is an integer in 0..4095
   */
  leafHash(leaf: number): number {
    assertLeaf(leaf);
    this.#refresh();
    return this.#leaves[leaf];
  }

  /**
   * The (keyHash, contentHash) pairs of the keys in `leaf` whose key hash
   * lies in `from..to` (inclusive; the whole leaf by default), sorted by key
   * hash then content hash, flattened into one array:
   * `[keyHash₀, contentHash₀, keyHash₁, contentHash₁, …]`. This is what one
   * node sends another to compare a leaf, or part of one.
   *
   * @throws {@link InvalidDigestIndexError} unless `leaf` is an integer in 0..4095
   * @throws {@link InvalidHashRangeError} unless `from` and `to` are integers in 0..2^32−1
   */
  leafEntries(leaf: number, from = 0, to = LARGEST_HASH): Uint32Array {
    const { keys, start, end } = this.#range(leaf, from, to);
    const pairs = new Uint32Array((end - start) * 2);
    for (let position = start; position < end; position++) {
      const covered = keys[position];
      pairs[(position - start) * 2] = covered.keyHash;
      pairs[(position - start) * 2 + 1] = covered.contentHash;
    }
    return pairs;
  }

  /**
   * The covered keys whose key hash is `keyHashValue`, in the order of
   * {@link KeyDigest.leafEntries}: usually none or one, more only when
   * different keys' hashes collide.
   */
  keysWithHash(keyHashValue: number): string[] {
    this.#refresh();
    if (!isHash(keyHashValue)) return [];
    const keys = this.#sortedKeys(leafOf(keyHashValue));
    const found: string[] = [];
    for (let position = lowerBound(keys, keyHashValue); position < keys.length; position++) {
      if (keys[position].keyHash !== keyHashValue) break;
      found.push(keys[position].key);
    }
    return found;
  }

  /**
   * The covered keys of `leaf` whose key hash lies in `from..to`
   * (inclusive), with their hashes, in the order of {@link KeyDigest.leafEntries}.
   *
   * @throws {@link InvalidDigestIndexError} unless `leaf` is an integer in 0..4095
   * @throws {@link InvalidHashRangeError} unless `from` and `to` are integers in 0..2^32−1
   */
  keysInRange(leaf: number, from: number, to: number): DigestKey[] {
    const { keys, start, end } = this.#range(leaf, from, to);
    return keys.slice(start, end).map((covered) => ({
      key: covered.key,
      keyHash: covered.keyHash,
      contentHash: covered.contentHash,
    }));
  }

  /** The sorted keys of `leaf` and the positions start..end−1 of those with key hash in from..to. */
  #range(
    leaf: number,
    from: number,
    to: number,
  ): { keys: readonly CoveredKey[]; start: number; end: number } {
    assertLeaf(leaf);
    assertHashRange(from, to);
    this.#refresh();
    const keys = this.#sortedKeys(leaf);
    const start = lowerBound(keys, from);
    const end = Math.max(start, lowerBound(keys, to + 1));
    return { keys, start, end };
  }

  #sortedKeys(leaf: number): readonly CoveredKey[] {
    const keys = this.#leafKeys.get(leaf);
    if (keys === undefined) return NO_KEYS;
    // Sorting here rather than on every change keeps a burst of updates cheap;
    // a list that was sorted before a few changes is nearly sorted, which
    // V8's TimSort handles in about linear time.
    if (this.#unsorted.delete(leaf)) keys.sort(byHashes);
    return keys;
  }

  #refresh(): void {
    if (this.#touched.size === 0) return;
    for (const key of this.#touched) this.#rehash(key);
    this.#touched.clear();
  }

  /** Brings `key`'s hashes and its leaf, bucket and root up to date with the store. */
  #rehash(key: string): void {
    const vector = this.#store.get(key);
    // A key touched before the store created it; stores never delete, so
    // there is nothing to remove either.
    if (vector === undefined) return;
    // The key's state, not only its vector: see stateHash on key collisions.
    const content = stateHash(key, vector);
    const covered = this.#covered.get(key);
    if (covered === undefined) {
      this.#add(key, content);
      return;
    }
    if (covered.contentHash === content) return;
    const leaf = leafOf(covered.keyHash);
    const before = entryHash(covered.keyHash, covered.contentHash);
    covered.contentHash = content;
    this.#shift(leaf, entryHash(covered.keyHash, content) - before);
    this.#unsorted.add(leaf);
  }

  #add(key: string, content: number): void {
    const hash = keyHash(key);
    const leaf = leafOf(hash);
    const covered: CoveredKey = { key, keyHash: hash, contentHash: content };
    this.#covered.set(key, covered);
    const keys = this.#leafKeys.get(leaf);
    if (keys === undefined) this.#leafKeys.set(leaf, [covered]);
    else keys.push(covered);
    this.#unsorted.add(leaf);
    this.#shift(leaf, entryHash(hash, content));
  }

  /** Adds `delta` (modulo 2^32) to a leaf and to the bucket and root above it. */
  #shift(leaf: number, delta: number): void {
    const bucket = leaf >>> BUCKET_SHIFT;
    this.#leaves[leaf] = (this.#leaves[leaf] + delta) >>> 0;
    this.#buckets[bucket] = (this.#buckets[bucket] + delta) >>> 0;
    this.#root = (this.#root + delta) >>> 0;
  }
}

/**
 * The positions where two hash arrays differ, ascending: for comparing root
 * hashes ({@link KeyDigest.rootHashes}) or one bucket's leaf hashes
 * ({@link KeyDigest.bucketHashes}). When the lengths differ the arrays cannot
 * be matched up, so every position of the longer one is returned.
 */
export function differingIndices(mine: Uint32Array, theirs: Uint32Array): number[] {
  if (mine.length !== theirs.length) {
    return Array.from({ length: Math.max(mine.length, theirs.length) }, (_, position) => position);
  }
  const differing: number[] = [];
  for (let position = 0; position < mine.length; position++) {
    if (mine[position] !== theirs[position]) differing.push(position);
  }
  return differing;
}

/** What {@link compareLeafRange} finds in one leaf range. */
export interface LeafRangeDifference {
  /** My keys in the range that the other side lacks, or holds with a different content hash. */
  readonly push: string[];
  /** Key hashes the other side listed in the range that I have no key for, ascending. */
  readonly want: number[];
}

/**
 * Compares one leaf range of `digest` with the other side's
 * {@link KeyDigest.leafEntries} for the same `leaf` and `from..to`.
 *
 * A key of mine goes to `push` unless the other side listed exactly its
 * (keyHash, contentHash) pair; a key hash the other side listed goes to
 * `want` when no key of mine has it. When two keys' hashes collide, the
 * pair comparison still pushes each key whose content the other side lacks,
 * so both sides converge once each has compared. Pairs listed outside the
 * leaf or range are ignored, and the other side's order does not matter.
 *
 * @throws {@link InvalidDigestIndexError} unless `leaf` is an integer in 0..4095
 * @throws {@link InvalidHashRangeError} unless `from` and `to` are integers in 0..2^32−1
 * @throws {@link InvalidLeafEntriesError} when `theirs` has an odd length
 */
export function compareLeafRange(
  digest: KeyDigest,
  leaf: number,
  from: number,
  to: number,
  theirs: Uint32Array,
): LeafRangeDifference {
  if (theirs.length % 2 !== 0) throw new InvalidLeafEntriesError(theirs.length);
  const mine = digest.keysInRange(leaf, from, to);
  /** Their key hash → the content hashes they listed for it. */
  const theirContents = new Map<number, number[]>();
  for (let position = 0; position < theirs.length; position += 2) {
    const theirKeyHash = theirs[position];
    if (leafOf(theirKeyHash) !== leaf || theirKeyHash < from || theirKeyHash > to) continue;
    const contents = theirContents.get(theirKeyHash);
    if (contents === undefined) theirContents.set(theirKeyHash, [theirs[position + 1]]);
    else contents.push(theirs[position + 1]);
  }
  const myKeyHashes = new Set<number>();
  const push: string[] = [];
  for (const { key, keyHash: myKeyHash, contentHash: myContentHash } of mine) {
    myKeyHashes.add(myKeyHash);
    if (theirContents.get(myKeyHash)?.includes(myContentHash) !== true) push.push(key);
  }
  const want = [...theirContents.keys()]
    .filter((theirKeyHash) => !myKeyHashes.has(theirKeyHash))
    .sort((left, right) => left - right);
  return { push, want };
}
