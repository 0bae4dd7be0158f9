import { MaxStore, isVigError } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import {
  DIGEST_BUCKETS,
  DIGEST_LEAVES,
  InvalidDigestIndexError,
  InvalidHashRangeError,
  InvalidLeafEntriesError,
  KeyDigest,
  LEAVES_PER_BUCKET,
  bucketOfLeaf,
  compareLeafRange,
  differingIndices,
  leafOf,
} from './key-digest.js';
import { entryHash, keyHash, stateHash } from './key-hash.js';

const WHOLE_LEAF = [0, 0xffff_ffff] as const;

/** Two keys whose hashes collide (found by a birthday search over random keys). */
const COLLIDING = ['key:30ri5lb3', 'key:7nj0strf'] as const;

function storeOf(record: Readonly<Record<string, Readonly<Record<number, number>>>>): MaxStore {
  const store = new MaxStore();
  for (const [key, entries] of Object.entries(record)) {
    const indices = Object.keys(entries).map(Number);
    store.merge(key, { kind: 'sparse', indices, values: indices.map((index) => entries[index]) });
  }
  return store;
}

function raise(store: MaxStore, key: string, index: number, value: number): void {
  store.merge(key, { kind: 'sparse', indices: [index], values: [value] });
}

function manyKeys(count: number): MaxStore {
  const store = new MaxStore();
  for (let position = 0; position < count; position++)
    raise(store, `k${position}`, position % 7, 1 + position);
  return store;
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('leafOf and bucketOfLeaf', () => {
  it('take the top 12 bits of a key hash, and the top 6 of a leaf', () => {
    expect(DIGEST_LEAVES).toBe(4096);
    expect(leafOf(0)).toBe(0);
    expect(leafOf(0x000f_ffff)).toBe(0);
    expect(leafOf(0x0010_0000)).toBe(1);
    expect(leafOf(0xffff_ffff)).toBe(4095);
    expect(bucketOfLeaf(0)).toBe(0);
    expect(bucketOfLeaf(63)).toBe(0);
    expect(bucketOfLeaf(64)).toBe(1);
    expect(bucketOfLeaf(4095)).toBe(63);
  });

  it('reject a leaf outside 0..4095 with a typed error', () => {
    for (const leaf of [-1, 4096, 1.5, Number.NaN]) {
      const error = caught(() => bucketOfLeaf(leaf));
      expect(error).toBeInstanceOf(InvalidDigestIndexError);
      expect(isVigError(error, 'InvalidDigestIndexError')).toBe(true);
    }
  });
});

describe('KeyDigest', () => {
  it('is all zeros for an empty store', () => {
    const digest = new KeyDigest(new MaxStore());
    expect(digest.size).toBe(0);
    expect(digest.rootHash()).toBe(0);
    expect(digest.rootHashes()).toEqual(new Uint32Array(DIGEST_BUCKETS));
    expect(digest.leafEntries(7)).toEqual(new Uint32Array(0));
  });

  it('sums entry hashes into leaf, bucket and root', () => {
    const store = storeOf({ 'views:home': { 0: 5, 3: 7 } });
    const digest = new KeyDigest(store);
    const hash = keyHash('views:home');
    const leaf = leafOf(hash);
    const expected = entryHash(hash, stateHash('views:home', store.get('views:home')!));
    expect(digest.size).toBe(1);
    expect(digest.leafHash(leaf)).toBe(expected);
    expect(digest.bucketHashes(bucketOfLeaf(leaf))[leaf % LEAVES_PER_BUCKET]).toBe(expected);
    expect(digest.rootHashes()[bucketOfLeaf(leaf)]).toBe(expected);
    expect(digest.rootHash()).toBe(expected);
    expect(digest.leafEntries(leaf)).toEqual(
      Uint32Array.of(hash, stateHash('views:home', store.get('views:home')!)),
    );
  });

  it('keeps root, buckets and leaves consistent as sums mod 2^32', () => {
    const digest = new KeyDigest(manyKeys(3000));
    let rootSum = 0;
    const buckets = digest.rootHashes();
    for (let bucket = 0; bucket < DIGEST_BUCKETS; bucket++) {
      const leaves = digest.bucketHashes(bucket);
      expect(leaves.reduce((sum, hash) => (sum + hash) >>> 0, 0)).toBe(buckets[bucket]);
      rootSum = (rootSum + buckets[bucket]) >>> 0;
    }
    expect(digest.rootHash()).toBe(rootSum);
  });

  it('hands out copies of its hash arrays', () => {
    const digest = new KeyDigest(manyKeys(10));
    const root = digest.rootHashes();
    root.fill(0);
    digest.bucketHashes(0).fill(0);
    expect(digest.rootHashes()).not.toEqual(root);
    expect(new KeyDigest(manyKeys(10)).bucketHashes(0)).toEqual(digest.bucketHashes(0));
  });

  it('updates on the next read after touch, once however many merges came between', () => {
    const store = manyKeys(50);
    const digest = new KeyDigest(store);
    const before = digest.rootHash();
    raise(store, 'k3', 0, 1_000);
    expect(digest.rootHash()).toBe(before); // not touched yet
    raise(store, 'k3', 1, 2_000);
    digest.touch('k3');
    digest.touch('k3');
    expect(digest.rootHash()).not.toBe(before);
    expect(digest.rootHashes()).toEqual(new KeyDigest(store).rootHashes());
  });

  it('covers keys created after it, once touched; touching an unknown or unchanged key is harmless', () => {
    const store = manyKeys(5);
    const digest = new KeyDigest(store);
    const before = digest.rootHash();
    digest.touch('missing');
    digest.touch('k1');
    expect(digest.rootHash()).toBe(before);
    expect(digest.size).toBe(5);
    raise(store, 'fresh', 2, 3);
    digest.touch('fresh');
    expect(digest.size).toBe(6);
    expect(digest.keysWithHash(keyHash('fresh'))).toEqual(['fresh']);
    expect(digest.rootHash()).toBe(new KeyDigest(store).rootHash());
  });

  it('leaves out peer keys by default', () => {
    const store = storeOf({ 'n:127.0.0.1:7946': { 0: 10 }, 'views:home': { 0: 1 } });
    const digest = new KeyDigest(store);
    expect(digest.size).toBe(1);
    expect(digest.keysWithHash(keyHash('n:127.0.0.1:7946'))).toEqual([]);
    const before = digest.rootHash();
    raise(store, 'n:127.0.0.1:7946', 0, 11);
    raise(store, 'n:127.0.0.2:7946', 0, 1);
    digest.touch('n:127.0.0.1:7946');
    digest.touch('n:127.0.0.2:7946');
    expect(digest.rootHash()).toBe(before);
    expect(digest.size).toBe(1);
  });

  it('covers exactly the keys the include option accepts', () => {
    const store = storeOf({
      'n:127.0.0.1:7946': { 0: 10 },
      'views:home': { 0: 1 },
      'x:y': { 1: 1 },
    });
    const everything = new KeyDigest(store, { include: () => true });
    expect(everything.size).toBe(3);
    const views = new KeyDigest(store, { include: (key) => key.startsWith('views:') });
    expect(views.size).toBe(1);
    raise(store, 'views:pricing', 0, 4);
    raise(store, 'x:z', 0, 4);
    views.touch('views:pricing');
    views.touch('x:z');
    expect(views.size).toBe(2);
    expect(views.rootHash()).toBe(
      new KeyDigest(storeOf({ 'views:home': { 0: 1 }, 'views:pricing': { 0: 4 } })).rootHash(),
    );
  });

  it('rejects a bad bucket, leaf or hash range with typed errors', () => {
    const digest = new KeyDigest(manyKeys(3));
    for (const bucket of [-1, 64, 0.5]) {
      const error = caught(() => digest.bucketHashes(bucket));
      expect(error).toBeInstanceOf(InvalidDigestIndexError);
      expect((error as InvalidDigestIndexError).level).toBe('bucket');
    }
    for (const run of [
      () => digest.leafHash(4096),
      () => digest.leafEntries(-1),
      () => digest.keysInRange(1.5, 0, 1),
    ]) {
      expect(caught(run)).toBeInstanceOf(InvalidDigestIndexError);
    }
    for (const [from, to] of [
      [-1, 5],
      [0, 2 ** 32],
      [0.5, 3],
      [Number.NaN, 3],
    ]) {
      const error = caught(() => digest.leafEntries(0, from, to));
      expect(error).toBeInstanceOf(InvalidHashRangeError);
      expect(isVigError(error, 'InvalidHashRangeError')).toBe(true);
    }
  });
});

describe('leafEntries, keysInRange and keysWithHash', () => {
  // 20 000 keys put about 5 in each leaf: enough to find a crowded one.
  const store = manyKeys(20_000);
  const digest = new KeyDigest(store);
  const crowded = Array.from({ length: DIGEST_LEAVES }, (_, leaf) => leaf).reduce((best, leaf) =>
    digest.leafEntries(leaf).length > digest.leafEntries(best).length ? leaf : best,
  );
  const pairs = digest.leafEntries(crowded);

  it('lists a leaf as (keyHash, contentHash) pairs sorted by key hash', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(16);
    for (let position = 0; position < pairs.length; position += 2) {
      expect(leafOf(pairs[position])).toBe(crowded);
      if (position > 0) expect(pairs[position]).toBeGreaterThan(pairs[position - 2]);
      const [key] = digest.keysWithHash(pairs[position]);
      expect(keyHash(key)).toBe(pairs[position]);
      expect(stateHash(key, store.get(key)!)).toBe(pairs[position + 1]);
    }
  });

  it('keeps only the key hashes in from..to, both ends included', () => {
    const second = pairs[2];
    const fourth = pairs[6];
    const ranged = digest.leafEntries(crowded, second, fourth);
    expect(ranged).toEqual(pairs.slice(2, 8));
    expect(digest.leafEntries(crowded, second + 1, fourth - 1)).toEqual(pairs.slice(4, 6));
    expect(digest.leafEntries(crowded, fourth, second)).toEqual(new Uint32Array(0));
    expect(digest.leafEntries(crowded, ...WHOLE_LEAF)).toEqual(pairs);
    const keys = digest.keysInRange(crowded, second, fourth);
    expect(keys.map((entry) => [entry.keyHash, entry.contentHash]).flat()).toEqual([...ranged]);
    expect(keys.map((entry) => keyHash(entry.key))).toEqual([pairs[2], pairs[4], pairs[6]]);
  });

  it('finds a key by its hash, and nothing for a hash no key has', () => {
    expect(digest.keysWithHash(keyHash('k123'))).toEqual(['k123']);
    expect(digest.keysWithHash(keyHash('not stored'))).toEqual([]);
    expect(digest.keysWithHash(-1)).toEqual([]);
    expect(digest.keysWithHash(1.5)).toEqual([]);
  });

  it('lists both keys of a hash collision, ordered by content hash', () => {
    const [first, second] = COLLIDING;
    expect(keyHash(first)).toBe(keyHash(second));
    const colliding = storeOf({ [first]: { 0: 1 }, [second]: { 0: 2 } });
    const collisionDigest = new KeyDigest(colliding);
    const hash = keyHash(first);
    const leaf = leafOf(hash);
    expect([...collisionDigest.keysWithHash(hash)].sort()).toEqual([...COLLIDING].sort());
    const listed = collisionDigest.leafEntries(leaf);
    const contents = [
      stateHash(first, colliding.get(first)!),
      stateHash(second, colliding.get(second)!),
    ];
    expect(listed).toEqual(
      Uint32Array.of(hash, Math.min(...contents), hash, Math.max(...contents)),
    );
    expect(collisionDigest.keysWithHash(hash)[0]).toBe(contents[0] < contents[1] ? first : second);
  });
});

