import { calibrate, median, timeBatch } from './measure.js';
import type { Workload } from './measure.js';

/** How a case must compare with a baseline measured in the same run. */
export interface Expectation {
  /** Name of the baseline compared against. */
  readonly baseline: string;
  /** The case does at least this many times the baseline's operations per second. */
  readonly atLeast?: number;
  /** The case takes at most this many times the baseline's time per operation. */
  readonly timeAtMost?: number;
}

/** One measured case of a suite. */
export interface BenchCase {
  readonly name: string;
  readonly run: Workload;
  /** Absolute floor, in operations per second, on this machine. */
  readonly minOpsPerSecond?: number;
  readonly expect?: readonly Expectation[];
}

/** A group of cases and the baselines they are compared with. */
export interface BenchSuite {
  readonly title: string;
  /** What one operation is, e.g. "one 20-entry message". */
  readonly unit: string;
  readonly baselines: readonly { readonly name: string; readonly run: Workload }[];
  readonly cases: readonly BenchCase[];
}

/** Options for {@link runSuite}. */
export interface RunOptions {
  /** Interleaved rounds; each task is sampled once per round. Default 9. */
  readonly rounds?: number;
  /** Target time of one sample in milliseconds. Default 40. */
  readonly sampleMilliseconds?: number;
}

/** The measured figure of one task and, for cases, the verdict on each target. */
export interface TaskFigure {
  readonly name: string;
  readonly isBaseline: boolean;
  readonly opsPerSecond: number;
  readonly checks: readonly { readonly label: string; readonly passed: boolean }[];
}

/** Everything one suite measured. */
export interface SuiteResult {
  readonly title: string;
  readonly unit: string;
  readonly figures: readonly TaskFigure[];
  readonly passed: boolean;
}

/**
 * Measures every baseline and case in interleaved rounds (so drift on a noisy
 * machine hits all of them alike), takes the median per task, and checks each
 * case's targets against the baselines measured in this same run.
 */
export function runSuite(suite: BenchSuite, options: RunOptions = {}): SuiteResult {
  const rounds = options.rounds ?? 9;
  const sampleNanoseconds = (options.sampleMilliseconds ?? 40) * 1e6;
  const tasks = [
    ...suite.baselines.map((baseline) => ({ ...baseline, isBaseline: true })),
    ...suite.cases.map((benchCase) => ({ ...benchCase, isBaseline: false })),
  ];
  const batchSizes = tasks.map((task) => calibrate(task.run, sampleNanoseconds));
  const samples: number[][] = tasks.map(() => []);
  for (let round = 0; round < rounds; round++) {
    tasks.forEach((task, position) => {
      const count = batchSizes[position] ?? 1;
      samples[position]?.push((count * 1e9) / timeBatch(task.run, count));
    });
  }
  const opsByName = new Map(
    tasks.map((task, position) => [task.name, median(samples[position] ?? [])]),
  );
  const figures = tasks.map((task): TaskFigure => {
    const opsPerSecond = opsByName.get(task.name) ?? 0;
    if (task.isBaseline) return { name: task.name, isBaseline: true, opsPerSecond, checks: [] };
    const benchCase = task as BenchCase;
    return {
      name: task.name,
      isBaseline: false,
      opsPerSecond,
      checks: checksFor(benchCase, opsPerSecond, opsByName),
    };
  });
  return {
    title: suite.title,
    unit: suite.unit,
    figures,
    passed: figures.every((figure) => figure.checks.every((check) => check.passed)),
  };
}

function checksFor(
  benchCase: BenchCase,
  opsPerSecond: number,
  opsByName: ReadonlyMap<string, number>,
): TaskFigure['checks'] {
  const checks: { label: string; passed: boolean }[] = [];
  if (benchCase.minOpsPerSecond !== undefined) {
    checks.push({
      label: `≥ ${formatRate(benchCase.minOpsPerSecond)}/s`,
      passed: opsPerSecond >= benchCase.minOpsPerSecond,
    });
  }
  for (const expectation of benchCase.expect ?? []) {
    const baselineOps = opsByName.get(expectation.baseline);
    if (baselineOps === undefined) throw new Error(`unknown baseline "${expectation.baseline}"`);
    const speedRatio = opsPerSecond / baselineOps;
    if (expectation.atLeast !== undefined) {
      checks.push({
        label: `≥ ${expectation.atLeast}× ${expectation.baseline}`,
        passed: speedRatio >= expectation.atLeast,
      });
    }
    if (expectation.timeAtMost !== undefined) {
      checks.push({
        label: `time ≤ ${expectation.timeAtMost}× ${expectation.baseline}`,
        passed: 1 / speedRatio <= expectation.timeAtMost,
      });
    }
  }
  return checks;
}

/** 1234567 → "1.23M". */
export function formatRate(opsPerSecond: number): string {
  if (!Number.isFinite(opsPerSecond)) return String(opsPerSecond);
  if (opsPerSecond >= 1e6) return `${(opsPerSecond / 1e6).toFixed(2)}M`;
  if (opsPerSecond >= 1e3) return `${(opsPerSecond / 1e3).toFixed(1)}k`;
  return opsPerSecond.toFixed(1);
}
