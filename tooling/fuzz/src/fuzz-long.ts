/**
 * The long fuzz run (`pnpm bench` in tooling/fuzz): several seeds of 250 000
 * datagrams each (`VIG_BENCH_QUICK=1`: one seed of 20 000) against a live
 * node, printed as a markdown table. Exits 1 when an invariant broke.
 */
import { fuzzLiveNode } from './fuzz-live-node.js';
import type { FuzzRunReport } from './fuzz-live-node.js';
import { formatFuzzRuns } from './fuzz-report.js';

const quick = process.env['VIG_BENCH_QUICK'] === '1';
const seeds = quick ? [1] : [1, 2, 3, 4];
const datagrams = quick ? 20_000 : 250_000;

const reports: FuzzRunReport[] = [];
for (const seed of seeds) reports.push(await fuzzLiveNode({ seed, datagrams, checkEvery: 10_000 }));
process.stdout.write(`### Datagram fuzzing against a live node\n\n${formatFuzzRuns(reports)}\n`);
if (reports.some((report) => report.problems.length > 0)) process.exitCode = 1;
