import { compileKeyPattern, isPattern } from './key-pattern.js';
import type { KeyMatcher } from './key-pattern.js';
import type { MergeResult } from './merge-result.js';
import { MaxVector } from './max-vector.js';
import { PatternKeyError } from './vector-errors.js';
import type { VectorEntries } from './vector-entries.js';

/** What {@link MaxStore.merge} returns: the merge's outputs, and whether it created the key. */
export interface StoreMergeResult extends MergeResult {
  /**
   * True when the key was unknown before this merge and now exists (the node
   * protocol then asks peers for their whole vector of it).
   */
  readonly created: boolean;
}

/** How many compiled patterns a store keeps; past that, the oldest is dropped. */
const PATTERN_CACHE_SIZE = 64;

function byKey(
  [left]: readonly [string, MaxVector],
  [right]: readonly [string, MaxVector],
): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Keys → max vectors, with `%` search and `*` aggregate queries. Pure data:
 * no I/O, no timers.
 *
 * @example
 * ```ts
 * const store = new MaxStore();
 * store.merge('views:home', { kind: 'sparse', indices: [0], values: [120] });
 * store.merge('views:pricing', { kind: 'sparse', indices: [0, 1], values: [12, 9] });
 * store.search('views:%').map(([key]) => key); // ['views:home', 'views:pricing']
 * store.aggregate('views:*').toRecord(); // { 0: 120, 1: 9 }
 * ```
 */
export class MaxStore {
  readonly #vectors = new Map<string, MaxVector>();
  readonly #matchers = new Map<string, KeyMatcher>();

  /** Number of stored keys. */
  get size(): number {
    return this.#vectors.size;
  }

  /** The stored vector of `key` (the live vector, not a copy), if any. */
  get(key: string): MaxVector | undefined {
    return this.#vectors.get(key);
  }

  /** True when `key` is stored. */
  has(key: string): boolean {
    return this.#vectors.has(key);
  }

  /** The stored keys, in the order they were created. */
  keys(): IterableIterator<string> {
    return this.#vectors.keys();
  }

  /** `[key, vector]` for every stored key, in the order they were created. */
  entries(): IterableIterator<[string, MaxVector]> {
    return this.#vectors.entries();
  }

  /** Same as {@link MaxStore.entries}. */
  [Symbol.iterator](): IterableIterator<[string, MaxVector]> {
    return this.#vectors.entries();
  }

  /**
   * Merges `incoming` into the vector of `key` (see {@link MaxVector.merge}),
   * creating the key unless nothing non-zero arrives. Atomic like
   * {@link MaxVector.merge}: a merge that throws creates and changes nothing.
   *
   * @throws {@link PatternKeyError} when `key` holds `%` or `*`
   * @throws {@link InvalidIndexError} or {@link InvalidValueError} for an entry out of range
   */
  merge(key: string, incoming: VectorEntries | MaxVector): StoreMergeResult {
    if (isPattern(key)) throw new PatternKeyError(key);
    const existing = this.#vectors.get(key);
    if (existing !== undefined) {
      const { grew, larger } = existing.merge(incoming);
      return { grew, larger, created: false };
    }
    const vector = new MaxVector();
    const { grew, larger } = vector.merge(incoming);
    const created = vector.size > 0;
    if (created) this.#vectors.set(key, vector);
    return { grew, larger, created };
  }

  /**
   * Every stored key matching `pattern` (`%` and `*` match any run of
   * characters; see {@link compileKeyPattern}) with its live vector, sorted by key.
   */
  search(pattern: string): [string, MaxVector][] {
    const matches = this.#matcherFor(pattern);
    const found: [string, MaxVector][] = [];
    for (const [key, vector] of this.#vectors) {
      if (matches(key)) found.push([key, vector]);
    }
    return found.sort(byKey);
  }

  /** A new vector: the element-wise max over every key matching `pattern` (empty if none). */
  aggregate(pattern: string): MaxVector {
    const matches = this.#matcherFor(pattern);
    const result = new MaxVector();
    for (const [key, vector] of this.#vectors) {
      if (matches(key)) result.merge(vector);
    }
    return result;
  }

  #matcherFor(pattern: string): KeyMatcher {
    let matcher = this.#matchers.get(pattern);
    if (matcher === undefined) {
      matcher = compileKeyPattern(pattern);
      if (this.#matchers.size >= PATTERN_CACHE_SIZE) {
        const oldest = this.#matchers.keys().next();
        if (oldest.done !== true) this.#matchers.delete(oldest.value);
      }
      this.#matchers.set(pattern, matcher);
    }
    return matcher;
  }
}
