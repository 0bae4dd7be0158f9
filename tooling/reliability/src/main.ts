/**
 * `pnpm reliability`: runs every scenario's long version, one after the
 * other, prints the report and writes it into docs/reliability.md.
 *
 *     pnpm reliability                      the long versions; writes the report
 *     pnpm reliability --short              the short versions (what CI runs); prints only
 *     pnpm reliability --only clock-skew    some scenarios by id; prints only
 *     pnpm reliability --write | --no-write force writing the report, or not
 *
 * Exits 1 when an invariant did not hold (a skip is not a failure: its
 * reason is in the report), 2 on bad usage. Ctrl-C ends every process and
 * namespace it started.
 */
import { parseArgs } from 'node:util';
import { runEmergencyCleanups } from './emergency-cleanup.js';
import { removeStaleNamespaces } from './network-namespace.js';
import { writeReport } from './report-document.js';
import { renderReport } from './report-table.js';
import { reportDocument } from './repository-paths.js';
import { runScenarios } from './run-scenarios.js';
import type { ScenarioRun } from './run-scenarios.js';
import { SCENARIOS } from './scenarios.js';

const SYMBOLS = { passed: '✓', failed: '✗', skipped: '⚠', 'not-measured': '…' } as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      short: { type: 'boolean', default: false },
      only: { type: 'string' },
      write: { type: 'boolean' },
    },
    allowNegative: true,
  });
  const wanted = values.only?.split(',').map((id) => id.trim());
  const unknown = wanted?.filter((id) => !SCENARIOS.some((scenario) => scenario.id === id));
  if (unknown !== undefined && unknown.length > 0) {
    process.stderr.write(
      `reliability: no scenario ${unknown.join(', ')}; there are ${SCENARIOS.map((scenario) => scenario.id).join(', ')}\n`,
    );
    return 2;
  }
  const scenarios = SCENARIOS.filter((scenario) => wanted?.includes(scenario.id) ?? true);
  const short = values.short;
  const write = values.write ?? (!short && wanted === undefined);

  for (const name of await removeStaleNamespaces()) {
    process.stderr.write(`reliability: removed ${name}, left by an earlier run\n`);
  }
  const started = performance.now();
  const runs = await runScenarios(
    scenarios,
    { short },
    {
      onStart: (scenario) =>
        process.stderr.write(`▶ ${scenario.id} (${short ? 'short' : 'long'})…\n`),
      onRun: announce,
    },
  );
  const report = renderReport(runs, {
    short,
    date: new Date(),
    milliseconds: performance.now() - started,
  });
  process.stdout.write(`\n${report}\n`);
  if (write) {
    await writeReport(reportDocument, report);
    process.stderr.write(`reliability: wrote ${reportDocument}\n`);
  }
  return runs.some((run) => run.result.status === 'failed') ? 1 : 0;
}

/** One line on stderr per scenario as it ends. */
function announce({ scenario, result, milliseconds }: ScenarioRun): void {
  const note = result.status === 'skipped' ? `: ${result.note ?? ''}` : '';
  process.stderr.write(
    `${SYMBOLS[result.status]} ${scenario.id} ${result.status} in ${(milliseconds / 1000).toFixed(1)} s${note}\n`,
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    runEmergencyCleanups();
    process.exit(130);
  });
}

process.exitCode = await main();
