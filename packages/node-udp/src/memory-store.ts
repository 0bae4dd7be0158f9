import type { MaxVector } from '@vig/crdt-core';
import type { DurableStore, LoadedVectors } from './durable-store.js';
import { batchingStore } from './durable-store-batching.js';

/** Options of {@link openMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The map standing for the disk: committed vectors are copied into it, and
   * `load()` copies them out. Pass the same map to a later `openMemoryStore`
   * to simulate a restart. Default: a new, empty map.
   */
  readonly contents?: Map<string, MaxVector>;
}

/**
 * A {@link DurableStore} in memory, for tests and simulations: the same
 * write path as the LMDB store (key checks, one batch per event-loop turn,
 * a key written twice in a turn recorded once, `close` semantics), with
 * batches "committed" by copying each vector into `contents`. Nothing
 * survives the process.
 *
 * @example
 * ```ts
 * const contents = new Map<string, MaxVector>();
 * const store = openMemoryStore({ contents });
 * await store.write('views:home', MaxVector.from({ 0: 120 }));
 * await store.close();
 * openMemoryStore({ contents }).load(); // Map { 'views:home' => … }, skipped: 0
 * ```
 */
export function openMemoryStore(options: MemoryStoreOptions = {}): DurableStore {
  const contents = options.contents ?? new Map<string, MaxVector>();
  return batchingStore({
    kind: 'memory',
    load: () => loadCopies(contents),
    commit: (records) => {
      for (const [key, vector] of records) contents.set(key, vector.clone());
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  });
}

function loadCopies(contents: ReadonlyMap<string, MaxVector>): LoadedVectors {
  const loaded = new Map<string, MaxVector>();
  for (const [key, vector] of contents) loaded.set(key, vector.clone());
  return Object.assign(loaded, { skipped: 0 });
}
