import type { BloomParameters } from './bloom-parameters.js';
import { bloomHandle } from './bloom-handle.js';
import type { BloomHandle } from './bloom-handle.js';
import { counterHandle, pnCounterOf } from './counter-handle.js';
import type { CounterHandle, PnCounterHandle } from './counter-handle.js';
import { hllHandle } from './hll-handle.js';
import type { HllHandle } from './hll-handle.js';
import { profileOf } from './hyperloglog-profiles.js';
import type { HllOptions } from './hyperloglog-profiles.js';
import { maxRegisterHandle } from './max-register-handle.js';
import type { MaxRegisterHandle } from './max-register-handle.js';
import { minHashHandle } from './min-hash-handle.js';
import type { MinHashHandle } from './min-hash-handle.js';
import { pnCounterKeys } from './pn-counter.js';
import type { SketchStore } from './sketch-store.js';

/** The default number of Min-Hash registers (k): a standard deviation of about 0.044 at J = 0.5. */
export const DEFAULT_MIN_HASH_REGISTERS = 128;

/** Every sketch, as a handle on a key of one store: `node.hll('visitors').add('alice')`. */
export interface SketchHandles {
  /** The HyperLogLog in `key` (redis profile, p = 14, unless `options` say otherwise). */
  hll(key: string, options?: HllOptions): HllHandle;
  /** The G-Counter in `key`, counted under this store's writer id. */
  counter(key: string): CounterHandle;
  /** The PN-Counter named `key` (vectors `KEY:p` and `KEY:n`), counted under this store's writer id. */
  pnCounter(key: string): PnCounterHandle;
  /** The Bloom filter in `key`, with `parameters` from `bloomParameters(n, rate)`. */
  bloom(key: string, parameters: BloomParameters): BloomHandle;
  /** The Min-Hash signature in `key`, with `registers` registers (default 128). */
  minHash(key: string, registers?: number): MinHashHandle;
  /** The max registers (or last-seen timestamps) in `key`. */
  maxRegister(key: string): MaxRegisterHandle;
}

/**
 * Handles on the keys of `store`, one per key and kind (and parameters):
 * asking twice gives the same handle, so adds from all over a program batch
 * together and a counter is never raised by two handles at once. Handles
 * stay for the life of the returned object; an idle handle holds no batch.
 *
 * @param writerId - the store's stable writer id for counters (0..2^32−1);
 *   no two writers anywhere may share one
 *
 * @example
 * ```ts
 * const sketches = sketchHandles(node, 7);
 * sketches.hll('visitors').add('alice');
 * await sketches.counter('visits').increment();
 * ```
 */
export function sketchHandles(store: SketchStore, writerId: number): SketchHandles {
  const handles = new Map<string, unknown>();
  const once = <H>(id: string, create: () => H): H => {
    let handle = handles.get(id) as H | undefined;
    if (handle === undefined) {
      handle = create();
      handles.set(id, handle);
    }
    return handle;
  };
  const counter = (key: string): CounterHandle =>
    once(`counter\0${key}`, () => counterHandle(store, key, writerId));
  return {
    hll(key, options) {
      const { name, precision } = profileOf(options);
      return once(`hll\0${name}\0${precision}\0${key}`, () => hllHandle(store, key, options));
    },
    counter,
    pnCounter(key) {
      // Built on the cached G-Counters, so `counter('KEY:p')` and this one never race.
      const keys = pnCounterKeys(key);
      return once(`pn\0${key}`, () =>
        pnCounterOf(key, counter(keys.positive), counter(keys.negative)),
      );
    },
    bloom: (key, parameters) =>
      once(`bloom\0${parameters.bits}\0${parameters.hashes}\0${key}`, () =>
        bloomHandle(store, key, parameters),
      ),
    minHash: (key, registers = DEFAULT_MIN_HASH_REGISTERS) =>
      once(`minhash\0${registers}\0${key}`, () => minHashHandle(store, key, registers)),
    maxRegister: (key) => once(`max\0${key}`, () => maxRegisterHandle(store, key)),
  };
}
