/**
 * The anti-entropy exchange between two Vig nodes, as pure functions over a
 * {@link KeyDigest}: each step reads one sync message and says what to send
 * back, keeping no state between steps, so a lost datagram only ends that
 * exchange and the next one starts afresh.
 *
 * A starts by sending its 64 bucket hashes (`root`). B answers with the leaf
 * hashes of the buckets that differ (`buckets`). A answers with its
 * (key hash, content hash) pairs of the leaves that differ (`leaves`). B
 * pushes its keys that A lacks or holds differently, as ordinary messages,
 * and asks for the key hashes A listed that B lacks (`want`); A pushes those.
 * A pushed key that A holds larger in places draws A's `larger` reply, so
 * both sides end equal. Every step is capped, so one exchange costs at most a
 * few dozen datagrams however far apart the two stores are; what a cap leaves
 * out waits for the next exchange.
 */
import type { SyncBucketDigest, SyncLeafRange } from '@vig/wire';
import type { GossipConfig } from './gossip-config.js';
import {
  DIGEST_BUCKETS,
  DIGEST_LEAVES,
  LEAVES_PER_BUCKET,
  compareLeafRange,
  differingIndices,
} from './key-digest.js';
import type { KeyDigest } from './key-digest.js';
import type { RandomSource } from './scheduler.js';

/** The caps of one exchange (a subset of {@link GossipConfig}). */
export type AntiEntropyLimits = Pick<
  GossipConfig,
  'maxDigestBuckets' | 'maxDigestLeaves' | 'maxLeafEntries' | 'maxRepairKeys' | 'maxWantKeys'
>;

/** The key-hash bits below a leaf's: a leaf is the top 12 bits of a 32-bit key hash. */
const LEAF_SHIFT = 32 - Math.log2(DIGEST_LEAVES);

/** The first key hash of `leaf`. */
export function leafStart(leaf: number): number {
  return (leaf << LEAF_SHIFT) >>> 0;
}

/** The last key hash of `leaf`. */
export function leafEnd(leaf: number): number {
  return (leafStart(leaf) + (2 ** LEAF_SHIFT - 1)) >>> 0;
}

/**
 * B's answer to A's `root`: for each bucket whose hash differs (at most
 * `maxDigestBuckets`, chosen at random so repeated exchanges cover them all),
 * B's 64 leaf hashes. Empty when the digests agree (or `theirs` is malformed).
 */
export function answerRoot(
  digest: KeyDigest,
  theirs: Uint32Array,
  limits: AntiEntropyLimits,
  random: RandomSource,
): SyncBucketDigest[] {
  if (theirs.length !== DIGEST_BUCKETS) return [];
  const differing = differingIndices(digest.rootHashes(), theirs);
  return pickUpTo(differing, limits.maxDigestBuckets, random).map((bucket) => ({
    bucket,
    hashes: digest.bucketHashes(bucket),
  }));
}

/**
 * A's answer to B's `buckets`: for each leaf whose hash differs (at most
 * `maxDigestLeaves`, at random), A's key pairs of that leaf, in ranges of at
 * most `maxLeafEntries` pairs that together cover the whole leaf (an empty
 * leaf is one empty range: B then pushes all it has there).
 */
export function answerBuckets(
  digest: KeyDigest,
  buckets: readonly SyncBucketDigest[],
  limits: AntiEntropyLimits,
  random: RandomSource,
): SyncLeafRange[] {
  const differing: number[] = [];
  for (const { bucket, hashes } of buckets) {
    if (!(bucket < DIGEST_BUCKETS) || hashes.length !== LEAVES_PER_BUCKET) continue;
    for (const index of differingIndices(digest.bucketHashes(bucket), hashes)) {
      differing.push(bucket * LEAVES_PER_BUCKET + index);
    }
  }
  return pickUpTo(differing, limits.maxDigestLeaves, random).flatMap((leaf) =>
    leafRanges(leaf, digest.leafEntries(leaf), limits.maxLeafEntries),
  );
}

/** What B does with A's `leaves`: the keys to push to A, and the key hashes to ask A for. */
export interface LeavesAnswer {
  readonly push: string[];
  readonly want: Uint32Array;
}

/** B's answer to A's `leaves` (each capped: `maxRepairKeys` pushed, `maxWantKeys` wanted). */
export function answerLeaves(
  digest: KeyDigest,
  ranges: readonly SyncLeafRange[],
  limits: AntiEntropyLimits,
): LeavesAnswer {
  const push: string[] = [];
  const want: number[] = [];
  for (const { leaf, from, to, entries } of ranges) {
    if (!(leaf < DIGEST_LEAVES) || from > to || from < leafStart(leaf) || to > leafEnd(leaf)) {
      continue;
    }
    const compared = compareLeafRange(digest, leaf, from, to, entries);
    for (const key of compared.push) if (push.length < limits.maxRepairKeys) push.push(key);
    for (const hash of compared.want) if (want.length < limits.maxWantKeys) want.push(hash);
  }
  return { push, want: Uint32Array.from(want) };
}

/** A's answer to B's `want`: the keys with those hashes (at most `maxRepairKeys`). */
export function answerWant(
  digest: KeyDigest,
  hashes: Uint32Array,
  limits: AntiEntropyLimits,
): string[] {
  const keys: string[] = [];
  for (const hash of hashes) {
    for (const key of digest.keysWithHash(hash)) {
      if (keys.length >= limits.maxRepairKeys) return keys;
      keys.push(key);
    }
  }
  return keys;
}

/**
 * A leaf's sorted pairs as ranges of at most `maxPairs` pairs, covering the
 * leaf's whole key-hash span; pairs sharing a key hash stay in one range, so
 * a range's bounds never split a key hash.
 */
export function leafRanges(leaf: number, pairs: Uint32Array, maxPairs: number): SyncLeafRange[] {
  const ranges: SyncLeafRange[] = [];
  const count = pairs.length / 2;
  let from = leafStart(leaf);
  let start = 0;
  while (start < count || ranges.length === 0) {
    let end = Math.min(count, start + Math.max(1, maxPairs));
    while (end < count && end > start && pairs[2 * end] === pairs[2 * (end - 1)]) end += 1;
    const last = end >= count;
    const to = last ? leafEnd(leaf) : (pairs[2 * (end - 1)] ?? from);
    ranges.push({ leaf, from, to, entries: pairs.slice(2 * start, 2 * end) });
    if (last) break;
    from = (to + 1) >>> 0;
    start = end;
  }
  return ranges;
}

/** Up to `count` items drawn at random without repeats (a partial Fisher–Yates shuffle of a copy). */
function pickUpTo(items: readonly number[], count: number, random: RandomSource): number[] {
  if (items.length <= count) return [...items];
  const pool = [...items];
  for (let position = 0; position < count; position++) {
    const span = pool.length - position;
    const pick = position + Math.min(span - 1, Math.max(0, Math.floor(random() * span)));
    const chosen = pool[pick] ?? 0;
    pool[pick] = pool[position] ?? 0;
    pool[position] = chosen;
  }
  return pool.slice(0, count).sort((left, right) => left - right);
}
