/** A function under measurement; its result is kept so the work cannot be optimised away. */
export type Workload = () => unknown;

/** What the engine keeps of results, so a workload's work is never dead code. */
let sink: unknown;

/** Returns the last value a workload produced (for tests of the harness itself). */
export function lastResult(): unknown {
  return sink;
}

/** Runs `workload` `count` times and returns the elapsed nanoseconds. */
export function timeBatch(workload: Workload, count: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) sink = workload();
  return Number(process.hrtime.bigint() - start);
}

/**
 * Finds a batch size whose run takes about `batchNanoseconds`, so that timer
 * resolution and loop overhead vanish against the work measured.
 */
export function calibrate(workload: Workload, batchNanoseconds: number): number {
  let count = 1;
  for (let attempt = 0; attempt < 40; attempt++) {
    const elapsed = timeBatch(workload, count);
    if (elapsed >= batchNanoseconds / 4) {
      return Math.max(1, Math.round((count * batchNanoseconds) / Math.max(elapsed, 1)));
    }
    count *= 4;
  }
  return count;
}

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The `p` quantile (0..1) of `values`, nearest rank; NaN for an empty list. */
export function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}
