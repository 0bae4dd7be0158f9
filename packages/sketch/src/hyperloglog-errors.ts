import { VigError } from '@vig/crdt-core';

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
