import { describe, expect, it } from 'vitest';
import { formatSuite, lastResult, median, runSuite } from './index.js';
import type { BenchSuite } from './index.js';

// These tests check the harness's bookkeeping, never a speed: timing figures
// only ever appear in `pnpm bench`.
describe('median', () => {
  it('takes the middle of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('runSuite', () => {
  const suite: BenchSuite = {
    title: 'sums',
    unit: 'one sum',
    baselines: [{ name: 'reduce', run: () => [1, 2, 3].reduce((a, b) => a + b, 0) }],
    cases: [
      {
        name: 'plus',
        run: () => 1 + 2 + 3,
        minOpsPerSecond: 1,
        expect: [{ baseline: 'reduce', atLeast: 0, timeAtMost: Number.POSITIVE_INFINITY }],
      },
      { name: 'impossible', run: () => 0, minOpsPerSecond: Number.POSITIVE_INFINITY },
    ],
  };

  it('measures every task and judges each target', () => {
    const result = runSuite(suite, { rounds: 2, sampleMilliseconds: 1 });
    expect(result.figures.map((figure) => figure.name)).toEqual(['reduce', 'plus', 'impossible']);
    expect(result.figures.every((figure) => figure.opsPerSecond > 0)).toBe(true);
    expect(result.figures[1]?.checks.map((check) => check.passed)).toEqual([true, true, true]);
    expect(result.figures[2]?.checks.map((check) => check.passed)).toEqual([false]);
    expect(result.passed).toBe(false);
  });

  it('prints a markdown table with a ratio column per baseline', () => {
    const table = formatSuite(runSuite(suite, { rounds: 1, sampleMilliseconds: 1 }));
    expect(table).toContain('| case | ops/s | × reduce | targets |');
    expect(table).toContain('| reduce (baseline) |');
    expect(table).toContain('✗ ≥ Infinity/s');
  });

  it('keeps what each workload returns, so the engine cannot drop the work as unused', () => {
    runSuite(
      {
        title: 'kept',
        unit: 'one call',
        baselines: [],
        cases: [{ name: 'answer', run: () => 42 }],
      },
      { rounds: 1, sampleMilliseconds: 1 },
    );
    expect(lastResult()).toBe(42);
  });

  it('rejects an expectation against an unknown baseline', () => {
    const broken: BenchSuite = {
      ...suite,
      cases: [{ name: 'x', run: () => 0, expect: [{ baseline: 'nope', atLeast: 1 }] }],
    };
    expect(() => runSuite(broken, { rounds: 1, sampleMilliseconds: 1 })).toThrow(
      'unknown baseline "nope"',
    );
  });
});
