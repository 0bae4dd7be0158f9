import type { MaxVector, Operation, Version } from '@vig/crdt-core';
import { causalOrder } from './causal-order.js';
import type { DocumentCheckout } from './document-records.js';
import type { DurableStore, LoadedBranches, LoadedVectors } from './durable-store.js';
import { batchingStore } from './durable-store-batching.js';
import type { StoreBatch } from './durable-store-batching.js';

/**
 * What a memory store's versioned-store records stand in: operations by
 * version key, branches by name, and the checkout. Pass the same object to a
 * later {@link openMemoryStore} to simulate a restart.
 */
export interface MemoryDocumentContents {
  readonly operations: Map<string, Operation>;
  readonly branches: Map<string, readonly Version[]>;
  checkout: DocumentCheckout | undefined;
}

/** Options of {@link openMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The map standing for the disk: committed vectors are copied into it, and
   * `load()` copies them out. Pass the same map to a later `openMemoryStore`
   * to simulate a restart. Default: a new, empty map.
   */
  readonly contents?: Map<string, MaxVector>;
  /**
   * The same for the versioned store's operations, branches and checkout.
   * Default: new, empty contents.
   */
  readonly documents?: MemoryDocumentContents;
}

/** Empty {@link MemoryDocumentContents}, for {@link openMemoryStore}'s `documents`. */
export function emptyDocumentContents(): MemoryDocumentContents {
  return { operations: new Map(), branches: new Map(), checkout: undefined };
}

/**
 * A {@link DurableStore} in memory, for tests and simulations: the same
 * write path as the LMDB store (key checks, one batch per event-loop turn,
 * a key written twice in a turn recorded once, `close` semantics), with
 * batches "committed" by copying each vector into `contents` (and each
 * operation, branch and checkout into `documents`). Nothing survives the
 * process.
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
  const documents = options.documents ?? emptyDocumentContents();
  return batchingStore({
    kind: 'memory',
    load: () => loadCopies(contents),
    loadOperations: () =>
      Object.assign(causalOrder([...documents.operations.values()]), { skipped: 0 }),
    loadBranches: () => loadBranchCopies(documents),
    commit: (batch) => {
      commitCopies(contents, documents, batch);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  });
}

function commitCopies(
  contents: Map<string, MaxVector>,
  documents: MemoryDocumentContents,
  batch: StoreBatch,
): void {
  for (const [key, vector] of batch.records) contents.set(key, vector.clone());
  // Operations are plain data that nobody changes once written.
  for (const [key, operation] of batch.operations) documents.operations.set(key, operation);
  for (const [name, frontier] of batch.branches) {
    if (frontier === undefined) documents.branches.delete(name);
    else documents.branches.set(name, frontier);
  }
  if (batch.checkout !== undefined) documents.checkout = batch.checkout;
}

function loadCopies(contents: ReadonlyMap<string, MaxVector>): LoadedVectors {
  const loaded = new Map<string, MaxVector>();
  for (const [key, vector] of contents) loaded.set(key, vector.clone());
  return Object.assign(loaded, { skipped: 0 });
}

function loadBranchCopies(documents: MemoryDocumentContents): LoadedBranches {
  const loaded = new Map<string, Version[]>();
  for (const [name, frontier] of documents.branches) loaded.set(name, [...frontier]);
  return Object.assign(loaded, { checkout: documents.checkout, skipped: 0 });
}
