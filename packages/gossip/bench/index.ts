/**
 * Simulation benchmarks of the gossip engine, in virtual time on the
 * simulated network: how fast one write spreads (lossless and under loss)
 * against the push estimate and the original vignette rule, how a partition
 * heals, what gossip costs per node, how failure detection behaves, and what
 * the versioned store's replication costs (the in-sync check as the agents in
 * the history grow, bytes per operation across 5 nodes).
 * Figures are virtual time and traffic, so they do not depend on the
 * machine; only the real seconds each scenario took do (and the doc
 * replication scenario's real-time rates). Scenarios at
 * N = 1000 run within real-time budgets and say so when one cuts them short.
 *
 * Run: `pnpm exec tsx --conditions=@vig/source bench/index.ts` in
 * packages/gossip (`VIG_BENCH_QUICK=1` for a smoke run,
 * `VIG_BENCH_BUDGET_SCALE=4` for four times the real-time budgets).
 */
import { quick, realSeconds } from './bench-settings.js';
import { docSync } from './doc-sync.js';
import { failureDetection } from './failure-detection.js';
import { oneWrite } from './one-write.js';
import { partitionHeal } from './partition-heal.js';
import { trafficCost } from './traffic-cost.js';
import { writeUnderLoss } from './write-under-loss.js';

const scenarios: readonly [name: string, run: () => string][] = [
  // First, so that its idle window on the N = 1000 cluster follows no earlier write.
  ['traffic per node', trafficCost],
  ['one write', oneWrite],
  ['one write under loss', writeUnderLoss],
  ['partition and heal', partitionHeal],
  ['failure detection', failureDetection],
  ['doc replication', docSync],
];

const started = performance.now();
const timings: string[][] = [];
process.stdout.write(`## Gossip simulation benchmarks${quick ? ' (quick run)' : ''}\n\n`);
for (const [name, run] of scenarios) {
  const scenarioStart = performance.now();
  process.stdout.write(`${run()}\n`);
  timings.push([name, `${realSeconds(scenarioStart).toFixed(1)} s`]);
}
process.stdout.write(
  [
    '### Real time',
    '',
    '| scenario | real time |',
    '| --- | --- |',
    ...timings.map(([name, time]) => `| ${name} | ${time} |`),
    `| total | ${realSeconds(started).toFixed(1)} s |`,
    '',
  ].join('\n'),
);
