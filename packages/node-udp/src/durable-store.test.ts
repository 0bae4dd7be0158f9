import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_INDEX, MAX_VALUE, MaxVector, VersionedStore, agentId } from '@vig/crdt-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DurableStore } from './durable-store.js';
import { StoreClosedError } from './durable-store-errors.js';
import { openLmdbStore } from './lmdb-store.js';
import { emptyDocumentContents, openMemoryStore } from './memory-store.js';

/** Opens a store over the same storage each time, so that reopening is a restart. */
interface StoreSetup {
  readonly open: () => Promise<DurableStore>;
  readonly cleanup: () => Promise<void>;
}

const setups: readonly [name: string, create: () => Promise<StoreSetup>][] = [
  [
    'lmdb',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'vig-durable-store-'));
      return {
        open: () => openLmdbStore({ directory }),
        cleanup: () => rm(directory, { recursive: true, force: true }),
      };
    },
  ],
  [
    'memory',
    () => {
      const contents = new Map<string, MaxVector>();
      const documents = emptyDocumentContents();
      return Promise.resolve({
        open: () => Promise.resolve(openMemoryStore({ contents, documents })),
        cleanup: () => Promise.resolve(),
      });
    },
  ],
];

/** A HyperLogLog's 16384 registers, each a rank 1..40. */
function hyperLogLog(seed: number): MaxVector {
  const vector = new MaxVector();
  for (let register = 0; register < 16384; register++) {
    vector.raise(register, 1 + ((register * 7919 + seed) % 40));
  }
  return vector;
}

