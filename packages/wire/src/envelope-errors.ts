// Errors of sealing and of the replay guard's options.

import { VigError } from '@vig/crdt-core';

/** A sender timestamp {@link sealDatagram} cannot write: not an integer in 0..2^48−1 ms. */
export class SealTimestampError extends VigError {
  static override readonly name = 'SealTimestampError';
  override readonly name = 'SealTimestampError';
  /** The timestamp given. */
  readonly timestamp: unknown;

  constructor(timestamp: unknown, options?: ErrorOptions) {
    super(
      `sender timestamp ${String(timestamp)} cannot be sealed: expected an integer number of milliseconds since 1970 in 0..2^48-1`,
      options,
    );
    this.timestamp = timestamp;
  }
}

/** An option of {@link createReplayGuard} out of its range. */
export class ReplayGuardOptionsError extends VigError {
  static override readonly name = 'ReplayGuardOptionsError';
  override readonly name = 'ReplayGuardOptionsError';
  /** `window`, `forgetAfter`, `maxClockSkew` or `maxSenders`. */
  readonly option: string;

  constructor(option: string, value: unknown, expected: string, options?: ErrorOptions) {
    super(`replay guard option ${option} is ${String(value)}: expected ${expected}`, options);
    this.option = option;
  }
}
