import { InvalidIndexError, InvalidValueError, VigError } from '@vig/crdt-core';
import type { SyncField } from './sync-message.js';

/**
 * Why a message (an operation batch, a sync message, or a doc message) was dropped: one
 * string per failure, for counting drops by reason. Each has its own error
 * class (see the README's tables).
 */
export type DecodeFailureReason =
  | 'not-msgpack'
  | 'truncated'
  | 'trailing-bytes'
  | 'not-a-map'
  | 'missing-field'
  | 'field-type'
  | 'key-too-long'
  | 'invalid-utf8'
  | 'invalid-index'
  | 'invalid-value'
  | 'too-many-entries'
  | 'invalid-dense'
  | 'nesting-too-deep'
  | 'invalid-operations'
  | 'too-many-operations'
  | 'batch-too-large'
  | 'invalid-sync'
  | 'too-many-sync-items'
  | 'invalid-doc';

/** The fields of a vignette message the decoder knows. */
export type MessageField = 'key' | 'vector' | 'ttl' | 'full' | 'dense' | 'vig' | 'client';

/**
 * The base of every error {@link decodeMessage}, {@link decodeOperations},
 * {@link decodeSyncMessage} and {@link decodeDatagram} return. `reason` names
 * the failure; `name` names the class.
 */
export abstract class WireDecodeError extends VigError {
  /** Why the message was dropped. */
  abstract readonly reason: DecodeFailureReason;
}

/** The bytes are not msgpack: a byte that is no msgpack type (0xc1), or input that is not bytes. */
export class NotMsgpackError extends WireDecodeError {
  static override readonly name = 'NotMsgpackError';
  override readonly name = 'NotMsgpackError';
  override readonly reason = 'not-msgpack';

  constructor(detail: string, options?: ErrorOptions) {
    super(`message is not msgpack: ${detail}`, options);
  }
}

/** The bytes end inside a value (or there are none). */
export class TruncatedMessageError extends WireDecodeError {
  static override readonly name = 'TruncatedMessageError';
  override readonly name = 'TruncatedMessageError';
  override readonly reason = 'truncated';
  /** Where the value that did not fit starts. */
  readonly offset: number;

  /** `expected` names what empty input should have held (for its message only). */
  constructor(length: number, offset: number, needed: number, expected = 'a msgpack map') {
    super(
      length === 0
        ? `message is empty: expected ${expected}`
        : `message of ${length} bytes is truncated: ${needed} bytes expected at offset ${offset}, ${length - offset} left`,
    );
    this.offset = offset;
  }
}

/** More bytes follow the message map. */
export class TrailingBytesError extends WireDecodeError {
  static override readonly name = 'TrailingBytesError';
  override readonly name = 'TrailingBytesError';
  override readonly reason = 'trailing-bytes';
  /** Where the message map ends. */
  readonly offset: number;

  /** `expected` names what the bytes should have held (for its message only). */
  constructor(length: number, offset: number, expected = 'exactly one msgpack map') {
    super(
      `message ends at offset ${offset} but ${length - offset} more bytes follow: expected ${expected}`,
    );
    this.offset = offset;
  }
}

/** The message is msgpack, but not a map. */
export class NotAMapError extends WireDecodeError {
  static override readonly name = 'NotAMapError';
  override readonly name = 'NotAMapError';
  override readonly reason = 'not-a-map';

  constructor(found: string) {
    super(`message is ${found}: expected a msgpack map with string field names`);
  }
}

/** A required field (`key` or `vector`) is absent. */
export class MissingFieldError extends WireDecodeError {
  static override readonly name = 'MissingFieldError';
  override readonly name = 'MissingFieldError';
  override readonly reason = 'missing-field';
  /** The absent field. */
  readonly field: MessageField;

  constructor(field: MessageField) {
    super(`message has no "${field}" field: expected the fields "key" and "vector"`);
    this.field = field;
  }
}

/**
 * A known field holds the wrong type: `key` not a string, `vector` not a map,
 * `ttl` not an integer in 0..2^53−1, `full` not a boolean, `dense` not
 * `[offset, width, registers]`, `vig` not an integer in 1..2^31, `client` not
 * a boolean.
 */
export class FieldTypeError extends WireDecodeError {
  static override readonly name = 'FieldTypeError';
  override readonly name = 'FieldTypeError';
  override readonly reason = 'field-type';
  /** The mistyped field. */
  readonly field: MessageField;

