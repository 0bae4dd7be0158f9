// Errors of the operation batch codec. Decoding failures are WireDecodeErrors
// (with a `reason`, like the message decoder's); encoding failures are one
// VigError whose `cause` says what was wrong.

import { VigError } from '@vig/crdt-core';
import { WireDecodeError } from './decode-errors.js';

/**
 * The bytes are msgpack but not a well-formed operation batch: the wrong
 * shape or types, an index outside its table, a seq or agent id out of range,
 * a value that is not plain msgpack, or operations that crdt-core's
 * `assertOperation` rejects (then `cause` is its `MalformedOperationError`;
 * for a bad value, `cause` is a {@link ValueDecodeError}).
 */
export class InvalidOperationsError extends WireDecodeError {
  static override readonly name = 'InvalidOperationsError';
  override readonly name = 'InvalidOperationsError';
  override readonly reason = 'invalid-operations';

  constructor(problem: string, options?: ErrorOptions) {
    super(`operation batch is invalid: ${problem}`, options);
  }
}

/** The batch holds more operations than `maxOperations`. */
export class TooManyOperationsError extends WireDecodeError {
  static override readonly name = 'TooManyOperationsError';
  override readonly name = 'TooManyOperationsError';
  override readonly reason = 'too-many-operations';
  /** The operations the batch holds (at least). */
  readonly count: number;
  /** The limit it broke. */
  readonly limit: number;

  constructor(count: number, limit: number) {
    super(
      `operation batch holds at least ${count} operations: expected at most ${limit} (maxOperations)`,
    );
    this.count = count;
    this.limit = limit;
  }
}

/** The batch is longer than `maxBytes`: refused before any of it is read. */
export class BatchTooLargeError extends WireDecodeError {
  static override readonly name = 'BatchTooLargeError';
  override readonly name = 'BatchTooLargeError';
  override readonly reason = 'batch-too-large';
  /** The batch's length in bytes. */
  readonly byteLength: number;
  /** The limit it broke. */
  readonly limit: number;

  constructor(byteLength: number, limit: number) {
    super(`operation batch is ${byteLength} bytes long: expected at most ${limit} (maxBytes)`);
    this.byteLength = byteLength;
    this.limit = limit;
  }
}

/**
 * {@link encodeOperations} cannot encode an operation. `cause` says why:
 * crdt-core's `MalformedOperationError` for an operation `assertOperation`
 * rejects, {@link ValueEncodeError} for a value outside the msgpack data
 * model; none for a key or agent id holding a lone surrogate (UTF-8 cannot
 * carry it) or a key longer than `maxKeyBytes`.
 */
export class OperationEncodeError extends VigError {
  static override readonly name = 'OperationEncodeError';
  override readonly name = 'OperationEncodeError';
  /** The operation's position in the batch; undefined when the batch itself is not an array. */
  readonly position: number | undefined;

  constructor(position: number | undefined, problem: string, options?: ErrorOptions) {
    super(
      position === undefined
        ? `operations cannot be encoded: ${problem}`
        : `operation ${position} of the batch cannot be encoded: ${problem}`,
      options,
    );
    this.position = position;
  }
}
