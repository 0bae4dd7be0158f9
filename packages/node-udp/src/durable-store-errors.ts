import { VigError } from '@vig/crdt-core';

/** A write, load or flush asked of a durable store after its `close()`. */
export class StoreClosedError extends VigError {
  static override readonly name = 'StoreClosedError';
  override readonly name = 'StoreClosedError';
  /** The kind of store that was closed. */
  readonly kind: 'lmdb' | 'memory';
  /** What was asked of it: `'write'`, `'load'`. */
  readonly operation: string;

  constructor(kind: 'lmdb' | 'memory', operation: string, options?: ErrorOptions) {
    super(
      `cannot ${operation}: the ${kind} store is closed (expected an open store; open it again)`,
      options,
    );
    this.kind = kind;
    this.operation = operation;
  }
}

/**
 * The LMDB store could not be opened in its directory: the directory could
 * not be created, is not writable, or holds files that are not an LMDB
 * environment. `cause` holds the underlying error.
 */
export class StoreOpenError extends VigError {
  static override readonly name = 'StoreOpenError';
  override readonly name = 'StoreOpenError';
  /** The directory given to `openLmdbStore`. */
  readonly directory: string;

  constructor(directory: string, options: ErrorOptions & { readonly cause: unknown }) {
    const { cause } = options;
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `could not open the LMDB store in ${JSON.stringify(directory)} (${detail}): ` +
        'expected a writable directory that is empty or holds an LMDB environment',
      options,
    );
    this.directory = directory;
  }
}

/**
 * A stored record that does not decode to the vector of its key (or to the
 * operation, branch or checkout it stands for). `load()`, `loadOperations()`
 * and `loadBranches()` never throw it: they skip the record, count it in
 * `skipped` and hand it to the `onCorruptRecord` callback when one was given.
 */
export class CorruptRecordError extends VigError {
  static override readonly name = 'CorruptRecordError';
  override readonly name = 'CorruptRecordError';
  /**
   * The vignette key a vector record is stored under; undefined for a record
   * whose key itself does not decode, and for the versioned store's records.
   */
  readonly key: string | undefined;
  /**
   * Which versioned-store record it was (`operation alice:3`, `branch "main"`,
   * `the checkout`); undefined for vector records.
   */
  readonly record: string | undefined;
  /** What was wrong, e.g. `"the value is not a vignette message (truncated)"`. */
  readonly reason: string;

  constructor(
    key: string | undefined,
    reason: string,
    options?: ErrorOptions & { readonly record?: string },
  ) {
    const where =
      options?.record ??
      (key === undefined ? 'a record with an undecodable key' : `record ${JSON.stringify(key)}`);
    super(`${where} was skipped: ${reason}`, options);
    this.key = key;
    this.record = options?.record;
    this.reason = reason;
  }
}

/**
 * A key a durable store cannot record: longer than the wire format's 1024
 * UTF-8 bytes, or holding a lone surrogate (which UTF-8 cannot carry).
 */
export class StoreKeyError extends VigError {
  static override readonly name = 'StoreKeyError';
  override readonly name = 'StoreKeyError';
  /** The rejected key. */
  readonly key: string;

  constructor(key: string, problem: string, expected: string, options?: ErrorOptions) {
    const shown = key.length > 64 ? `${JSON.stringify(key.slice(0, 64))}…` : JSON.stringify(key);
    super(`key ${shown} ${problem}: expected ${expected}`, options);
    this.key = key;
  }
}
