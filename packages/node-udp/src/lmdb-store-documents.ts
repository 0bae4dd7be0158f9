import type { Operation, Version } from '@vig/crdt-core';
import type { Database } from 'lmdb';
import { causalOrder } from './causal-order.js';
import {
  branchOfRecordKey,
  decodeCheckoutRecord,
  decodeFrontierRecord,
  decodeOperationRecord,
  isCheckoutRecordKey,
  versionOfRecordKey,
} from './document-records.js';
import type { DocumentCheckout } from './document-records.js';
import type { LoadedBranches, LoadedOperations } from './durable-store.js';
import { CorruptRecordError } from './durable-store-errors.js';

type RecordDatabase = Database<Uint8Array, Uint8Array>;

/** Every operation record, decoded and put in causal order; corrupt ones skipped and counted. */
export function loadOperationRecords(
  database: RecordDatabase,
  onCorruptRecord: ((error: CorruptRecordError) => void) | undefined,
): LoadedOperations {
  const operations: Operation[] = [];
  const skipped = readRecords(database, onCorruptRecord, (recordKey, value) => {
    operations.push(decodeOperationRecord(versionOfRecordKey(recordKey), value));
  });
  return Object.assign(causalOrder(operations), { skipped });
}

/** Every branch record and the checkout record; corrupt ones skipped and counted. */
export function loadBranchRecords(
  database: RecordDatabase,
  onCorruptRecord: ((error: CorruptRecordError) => void) | undefined,
): LoadedBranches {
  const branches = new Map<string, Version[]>();
  let checkout: DocumentCheckout | undefined;
  const skipped = readRecords(database, onCorruptRecord, (recordKey, value) => {
    if (isCheckoutRecordKey(recordKey)) {
      checkout = decodeCheckoutRecord(value);
      return;
    }
    const name = branchOfRecordKey(recordKey);
    branches.set(name, decodeFrontierRecord(`branch ${JSON.stringify(name)}`, value));
  });
  return Object.assign(branches, { checkout, skipped });
}

/**
 * Reads every record of `database` through `read`; returns how many it
 * skipped because `read` threw a {@link CorruptRecordError} (each handed to
 * `onCorruptRecord`).
 */
export function readRecords(
  database: RecordDatabase,
  onCorruptRecord: ((error: CorruptRecordError) => void) | undefined,
  read: (recordKey: Uint8Array, value: Uint8Array) => void,
): number {
  let skipped = 0;
  for (const { key, value } of database.getRange()) {
    try {
      read(key, value);
    } catch (error) {
      if (!(error instanceof CorruptRecordError)) throw error;
      skipped += 1;
      onCorruptRecord?.(error);
    }
  }
  return skipped;
}