describe.each(setups)('%s store', (kind, create) => {
  let setup: StoreSetup;
  const opened: DurableStore[] = [];

  async function open(): Promise<DurableStore> {
    const store = await setup.open();
    opened.push(store);
    return store;
  }

  async function reopenAndLoad(store: DurableStore): Promise<Map<string, MaxVector>> {
    await store.close();
    const reopened = await open();
    const loaded = await reopened.load();
    expect(loaded.skipped).toBe(0);
    return loaded;
  }

  beforeEach(async () => {
    setup = await create();
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await setup.cleanup();
  });

  it(`is of kind ${kind} and starts empty`, async () => {
    const store = await open();
    expect(store.kind).toBe(kind);
    const loaded = await store.load();
    expect(loaded.size).toBe(0);
    expect(loaded.skipped).toBe(0);
  });

  it('round-trips sparse and dense vectors, extreme entries and unusual keys', async () => {
    const store = await open();
    const written = new Map<string, MaxVector>([
      ['views:home', MaxVector.from({ 0: 120, 1: 75 })],
      ['hll:visitors', hyperLogLog(3)],
      ['extremes', MaxVector.from({ 0: MAX_VALUE, [MAX_INDEX]: 1, 70_000: 65_536 })],
      ['', MaxVector.from({ 4: 4 })],
      ['ключ 🔑 \u0000', MaxVector.from({ 9: 1 })],
      ['k'.repeat(1024), MaxVector.from({ 1: 1 })],
    ]);
    expect(written.get('hll:visitors')?.representation).toBe('dense');
    await Promise.all([...written].map(([key, vector]) => store.write(key, vector)));
    const loaded = await reopenAndLoad(store);
    expect([...loaded.keys()].sort()).toEqual([...written.keys()].sort());
    for (const [key, vector] of written) {
      expect(loaded.get(key)?.equals(vector), key).toBe(true);
    }
    expect(loaded.get('hll:visitors')?.representation).toBe('dense');
  });

  it('restores every one of many keys written over several turns', async () => {
    const store = await open();
    const expected = new Map<string, Record<number, number>>();
    for (let turn = 0; turn < 5; turn++) {
      const writes: Promise<void>[] = [];
      for (let index = 0; index < 400; index++) {
        const key = `key:${index}`;
        const vector = MaxVector.from({ [index]: turn + 1, [index + 1000]: index + 1 });
        // Each turn raises the same keys further: the last turn's vectors are the merged ones.
        const merged = MaxVector.from(expected.get(key) ?? {});
        merged.merge(vector);
        expected.set(key, merged.toRecord());
        writes.push(store.write(key, merged));
      }
      await Promise.all(writes);
    }
    const loaded = await reopenAndLoad(store);
    expect(loaded.size).toBe(400);
    for (const [key, record] of expected) expect(loaded.get(key)?.toRecord(), key).toEqual(record);
  });

  it('keeps the latest vector of a key written several times in one turn', async () => {
    const store = await open();
    await Promise.all([
      store.write('a', MaxVector.from({ 0: 1 })),
      store.write('a', MaxVector.from({ 0: 2, 1: 1 })),
      store.write('a', MaxVector.from({ 0: 3, 1: 2 })),
    ]);
    const loaded = await reopenAndLoad(store);
    expect(loaded.get('a')?.toRecord()).toEqual({ 0: 3, 1: 2 });
  });

  it('overwrites a key across restarts', async () => {
    const first = await open();
    await first.write('a', MaxVector.from({ 0: 1 }));
    await first.close();
    const second = await open();
    expect((await second.load()).get('a')?.toRecord()).toEqual({ 0: 1 });
    await second.write('a', MaxVector.from({ 0: 9, 3: 3 }));
    const loaded = await reopenAndLoad(second);
    expect(loaded.get('a')?.toRecord()).toEqual({ 0: 9, 3: 3 });
  });

  it('hands out vectors of its own: changing a loaded vector changes nothing stored', async () => {
    const store = await open();
    const vector = MaxVector.from({ 0: 1 });
    await store.write('a', vector);
    vector.raise(0, 50);
    const first = await store.load();
    first.get('a')?.raise(1, 7);
    const second = await store.load();
    expect(second.get('a')?.toRecord()).toEqual({ 0: 1 });
  });

  it('flush waits for writes issued before it', async () => {
    const store = await open();
    let acknowledged = 0;
    for (let index = 0; index < 10; index++) {
      void store.write(`k${index}`, MaxVector.from({ 0: index + 1 })).then(() => {
        acknowledged += 1;
      });
    }
    await store.flush();
    expect(acknowledged).toBe(10);
    expect((await store.load()).size).toBe(10);
  });

  it('close commits writes still pending, then rejects writes with StoreClosedError', async () => {
    const store = await open();
    const pending = store.write('a', MaxVector.from({ 0: 1 }));
    await store.close();
    await pending;
    const late = store.write('b', MaxVector.from({ 0: 1 }));
    await expect(late).rejects.toBeInstanceOf(StoreClosedError);
    await expect(late).rejects.toMatchObject({ kind, operation: 'write' });
    expect(() => store.load()).toThrow(StoreClosedError);
    await store.flush();
    const reopened = await open();
    expect([...(await reopened.load()).keys()]).toEqual(['a']);
  });

  it('round-trips operations, loading them parents before children', async () => {
    const alice = new VersionedStore({ agent: agentId('alice') });
    const bob = new VersionedStore({ agent: agentId('bob') });
    alice.put('title', 'Draft');
    bob.applyRemote(alice.operationsSince([]));
    alice.putMany([
      ['title', 'Alice'],
      ['tags', ['a', 1, null]],
    ]);
    bob.put('title', 'Bob');
    bob.put('body', new Map<unknown, unknown>([[1, 'one']]));
    alice.applyRemote(bob.operationsSince([]));
    alice.put('title', 'Agreed');
    const all = alice.operationsSince([]);
    const store = await open();
    // Children first, over several turns, and one operation twice: stored once each.
    await store.writeOperations(all.slice(3).reverse());
    await store.writeOperations(all.slice(0, 3).reverse());
    await store.writeOperations([all[0] ?? all[1]].filter((operation) => operation !== undefined));
    await store.close();
    const reopened = await open();
    const loaded = reopened.loadOperations();
    expect(loaded.skipped).toBe(0);
    expect(loaded).toHaveLength(all.length);
    const restored = new VersionedStore();
    const applied = restored.applyRemote(loaded);
    expect(applied).toMatchObject({ applied: all.length, waiting: 0, rejected: [] });
    // No operation came before a parent of its own: none had to wait.
    const seen = new Set<string>();
    for (const { version, parents } of loaded) {
      for (const parent of parents) expect(seen.has(`${parent.agent}:${parent.seq}`)).toBe(true);
      seen.add(`${version.agent}:${version.seq}`);
    }
    expect(restored.heads).toEqual(alice.heads);
    expect(restored.get('title').map((sibling) => sibling.value)).toEqual(['Agreed']);
    expect(restored.get('tags')[0]?.value).toEqual(['a', 1, null]);
    expect(restored.get('body')[0]?.value).toEqual(new Map([[1, 'one']]));
  });

  it('round-trips branches, deletions and the checkout', async () => {
    const agent = agentId('alice');
    const store = await open();
    expect(store.loadBranches().checkout).toBeUndefined();
    await Promise.all([
      store.writeBranch('main', [{ agent, seq: 4 }]),
      store.writeBranch('feature ✨', [
        { agent, seq: 2 },
        { agent: agentId('bob'), seq: 2 ** 40 },
      ]),
      store.writeBranch('gone', []),
      store.writeCheckout({ kind: 'branch', name: 'feature ✨' }),
    ]);
    await store.writeBranch('gone', undefined);
    await store.close();
    const reopened = await open();
    const loaded = reopened.loadBranches();
    expect(loaded.skipped).toBe(0);
    expect([...loaded].sort(([left], [right]) => (left < right ? -1 : 1))).toEqual([
      [
        'feature ✨',
        [
          { agent, seq: 2 },
          { agent: 'bob', seq: 2 ** 40 },
        ],
      ],
      ['main', [{ agent, seq: 4 }]],
    ]);
    expect(loaded.checkout).toEqual({ kind: 'branch', name: 'feature ✨' });
    await reopened.writeCheckout({ kind: 'version', frontier: [{ agent, seq: 1 }] });
    expect(reopened.loadBranches().checkout).toEqual({
      kind: 'version',
      frontier: [{ agent, seq: 1 }],
    });
  });
});
