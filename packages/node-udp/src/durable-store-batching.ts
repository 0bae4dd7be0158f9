import { versionKey } from '@vig/crdt-core';
import type { MaxVector, Operation, Version } from '@vig/crdt-core';
import type { DocumentCheckout } from './document-records.js';
import type {
  DurableStore,
  LoadedBranches,
  LoadedOperations,
  LoadedVectors,
} from './durable-store.js';
import { StoreClosedError } from './durable-store-errors.js';
import { unstorableKeyError } from './durable-store-record.js';

/** One turn's writes, as a backend commits them in one transaction. */
export interface StoreBatch {
  /** Each key written in the turn once, with the vector it holds now. */
  readonly records: ReadonlyMap<string, MaxVector>;
  /** The operations written in the turn, each once, by version key. */
  readonly operations: ReadonlyMap<string, Operation>;
  /** Branches written in the turn: the last frontier of each, undefined for a deleted one. */
  readonly branches: ReadonlyMap<string, readonly Version[] | undefined>;
  /** The last checkout written in the turn, if any. */
  readonly checkout: DocumentCheckout | undefined;
}

/** What a durable store keeps its records in; {@link batchingStore} puts the shared write path in front. */
export interface StoreBackend {
  /** Which store this is. */
  readonly kind: 'lmdb' | 'memory';
  /** Every committed vector record (corrupt ones skipped and counted). */
  load(): LoadedVectors;
  /** Every committed operation, parents before children (corrupt ones skipped and counted). */
  loadOperations(): LoadedOperations;
  /** Every committed branch, and the checkout (corrupt records skipped and counted). */
  loadBranches(): LoadedBranches;
  /**
   * Records one turn's batch in one transaction; resolves when the batch is
   * durable. Batches are committed in the order they are handed over.
   */
  commit(batch: StoreBatch): Promise<void>;
  /** Releases the storage; called once, after the last batch settled. */
  close(): Promise<void>;
}

/** A promise with its settling functions, for the batch that is still being filled. */
interface PendingBatch {
  readonly records: Map<string, MaxVector>;
  readonly operations: Map<string, Operation>;
  readonly branches: Map<string, readonly Version[] | undefined>;
  checkout: DocumentCheckout | undefined;
  readonly done: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function createPendingBatch(): PendingBatch {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolveDone, rejectDone) => {
    resolve = resolveDone;
    reject = rejectDone;
  });
  return {
    records: new Map(),
    operations: new Map(),
    branches: new Map(),
    checkout: undefined,
    done,
    resolve,
    reject,
  };
}

/**
 * The write path every durable store shares: key checks, one batch per
 * event-loop turn (committed in a `setImmediate`, a key written twice in the
 * turn recorded once, with its latest vector), `flush`, and `close` that
 * commits what is pending at once and refuses later writes.
 */
class BatchingStore implements DurableStore {
  readonly #backend: StoreBackend;
  #pending: PendingBatch | undefined;
  #scheduled: NodeJS.Immediate | undefined;
  /** Batches handed to the backend whose commit has not settled. */
  readonly #committing = new Set<Promise<void>>();
  #closing: Promise<void> | undefined;

  constructor(backend: StoreBackend) {
    this.#backend = backend;
  }

  get kind(): 'lmdb' | 'memory' {
    return this.#backend.kind;
  }

  load(): LoadedVectors {
    if (this.#closing !== undefined) throw new StoreClosedError(this.kind, 'load');
    return this.#backend.load();
  }

  loadOperations(): LoadedOperations {
    if (this.#closing !== undefined) throw new StoreClosedError(this.kind, 'load');
    return this.#backend.loadOperations();
  }

  loadBranches(): LoadedBranches {
    if (this.#closing !== undefined) throw new StoreClosedError(this.kind, 'load');
    return this.#backend.loadBranches();
  }

  write(key: string, vector: MaxVector): Promise<void> {
    const keyError = unstorableKeyError(key);
    return this.#join(keyError, (batch) => {
      // Delete first so the batch lists keys in the order of their latest write.
      batch.records.delete(key);
      batch.records.set(key, vector);
    });
  }

  writeOperations(operations: readonly Operation[]): Promise<void> {
    return this.#join(undefined, (batch) => {
      for (const operation of operations) {
        batch.operations.set(versionKey(operation.version), operation);
      }
    });
  }

  writeBranch(name: string, frontier: readonly Version[] | undefined): Promise<void> {
    const nameError = unstorableKeyError(name);
    return this.#join(nameError, (batch) => {
      batch.branches.set(name, frontier === undefined ? undefined : [...frontier]);
    });
  }

  writeCheckout(checkout: DocumentCheckout): Promise<void> {
    return this.#join(undefined, (batch) => {
      batch.checkout = checkout;
    });
  }

  /**
   * Adds a write to the pending batch (opening one, and scheduling its
   * commit at the end of the turn); the batch's promise, or a rejection when
   * the store is closed or `refusal` says why the write cannot be recorded.
   */
  #join(refusal: Error | undefined, add: (batch: PendingBatch) => void): Promise<void> {
    if (this.#closing !== undefined) {
      return Promise.reject(new StoreClosedError(this.kind, 'write'));
    }
    if (refusal !== undefined) return Promise.reject(refusal);
    const batch = (this.#pending ??= createPendingBatch());
    add(batch);
    this.#scheduled ??= setImmediate(() => this.#commitPending());
    return batch.done;
  }

  async flush(): Promise<void> {
    const waiting = [...this.#committing];
    if (this.#pending !== undefined) waiting.push(this.#pending.done);
    await Promise.all(waiting);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#commitPending();
    // Each writer hears of its own batch's failure; closing goes on regardless.
    await Promise.allSettled(this.#committing);
    await this.#backend.close();
  }

  /** Hands the pending batch to the backend now, if there is one. */
  #commitPending(): void {
    if (this.#scheduled !== undefined) {
      clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
    }
    const batch = this.#pending;
    if (batch === undefined) return;
    this.#pending = undefined;
    // Called now, in this turn; a backend that throws rejects the batch like one that rejects.
    const committed = new Promise<void>((resolve, reject) => {
      this.#backend.commit(batch).then(resolve, reject);
    });
    committed.then(batch.resolve, batch.reject);
    const { done } = batch;
    this.#committing.add(done);
    // Handled here so that a writer who let go of its promise cannot crash the
    // process; every writer that awaits it, and flush(), still see the failure.
    const release = (): void => {
      this.#committing.delete(done);
    };
    done.then(release, release);
  }
}

/**
 * A {@link DurableStore} over `backend`: validates keys, gathers each
 * event-loop turn's writes into one batch per turn, and tracks batches for
 * `flush` and `close`.
 */
export function batchingStore(backend: StoreBackend): DurableStore {
  return new BatchingStore(backend);
}
