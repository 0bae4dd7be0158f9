/**
 * Benchmarks of `@vig/node-udp`, on real sockets over loopback. Each
 * scenario returns its markdown report; they run one after another, in the
 * order listed, so that none competes with another for the CPU.
 *
 * Run: `pnpm exec tsx --conditions=@vig/source bench/index.ts` in
 * packages/node-udp (`VIG_BENCH_QUICK=1` for a smoke run).
 */
import { distinctCount } from './distinct-count.js';
import { docReplication } from './doc-replication.js';
import { runDurablePutsBench } from './durable-puts.js';
import { endToEnd } from './end-to-end.js';
import { ingest } from './ingest.js';

const scenarios: readonly (() => Promise<string>)[] = [
  ingest,
  endToEnd,
  () => runDurablePutsBench(),
  distinctCount,
  docReplication,
];

process.stdout.write(
  `## node-udp benchmarks${process.env['VIG_BENCH_QUICK'] === '1' ? ' (quick run)' : ''}\n\n`,
);
for (const scenario of scenarios) process.stdout.write(`${await scenario()}\n`);
