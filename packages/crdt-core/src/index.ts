/**
 * @packageDocumentation
 * Vig's pure data structures: max vectors (sparse integer vectors changed only
 * by element-wise max) and their store. No I/O; runs in Node and browsers.
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
