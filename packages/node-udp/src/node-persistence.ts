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
  /** Writes that failed (the first is reported through `onWarning`). */
  readonly writeErrors: number;
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
  #writes = 0;
  #writeErrors = 0;

  constructor(options: {
    readonly durable: DurableStore;
    readonly gossip: GossipNode;
    readonly skippedRecords: number;
    readonly warn: (message: string) => void;
  }) {
    this.#durable = options.durable;
    this.#gossip = options.gossip;
    this.#warn = options.warn;
    this.#loadedKeys = options.gossip.store.size;
    this.#skippedRecords = options.skippedRecords;
    this.#unsubscribe = options.gossip.on('change', (change) => this.#persist(change));
  }

  /** The write of `key`'s latest growth (resolved when there was none since start). */
  written(key: string): Promise<void> {
    return this.#latest.get(key) ?? Promise.resolve();
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
      this.#failed(key, error);
    });
  }

  #failed(key: string, error: unknown): void {
    this.#writeErrors += 1;
    if (this.#writeErrors > 1) return;
    const detail = error instanceof Error ? error.message : String(error);
    this.#warn(
      `could not persist key ${JSON.stringify(key.slice(0, 64))} (${detail}); ` +
        'this and later failures are counted in metrics().storage.writeErrors',
    );
  }
}
