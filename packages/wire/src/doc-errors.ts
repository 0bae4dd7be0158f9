// Errors of the doc message codec. Decoding failures are WireDecodeErrors
// (with a `reason`, like the other decoders'); encoding failures are one
// VigError naming the field.

import { VigError } from '@vig/crdt-core';
import { WireDecodeError } from './decode-errors.js';

/**
 * The bytes are a msgpack map but not a well-formed doc message: the first
 * field is not `doc`, an unknown kind, a field of the wrong type or shape, a
 * text that is not UTF-8 or too long, a list longer than its limit, a known
 * field sent twice, or a required field missing. `field` names the field.
 */
export class InvalidDocError extends WireDecodeError {
  static override readonly name = 'InvalidDocError';
  override readonly name = 'InvalidDocError';
  override readonly reason = 'invalid-doc';
  /** The field that was wrong or missing. */
  readonly field: string;

  constructor(field: string, problem: string, options?: ErrorOptions) {
    super(`doc message is invalid: ${problem}`, options);
    this.field = field;
  }
}

/**
 * A doc message field that cannot be encoded: a number out of its range, a
 * text that is not a string, holds a lone surrogate or is too long, a list
 * longer than its limit, a value outside msgpack (`cause`: the
 * `ValueEncodeError`), and so on. `field` names it.
 */
export class InvalidDocFieldError extends VigError {
  static override readonly name = 'InvalidDocFieldError';
  override readonly name = 'InvalidDocFieldError';
  /** The field that could not be encoded. */
  readonly field: string;

  constructor(field: string, problem: string, options?: ErrorOptions) {
    super(`doc message field "${field}" ${problem}`, options);
    this.field = field;
  }
}
