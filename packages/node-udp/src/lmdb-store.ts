import { mkdir } from 'node:fs/promises';
import type { MaxVector } from '@vig/crdt-core';
import { open } from 'lmdb';
import type { Database, RootDatabase } from 'lmdb';
import type { DurableStore, LoadedVectors } from './durable-store.js';
import { batchingStore } from './durable-store-batching.js';
import type { StoreBackend, StoreBatch } from './durable-store-batching.js';
import { StoreOpenError } from './durable-store-errors.js';
import type { CorruptRecordError } from './durable-store-errors.js';
import { decodeRecord, encodeRecord } from './durable-store-record.js';
import {
  branchRecordKeyOf,
  encodeCheckoutRecord,
  encodeFrontierRecord,
  encodeOperationRecord,
  operationRecordKeyOf,
  CHECKOUT_RECORD_KEY,
} from './document-records.js';
import { assertLmdbDataFile } from './lmdb-store-data-file.js';
import { loadBranchRecords, loadOperationRecords, readRecords } from './lmdb-store-documents.js';
import { keyOfRecord, recordKeyOf } from './lmdb-store-keys.js';

/** The named LMDB database holding the vectors, inside the store's environment. */
export const VECTORS_DATABASE = 'max-vectors';
/** The named LMDB database holding the versioned store's operations, one record each. */
export const OPERATIONS_DATABASE = 'operations';
/** The named LMDB database holding the versioned store's branches and its checkout. */
export const BRANCHES_DATABASE = 'branches';

/** Options of {@link openLmdbStore}. */
export interface LmdbStoreOptions {
  /**
   * The directory of the LMDB environment (`data.mdb` and `lock.mdb`),
   * created with its parents if absent. Always a directory, even when its
   * name has a dot in it.
   */
  readonly directory: string;
  /**
   * Called by `load()` for each record it skips as corrupt, besides counting
   * it in `skipped` (to log which key was lost and why). Default: none.
   */
  readonly onCorruptRecord?: (error: CorruptRecordError) => void;
}

type VectorDatabase = Database<Uint8Array, Uint8Array>;

/** The store's databases, inside one environment: a commit spans all three. */
interface StoreDatabases {
  readonly vectors: VectorDatabase;
  readonly operations: VectorDatabase;
  readonly branches: VectorDatabase;
}

/**
 * Opens (creating it if absent) the LMDB store in `options.directory`.
 *
 * Each event-loop turn's writes become one LMDB transaction (a key written
 * several times in the turn is put once, with its vector at the end of the
 * turn), and a `write` resolves once its transaction is committed and
 * flushed. lmdb-js is opened with its durable settings, stated explicitly:
 * `noSync: false` (fdatasync on every commit), no write map, no `mapAsync`,
 * and its default `overlappingSync` (on except on Windows). Its put promise
 * resolves when the transaction is committed; the store also waits for
 * lmdb-js's `flushed`, so that the guarantee holds whatever the settings and
 * the `LMDB_RESTORE` environment variable:
 *
 * **Guarantee.** When `write` resolves, the transaction holding its vector
 * (or a later vector of the same key) has been written to `data.mdb` and
 * fdatasync'ed, and the meta page naming it as the last flushed transaction
 * has been written through. It survives `kill -9` of the process, and also an
 * OS crash or power loss as far as the disk honours fdatasync (a drive that
 * acknowledges writes still in a volatile cache can lose them). A write
 * whose promise has not resolved may or may not be there after a crash;
 * LMDB itself never leaves a torn database (see STORAGE.md).
 *
 * Values are raw bytes: each vector stored as the vignette message
 * `{ key, vector, ttl: 0, full: true }`, dense when smaller.
 *
 * @throws {@link StoreOpenError} (with the cause) when the directory cannot
 *   be created or its `data.mdb` is not an LMDB data file. (A data file that
 *   starts like LMDB but that LMDB refuses still crashes the process: lmdb-js
 *   3.5.6 frees its environment twice on that path; see STORAGE.md.)
 *
 * @example
 * ```ts
 * const store = await openLmdbStore({ directory: '/var/lib/vig/node-1' });
 * const vectors = store.load();
 * if (vectors.skipped > 0) console.warn(`${vectors.skipped} corrupt records skipped`);
 * await store.write('views:home', MaxVector.from({ 0: 120 }));
 * await store.close();
 * ```
 */
