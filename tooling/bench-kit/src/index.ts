/**
 * @packageDocumentation
 * Internal benchmark harness. Benchmarks on shared machines are noisy, so every
 * figure is reported as a ratio against a baseline measured in the same run,
 * with tasks sampled in interleaved rounds and summarised by their median.
 *
 * @example
 * ```ts
 * import { runBenchmarks } from '@vig/bench-kit';
 * runBenchmarks([{ title: 'sum', unit: 'one sum of 3 numbers',
 *   baselines: [{ name: 'reduce', run: () => [1, 2, 3].reduce((a, b) => a + b) }],
 *   cases: [{ name: 'plus', run: () => 1 + 2 + 3, expect: [{ baseline: 'reduce', atLeast: 1 }] }] }]);
 * ```
 */
import { formatSuite } from './report.js';
import { runSuite } from './suite.js';
import type { BenchSuite, RunOptions, SuiteResult } from './suite.js';

export { runSuite, formatRate } from './suite.js';
export type {
  BenchCase,
  BenchSuite,
  Expectation,
  RunOptions,
  SuiteResult,
  TaskFigure,
} from './suite.js';
export { formatSuite } from './report.js';
export { lastResult, median, quantile } from './measure.js';
export type { Workload } from './measure.js';

/**
 * Runs the suites one after another and prints each as a markdown table. Set
 * `VIG_BENCH_QUICK=1` for a short smoke run. Targets that are missed are listed
 * at the end; the process still exits 0, because a slow, noisy machine is not a
 * broken build.
 */
export function runBenchmarks(
  suites: readonly BenchSuite[],
  options: RunOptions = {},
): SuiteResult[] {
  const quick = process.env['VIG_BENCH_QUICK'] === '1';
  const effective: RunOptions = quick ? { rounds: 3, sampleMilliseconds: 5 } : options;
  const results: SuiteResult[] = [];
  for (const suite of suites) {
    const result = runSuite(suite, effective);
    results.push(result);
    process.stdout.write(`${formatSuite(result)}\n`);
  }
  const missed = results.flatMap((result) =>
    result.figures.flatMap((figure) =>
      figure.checks
        .filter((check) => !check.passed)
        .map((check) => `${result.title} / ${figure.name}: ${check.label}`),
    ),
  );
  process.stdout.write(
    missed.length === 0
      ? 'All targets met.\n'
      : `Targets missed:\n${missed.map((line) => `- ${line}`).join('\n')}\n`,
  );
  return results;
}
