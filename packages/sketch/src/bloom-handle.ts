import { bloomAdd, bloomHas } from './bloom-filter.js';
import { assertBloomParameters } from './bloom-parameters.js';
import type { BloomParameters } from './bloom-parameters.js';
import { PendingDelta } from './pending-delta.js';
import type { SketchItem } from './sketch-item.js';
import type { SketchStore } from './sketch-store.js';

/** A Bloom filter kept in one key of a {@link SketchStore}. */
export interface BloomHandle {
  /** The key the filter lives in. */
  readonly key: string;
  /** The filter's size and hash count; every writer and reader of the key must use the same. */
  readonly parameters: BloomParameters;
  /** Adds items; adds made in one turn go out as one put of the bits not yet set. */
  add(...items: SketchItem[]): Promise<void>;
  /** Whether `item` may have been added (never false for an added item), after pending adds are written. */
  has(item: SketchItem): Promise<boolean>;
  /** Resolves once every add made so far is written. */
  flush(): Promise<void>;
}

/**
 * A Bloom filter handle on `key` of `store`, with `parameters` from
 * `bloomParameters(expectedItems, falsePositiveRate)`.
 *
 * @example
 * ```ts
 * const seen = bloomHandle(node, 'seen', bloomParameters(10_000, 0.01));
 * seen.add('alice');
 * await seen.has('alice'); // true
 * ```
 *
 * @throws {@link InvalidSketchParameterError} for parameters no filter can have
 */
export function bloomHandle(
  store: SketchStore,
  key: string,
  parameters: BloomParameters,
): BloomHandle {
  assertBloomParameters(parameters);
  const pending = new PendingDelta(store, key);
  return {
    key,
    parameters,
    add: (...items) => pending.add(bloomAdd(items, parameters)),
    has: async (item) => bloomHas(await pending.read(), item, parameters),
    flush: () => pending.flush(),
  };
}
