import { VigError } from '@vig/crdt-core';

/** Shows a rejected argument in an error message without throwing on odd inputs. */
function describeArgument(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
  return String(value);
}

/**
 * A sketch was given a parameter outside its range: an increment that is not a
 * non-negative integer, a Bloom filter's expected item count or false-positive
 * rate, a Bloom filter's bit or hash count, or a Min-Hash register count.
 *
 * @example
 * ```ts
 * try {
 *   bloomParameters(10_000, 1.5);
 * } catch (error) {
 *   if (isVigError(error, 'InvalidSketchParameterError')) console.log(error.message);
 *   // bloom falsePositiveRate 1.5 is out of range: expected a number strictly between 0 and 1
 * }
 * ```
 */
export class InvalidSketchParameterError extends VigError {
  static override readonly name = 'InvalidSketchParameterError';
  override readonly name = 'InvalidSketchParameterError';
  /** The parameter's name, e.g. `"bloom falsePositiveRate"`. */
  readonly parameter: string;
  /** The rejected value, as given. */
  readonly value: unknown;
  /** What the parameter must be, e.g. `"a number strictly between 0 and 1"`. */
  readonly expected: string;

  constructor(parameter: string, value: unknown, expected: string, options?: ErrorOptions) {
    super(`${parameter} ${describeArgument(value)} is out of range: expected ${expected}`, options);
    this.parameter = parameter;
    this.value = value;
    this.expected = expected;
  }
}

/**
 * A counter's value (or one writer's count after an increment) would exceed
 * 2^53−1, the largest integer a JavaScript number (and a max vector value)
 * holds exactly. Counters stay exact or throw; they never round.
 */
export class CounterOverflowError extends VigError {
  static override readonly name = 'CounterOverflowError';
  override readonly name = 'CounterOverflowError';
  /** What overflowed: the sum of every writer's count, or one writer's own count. */
  readonly what: 'total' | 'writer count';

  constructor(what: 'total' | 'writer count', options?: ErrorOptions) {
    super(
      `counter ${what} exceeds 2^53-1: expected a value that a max vector holds exactly (at most 2^53-1)`,
      options,
    );
    this.what = what;
  }
}
