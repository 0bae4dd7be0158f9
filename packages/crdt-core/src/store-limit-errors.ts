import { VigError } from './vig-error.js';

/**
 * Which store limit: `keys`, the number of keys the store holds, or
 * `entries`, the number of non-zero entries one key's vector holds.
 */
export type StoreLimitKind = 'keys' | 'entries';

/**
 * A write that a store limit refuses: it would create a key beyond
 * `maxKeys`, or grow a vector beyond `maxEntriesPerKey`. Nothing was written.
 */
export class StoreLimitError extends VigError {
  static override readonly name = 'StoreLimitError';
  override readonly name = 'StoreLimitError';
  /** The key written. */
  readonly key: string;
  /** The limit the write would break. */
  readonly limit: StoreLimitKind;
  /** The limit's value. */
  readonly maximum: number;

  /**
   * @param wouldHold the entries the key would hold after the write (for an
   *   `entries` refusal; ignored for `keys`)
   */
  constructor(
    key: string,
    limit: StoreLimitKind,
    maximum: number,
    wouldHold = 0,
    options?: ErrorOptions,
  ) {
    super(
      limit === 'keys'
        ? `key ${JSON.stringify(key)} cannot be created: the store already holds its limit of ${maximum} keys`
        : `key ${JSON.stringify(key)} would hold ${wouldHold} entries: over the limit of ${maximum} entries per key`,
      options,
    );
    this.key = key;
    this.limit = limit;
    this.maximum = maximum;
  }
}

/** A store limit that is not a positive integer (or `Infinity`, for no limit). */
export class InvalidStoreLimitError extends VigError {
  static override readonly name = 'InvalidStoreLimitError';
  override readonly name = 'InvalidStoreLimitError';
  /** The limit's name (`maxKeys`, `maxEntriesPerKey`). */
  readonly field: string;

  constructor(field: string, value: unknown, options?: ErrorOptions) {
    super(
      `store limit ${field} is ${String(value)}: expected a positive integer, or Infinity for no limit`,
      options,
    );
    this.field = field;
  }
}
