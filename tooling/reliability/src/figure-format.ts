/** How figures are written in the report: one format per kind of quantity. */

/** Milliseconds as seconds with two decimals (`1.42 s`), or `not reached` when undefined. */
export function seconds(milliseconds: number | undefined): string {
  return milliseconds === undefined ? 'not reached' : `${(milliseconds / 1000).toFixed(2)} s`;
}

/** Bytes as mebibytes with one decimal (`83.4 MiB`), or `unknown`. */
export function mebibytes(bytes: number | undefined): string {
  return bytes === undefined ? 'unknown' : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** A share as a percentage with one decimal (`29.8%`), or `unknown` for 0 of 0. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? 'unknown' : `${((part / whole) * 100).toFixed(1)}%`;
}

/**
 * The median and the largest of some durations in ms (`median 0.41 s, max
 * 1.20 s`), or `none` for none.
 */
export function medianAndMax(milliseconds: readonly number[]): string {
  if (milliseconds.length === 0) return 'none';
  const sorted = [...milliseconds].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return `median ${seconds(median)}, max ${seconds(sorted[sorted.length - 1])}`;
}
