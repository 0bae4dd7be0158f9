import { MAX_INDEX } from '@vig/crdt-core';
import { InvalidSketchParameterError } from './sketch-errors.js';

/** A Bloom filter's shape: how many bits, and how many of them each item sets. */
export interface BloomParameters {
  /** m, the number of bits: vector indices 0..m−1. An integer in 1..2^32. */
  readonly bits: number;
  /** k, the number of bits each item sets. An integer in 1..{@link MAX_BLOOM_HASHES}. */
  readonly hashes: number;
}

/** The most hash functions a Bloom filter may use (a false-positive rate of about 2^-64 needs 64). */
export const MAX_BLOOM_HASHES = 64;

/** The most bits a Bloom filter may have: one per vector index. */
export const MAX_BLOOM_BITS = MAX_INDEX + 1;

/**
 * The optimal Bloom filter for `expectedItems` items at `falsePositiveRate`,
 * by the standard formulas: m = ⌈−n·ln p / (ln 2)²⌉ bits and
 * k = max(1, round((m / n)·ln 2)) hashes. With n items added, the chance that
 * an absent item tests present is then about p; with more items it rises.
 *
 * @param expectedItems - n, an integer in 1..2^53−1
 * @param falsePositiveRate - p, a number strictly between 0 and 1
 * @throws {@link InvalidSketchParameterError} for a bad n or p, or when the
 *   filter would need more than 2^32 bits or {@link MAX_BLOOM_HASHES} hashes
 *
 * @example
 * ```ts
 * bloomParameters(10_000, 0.01); // { bits: 95851, hashes: 7 }
 * ```
 */
export function bloomParameters(expectedItems: number, falsePositiveRate: number): BloomParameters {
  if (!Number.isSafeInteger(expectedItems) || expectedItems < 1) {
    throw new InvalidSketchParameterError(
      'bloom expectedItems',
      expectedItems,
      'an integer in 1..2^53-1',
    );
  }
  if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
    throw new InvalidSketchParameterError(
      'bloom falsePositiveRate',
      falsePositiveRate,
      'a number strictly between 0 and 1',
    );
  }
  const bits = Math.ceil((-expectedItems * Math.log(falsePositiveRate)) / Math.LN2 ** 2);
  const hashes = Math.max(1, Math.round((bits / expectedItems) * Math.LN2));
  const parameters = { bits, hashes };
  assertBloomParameters(parameters);
  return parameters;
}

/**
 * Throws unless `parameters` describe a filter vectors can hold: bits an
 * integer in 1..2^32, hashes an integer in 1..{@link MAX_BLOOM_HASHES}.
 *
 * @throws {@link InvalidSketchParameterError}
 */
export function assertBloomParameters(parameters: BloomParameters): void {
  const { bits, hashes } = parameters;
  if (!Number.isSafeInteger(bits) || bits < 1 || bits > MAX_BLOOM_BITS) {
    throw new InvalidSketchParameterError('bloom bits', bits, 'an integer in 1..2^32');
  }
  if (!Number.isSafeInteger(hashes) || hashes < 1 || hashes > MAX_BLOOM_HASHES) {
    throw new InvalidSketchParameterError(
      'bloom hashes',
      hashes,
      `an integer in 1..${MAX_BLOOM_HASHES}`,
    );
  }
}
