import { MaxVector, agentId, isVigError } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { batchingStore } from './durable-store-batching.js';
import type { StoreBackend, StoreBatch } from './durable-store-batching.js';
import { StoreClosedError, StoreKeyError } from './durable-store-errors.js';
import { rejectionOf } from '../test/rejection-of.js';

/** A backend that records each batch it is handed, as plain records, and can be told to fail. */
function recordingBackend(failWith?: Error): StoreBackend & {
  readonly batches: Record<string, Record<number, number>>[];
  readonly documentBatches: StoreBatch[];
  readonly closed: () => boolean;
} {
  const batches: Record<string, Record<number, number>>[] = [];
  const documentBatches: StoreBatch[] = [];
  let closed = false;
  return {
    kind: 'memory',
    batches,
    documentBatches,
    closed: () => closed,
    load: () => Object.assign(new Map<string, MaxVector>(), { skipped: 0 }),
    loadOperations: () => Object.assign([], { skipped: 0 }),
    loadBranches: () => Object.assign(new Map(), { checkout: undefined, skipped: 0 }),
    commit: (stored) => {
      const batch: Record<string, Record<number, number>> = {};
      for (const [key, vector] of stored.records) batch[key] = vector.toRecord();
      batches.push(batch);
      documentBatches.push(stored);
      return failWith === undefined ? Promise.resolve() : Promise.reject(failWith);
    },
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
}

describe('batchingStore', () => {
  it('commits the vectors, operations, branches and checkout of one turn as one batch', async () => {
    const backend = recordingBackend();
    const store = batchingStore(backend);
    const agent = agentId('alice');
    const first = { version: { agent, seq: 0 }, parents: [], writes: [] };
    const writes = [
      store.write('a', MaxVector.from({ 0: 1 })),
      store.writeOperations([
        { ...first, writes: [{ key: 'title', value: 'Draft', replaces: [] }] },
      ]),
      store.writeOperations([
        { ...first, writes: [{ key: 'title', value: 'Draft', replaces: [] }] },
      ]),
      store.writeBranch('main', [{ agent, seq: 0 }]),
      store.writeBranch('old', [{ agent, seq: 0 }]),
      store.writeBranch('old', undefined),
      store.writeCheckout({ kind: 'version', frontier: [] }),
      store.writeCheckout({ kind: 'branch', name: 'main' }),
    ];
    await Promise.all(writes);
    expect(backend.documentBatches).toHaveLength(1);
    const [batch] = backend.documentBatches;
    expect([...(batch?.records.keys() ?? [])]).toEqual(['a']);
    expect([...(batch?.operations.keys() ?? [])]).toEqual(['alice:0']);
    expect([...(batch?.branches ?? [])]).toEqual([
      ['main', [{ agent, seq: 0 }]],
      ['old', undefined],
    ]);
    expect(batch?.checkout).toEqual({ kind: 'branch', name: 'main' });
    await store.close();
    expect(
      isVigError(await rejectionOf(() => store.writeOperations([])), StoreClosedError.name),
    ).toBe(true);
    expect(
      isVigError(await rejectionOf(() => store.writeBranch('x', [])), StoreClosedError.name),
    ).toBe(true);
  });

  it('commits the writes of one turn as one batch, each key once with its latest vector', async () => {
    const backend = recordingBackend();
    const store = batchingStore(backend);
    const writes = [
      store.write('a', MaxVector.from({ 0: 1 })),
      store.write('b', MaxVector.from({ 1: 2 })),
      store.write('a', MaxVector.from({ 0: 3, 5: 1 })),
      store.write('a', MaxVector.from({ 0: 4 })),
    ];
    expect(backend.batches).toEqual([]);
    await Promise.all(writes);
    expect(backend.batches).toEqual([{ a: { 0: 4 }, b: { 1: 2 } }]);
    await store.close();
  });

  it('reads each vector when the turn ends, so a live vector is recorded as it is then', async () => {
    const backend = recordingBackend();
    const store = batchingStore(backend);
    const live = MaxVector.from({ 0: 1 });
    const written = store.write('live', live);
    live.raise(7, 9);
    await written;
    expect(backend.batches).toEqual([{ live: { 0: 1, 7: 9 } }]);
    await store.close();
  });

  it('starts a new batch in the next turn', async () => {
    const backend = recordingBackend();
    const store = batchingStore(backend);
    const first = store.write('a', MaxVector.from({ 0: 1 }));
    await new Promise((resolve) => setImmediate(resolve));
    const second = store.write('a', MaxVector.from({ 0: 2 }));
    await Promise.all([first, second]);
    expect(backend.batches).toEqual([{ a: { 0: 1 } }, { a: { 0: 2 } }]);
    await store.close();
  });

  it('flush resolves once every write issued so far is committed', async () => {
    const backend = recordingBackend();
    const store = batchingStore(backend);
    let resolved = false;
    void store.write('a', MaxVector.from({ 0: 1 })).then(() => {
      resolved = true;
    });
    await store.flush();
    expect(resolved).toBe(true);
    expect(backend.batches).toHaveLength(1);
    await store.flush();
    await store.close();
  });

  it('rejects every write of a failed batch, and flush with them', async () => {
    const failure = new Error('disk full');
    const backend = recordingBackend(failure);
    const store = batchingStore(backend);
    const first = store.write('a', MaxVector.from({ 0: 1 }));
    const second = store.write('b', MaxVector.from({ 0: 1 }));
    const flushed = store.flush();
    await expect(first).rejects.toBe(failure);
    await expect(second).rejects.toBe(failure);
    await expect(flushed).rejects.toBe(failure);
    await store.close();
    expect(backend.closed()).toBe(true);
  });

  it('rejects the batch when the backend throws instead of rejecting', async () => {
    const failure = new Error('encoder bug');
    const store = batchingStore({
      ...recordingBackend(),
      commit: () => {
        throw failure;
      },
    });
    await expect(store.write('a', MaxVector.from({ 0: 1 }))).rejects.toBe(failure);
    await store.close();
  });

  it('does not crash the process when a failed write was let go', async () => {
    const store = batchingStore(recordingBackend(new Error('disk full')));
    void store.write('a', MaxVector.from({ 0: 1 })).catch(() => undefined);
    const ignored = store.write('b', MaxVector.from({ 0: 1 }));
    expect(ignored).toBeInstanceOf(Promise);
    await store.close();
  });

  it('rejects keys the wire format cannot carry', async () => {
    const store = batchingStore(recordingBackend());
    const tooLong = store.write('k'.repeat(1025), MaxVector.from({ 0: 1 }));
    await expect(tooLong).rejects.toBeInstanceOf(StoreKeyError);
    await expect(tooLong).rejects.toThrow('is 1025 bytes long in UTF-8: expected at most 1024');
    await expect(store.write('lone \ud800', MaxVector.from({ 0: 1 }))).rejects.toThrow(
      'holds a lone surrogate',
    );
    // 1024 bytes exactly, of which 4-byte characters: accepted.
    await store.write('😀'.repeat(256), MaxVector.from({ 0: 1 }));
    await store.write('', MaxVector.from({ 0: 1 }));
    await store.close();
  });

  it('close commits pending writes at once, then refuses writes and loads', async () => {
    const backend = recordingBackend();
    const store = batchingStore(backend);
    const pending = store.write('a', MaxVector.from({ 0: 1 }));
    const closing = store.close();
    expect(store.close()).toBe(closing);
    await closing;
    await pending;
    expect(backend.batches).toEqual([{ a: { 0: 1 } }]);
    expect(backend.closed()).toBe(true);
    const late = store.write('b', MaxVector.from({ 0: 1 }));
    await expect(late).rejects.toBeInstanceOf(StoreClosedError);
    await expect(late).rejects.toThrow('cannot write: the memory store is closed');
    expect(() => store.load()).toThrow(StoreClosedError);
    const error = await late.catch((caught: unknown) => caught);
    expect(isVigError(error, 'StoreClosedError')).toBe(true);
  });
});
