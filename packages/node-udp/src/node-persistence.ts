import { MaxStore } from '@vig/crdt-core';
import type { GossipNode, KeyChange } from '@vig/gossip';
import type { DurableStore } from './durable-store.js';

/** What a node's storage has done since it opened; counters only grow. */
export interface NodeStorageMetrics {
  /** Which store: `lmdb` (a `dataDir`) or `memory`. */
  readonly kind: 'lmdb' | 'memory';
  /** Keys loaded at start-up. */
  readonly loadedKeys: number;
  /** Stored records skipped at start-up as corrupt. */
  readonly skippedRecords: number;
  /** Writes asked of the store (one per key that grew; the store coalesces each turn's). */
  readonly writes: number;
  /** Writes that failed, of vectors or documents (the first is reported through `onWarning`). */
  readonly writeErrors: number;
  /** Document operations loaded at start-up. */
  readonly loadedOperations: number;
  /** Document operations asked of the store since start (each new one, local or from a peer). */
  readonly operationWrites: number;
}

/**
 * Loads every stored key into a new `MaxStore`, for the engine to start with.
 * A store that fails to load is closed before the error goes on.
 */
export async function loadStore(durable: DurableStore): Promise<{
  readonly store: MaxStore;
  readonly skipped: number;
}> {
  const store = new MaxStore();
  const loaded = await durable.load();
  for (const [key, vector] of loaded) store.merge(key, vector);
  return { store, skipped: loaded.skipped };
}

/**
 * Keeps a durable store up to date with a gossip node: each key that grows,
 * by a local write or a received message, is written whole (its live vector:
 * the store reads it when it commits the turn's batch, so every growth in one
 * turn is one record). `written(key)` is the write of the key's latest
 * growth, which a local `put` awaits.
 */
export class NodePersistence {
  readonly #durable: DurableStore;
  readonly #gossip: GossipNode;
  readonly #warn: (message: string) => void;
  readonly #latest = new Map<string, Promise<void>>();
  readonly #unsubscribe: () => void;
  readonly #loadedKeys: number;
  readonly #skippedRecords: number;
  readonly #loadedOperations: number;
  #operationWrites: () => number = () => 0;
  #writes = 0;
  #writeErrors = 0;

  constructor(options: {
    readonly durable: DurableStore;
    readonly gossip: GossipNode;
    /** Records skipped as corrupt at start-up: vectors and documents. */
    readonly skippedRecords: number;
    readonly loadedOperations: number;
    readonly warn: (message: string) => void;
  }) {
    this.#durable = options.durable;
    this.#gossip = options.gossip;
    this.#warn = options.warn;
    this.#loadedKeys = options.gossip.store.size;
    this.#skippedRecords = options.skippedRecords;
    this.#loadedOperations = options.loadedOperations;
    this.#unsubscribe = options.gossip.on('change', (change) => this.#persist(change));
  }

  /** The write of `key`'s latest growth (resolved when there was none since start). */
  written(key: string): Promise<void> {
    return this.#latest.get(key) ?? Promise.resolve();
  }

  /** The write of `key`'s latest growth while it is under way; undefined once it settled. */
  pending(key: string): Promise<void> | undefined {
    return this.#latest.get(key);
  }

  /** Where the count of document operation writes comes from. */
  countOperationWrites(count: () => number): void {
    this.#operationWrites = count;
  }

  /**
   * Counts `write` among the failures if it fails (the first failure is
   * reported through the warning sink); `what` names it there.
   */
  watch(write: Promise<void>, what: string): void {
    write.then(undefined, (error: unknown) => this.#failed(what, error));
  }

  /** Stops following the node (after its last change). */
  detach(): void {
    this.#unsubscribe();
  }

  /** A snapshot of the counters. */
  metrics(): NodeStorageMetrics {
    return Object.freeze({
      kind: this.#durable.kind,
      loadedKeys: this.#loadedKeys,
      skippedRecords: this.#skippedRecords,
      writes: this.#writes,
      writeErrors: this.#writeErrors,
      loadedOperations: this.#loadedOperations,
      operationWrites: this.#operationWrites(),
    });
  }

  #persist({ key }: KeyChange): void {
    const vector = this.#gossip.store.get(key);
    if (vector === undefined) return;
    this.#writes += 1;
    const write = this.#durable.write(key, vector);
    this.#latest.set(key, write);
    const settled = (): void => {
      if (this.#latest.get(key) === write) this.#latest.delete(key);
    };
    write.then(settled, (error: unknown) => {
      settled();
      this.#failed(`key ${JSON.stringify(key.slice(0, 64))}`, error);
    });
  }

  #failed(what: string, error: unknown): void {
    this.#writeErrors += 1;
    if (this.#writeErrors > 1) return;
    const detail = error instanceof Error ? error.message : String(error);
    this.#warn(
      `could not persist ${what} (${detail}); ` +
        'this and later failures are counted in metrics().storage.writeErrors',
    );
  }
}
