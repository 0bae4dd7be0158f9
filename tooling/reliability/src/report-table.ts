/**
 * The report: one markdown table with a row per figure, grouped by scenario,
 * then the notes and any invariant that did not hold.
 */
import { availableParallelism, type } from 'node:os';
import type { ScenarioRun } from './run-scenarios.js';
import type { ScenarioResult } from './scenario.js';

/** Where and how the figures were taken, for the line above the table. */
export interface ReportContext {
  /** Whether these are the short versions. */
  readonly short: boolean;
  /** When the run ended. */
  readonly date: Date;
  /** Real ms the whole run took. */
  readonly milliseconds: number;
}

/** The report for `runs`, in markdown. */
export function renderReport(runs: readonly ScenarioRun[], context: ReportContext): string {
  const rows = runs.flatMap(({ scenario, result, milliseconds }) => {
    const figures = result.figures.length > 0 ? result.figures : [{ name: '—', value: '—' }];
    return figures.map((figure, index) => [
      index === 0 ? scenario.title : '',
      index === 0 ? outcome(result, milliseconds) : '',
      figure.name,
      figure.value,
    ]);
  });
  return [
    `Figures of \`pnpm reliability\`${context.short ? ' --short' : ''} (${context.short ? 'short' : 'long'} versions), ${context.date.toISOString().slice(0, 10)}, on ${machine()}; the whole run took ${minutes(context.milliseconds)}.`,
    '',
    table(['scenario', 'result', 'figure', 'value'], rows),
    ...notes(runs),
  ].join('\n');
}

/** `✓ passed: 6 of 6 invariants (12.3 s)` and the like. */
function outcome(result: ScenarioResult, milliseconds: number): string {
  const held = result.checks.filter((check) => check.held).length;
  const took = `${(milliseconds / 1000).toFixed(1)} s`;
  switch (result.status) {
    case 'passed':
      return `✓ passed: ${held} of ${result.checks.length} invariants (${took})`;
    case 'failed':
      return `✗ FAILED: ${held} of ${result.checks.length} invariants (${took})`;
    case 'skipped':
      return '⚠ skipped (see notes)';
    case 'not-measured':
      return '… not yet measured';
  }
}

/** The notes under the table: skips, failures and how figures were taken. */
function notes(runs: readonly ScenarioRun[]): string[] {
  const lines = runs.flatMap(({ scenario, result }) => [
    ...(result.note === undefined ? [] : [`- **${scenario.title}**: ${result.note}`]),
    ...result.checks
      .filter((check) => !check.held)
      .map(
        (check) =>
          `- **${scenario.title}**: ✗ ${check.invariant}${check.detail === undefined ? '' : ` (${check.detail})`}`,
      ),
  ]);
  return lines.length === 0 ? [] : ['', ...lines];
}

/** A markdown table, pipes in cells escaped. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function minutes(milliseconds: number): string {
  const total = Math.round(milliseconds / 1000);
  return total < 60 ? `${total} s` : `${Math.floor(total / 60)} min ${total % 60} s`;
}

/** `Node v20.19.0, Linux x64, 2 CPUs`. */
function machine(): string {
  return `Node ${process.version}, ${type()} ${process.arch}, ${availableParallelism()} CPUs`;
}
