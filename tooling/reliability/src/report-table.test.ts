import { describe, expect, it } from 'vitest';
import { spliceReport, REPORT_BEGIN, REPORT_END } from './report-document.js';
import { renderReport, table } from './report-table.js';
import type { ScenarioRun } from './run-scenarios.js';
import { check, checkedResult, figure, skippedResult } from './scenario.js';
import type { Scenario } from './scenario.js';

function scenario(id: string): Scenario {
  return { id, title: `the ${id}`, summary: '', run: () => Promise.resolve(skippedResult('')) };
}

const runs: ScenarioRun[] = [
  {
    scenario: scenario('first'),
    result: checkedResult(
      [check('it holds', true), check('it also holds', false, 'it did not')],
      [figure('writes', 12), figure('time', '1.00 s | about')],
    ),
    milliseconds: 1_500,
  },
  { scenario: scenario('second'), result: skippedResult('no root here'), milliseconds: 0 },
];

describe('the report', () => {
  const report = renderReport(runs, { short: true, date: new Date(0), milliseconds: 65_000 });

  it('has a row per figure, the scenario and its outcome on the first', () => {
    expect(report).toContain('| the first | ✗ FAILED: 1 of 2 invariants (1.5 s) | writes | 12 |');
    expect(report).toContain('|  |  | time | 1.00 s \\| about |');
    expect(report).toContain('| the second | ⚠ skipped (see notes) | — | — |');
  });

  it('lists skips and invariants that did not hold under the table', () => {
    expect(report).toContain('- **the second**: no root here');
    expect(report).toContain('- **the first**: ✗ it also holds (it did not)');
    expect(report).toContain('1970-01-01');
    expect(report).toContain('took 1 min 5 s');
  });

  it('makes plain markdown tables', () => {
    expect(table(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });
});

describe('spliceReport', () => {
  it('replaces what lies between the markers and keeps the rest', () => {
    const document = `# Title\n\nintro\n\n${REPORT_BEGIN}\n\nold\n\n${REPORT_END}\n\nafter\n`;
    const spliced = spliceReport(document, 'new');
    expect(spliced).toBe(`# Title\n\nintro\n\n${REPORT_BEGIN}\n\nnew\n\n${REPORT_END}\n\nafter\n`);
  });

  it('appends the markers and the report when the markers are missing', () => {
    expect(spliceReport('# Title\n', 'new')).toBe(
      `# Title\n\n${REPORT_BEGIN}\n\nnew\n\n${REPORT_END}\n`,
    );
  });
});
