import { VigError } from './vig-error.js';

/** Shows a rejected number or value in an error message without throwing on odd inputs. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === null ||
    value === undefined
  ) {
    return String(value);
  }
  return Object.prototype.toString.call(value);
}

/** A vector index that is not an integer in 0..2^32−1. */
export class InvalidIndexError extends VigError {
  static override readonly name = 'InvalidIndexError';
  override readonly name = 'InvalidIndexError';
  /** The rejected index, as given. */
  readonly index: unknown;

  constructor(index: unknown, options?: ErrorOptions) {
    super(
      `vector index ${describeValue(index)} is out of range: expected an integer in 0..2^32-1`,
      options,
    );
    this.index = index;
  }
}

/** A vector value that is not an integer in 0..2^53−1. */
export class InvalidValueError extends VigError {
  static override readonly name = 'InvalidValueError';
  override readonly name = 'InvalidValueError';
  /** The index the value was given for. */
  readonly index: number;
  /** The rejected value, as given. */
  readonly value: unknown;

  constructor(index: number, value: unknown, options?: ErrorOptions) {
    super(
      `vector value ${describeValue(value)} at index ${index} is out of range: expected an integer in 0..2^53-1`,
      options,
    );
    this.index = index;
    this.value = value;
  }
}

/** A write or merge addressed to a `%` search or `*` aggregate pattern instead of a key. */
export class PatternKeyError extends VigError {
  static override readonly name = 'PatternKeyError';
  override readonly name = 'PatternKeyError';
  /** The rejected key. */
  readonly key: string;

  constructor(key: string, options?: ErrorOptions) {
    super(
      `key ${JSON.stringify(key)} is a pattern (it holds % or *): patterns are read, never stored`,
      options,
    );
    this.key = key;
  }
}
