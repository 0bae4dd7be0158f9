import { VigError } from '@vig/crdt-core';

/**
 * Bytes that are not a Redis HyperLogLog value: too short, no `HYLL` magic,
 * an unknown encoding, a dense value of the wrong length, or sparse opcodes
 * that do not cover exactly 16384 registers.
 *
 * @example
 * ```ts
 * try {
 *   importRedisHll(new TextEncoder().encode('not an HLL'));
 * } catch (error) {
 *   if (isVigError(error, 'InvalidRedisHllError')) console.log(error.message);
 * }
 * ```
 */
export class InvalidRedisHllError extends VigError {
  static override readonly name = 'InvalidRedisHllError';
  override readonly name = 'InvalidRedisHllError';

  constructor(problem: string, options?: ErrorOptions) {
    super(`not a Redis HyperLogLog value: ${problem}`, options);
  }
}

/**
 * A vector that Redis's HyperLogLog cannot hold: a register index past 16383,
 * a rank above 63 (6 bits), or a rank above 32 asked for in the sparse encoding.
 */
export class UnexportableHllError extends VigError {
  static override readonly name = 'UnexportableHllError';
  override readonly name = 'UnexportableHllError';

  constructor(problem: string, options?: ErrorOptions) {
    super(`cannot export as a Redis HyperLogLog: ${problem}`, options);
  }
}
