import { MAX_INDEX, MAX_VALUE } from '@vig/crdt-core';
import { UsageError } from './usage-error.js';

const DIGITS = /^\d+$/;

/** A decimal integer in 0..`maximum`, or undefined (no signs, no exponents, no spaces). */
function parseBoundedInteger(text: string, maximum: number): number | undefined {
  if (!DIGITS.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value <= maximum ? value : undefined;
}

/**
 * Reads one `INDEX=VALUE` argument of `vig put`: an index in 0..2^32−1 and a
 * value in 0..2^53−1, both written as plain decimal digits.
 *
 * @throws {@link UsageError} naming the argument and the expected form
 */
export function parseEntry(text: string): [index: number, value: number] {
  const [indexText, valueText, ...rest] = text.split('=');
  const index = parseBoundedInteger(indexText ?? '', MAX_INDEX);
  const value = parseBoundedInteger(valueText ?? '', MAX_VALUE);
  if (rest.length > 0 || index === undefined || value === undefined) {
    throw new UsageError(
      `entry ${JSON.stringify(text)} is invalid: expected INDEX=VALUE with an index in 0..${MAX_INDEX} and a value in 0..${MAX_VALUE}`,
    );
  }
  return [index, value];
}

/**
 * The `INDEX=VALUE` arguments as one record. An index given twice keeps the
 * larger value, as the max-merge would.
 *
 * @throws {@link UsageError} for the first argument not in that form
 */
export function parseEntries(texts: readonly string[]): Record<number, number> {
  const record: Record<number, number> = {};
  for (const text of texts) {
    const [index, value] = parseEntry(text);
    record[index] = Math.max(record[index] ?? 0, value);
  }
  return record;
}