export async function openLmdbStore(options: LmdbStoreOptions): Promise<DurableStore> {
  const { directory } = options;
  let root: RootDatabase<Uint8Array, Uint8Array> | undefined;
  try {
    await mkdir(directory, { recursive: true });
    await assertLmdbDataFile(directory);
    root = open<Uint8Array, Uint8Array>({
      path: directory,
      noSubdir: false,
      encoding: 'binary',
      keyEncoding: 'binary',
      noSync: false,
      useWritemap: false,
    });
    const binary = { encoding: 'binary', keyEncoding: 'binary' } as const;
    const databases: StoreDatabases = {
      vectors: root.openDB<Uint8Array, Uint8Array>(VECTORS_DATABASE, binary),
      operations: root.openDB<Uint8Array, Uint8Array>(OPERATIONS_DATABASE, binary),
      branches: root.openDB<Uint8Array, Uint8Array>(BRANCHES_DATABASE, binary),
    };
    return batchingStore(lmdbBackend(root, databases, options.onCorruptRecord));
  } catch (error) {
    await root?.close().catch(() => undefined);
    throw new StoreOpenError(directory, { cause: error });
  }
}

function lmdbBackend(
  root: RootDatabase<Uint8Array, Uint8Array>,
  databases: StoreDatabases,
  onCorruptRecord: ((error: CorruptRecordError) => void) | undefined,
): StoreBackend {
  return {
    kind: 'lmdb',
    load: () => loadVectors(databases.vectors, onCorruptRecord),
    loadOperations: () => loadOperationRecords(databases.operations, onCorruptRecord),
    loadBranches: () => loadBranchRecords(databases.branches, onCorruptRecord),
    commit: (batch) => commitBatch(databases, batch),
    close: () => root.close(),
  };
}

function loadVectors(
  vectors: VectorDatabase,
  onCorruptRecord: ((error: CorruptRecordError) => void) | undefined,
): LoadedVectors {
  const loaded = new Map<string, MaxVector>();
  const skipped = readRecords(vectors, onCorruptRecord, (recordKey, value) => {
    const key = keyOfRecord(recordKey);
    loaded.set(key, decodeRecord(key, value));
  });
  return Object.assign(loaded, { skipped });
}

/** A record to put (a value) or remove (undefined), in one of the databases. */
type RecordChange = readonly [VectorDatabase, Uint8Array, Uint8Array | undefined];

/**
 * Puts every record of the batch in the current event turn, in whichever of
 * the environment's databases it belongs, so lmdb-js commits them in one
 * transaction, and resolves when that transaction is committed and flushed
 * to disk.
 */
function commitBatch(databases: StoreDatabases, batch: StoreBatch): Promise<void> {
  // Encode everything first: an encoding error then puts nothing.
  const changes: RecordChange[] = [];
  for (const [key, vector] of batch.records) {
    changes.push([databases.vectors, recordKeyOf(key), encodeRecord(key, vector)]);
  }
  for (const operation of batch.operations.values()) {
    const recordKey = operationRecordKeyOf(operation.version);
    changes.push([databases.operations, recordKey, encodeOperationRecord(operation)]);
  }
  for (const [name, frontier] of batch.branches) {
    const value = frontier === undefined ? undefined : encodeFrontierRecord(frontier);
    changes.push([databases.branches, branchRecordKeyOf(name), value]);
  }
  if (batch.checkout !== undefined) {
    const value = encodeCheckoutRecord(batch.checkout);
    changes.push([databases.branches, CHECKOUT_RECORD_KEY, value]);
  }
  const writes: PromiseLike<unknown>[] = changes.map(([database, recordKey, value]) =>
    value === undefined ? database.remove(recordKey) : database.put(recordKey, value),
  );
  // `flushed` is a thenable read when its `then` runs: call it now, while it
  // still refers to the transaction these puts joined.
  writes.push(
    new Promise((resolve, reject) => {
      databases.vectors.flushed.then(resolve, reject);
    }),
  );
  return Promise.all(writes).then(() => undefined);
}