describe('comparing two digests', () => {
  function pair(): { mine: MaxStore; theirs: MaxStore } {
    return { mine: manyKeys(2000), theirs: manyKeys(2000) };
  }

  it('finds equal roots for equal stores, whatever the order keys arrived in', () => {
    const mine = manyKeys(500);
    const theirs = new MaxStore();
    for (const [key, vector] of [...mine].reverse()) theirs.merge(key, vector);
    expect(new KeyDigest(theirs).rootHash()).toBe(new KeyDigest(mine).rootHash());
    expect(
      differingIndices(new KeyDigest(mine).rootHashes(), new KeyDigest(theirs).rootHashes()),
    ).toEqual([]);
  });

  it('narrows one extra key to one bucket, one leaf, and that key', () => {
    const { mine, theirs } = pair();
    raise(mine, 'only:mine', 4, 40);
    const myDigest = new KeyDigest(mine);
    const theirDigest = new KeyDigest(theirs);
    const hash = keyHash('only:mine');
    const leaf = leafOf(hash);

    expect(differingIndices(myDigest.rootHashes(), theirDigest.rootHashes())).toEqual([
      bucketOfLeaf(leaf),
    ]);
    expect(
      differingIndices(
        myDigest.bucketHashes(bucketOfLeaf(leaf)),
        theirDigest.bucketHashes(bucketOfLeaf(leaf)),
      ),
    ).toEqual([leaf % LEAVES_PER_BUCKET]);

    expect(compareLeafRange(myDigest, leaf, ...WHOLE_LEAF, theirDigest.leafEntries(leaf))).toEqual({
      push: ['only:mine'],
      want: [],
    });
    expect(compareLeafRange(theirDigest, leaf, ...WHOLE_LEAF, myDigest.leafEntries(leaf))).toEqual({
      push: [],
      want: [hash],
    });
  });

  it('pushes a key held with different contents from both sides, and wants nothing', () => {
    const { mine, theirs } = pair();
    raise(mine, 'k77', 5, 500);
    raise(theirs, 'k77', 6, 600);
    const myDigest = new KeyDigest(mine);
    const theirDigest = new KeyDigest(theirs);
    const leaf = leafOf(keyHash('k77'));
    expect(differingIndices(myDigest.rootHashes(), theirDigest.rootHashes())).toEqual([
      bucketOfLeaf(leaf),
    ]);
    expect(compareLeafRange(myDigest, leaf, ...WHOLE_LEAF, theirDigest.leafEntries(leaf))).toEqual({
      push: ['k77'],
      want: [],
    });
    expect(compareLeafRange(theirDigest, leaf, ...WHOLE_LEAF, myDigest.leafEntries(leaf))).toEqual({
      push: ['k77'],
      want: [],
    });
  });

  it('compares only the given range, ignoring their pairs outside it', () => {
    const { mine, theirs } = pair();
    const myDigest = new KeyDigest(mine);
    const leaf = leafOf(keyHash('k5'));
    const all = myDigest.leafEntries(leaf);
    expect(compareLeafRange(myDigest, leaf, ...WHOLE_LEAF, all)).toEqual({ push: [], want: [] });
    // An empty list from the other side: push everything in the range.
    const everything = myDigest.keysInRange(leaf, ...WHOLE_LEAF).map(({ key }) => key);
    expect(compareLeafRange(myDigest, leaf, ...WHOLE_LEAF, new Uint32Array(0)).push).toEqual(
      everything,
    );
    // Their pairs outside leaf/range, and their order, do not matter.
    const hash = keyHash('k5');
    const shuffled = Uint32Array.from([...all.slice(2), ...all.slice(0, 2), 0, 1, 0xffff_ffff, 1]);
    expect(compareLeafRange(myDigest, leaf, ...WHOLE_LEAF, shuffled)).toEqual({
      push: [],
      want: [],
    });
    expect(
      compareLeafRange(new KeyDigest(theirs), leaf, hash, hash, Uint32Array.of(hash, 1)),
    ).toEqual({
      push: ['k5'],
      want: [],
    });
  });

  it('converges on a hash collision: each side pushes the key the other lacks', () => {
    const [first, second] = COLLIDING;
    const mine = storeOf({ [first]: { 0: 1 } });
    const theirs = storeOf({ [second]: { 0: 2 } });
    const leaf = leafOf(keyHash(first));
    const myDigest = new KeyDigest(mine);
    const theirDigest = new KeyDigest(theirs);
    expect(compareLeafRange(myDigest, leaf, ...WHOLE_LEAF, theirDigest.leafEntries(leaf))).toEqual({
      push: [first],
      want: [],
    });
    expect(compareLeafRange(theirDigest, leaf, ...WHOLE_LEAF, myDigest.leafEntries(leaf))).toEqual({
      push: [second],
      want: [],
    });
  });

  it('tells apart colliding keys with equal contents (the state hash mixes in a second key hash)', () => {
    const [first, second] = COLLIDING;
    const mine = new KeyDigest(storeOf({ [first]: { 0: 1 } }));
    const theirs = new KeyDigest(storeOf({ [second]: { 0: 1 } }));
    expect(mine.rootHash()).not.toBe(theirs.rootHash());
    const leaf = leafOf(keyHash(first));
    expect(compareLeafRange(mine, leaf, ...WHOLE_LEAF, theirs.leafEntries(leaf)).push).toEqual([
      first,
    ]);
  });

  it('rejects an odd-length list of pairs', () => {
    const digest = new KeyDigest(manyKeys(3));
    const error = caught(() => compareLeafRange(digest, 0, ...WHOLE_LEAF, Uint32Array.of(1, 2, 3)));
    expect(error).toBeInstanceOf(InvalidLeafEntriesError);
  });
});

describe('differingIndices', () => {
  it('lists the positions that differ, ascending', () => {
    expect(differingIndices(Uint32Array.of(1, 2, 3, 4), Uint32Array.of(1, 0, 3, 0))).toEqual([
      1, 3,
    ]);
    expect(differingIndices(Uint32Array.of(), Uint32Array.of())).toEqual([]);
  });

  it('lists every position of the longer array when the lengths differ', () => {
    expect(differingIndices(Uint32Array.of(1), Uint32Array.of(1, 2, 3))).toEqual([0, 1, 2]);
    expect(differingIndices(Uint32Array.of(1, 2), Uint32Array.of())).toEqual([0, 1]);
  });
});
