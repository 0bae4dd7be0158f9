import { UsageError } from './usage-error.js';

/**
 * A parser for an option that takes a whole number in `minimum..maximum`,
 * such as `--timeout MS` or `--nodes N`.
 *
 * @throws {@link UsageError} (from the returned parser) naming the option,
 * the value and the range
 */
export function integerInRange(
  option: string,
  minimum: number,
  maximum: number,
): (text: string) => number {
  return (text) => {
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
      throw new UsageError(
        `${option} ${JSON.stringify(text)} is invalid: expected a whole number in ${minimum}..${maximum}`,
      );
    }
    return value;
  };
}
