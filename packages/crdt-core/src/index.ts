/**
 * @packageDocumentation
 * Vig's pure data structures: max vectors (sparse integer vectors changed only
 * by element-wise max) and their store, and the versioned store that keeps
 * full history, siblings and branches. No I/O; runs in Node and browsers.
 *
 * @example
 * ```ts
 * import { MaxStore, MaxVector } from '@vig/crdt-core';
 *
 * const vector = MaxVector.from({ 0: 5, 3: 7 });
 * const { grew, larger } = vector.merge({ kind: 'sparse', indices: [0, 3], values: [9, 2] });
 * // grew: {0: 9} goes on to other peers; larger: {3: 7} goes back to the sender.
 *
 * const store = new MaxStore();
 * store.merge('views:home', { kind: 'sparse', indices: [0], values: [120] });
 * store.merge('views:pricing', { kind: 'sparse', indices: [1], values: [9] });
 * store.aggregate('views:*').toRecord(); // { 0: 120, 1: 9 }
 *
 * const history = new VersionedStore();
 * const first = history.put('title', 'Draft');
 * history.put('title', 'Final');
 * history.checkout([first]); // time travel
 * history.get('title'); // [{ version: first, value: 'Draft' }]
 * ```
 */
export { VigError, isVigError } from './vig-error.js';
export { InvalidIndexError, InvalidValueError, PatternKeyError } from './vector-errors.js';
export {
  MAX_INDEX,
  MAX_VALUE,
  EMPTY_ENTRIES,
  isValidIndex,
  isValidValue,
  assertIndex,
  assertValue,
  entriesLength,
  forEachEntry,
  entriesFromRecord,
} from './vector-entries.js';
export type {
  RegisterArray,
  SparseEntries,
  DenseEntries,
  VectorEntries,
} from './vector-entries.js';
export { MaxVector } from './max-vector.js';
export { largerEntries } from './larger-entries.js';
export { EMPTY_MERGE_RESULT } from './merge-result.js';
export type { MergeResult } from './merge-result.js';
export { MaxStore } from './max-store.js';
export type { MaxStoreOptions, StoreMergeOptions, StoreMergeResult } from './max-store.js';
export { NO_STORE_LIMITS, storeLimits } from './store-limits.js';
export type { StoreLimits, StoreRefusal } from './store-limits.js';
export { InvalidStoreLimitError, StoreLimitError } from './store-limit-errors.js';
export type { StoreLimitKind } from './store-limit-errors.js';
export {
  compileKeyPattern,
  isAggregatePattern,
  isPattern,
  isPeerKey,
  isSearchPattern,
} from './key-pattern.js';
export type { KeyMatcher } from './key-pattern.js';
export { SPARSE_BYTES_PER_ENTRY, LEAVE_DENSE_FACTOR } from './representation-policy.js';
export { AGENT_ID_LENGTH, agentId, createAgentId, isAgentId } from './agent-id.js';
export type { AgentId } from './agent-id.js';
export { seededRandom } from './random-source.js';
export {
  FNV_OFFSET_BASIS,
  FNV_PRIME,
  fmix32,
  fnv1a32,
  murmur3x86_32,
  murmurMixBlock,
} from './hash-32.js';
export type { RandomSource } from './random-source.js';
export {
  InvalidAgentIdError,
  UnknownVersionError,
  UnknownBranchError,
  UnknownPositionError,
  MalformedOperationError,
  MissingParentError,
} from './version-errors.js';
export { assertOperation, compareVersionIds, versionKey } from './versioned-operation.js';
export type { KeyWrite, Operation, Sibling, Version } from './versioned-operation.js';
export type { VersionOrder } from './graph-queries.js';
export { MAIN_BRANCH, VersionedStore } from './versioned-store.js';
export {
  EMPTY_HISTORY_DIGEST,
  addToDigest,
  sameHistoryDigest,
  versionHashHigh,
  versionHashLow,
} from './history-digest.js';
export type { HistoryDigest } from './history-digest.js';
export type { ApplyResult, VersionSummary, VersionedStoreOptions } from './versioned-store.js';
export { MergeOutput } from './merge-result.js';
