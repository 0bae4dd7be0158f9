import { VigError } from '@vig/crdt-core';

/** The fields of a message {@link InvalidMessageFieldError} may name. */
export type EncodedMessageField = 'key' | 'vector' | 'ttl' | 'full' | 'vig' | 'client';

/**
 * A message field that cannot be encoded: a key that is not a string, is not
 * well-formed UTF-16 or is longer than `maxKeyBytes`; a `ttl` that is not an
 * integer in 0..2^53−1; a `full` that is not a boolean; a `vector` that is not
 * sparse or dense entries; a `vig` that is not an integer in 1..2^31; a
 * `client` that is not a boolean. (Invalid entries throw crdt-core's
 * `InvalidIndexError` and `InvalidValueError`.)
 */
export class InvalidMessageFieldError extends VigError {
  static override readonly name = 'InvalidMessageFieldError';
  override readonly name = 'InvalidMessageFieldError';
  /** The field that could not be encoded. */
  readonly field: EncodedMessageField;

  constructor(field: EncodedMessageField, problem: string, expected: string) {
    super(`message field "${field}" ${problem}: expected ${expected}`);
    this.field = field;
  }
}

/**
 * `dense: 'always'` was asked for sparse entries that span more indices than
 * one dense field may hold.
 */
export class DenseSpanTooLargeError extends VigError {
  static override readonly name = 'DenseSpanTooLargeError';
  override readonly name = 'DenseSpanTooLargeError';
  /** Indices from the smallest to the largest entry. */
  readonly span: number;
  /** The most registers one dense field holds. */
  readonly limit: number;

  constructor(span: number, limit: number) {
    super(
      `entries span ${span} indices: a dense field holds at most ${limit} registers; use dense: 'auto' or 'never', or split the message`,
    );
    this.span = span;
    this.limit = limit;
  }
}

/**
 * {@link splitMessage} cannot fit even one entry (or an empty vector) into the
 * byte budget; or {@link splitSyncMessage} cannot fit a root, one list item
 * (or an empty list) into it.
 */
export class DatagramBudgetError extends VigError {
  static override readonly name = 'DatagramBudgetError';
  override readonly name = 'DatagramBudgetError';
  /** The budget in bytes. */
  readonly budget: number;
  /** The smallest message that was needed. */
  readonly needed: number;

  /** `subject` and `remedy` word the message; by default they speak of a message's key. */
  constructor(
    budget: number,
    needed: number,
    subject = 'a message with this key',
    remedy = 'shorten the key or raise the budget',
  ) {
    super(
      `${subject} needs at least ${needed} bytes: expected it to fit the budget of ${budget} bytes (${remedy})`,
    );
    this.budget = budget;
    this.needed = needed;
  }
}
