import { MaxStore, MaxVector, seededRandom } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import {
  answerBuckets,
  answerLeaves,
  answerRoot,
  answerWant,
  leafEnd,
  leafRanges,
  leafStart,
} from './anti-entropy.js';
import { DEFAULT_GOSSIP_CONFIG } from './gossip-config.js';
import { KeyDigest } from './key-digest.js';

const limits = DEFAULT_GOSSIP_CONFIG;

function storeOf(record: Record<string, Record<number, number>>): MaxStore {
  const store = new MaxStore();
  for (const [key, vector] of Object.entries(record)) store.merge(key, MaxVector.from(vector));
  return store;
}

/** One full exchange started by `a`: what each side pushes to the other. */
function exchange(a: KeyDigest, b: KeyDigest) {
  const random = seededRandom(3);
  const buckets = answerRoot(b, a.rootHashes(), limits, random);
  const leaves = answerBuckets(a, buckets, limits, random);
  const { push: pushedByB, want } = answerLeaves(b, leaves, limits);
  const pushedByA = answerWant(a, want, limits);
  return { buckets, leaves, pushedByA, pushedByB };
}

describe('anti-entropy exchange', () => {
  it('sends nothing past the root when the digests agree', () => {
    const shared = { a: { 0: 1 }, b: { 3: 4 } };
    const left = new KeyDigest(storeOf(shared));
    const right = new KeyDigest(storeOf(shared));
    expect(answerRoot(right, left.rootHashes(), limits, seededRandom(1))).toEqual([]);
  });

  it('finds exactly the differing keys, in both directions', () => {
    const common = Object.fromEntries(
      Array.from({ length: 500 }, (_, index) => [`key-${index}`, { [index]: index + 1 }]),
    );
    const a = storeOf({ ...common, 'only-a': { 1: 1 }, changed: { 0: 9 } });
    const b = storeOf({ ...common, 'only-b': { 2: 2 }, changed: { 0: 3, 5: 5 } });

    const { buckets, pushedByA, pushedByB } = exchange(new KeyDigest(a), new KeyDigest(b));

    expect(buckets.length).toBeGreaterThan(0);
    expect(buckets.length).toBeLessThanOrEqual(3);
    expect(pushedByB.sort()).toEqual(['changed', 'only-b']);
    expect(pushedByA).toEqual(['only-a']);
  });

  it('caps the buckets answered, picking among all that differ', () => {
    const a = new KeyDigest(storeOf({}));
    const b = new KeyDigest(
      storeOf(
        Object.fromEntries(Array.from({ length: 2000 }, (_, index) => [`k${index}`, { 0: 1 }])),
      ),
    );
    const answered = answerRoot(
      b,
      a.rootHashes(),
      { ...limits, maxDigestBuckets: 5 },
      seededRandom(9),
    );
    expect(answered).toHaveLength(5);
    expect(new Set(answered.map((bucket) => bucket.bucket)).size).toBe(5);
  });

  it('ignores malformed digests instead of throwing', () => {
    const digest = new KeyDigest(storeOf({ a: { 0: 1 } }));
    expect(answerRoot(digest, new Uint32Array(3), limits, seededRandom(1))).toEqual([]);
    expect(
      answerBuckets(
        digest,
        [{ bucket: 999, hashes: new Uint32Array(64) }],
        limits,
        seededRandom(1),
      ),
    ).toEqual([]);
    expect(
      answerLeaves(digest, [{ leaf: 5, from: 10, to: 1, entries: new Uint32Array(0) }], limits),
    ).toEqual({ push: [], want: new Uint32Array(0) });
  });
});

describe('leafRanges', () => {
  it('covers the whole leaf with one empty range when the leaf is empty', () => {
    expect(leafRanges(7, new Uint32Array(0), 4)).toEqual([
      { leaf: 7, from: leafStart(7), to: leafEnd(7), entries: new Uint32Array(0) },
    ]);
  });

  it('splits into contiguous ranges of at most maxPairs, never splitting a key hash', () => {
    const start = leafStart(1);
    const pairs = Uint32Array.from([start + 1, 10, start + 2, 20, start + 2, 21, start + 3, 30]);
    const ranges = leafRanges(1, pairs, 2);
    expect(ranges.map(({ from, to }) => [from - start, to - start])).toEqual([
      [0, 2],
      [3, leafEnd(1) - start],
    ]);
    expect(ranges.map((range) => range.entries.length / 2)).toEqual([3, 1]);
  });
});
