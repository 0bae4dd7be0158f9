/**
 * Datagram fuzzing: seeded random and mutated datagrams (tooling/fuzz) sent
 * over real UDP to a live node in a process of its own. The node must keep
 * serving correct reads, stay under its memory ceiling, and count every
 * datagram the wire decoder rejects under the decoder's reason.
 */
import { formatRejects, fuzzLiveNode } from '@vig/fuzz';
import type { FuzzRunReport } from '@vig/fuzz';
import { check, checkedResult, figure } from '../scenario.js';
import type { Scenario, ScenarioOptions, ScenarioResult } from '../scenario.js';

/** The figures the fuzzing rows show, in order. */
export const FUZZ_FIGURES = ['datagrams fuzzed', 'rejects by reason', 'peak memory'] as const;

/** Seeds and datagrams per seed: the short run CI makes, and the long one the report shows. */
const SHORT = { seeds: [7], datagrams: 10_000 };
const LONG = { seeds: [1, 2], datagrams: 200_000 };

async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const plan = options.short ? SHORT : LONG;
  const reports: FuzzRunReport[] = [];
  for (const seed of plan.seeds) {
    reports.push(await fuzzLiveNode({ seed, datagrams: plan.datagrams, checkEvery: 5_000 }));
  }
  const fuzzed = reports.reduce(
    (sum, { sent }) => sum + sent.valid + sent.mutated + sent.random,
    0,
  );
  const drops: Record<string, number> = {};
  for (const report of reports) {
    for (const [reason, count] of Object.entries(report.nodeDrops)) {
      drops[reason] = (drops[reason] ?? 0) + count;
    }
  }
  const peak = Math.max(...reports.map((report) => report.peakResidentBytes));
  const ceiling = reports[0].memoryCeilingBytes;
  const problems = reports.flatMap((report) =>
    report.problems.map((problem) => `seed ${report.seed}: ${problem}`),
  );
  const readChecks = reports.reduce((sum, report) => sum + report.readChecks, 0);
  return checkedResult(
    [
      check(
        'the node counts every rejected datagram under the decoder’s reason, serves correct reads and stays under its memory ceiling',
        problems.length === 0,
        problems.join('; '),
      ),
      check('reads were checked while fuzzing', readChecks >= plan.seeds.length),
    ],
    [
      figure(
        FUZZ_FIGURES[0],
        `${fuzzed} (seeds ${plan.seeds.join(', ')}; ${readChecks} read checks)`,
      ),
      figure(FUZZ_FIGURES[1], formatRejects(drops)),
      figure(
        FUZZ_FIGURES[2],
        `${(peak / 2 ** 20).toFixed(0)} MiB (ceiling ${(ceiling / 2 ** 20).toFixed(0)} MiB)`,
      ),
    ],
  );
}

/** See the module comment. */
export const datagramFuzzing: Scenario = {
  id: 'datagram-fuzzing',
  title: 'datagram fuzzing',
  summary:
    'Random and mutated datagrams against a live node: it keeps serving correct reads, rejects each bad datagram under a named reason, and its memory stays under a ceiling.',
  run,
};
