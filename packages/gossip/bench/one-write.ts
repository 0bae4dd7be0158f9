/**
 * One write on a formed LAN cluster of N nodes: rounds until 99% and 100% of
 * the nodes hold it, against the push estimate; and beside it the original
 * vignette rule (forward on growth to one peer, nothing else), whose reach
 * the issue measured.
 */
import { seededRandom } from '@vig/gossip';
import {
  ANTI_ENTROPY_INTERVAL,
  FANOUT,
  GOSSIP_INTERVAL,
  VIGNETTE_NODE,
  mark,
  pushEstimate,
  quick,
  realBudget,
  runWithin,
  seconds,
  table,
} from './bench-settings.js';
import { describeForming, formCluster, sharedLanCluster } from './formed-cluster.js';
import type { FormedCluster } from './formed-cluster.js';
import { writeAndTrack } from './spread-tracker.js';

/** The sizes measured, and each one's real-time budgets (seconds) to form and to spread. */
export const SIZES: readonly { size: number; formBudget: number; spreadBudget: number }[] = quick
  ? [
      { size: 10, formBudget: 5, spreadBudget: 5 },
      { size: 100, formBudget: 15, spreadBudget: 10 },
    ]
  : [
      { size: 10, formBudget: 10, spreadBudget: 10 },
      { size: 100, formBudget: 30, spreadBudget: 20 },
      { size: 1000, formBudget: 90, spreadBudget: 20 },
    ];

/** The reach of the vignette rule the issue reports, by N. */
const ISSUE_REACH: Readonly<Record<number, string>> = { 10: '~53%', 100: '14%', 1000: 'under 4%' };

/** The most virtual time one write gets to reach every node. */
const MAX_SPREAD = 30_000;

/** How one write spread. */
export interface SpreadResult {
  readonly rounds99: number | undefined;
  readonly time100: number | undefined;
  readonly holders: number;
  readonly elapsed: number;
  readonly outOfBudget: boolean;
}

/** Writes one key at a node in the middle of `entry`'s cluster and runs until every node holds it. */
export function spreadOneWrite(
  entry: FormedCluster,
  key: string,
  budgetSeconds: number,
): SpreadResult {
  const { cluster, size } = entry;
  const writer = cluster.nodes[Math.floor(size / 2)];
  if (writer === undefined) throw new Error(`cluster of ${size} has no node ${size / 2}`);
  const tracker = writeAndTrack(cluster, writer, key, 1);
  const outcome = runWithin(cluster, {
    maxMilliseconds: MAX_SPREAD,
    checkEvery: 50,
    budget: realBudget(budgetSeconds),
    until: () => tracker.holders === size,
  });
  tracker.stop();
  const time99 = tracker.timeToFraction(0.99);
  return {
    rounds99: time99 === undefined ? undefined : time99 / GOSSIP_INTERVAL,
    time100: tracker.timeToFraction(1),
    holders: tracker.holders,
    elapsed: outcome.elapsed,
    outOfBudget: outcome.outOfBudget,
  };
}

/** The time by which 100% should hold: 1.5× the estimate in rounds, then two anti-entropy intervals. */
export function fullSpreadTarget(size: number): number {
  return 1.5 * pushEstimate(size, FANOUT) * GOSSIP_INTERVAL + 2 * ANTI_ENTROPY_INTERVAL;
}

/** Describes a spread that did not reach every node. */
export function shortfall(result: SpreadResult, size: number): string {
  const why = result.outOfBudget ? 'real-time budget' : 'virtual bound';
  return `${result.holders}/${size} after ${seconds(result.elapsed)} (${why})`;
}

function lanRow(size: number, spreadBudget: number, formBudget: number): string[] {
  const entry = sharedLanCluster(size, formBudget);
  const result = spreadOneWrite(entry, `one-write:${size}`, spreadBudget);
  const estimate = pushEstimate(size, FANOUT);
  const rounds = result.rounds99;
  const full = result.time100;
  return [
    String(size),
    estimate.toFixed(1),
    rounds === undefined ? '—' : rounds.toFixed(1),
    rounds === undefined ? '✗' : mark(rounds <= 1.5 * estimate),
    full === undefined ? shortfall(result, size) : seconds(full),
    `${full === undefined ? '✗' : mark(full <= fullSpreadTarget(size))} ≤ ${seconds(fullSpreadTarget(size))}`,
  ];
}

/** Independent writes whose reach the vignette baseline averages: one walk varies a lot. */
const VIGNETTE_WRITES = quick ? 5 : 20;

function vignetteRow(size: number, formBudget: number): { row: string[]; note: string } {
  const entry = formCluster(size, formBudget, VIGNETTE_NODE);
  const { cluster } = entry;
  const random = seededRandom(size);
  const keys = Array.from({ length: VIGNETTE_WRITES }, (_, write) => `vignette:${write}`);
  for (const key of keys) {
    const writer = cluster.nodes[Math.floor(random() * size)];
    writer?.put(key, { kind: 'sparse', indices: [0], values: [1] });
  }
  const outcome = runWithin(cluster, {
    maxMilliseconds: 10_000,
    checkEvery: 500,
    budget: realBudget(Math.max(5, formBudget / 2)),
  });
  const reach = keys.map((key) => cluster.holders(key, 0, 1) / size);
  cluster.stop();
  const percent = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;
  const mean = reach.reduce((sum, fraction) => sum + fraction, 0) / reach.length;
  const after = outcome.outOfBudget
    ? `${seconds(outcome.elapsed)} (budget)`
    : seconds(outcome.elapsed);
  return {
    row: [
      String(size),
      percent(mean),
      `${percent(Math.min(...reach))}–${percent(Math.max(...reach))}`,
      after,
      ISSUE_REACH[size] ?? '—',
    ],
    note: describeForming(entry),
  };
}

/** Runs the scenario and returns its markdown. */
export function oneWrite(): string {
  const lanRows = SIZES.map(({ size, spreadBudget, formBudget }) =>
    lanRow(size, spreadBudget, formBudget),
  );
  const formingNotes = SIZES.map(({ size, formBudget }) =>
    describeForming(sharedLanCluster(size, formBudget)),
  );
  const vignette = SIZES.map(({ size, formBudget }) => vignetteRow(size, formBudget / 3));
  return [
    '### One write on a formed LAN cluster',
    '',
    `Fanout ${FANOUT}, gossip every ${GOSSIP_INTERVAL} ms, anti-entropy every ${ANTI_ENTROPY_INTERVAL} ms, LAN membership, links 1 ms + up to 1 ms jitter, lossless. Rounds = virtual time ÷ gossip interval; the estimate is log_(f+1)N + ln(N)/f.`,
    '',
    table(
      [
        'N',
        'estimate (rounds)',
        '99% (rounds)',
        '99% ≤ 1.5× estimate',
        '100% (virtual time)',
        '100% within 2 anti-entropy intervals of the 99% target',
      ],
      lanRows,
    ),
    '',
    ...formingNotes.map((note) => `- ${note}`),
    '',
    `Baseline, the original vignette rule (fanout 1, retransmitMultiplier 0, antiEntropyInterval 0): the share of nodes holding a write 10 s after it, over ${VIGNETTE_WRITES} writes at random nodes (distinct keys, written at once).`,
    '',
    table(
      ['N', 'reached (mean)', 'least–most', 'after', 'the issue measured'],
      vignette.map(({ row }) => row),
    ),
    '',
    ...vignette.map(({ note }) => `- ${note}`),
    '',
  ].join('\n');
}
