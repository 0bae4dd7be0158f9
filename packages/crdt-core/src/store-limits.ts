/**
 * The limits a {@link MaxStore} may enforce, and the one slow pass that
 * applies them: it runs only when an update might cross a limit, so merges
 * far from every limit pay nothing but a comparison.
 */
import { MaxVector } from './max-vector.js';
import { InvalidStoreLimitError } from './store-limit-errors.js';
import type { StoreLimitKind } from './store-limit-errors.js';
import { summarizeDense, summarizeSparse } from './entries-summary.js';
import { entriesLength, forEachEntry } from './vector-entries.js';
import type { VectorEntries } from './vector-entries.js';

/** How much a {@link MaxStore} may hold. */
export interface StoreLimits {
  /** The most keys; a merge that would create one more is refused. */
  readonly maxKeys: number;
  /** The most non-zero entries per key; entries at new indices beyond it are refused. */
  readonly maxEntriesPerKey: number;
}

/** No limits: what a `MaxStore` enforces unless told otherwise. */
export const NO_STORE_LIMITS: StoreLimits = Object.freeze({
  maxKeys: Infinity,
  maxEntriesPerKey: Infinity,
});

/** What a limit refused in one merge (see `StoreMergeResult.refused`). */
export interface StoreRefusal {
  /** `keys`: the key was not created; `entries`: entries at new indices were left out. */
  readonly limit: StoreLimitKind;
  /** The non-zero entries of the update that were not merged. */
  readonly entries: number;
}

/**
 * `overrides` over `base`, checked and frozen.
 *
 * @throws {@link InvalidStoreLimitError} for a limit that is not a positive integer or `Infinity`
 */
export function storeLimits(
  overrides: Partial<StoreLimits> = {},
  base: StoreLimits = NO_STORE_LIMITS,
): StoreLimits {
  const limits = { ...base, ...withoutUndefined(overrides) };
  for (const field of ['maxKeys', 'maxEntriesPerKey'] as const) {
    const value: unknown = limits[field];
    const valid =
      value === Infinity || (typeof value === 'number' && Number.isSafeInteger(value) && value > 0);
    if (!valid) throw new InvalidStoreLimitError(field, value);
  }
  return Object.freeze(limits);
}

/** The most non-zero entries `incoming` can hold: its length (zero registers included). */
export function entriesBound(incoming: VectorEntries | MaxVector): number {
  return incoming instanceof MaxVector ? incoming.size : entriesLength(incoming);
}

/** What a merge under a limit may take of an update ({@link admitEntries}). */
export interface AdmittedEntries {
  /** The entries to merge: all of `incoming` when nothing was refused. */
  readonly entries: VectorEntries | MaxVector;
  /** Distinct indices of the update not yet in the vector, admitted or not. */
  readonly newIndices: number;
  /** Non-zero entries left out. */
  readonly refused: number;
}

/**
 * The part of `incoming` that keeps `existing` within `room` more entries:
 * every entry at an index `existing` already holds (it cannot add an entry),
 * and entries at new indices, in the update's own order, while room lasts;
 * an index repeated in the update counts once. Validates the entries first,
 * as a merge does, so a merge that would throw still throws, whatever the limit.
 *
 * @throws {@link InvalidIndexError} or {@link InvalidValueError} for an entry out of range
 */
export function admitEntries(
  existing: MaxVector | undefined,
  incoming: VectorEntries | MaxVector,
  room: number,
): AdmittedEntries {
  const indices: number[] = [];
  const values: number[] = [];
  const admitted = new Set<number>();
  const seen = new Set<number>();
  let refused = 0;
  const take = (index: number, value: number): void => {
    if (value === 0) return;
    if (existing !== undefined && existing.get(index) !== 0) {
      indices.push(index);
      values.push(value);
      return;
    }
    seen.add(index);
    if (!admitted.has(index) && admitted.size >= room) {
      refused += 1;
      return;
    }
    admitted.add(index);
    indices.push(index);
    values.push(value);
  };
  if (incoming instanceof MaxVector) {
    incoming.forEach(take);
  } else {
    // Validated as a merge validates them, before any is taken.
    if (incoming.kind === 'sparse') summarizeSparse(incoming.indices, incoming.values);
    else summarizeDense(incoming.offset, incoming.registers);
    forEachEntry(incoming, take);
  }
  const entries = refused === 0 ? incoming : { kind: 'sparse' as const, indices, values };
  return { entries, newIndices: seen.size, refused };
}

function withoutUndefined(overrides: Partial<StoreLimits>): Partial<StoreLimits> {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}