  constructor(field: MessageField, found: string, expected: string) {
    super(`field "${field}" holds ${found}: expected ${expected}`);
    this.field = field;
  }
}

/** The key is longer than the `maxKeyBytes` limit. */
export class KeyTooLongError extends WireDecodeError {
  static override readonly name = 'KeyTooLongError';
  override readonly name = 'KeyTooLongError';
  override readonly reason = 'key-too-long';
  /** The key's length in bytes. */
  readonly byteLength: number;
  /** The limit it broke. */
  readonly limit: number;

  constructor(byteLength: number, limit: number) {
    super(`key is ${byteLength} bytes long: expected at most ${limit} bytes (maxKeyBytes)`);
    this.byteLength = byteLength;
    this.limit = limit;
  }
}

/**
 * The key's bytes (or a sync message's peer address) are not well-formed
 * UTF-8 (overlong form, surrogate, truncated sequence...).
 */
export class InvalidUtf8Error extends WireDecodeError {
  static override readonly name = 'InvalidUtf8Error';
  override readonly name = 'InvalidUtf8Error';
  override readonly reason = 'invalid-utf8';

  constructor(field: MessageField | SyncField, offset: number) {
    super(
      `field "${field}" at offset ${offset} is not valid UTF-8: expected well-formed UTF-8 (no overlong forms, surrogates or truncated sequences)`,
    );
  }
}

/** A vector index that is not an integer in 0..2^32−1. Its `cause` is crdt-core's {@link InvalidIndexError}. */
export class InvalidVectorIndexError extends WireDecodeError {
  static override readonly name = 'InvalidVectorIndexError';
  override readonly name = 'InvalidVectorIndexError';
  override readonly reason = 'invalid-index';

  constructor(found: string, index: unknown) {
    super(`vector index ${found} is out of range: expected an integer in 0..2^32-1`, {
      cause: new InvalidIndexError(index),
    });
  }
}

/** A vector value that is not an integer in 0..2^53−1. Its `cause` is crdt-core's {@link InvalidValueError}. */
export class InvalidVectorValueError extends WireDecodeError {
  static override readonly name = 'InvalidVectorValueError';
  override readonly name = 'InvalidVectorValueError';
  override readonly reason = 'invalid-value';
  /** The index the value was sent for. */
  readonly index: number;

  constructor(index: number, found: string, value: unknown) {
    super(
      `vector value ${found} at index ${index} is out of range: expected an integer in 0..2^53-1`,
      { cause: new InvalidValueError(index, value) },
    );
    this.index = index;
  }
}

/** The message carries more entries (sparse entries plus dense registers) than `maxEntries`. */
export class TooManyEntriesError extends WireDecodeError {
  static override readonly name = 'TooManyEntriesError';
  override readonly name = 'TooManyEntriesError';
  override readonly reason = 'too-many-entries';
  /** The entries the message carries (at least). */
  readonly count: number;
  /** The limit it broke. */
  readonly limit: number;

  constructor(count: number, limit: number) {
    super(`message carries ${count} entries: expected at most ${limit} (maxEntries)`);
    this.count = count;
    this.limit = limit;
  }
}

/** The `dense` field is an array of three, but its width or register bytes do not fit together. */
export class InvalidDenseError extends WireDecodeError {
  static override readonly name = 'InvalidDenseError';
  override readonly name = 'InvalidDenseError';
  override readonly reason = 'invalid-dense';

  constructor(detail: string) {
    super(`field "dense" is invalid: ${detail}`);
  }
}

/** Containers nest deeper than `maxDepth` inside a field the decoder skips. */
export class NestingTooDeepError extends WireDecodeError {
  static override readonly name = 'NestingTooDeepError';
  override readonly name = 'NestingTooDeepError';
  override readonly reason = 'nesting-too-deep';
  /** The limit it broke. */
  readonly limit: number;

  constructor(offset: number, limit: number) {
    super(
      `a container at offset ${offset} nests more than ${limit} levels deep in an unknown field: expected at most ${limit} (maxDepth)`,
    );
    this.limit = limit;
  }
}

/**
 * `error` as a {@link WireDecodeError}: itself when it is one; anything else
 * (only reachable through a bug in a decoder) wrapped as a `not-msgpack`
 * error, so decoders never hand out a raw exception.
 */
export function asDecodeError(error: unknown): WireDecodeError {
  if (error instanceof WireDecodeError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new NotMsgpackError(`reading failed (${detail})`, { cause: error });
}
