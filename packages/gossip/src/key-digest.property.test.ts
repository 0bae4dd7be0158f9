import { MAX_VALUE, MaxStore } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIGEST_BUCKETS, DIGEST_LEAVES, KeyDigest, compareLeafRange } from './key-digest.js';

/** Everything a digest shows, to compare an incrementally kept digest with a fresh one. */
function snapshot(digest: KeyDigest): unknown {
  const leaves = Array.from({ length: DIGEST_BUCKETS }, (_, bucket) => [
    ...digest.bucketHashes(bucket),
  ]).flat();
  const entries = leaves.flatMap((hash, leaf) =>
    hash === 0 ? [] : [[leaf, [...digest.leafEntries(leaf)]]],
  );
  return {
    size: digest.size,
    root: digest.rootHash(),
    buckets: [...digest.rootHashes()],
    leaves,
    entries,
  };
}

/** One step: a merge into a key (peer keys included), then maybe a touch, then maybe a read. */
const step = fc.record({
  key: fc.oneof(
    fc.nat({ max: 3000 }).map((position) => `key:${position}`),
    fc.nat({ max: 5 }).map((position) => `n:127.0.0.${position}:7946`),
  ),
  entries: fc.array(fc.tuple(fc.nat({ max: 300 }), fc.integer({ min: 0, max: MAX_VALUE })), {
    minLength: 1,
    maxLength: 8,
  }),
  touch: fc.boolean(),
  read: fc.boolean(),
});

function apply(store: MaxStore, key: string, entries: readonly [number, number][]): void {
  store.merge(key, {
    kind: 'sparse',
    indices: entries.map(([index]) => index),
    values: entries.map(([, value]) => value),
  });
}

describe('KeyDigest (properties)', () => {
  it('kept incrementally, equals a digest built from scratch on the same store', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 400 }),
        fc.nat({ max: 200 }),
        (steps, initialKeys) => {
          const store = new MaxStore();
          for (let position = 0; position < initialKeys; position++) {
            apply(store, `key:${position * 7}`, [[position % 5, position + 1]]);
          }
          const digest = new KeyDigest(store);
          const touched = new Set<string>();
          for (const { key, entries, touch, read } of steps) {
            apply(store, key, entries);
            if (touch) digest.touch(key);
            else touched.add(key);
            if (read) digest.rootHash();
          }
          // Keys merged but never touched are touched at the end (the engine touches after every growth).
          for (const key of touched) digest.touch(key);
          expect(snapshot(digest)).toEqual(snapshot(new KeyDigest(store)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaf comparison finds exactly the keys that differ, from either side', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 150 }),
        fc.array(step, { maxLength: 150 }),
        (shared, extra) => {
          const mine = new MaxStore();
          const theirs = new MaxStore();
          for (const { key, entries } of shared) {
            apply(mine, key, entries);
            apply(theirs, key, entries);
          }
          for (const { key, entries } of extra) apply(mine, key, entries);
          const myDigest = new KeyDigest(mine);
          const theirDigest = new KeyDigest(theirs);
          const differing = [...mine.keys()].filter(
            (key) => !key.startsWith('n:') && !theirs.get(key)?.equals(mine.get(key)!),
          );
          const pushed: string[] = [];
          for (let leaf = 0; leaf < DIGEST_LEAVES; leaf++) {
            if (myDigest.leafHash(leaf) === theirDigest.leafHash(leaf)) continue;
            const theirPairs = theirDigest.leafEntries(leaf);
            const { push, want } = compareLeafRange(myDigest, leaf, 0, 0xffff_ffff, theirPairs);
            pushed.push(...push);
            expect(want).toEqual([]); // theirs holds no key mine lacks
          }
          expect(pushed.sort()).toEqual(differing.sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});
