/**
 * When a vector changes representation. Both estimates are the least memory
 * each form could take, so the rule depends only on the entries, never on
 * slack left by earlier growth:
 *
 * - sparse: 12 bytes a slot (4 for the index, 8 for the value) at a load of
 *   at most 1/2, so at least {@link SPARSE_BYTES_PER_ENTRY} bytes an entry;
 * - dense: one register of the needed width for every index from the lowest
 *   to the highest entry.
 *
 * A sparse vector becomes dense once dense takes no more memory than sparse; a
 * dense vector goes back only once dense would take more than
 * {@link LEAVE_DENSE_FACTOR} times what sparse would. The gap between the two
 * thresholds is the hysteresis: after either switch, the vector must gain a
 * proportional number of entries (or of span) before the other can happen.
 */

/** Bytes a sparse entry takes at least: a 12-byte slot at load 1/2. */
export const SPARSE_BYTES_PER_ENTRY = 24;

/** How many times larger than sparse dense may grow before the vector leaves dense. */
export const LEAVE_DENSE_FACTOR = 4;

/** Bytes the dense form needs for entries spanning `lowest..highest` at `width` bytes a register. */
export function denseBytes(lowest: number, highest: number, width: number): number {
  return (highest - lowest + 1) * width;
}

/** True when `count` entries fit in dense registers of `bytes` no larger than a sparse table. */
export function shouldEnterDense(bytes: number, count: number): boolean {
  return bytes <= count * SPARSE_BYTES_PER_ENTRY;
}

/** True when dense registers of `bytes` for `count` entries are far larger than a sparse table. */
export function shouldLeaveDense(bytes: number, count: number): boolean {
  return bytes > count * SPARSE_BYTES_PER_ENTRY * LEAVE_DENSE_FACTOR;
}
