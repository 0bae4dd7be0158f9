import { EMPTY_ENTRIES, murmur3x86_32 } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import { itemBytes } from './sketch-item.js';
import type { SketchItem } from './sketch-item.js';
import { InvalidSketchParameterError } from './sketch-errors.js';
import { toMaxVector } from './vector-lookup.js';
import type { VectorLike } from './vector-lookup.js';

/** The largest 32-bit hash, 2^32 − 1: a register holds this minus the smallest hash. */
export const MIN_HASH_MAX = 0xffff_ffff;

/** The most registers a Min-Hash signature may have. */
export const MAX_MIN_HASH_REGISTERS = 65_536;

/** Throws unless `registers` is an integer in 1..{@link MAX_MIN_HASH_REGISTERS}. */
function assertRegisterCount(registers: number): void {
  if (!Number.isSafeInteger(registers) || registers < 1 || registers > MAX_MIN_HASH_REGISTERS) {
    throw new InvalidSketchParameterError(
      'min-hash registers',
      registers,
      `an integer in 1..${MAX_MIN_HASH_REGISTERS}`,
    );
  }
}

/**
 * The delta that adds `items` to a Min-Hash signature of `registers` (k)
 * registers: dense entries at indices 0..k−1 where register i holds
 * {@link MIN_HASH_MAX} − min over the items of h_i(item), with h_i the
 * MurmurHash3 x86_32 of the item's bytes with seed i. Storing the hash
 * reversed makes element-wise max keep the minimum, so merging the signatures
 * of two sets gives exactly the signature of their union. No items give empty
 * entries (nothing to send).
 *
 * A register whose minimum hash is 2^32 − 1 holds 0, which reads as absent
 * (a chance of 2^-32 per item set and register).
 *
 * @param registers - k, an integer in 1..{@link MAX_MIN_HASH_REGISTERS}; more
 *   registers, smaller error (see {@link minHashSimilarity})
 * @throws {@link InvalidSketchParameterError} for a bad k
 *
 * @example
 * ```ts
 * const a = MaxVector.fromEntries(minHashAdd(['red', 'green', 'blue'], 128));
 * const b = MaxVector.fromEntries(minHashAdd(['red', 'green', 'cyan'], 128));
 * minHashSimilarity(a, b, 128); // about 0.5, the Jaccard similarity 2/4
 * ```
 */
export function minHashAdd(items: readonly SketchItem[], registers: number): VectorEntries {
  assertRegisterCount(registers);
  if (items.length === 0) return EMPTY_ENTRIES;
  const signature = new Uint32Array(registers);
  for (const item of items) {
    const { bytes, length } = itemBytes(item);
    for (let register = 0; register < registers; register++) {
      const reversed = MIN_HASH_MAX - murmur3x86_32(bytes, register, length);
      if (reversed > signature[register]) signature[register] = reversed;
    }
  }
  return { kind: 'dense', offset: 0, registers: signature };
}

/**
 * The estimated Jaccard similarity |A ∩ B| / |A ∪ B| of the sets behind two
 * signatures of `registers` (k) registers: the fraction of compared registers
 * that are equal. Only indices 0..k−1 are read. A register absent (0) in both
 * signatures is not compared (it counts as neither equal nor different); one
 * absent in only one signature is compared and differs. So:
 *
 * - an empty signature (`undefined` or no entries) against a non-empty one
 *   gives 0, as J(∅, B) = 0;
 * - two empty signatures give 0: there is nothing to compare and no shared element.
 *
 * For non-empty sets each register matches with probability J, so the
 * estimate's standard deviation is √(J(1−J)/k): about 0.031 at J = 0.5, k = 256.
 *
 * @throws {@link InvalidSketchParameterError} for a bad k
 */
export function minHashSimilarity(
  first: VectorLike | undefined,
  second: VectorLike | undefined,
  registers: number,
): number {
  assertRegisterCount(registers);
  if (first === undefined || second === undefined) return 0;
  const left = toMaxVector(first);
  const right = toMaxVector(second);
  let compared = 0;
  let equal = 0;
  for (let register = 0; register < registers; register++) {
    const leftValue = left.get(register);
    const rightValue = right.get(register);
    if (leftValue === 0 && rightValue === 0) continue;
    compared++;
    if (leftValue === rightValue) equal++;
  }
  return compared === 0 ? 0 : equal / compared;
}
