import { VigError } from '@vig/crdt-core';

/**
 * A HyperLogLog precision outside what the profile supports (the `redis`
 * profile takes an integer p in 4..18).
 *
 * @example
 * ```ts
 * try {
 *   redisProfile(20);
 * } catch (error) {
 *   if (isVigError(error, 'InvalidPrecisionError')) console.log(error.message);
 * }
 * ```
 */
export class InvalidPrecisionError extends VigError {
  static override readonly name = 'InvalidPrecisionError';
  override readonly name = 'InvalidPrecisionError';
  /** The rejected precision, as given. */
  readonly precision: unknown;

  constructor(precision: unknown, options?: ErrorOptions) {
    super(
      `HyperLogLog precision ${String(precision)} is out of range: expected an integer in 4..18`,
      options,
    );
    this.precision = precision;
  }
}

/**
 * A vector read as a HyperLogLog holds a register the profile cannot have
 * produced: an index past the last register, or a rank above the largest the
 * hash can give.
 */
export class InvalidRegisterError extends VigError {
  static override readonly name = 'InvalidRegisterError';
  override readonly name = 'InvalidRegisterError';
  /** The register index. */
  readonly index: number;
  /** The rank found at that index. */
  readonly rank: number;

  constructor(
    index: number,
    rank: number,
    registerCount: number,
    maxRank: number,
    options?: ErrorOptions,
  ) {
    super(
      `HyperLogLog register ${index} = ${rank} is out of range: expected an index in 0..${registerCount - 1} and a rank in 0..${maxRank}`,
      options,
    );
    this.index = index;
    this.rank = rank;
  }
}
