import type { MaxVector, Operation, Version } from '@vig/crdt-core';
import type { DocumentCheckout } from './document-records.js';

/**
 * What {@link DurableStore.load} returns: every stored key with its vector,
 * plus how many stored records were skipped because they did not decode
 * (each a {@link CorruptRecordError}; the LMDB store also hands each one to
 * its `onCorruptRecord` option). A plain `Map` otherwise: the vectors are
 * the caller's own, the store keeps no reference to them.
 */
export interface LoadedVectors extends Map<string, MaxVector> {
  /** Stored records skipped as corrupt; 0 for the memory store. */
  readonly skipped: number;
}

/**
 * What {@link DurableStore.loadOperations} returns: every stored operation of
 * the versioned store, parents before children (as far as the parents are
 * stored), plus how many records were skipped as corrupt.
 */
export interface LoadedOperations extends Array<Operation> {
  /** Stored operation records skipped as corrupt; 0 for the memory store. */
  readonly skipped: number;
}

/**
 * What {@link DurableStore.loadBranches} returns: every stored branch with
 * its frontier, the stored checkout (undefined when none was written), and
 * how many records were skipped as corrupt.
 */
export interface LoadedBranches extends Map<string, Version[]> {
  /** Where the store was checked out when it was last written. */
  readonly checkout: DocumentCheckout | undefined;
  /** Stored branch and checkout records skipped as corrupt; 0 for the memory store. */
  readonly skipped: number;
}

/**
 * Where a node keeps its max vectors, and its versioned store's operations,
 * branches and checkout, across restarts: {@link openLmdbStore} on disk,
 * {@link openMemoryStore} for tests and simulations.
 *
 * Writes are coalesced per event-loop turn: every `write` issued in one turn
 * joins one batch, which the store commits when the turn ends (in a
 * `setImmediate`); a key written several times in the turn is recorded once,
 * with the vector it holds then. The store reads `vector` at that point, not
 * at the call: pass the node's live vector (it only grows, so what is recorded
 * is at least what it held at the call), or a clone to record exactly that.
 *
 * The LMDB store's guarantee (see STORAGE.md): once a `write` promise
 * resolves, its batch is committed and fdatasync'ed, so it survives `kill -9`
 * of the process and also an OS crash or power loss, as far as the disk
 * honours fdatasync.
 *
 * @example
 * ```ts
 * const store = await openLmdbStore({ directory: '/var/lib/vig/node-1' });
 * const vectors = await store.load(); // Map of key → MaxVector, plus `skipped`
 * await store.write('views:home', MaxVector.from({ 0: 120 }));
 * await store.close();
 * ```
 */
export interface DurableStore {
  /** Which implementation this is. */
  readonly kind: 'lmdb' | 'memory';
  /**
   * Every stored key and vector, read from what is committed (a write whose
   * promise has not resolved may be missing: `flush()` first). Called once at
   * start-up, before gossip starts. Corrupt records are skipped and counted,
   * never thrown.
   *
   * @throws {@link StoreClosedError} after `close()`
   */
  load(): Promise<LoadedVectors> | LoadedVectors;
  /**
   * Records `vector` as the vector now held for `key`. Resolves when the
   * turn's batch holding it is durable (for LMDB: committed and synced to
   * disk); every write of that batch resolves, or rejects, together.
   *
   * @returns a promise rejecting with {@link StoreClosedError} after `close()`,
   *   with {@link StoreKeyError} for a key longer than 1024 UTF-8 bytes or
   *   holding a lone surrogate, or with the storage's error when the commit fails
   */
  write(key: string, vector: MaxVector): Promise<void>;
  /**
   * Every stored operation, parents before children as far as they are
   * stored (for `VersionedStore.applyRemote`). Corrupt records are skipped
   * and counted, never thrown.
   *
   * @throws {@link StoreClosedError} after `close()`
   */
  loadOperations(): LoadedOperations;
  /**
   * Every stored branch with its frontier, and the stored checkout. Corrupt
   * records are skipped and counted, never thrown.
   *
   * @throws {@link StoreClosedError} after `close()`
   */
  loadBranches(): LoadedBranches;
  /**
   * Records operations of the versioned store, each under its version (so
   * recording one twice keeps one record), in the turn's batch. Resolves when
   * that batch is durable.
   *
   * @returns a promise rejecting with {@link StoreClosedError} after `close()`,
   *   or with the encoder's or the storage's error when the batch fails
   */
  writeOperations(operations: readonly Operation[]): Promise<void>;
  /**
   * Records branch `name` at `frontier`, or deletes it when `frontier` is
   * undefined, in the turn's batch (the last call of the turn for a name
   * wins). Resolves when that batch is durable.
   *
   * @returns a promise rejecting with {@link StoreClosedError} after `close()`,
   *   or with {@link StoreKeyError} for a name over 1024 UTF-8 bytes or
   *   holding a lone surrogate
   */
  writeBranch(name: string, frontier: readonly Version[] | undefined): Promise<void>;
  /**
   * Records where the versioned store is checked out, in the turn's batch
   * (the last call of the turn wins). Resolves when that batch is durable.
   *
   * @returns a promise rejecting with {@link StoreClosedError} after `close()`
   */
  writeCheckout(checkout: DocumentCheckout): Promise<void>;
  /** Resolves when every write issued so far is durable; rejects if one of their batches failed. */
  flush(): Promise<void>;
  /**
   * Commits the writes issued so far (at once, without waiting for the turn
   * to end), waits for every batch, then closes the storage. Later writes
   * reject with {@link StoreClosedError}; calling `close()` again returns the
   * same promise.
   */
  close(): Promise<void>;
}
