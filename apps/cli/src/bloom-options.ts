import { MAX_VALUE } from '@vig/crdt-core';
import type { MaxVector } from '@vig/crdt-core';
import { bloomParameters, InvalidSketchParameterError } from '@vig/sketch';
import type { BloomParameters } from '@vig/sketch';
import type { Command } from 'commander';
import { integerInRange } from './parse-integer.js';
import { UsageError } from './usage-error.js';

/** The expected item count of a Bloom filter when `--capacity` is not given. */
export const DEFAULT_CAPACITY = 10_000;

/** The false-positive rate of a Bloom filter when `--error-rate` is not given. */
export const DEFAULT_ERROR_RATE = 0.01;

/** A plain decimal number, optionally with an exponent: 0.01, .5, 1e-3. */
const DECIMAL = /^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** `--capacity` and `--error-rate` as commander parsed them. */
export interface BloomOptions {
  readonly capacity: number;
  readonly errorRate: number;
}

/**
 * Reads `--error-rate P`: a number strictly between 0 and 1.
 *
 * @throws {@link UsageError} naming the value and the range
 */
export function parseErrorRate(text: string): number {
  const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!(value > 0 && value < 1)) {
    throw new UsageError(
      `--error-rate ${JSON.stringify(text)} is invalid: expected a number strictly between 0 and 1, such as 0.01`,
    );
  }
  return value;
}

/** Adds `--capacity N` and `--error-rate P` to `command`. */
export function addBloomOptions(command: Command): Command {
  return command
    .option(
      '--capacity <N>',
      'the number of items the filter is sized for; use the same value for every add and has of a key',
      integerInRange('--capacity', 1, MAX_VALUE),
      DEFAULT_CAPACITY,
    )
    .option(
      '--error-rate <P>',
      'the false-positive rate at that capacity, between 0 and 1; use the same value for every add and has of a key',
      parseErrorRate,
      DEFAULT_ERROR_RATE,
    );
}

/**
 * The filter's shape for `--capacity` and `--error-rate`.
 *
 * @throws {@link UsageError} when the two ask for a filter larger than a vector holds
 */
export function bloomParametersOf(options: BloomOptions): BloomParameters {
  try {
    return bloomParameters(options.capacity, options.errorRate);
  } catch (error) {
    if (!(error instanceof InvalidSketchParameterError)) throw error;
    throw new UsageError(
      `--capacity ${options.capacity} with --error-rate ${options.errorRate} cannot be used: ${error.message}`,
      { cause: error },
    );
  }
}

/**
 * Throws when `filter` holds a bit past the end of a filter of `parameters`:
 * it was written with another `--capacity` or `--error-rate`, and reading it
 * with these would give false negatives.
 *
 * @throws {@link UsageError} naming the bit and the options
 */
export function assertFilterFits(
  key: string,
  filter: MaxVector,
  parameters: BloomParameters,
  options: BloomOptions,
): void {
  let last = -1;
  filter.forEach((index) => {
    if (index > last) last = index;
  });
  if (last >= parameters.bits) {
    throw new UsageError(
      `key ${JSON.stringify(key)} holds bit ${last}, past the ${parameters.bits} bits of --capacity ${options.capacity} --error-rate ${options.errorRate}: expected the --capacity and --error-rate its items were added with`,
    );
  }
}
