import { compileKeyPattern, isPattern } from './key-pattern.js';
import type { KeyMatcher } from './key-pattern.js';
import type { MergeResult } from './merge-result.js';
import { MaxVector } from './max-vector.js';
import { StoreLimitError } from './store-limit-errors.js';
import { admitEntries, entriesBound, storeLimits } from './store-limits.js';
import type { StoreLimits, StoreRefusal } from './store-limits.js';
import { PatternKeyError } from './vector-errors.js';
import { EMPTY_ENTRIES } from './vector-entries.js';
import type { VectorEntries } from './vector-entries.js';

/** What {@link MaxStore.merge} returns: the merge's outputs, and whether it created the key. */
export interface StoreMergeResult extends MergeResult {
  /**
   * True when the key was unknown before this merge and now exists (the node
   * protocol then asks peers for their whole vector of it).
   */
  readonly created: boolean;
  /** What a limit refused, when it refused anything; absent otherwise. */
  readonly refused?: StoreRefusal;
}

/** Options of {@link MaxStore}. */
export interface MaxStoreOptions {
  /** How much the store may hold; default {@link NO_STORE_LIMITS} (see {@link MaxStore.setLimits}). */
  readonly limits?: Partial<StoreLimits>;
}

/** Options of one {@link MaxStore.merge}. */
export interface StoreMergeOptions {
  /**
   * Merge whatever the limits say: for a writer's own bookkeeping that must
   * never be refused (a gossip node's own heartbeat key). Default false.
   */
  readonly ignoreLimits?: boolean;
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
 * A store may be given {@link StoreLimits}: then a merge never creates a key
 * beyond `maxKeys` nor grows a vector beyond `maxEntriesPerKey`. What a limit
 * refuses is reported in the merge's result, never thrown and never made room
 * for by evicting anything; entries at indices a vector already holds always
 * merge, since they do not make it longer. {@link MaxStore.checkLimits} asks
 * first, for writers that would rather fail.
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
  #limits: StoreLimits;

  /**
   * @throws {@link InvalidStoreLimitError} for a limit that is not a positive integer or `Infinity`
   */
  constructor(options: MaxStoreOptions = {}) {
    this.#limits = storeLimits(options.limits);
  }

  /** The limits in force (no limit is `Infinity`). */
  get limits(): StoreLimits {
    return this.#limits;
  }

  /**
   * Changes the limits (fields left out keep their value). A store already
   * beyond a new limit keeps everything it holds; the limit only stops growth.
   *
   * @throws {@link InvalidStoreLimitError} for a limit that is not a positive integer or `Infinity`
   */
  setLimits(limits: Partial<StoreLimits>): void {
    this.#limits = storeLimits(limits, this.#limits);
  }

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
   * Under the {@link limits}: a key that would be created beyond `maxKeys` is
   * not, and the result's `refused` says so (`limit: 'keys'`); entries at
   * indices the vector does not hold are taken, in the update's order, only
   * while the vector stays within `maxEntriesPerKey`, and the rest are refused
   * (`limit: 'entries'`) while the others merge.
   *
   * @throws {@link PatternKeyError} when `key` holds `%` or `*`
   * @throws {@link InvalidIndexError} or {@link InvalidValueError} for an entry out of range
   */
  merge(
    key: string,
    incoming: VectorEntries | MaxVector,
    options?: StoreMergeOptions,
  ): StoreMergeResult {
    if (isPattern(key)) throw new PatternKeyError(key);
    const existing = this.#vectors.get(key);
    const limited = options?.ignoreLimits !== true;
    if (existing !== undefined) {
      if (limited && existing.size + entriesBound(incoming) > this.#limits.maxEntriesPerKey) {
        return this.#mergeLimited(key, existing, incoming);
      }
      const { grew, larger } = existing.merge(incoming);
      return { grew, larger, created: false };
    }
    if (limited && this.#mayCrossLimits(incoming)) {
      return this.#mergeLimited(key, undefined, incoming);
    }
    const vector = new MaxVector();
    const { grew, larger } = vector.merge(incoming);
    const created = vector.size > 0;
    if (created) this.#vectors.set(key, vector);
    return { grew, larger, created };
  }

  /**
   * Throws unless merging `incoming` into `key` would stay within the
   * {@link limits}; changes nothing. For writers that would rather fail than
   * have part of a write refused (a node's local `put`).
   *
   * @throws {@link StoreLimitError} naming the key and the limit
   * @throws {@link PatternKeyError} when `key` holds `%` or `*`; near a limit,
   *   {@link InvalidIndexError} or {@link InvalidValueError} for an entry out of range
   */
  checkLimits(key: string, incoming: VectorEntries | MaxVector): void {
    if (isPattern(key)) throw new PatternKeyError(key);
    const existing = this.#vectors.get(key);
    const { maxKeys, maxEntriesPerKey } = this.#limits;
    const size = existing?.size ?? 0;
    if (existing !== undefined && size + entriesBound(incoming) <= maxEntriesPerKey) return;
    if (existing === undefined && !this.#mayCrossLimits(incoming)) return;
    const atKeyLimit = existing === undefined && this.#vectors.size >= maxKeys;
    const admitted = admitEntries(existing, incoming, atKeyLimit ? 0 : maxEntriesPerKey - size);
    if (admitted.refused === 0) return;
    if (atKeyLimit) throw new StoreLimitError(key, 'keys', maxKeys);
    throw new StoreLimitError(key, 'entries', maxEntriesPerKey, size + admitted.newIndices);
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

  /** Whether creating a key from `incoming` might cross a limit (then the slow path decides). */
  #mayCrossLimits(incoming: VectorEntries | MaxVector): boolean {
    const { maxKeys, maxEntriesPerKey } = this.#limits;
    return this.#vectors.size >= maxKeys || entriesBound(incoming) > maxEntriesPerKey;
  }

  /** A merge that may cross a limit: takes what fits and reports what was refused. */
  #mergeLimited(
    key: string,
    existing: MaxVector | undefined,
    incoming: VectorEntries | MaxVector,
  ): StoreMergeResult {
    const { maxKeys, maxEntriesPerKey } = this.#limits;
    if (existing === undefined && this.#vectors.size >= maxKeys) {
      const { refused } = admitEntries(undefined, incoming, 0);
      const result = { grew: EMPTY_ENTRIES, larger: EMPTY_ENTRIES, created: false };
      return refused === 0 ? result : { ...result, refused: { limit: 'keys', entries: refused } };
    }
    const room = Math.max(0, maxEntriesPerKey - (existing?.size ?? 0));
    const admitted = admitEntries(existing, incoming, room);
    const vector = existing ?? new MaxVector();
    const { grew, larger } = vector.merge(admitted.entries);
    const created = existing === undefined && vector.size > 0;
    if (created) this.#vectors.set(key, vector);
    const result = { grew, larger, created };
    if (admitted.refused === 0) return result;
    return { ...result, refused: { limit: 'entries', entries: admitted.refused } };
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
