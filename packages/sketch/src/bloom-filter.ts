import type { SparseEntries } from '@vig/crdt-core';
import { assertBloomParameters } from './bloom-parameters.js';
import type { BloomParameters } from './bloom-parameters.js';
import { itemHashPair } from './item-hash.js';
import type { SketchItem } from './sketch-item.js';
import { toMaxVector } from './vector-lookup.js';
import type { VectorLike } from './vector-lookup.js';

/**
 * Calls `visit` with each of the item's k bit indices, by Kirsch–Mitzenmacher
 * double hashing: index i (0 ≤ i < k) is (h1 + i·h2) mod m, where h1 and h2
 * are {@link itemHashPair}'s `first` and `second` hashes. Every intermediate
 * is below 2^39, so the arithmetic is exact in doubles.
 */
function forEachBitIndex(
  item: SketchItem,
  parameters: BloomParameters,
  visit: (bitIndex: number) => boolean,
): void {
  const { first, second } = itemHashPair(item);
  for (let hash = 0; hash < parameters.hashes; hash++) {
    if (!visit((first + hash * second) % parameters.bits)) return;
  }
}

/**
 * The delta that adds `items` to a Bloom filter: `{ bitIndex: 1 }` for every
 * bit an item sets, each bit once, in ascending order. No items give empty
 * entries (nothing to send). Merging deltas by max is set union, so filters
 * built anywhere from the same parameters combine.
 *
 * @throws {@link InvalidSketchParameterError} for parameters no filter can have
 *
 * @example
 * ```ts
 * const parameters = bloomParameters(1_000, 0.01);
 * const filter = MaxVector.fromEntries(bloomAdd(['alice', 'bob'], parameters));
 * bloomHas(filter, 'alice', parameters); // true
 * bloomHas(filter, 'carol', parameters); // false, except with probability about 1%
 * ```
 */
export function bloomAdd(items: readonly SketchItem[], parameters: BloomParameters): SparseEntries {
  assertBloomParameters(parameters);
  const bitIndices = new Set<number>();
  for (const item of items) {
    forEachBitIndex(item, parameters, (bitIndex) => {
      bitIndices.add(bitIndex);
      return true;
    });
  }
  const indices = Array.from(bitIndices).sort((left, right) => left - right);
  return { kind: 'sparse', indices, values: indices.map(() => 1) };
}

/**
 * Whether `item` may be in the filter: true when every one of its bits is set
 * (non-zero). Never false for an added item; true for an absent one with
 * probability about the rate the parameters were made for, while the filter
 * holds no more items than expected. `undefined` (a key never written) holds
 * nothing. Pass a `MaxVector` to test many items: entries are turned into one
 * on every call.
 *
 * @throws {@link InvalidSketchParameterError} for parameters no filter can have
 */
export function bloomHas(
  vector: VectorLike | undefined,
  item: SketchItem,
  parameters: BloomParameters,
): boolean {
  assertBloomParameters(parameters);
  if (vector === undefined) return false;
  const filter = toMaxVector(vector);
  let present = true;
  forEachBitIndex(item, parameters, (bitIndex) => {
    present = filter.get(bitIndex) !== 0;
    return present;
  });
  return present;
}
