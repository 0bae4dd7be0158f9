/**
 * @packageDocumentation
 * Sketches as interpretations of max vectors (SPEC §1). Each sketch is a pure
 * mapping from an operation to the max-vector delta (`VectorEntries`) it
 * produces, and from a vector (`MaxVector` or `VectorEntries`) to an answer;
 * nothing here does I/O, so it works with any node and in a browser. Because
 * deltas merge by element-wise max, replicas may apply them in any order, any
 * number of times, and agree.
 *
 * - G-Counter and PN-Counter: exact counts (index = writer id).
 * - Bloom filter: bits as 0/1 entries, no false negatives.
 * - Min-Hash: registers of MAX − min hash, a Jaccard similarity estimate.
 * - Max register and last-seen timestamps.
 *
 * Handles (`sketchHandles`, `hllHandle`, …) bind a sketch to a key of any
 * {@link SketchStore} (a Vig node or client): adds made in one turn are
 * batched into one put of only the entries that grew.
 *
 * @example
 * ```ts
 * import { MaxVector } from '@vig/crdt-core';
 * import { bloomAdd, bloomHas, bloomParameters, counterIncrement, counterValue } from '@vig/sketch';
 *
 * const visits = new MaxVector();
 * visits.merge(counterIncrement(visits, 1)); // writer 1 counts one visit
 * visits.merge({ kind: 'sparse', indices: [2], values: [3] }); // writer 2's count arrives
 * counterValue(visits); // 4
 *
 * const parameters = bloomParameters(1_000, 0.01); // { bits: 9586, hashes: 7 }
 * const seen = MaxVector.fromEntries(bloomAdd(['alice', 'bob'], parameters));
 * bloomHas(seen, 'alice', parameters); // true
 * ```
 */
export { CounterOverflowError, InvalidSketchParameterError } from './sketch-errors.js';
export type { VectorLike } from './vector-lookup.js';
export { ITEM_HASH_SEED, itemHashPair } from './item-hash.js';
// The 32-bit hashes the sketches use live in @vig/crdt-core; re-exported for convenience.
export { fnv1a32, murmur3x86_32 } from '@vig/crdt-core';
export type { SketchItem } from './sketch-item.js';
export { counterIncrement, counterValue } from './counter.js';
export {
  pnCounterDecrement,
  pnCounterIncrement,
  pnCounterKeys,
  pnCounterValue,
} from './pn-counter.js';
export type { PnCounterKeys } from './pn-counter.js';
export {
  MAX_BLOOM_BITS,
  MAX_BLOOM_HASHES,
  assertBloomParameters,
  bloomParameters,
} from './bloom-parameters.js';
export type { BloomParameters } from './bloom-parameters.js';
export { bloomAdd, bloomHas } from './bloom-filter.js';
export { MAX_MIN_HASH_REGISTERS, MIN_HASH_MAX, minHashAdd, minHashSimilarity } from './min-hash.js';
export { lastSeen, lastSeenTime, maxRegisterSet, maxRegisterValue } from './max-register.js';
export { hllAdd, hllCount, hllCountUnion, hllDelta, hllRegister } from './hyperloglog.js';
export type { HllVector } from './hyperloglog.js';
export { HLL_PROFILES } from './hyperloglog-profiles.js';
export type { HllOptions } from './hyperloglog-profiles.js';
export {
  MAX_PRECISION,
  MIN_PRECISION,
  REDIS_PRECISION,
  redisProfile,
  redisRegister,
} from './hyperloglog-redis-profile.js';
export {
  vignetteEstimate,
  vignetteProfile,
  vignetteRegister,
} from './hyperloglog-vignette-profile.js';
export type { HllProfile, HllRegister } from './hyperloglog-profile.js';
export { InvalidRegisterError } from './hyperloglog-errors.js';
export { REDIS_HLL_SEED, murmurHash64A } from './murmur-hash-64a.js';
export type { Hash64 } from './murmur-hash-64a.js';
export { md5 } from './md5.js';
export { importRedisHll } from './redis-hll-import.js';
export type { ImportedRedisHll } from './redis-hll-import.js';
export { exportRedisHll } from './redis-hll-export.js';
export type { ExportRedisHllOptions } from './redis-hll-export.js';
export { InvalidRedisHllError, UnexportableHllError } from './redis-hll-errors.js';
export type { SketchStore } from './sketch-store.js';
export { DEFAULT_MIN_HASH_REGISTERS, sketchHandles } from './sketch-handles.js';
export type { SketchHandles } from './sketch-handles.js';
export { hllHandle } from './hll-handle.js';
export type { HllHandle } from './hll-handle.js';
export { counterHandle, pnCounterHandle } from './counter-handle.js';
export type { CounterHandle, PnCounterHandle } from './counter-handle.js';
export { bloomHandle } from './bloom-handle.js';
export type { BloomHandle } from './bloom-handle.js';
export { minHashHandle } from './min-hash-handle.js';
export type { MinHashHandle } from './min-hash-handle.js';
export { maxRegisterHandle } from './max-register-handle.js';
export type { MaxRegisterHandle } from './max-register-handle.js';
