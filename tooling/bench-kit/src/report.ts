import { formatRate } from './suite.js';
import type { SuiteResult } from './suite.js';

/**
 * A suite's figures as a markdown table: operations per second, then the
 * speed ratio against every baseline of the same run, then the targets.
 */
export function formatSuite(result: SuiteResult): string {
  const baselines = result.figures.filter((figure) => figure.isBaseline);
  const header = ['case', 'ops/s', ...baselines.map((baseline) => `× ${baseline.name}`), 'targets'];
  const rows = result.figures.map((figure) => [
    figure.isBaseline ? `${figure.name} (baseline)` : figure.name,
    formatRate(figure.opsPerSecond),
    ...baselines.map((baseline) => (figure.opsPerSecond / baseline.opsPerSecond).toFixed(2)),
    figure.checks.map((check) => `${check.passed ? '✓' : '✗'} ${check.label}`).join(', '),
  ]);
  const lines = [header, header.map(() => '---'), ...rows].map(
    (cells) => `| ${cells.join(' | ')} |`,
  );
  return [`### ${result.title}`, '', `One operation: ${result.unit}.`, '', ...lines, ''].join('\n');
}
