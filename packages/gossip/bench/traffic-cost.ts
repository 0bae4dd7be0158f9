/**
 * What gossip costs each node: datagrams and bytes sent per second when
 * nothing is written (heartbeats, the peer exchange, anti-entropy digests),
 * and the extra a single write causes, as the difference between a window
 * with one write and an idle window, per second of idle traffic.
 */
import type { NodeMetrics } from '@vig/gossip';
import { quick, realBudget, runWithin, seconds, table } from './bench-settings.js';
import { describeForming, sharedLanCluster } from './formed-cluster.js';
import { SIZES } from './one-write.js';
import { writeAndTrack } from './spread-tracker.js';

const SIZE = quick ? 100 : 1000;
const WINDOW = 10_000;
const WINDOW_BUDGET = quick ? 5 : 40;
/** The most virtual time left to earlier writes' retransmissions and repairs before the idle window. */
const SETTLE = 10_000;
/** What only writes send: when none goes out for a step, the cluster is idle. */
const WRITE_REASONS = ['rumour', 'repair', 'forward', 'pull', 'answer'] as const;

/** Datagrams and bytes sent over a window, and by reason. */
interface Sent {
  readonly messages: number;
  readonly bytes: number;
  readonly byReason: Readonly<Record<string, number>>;
}

function sentBetween(before: NodeMetrics, after: NodeMetrics): Sent {
  const byReason: Record<string, number> = {};
  const reasons = after.sentByReason as Readonly<Record<string, number>>;
  const earlier = before.sentByReason as Readonly<Record<string, number>>;
  for (const [reason, count] of Object.entries(reasons)) {
    const difference = count - (earlier[reason] ?? 0);
    if (difference > 0) byReason[reason] = difference;
  }
  return {
    messages: after.messagesOut - before.messagesOut,
    bytes: after.bytesOut - before.bytesOut,
    byReason,
  };
}

/** Runs the scenario and returns its markdown. */
export function trafficCost(): string {
  const formBudget = SIZES.find((entry) => entry.size === SIZE)?.formBudget ?? 60;
  const entry = sharedLanCluster(SIZE, formBudget);
  const { cluster } = entry;
  // Any earlier write is retransmitted and repaired for a few seconds: wait for quiet.
  let last = cluster.totals();
  const settle = runWithin(cluster, {
    maxMilliseconds: SETTLE,
    checkEvery: 500,
    budget: realBudget(WINDOW_BUDGET / 2),
    until: () => {
      const now = cluster.totals();
      const quiet = WRITE_REASONS.every(
        (reason) => (sentBetween(last, now).byReason[reason] ?? 0) === 0,
      );
      last = now;
      return quiet;
    },
  });
  const idleStart = cluster.totals();
  const idle = runWithin(cluster, {
    maxMilliseconds: WINDOW,
    checkEvery: 500,
    budget: realBudget(WINDOW_BUDGET),
  });
  const idleEnd = cluster.totals();
  const writer = cluster.nodes[0];
  if (writer === undefined) throw new Error('empty cluster');
  const tracker = writeAndTrack(cluster, writer, 'cost:one-write', 1);
  const written = runWithin(cluster, {
    maxMilliseconds: idle.elapsed,
    checkEvery: 500,
    budget: realBudget(WINDOW_BUDGET),
  });
  tracker.stop();
  const writeEnd = cluster.totals();
  const quiet = sentBetween(idleStart, idleEnd);
  const busy = sentBetween(idleEnd, writeEnd);
  const idleSeconds = idle.elapsed / 1000;
  const perNodeSecond = (count: number): string => (count / SIZE / idleSeconds).toFixed(1);
  const extra = (busyCount: number, quietCount: number): string =>
    ((busyCount - (quietCount * written.elapsed) / idle.elapsed) / SIZE).toFixed(1);
  const reasons = Object.entries(quiet.byReason)
    .sort(([, left], [, right]) => right - left)
    .map(([reason, count]) => `${reason} ${perNodeSecond(count)}`)
    .join(', ');
  const extraReasons = Object.entries(busy.byReason)
    .map(
      ([reason, count]) =>
        [reason, count - ((quiet.byReason[reason] ?? 0) * written.elapsed) / idle.elapsed] as const,
    )
    .filter(([, count]) => count / SIZE >= 0.05)
    .sort(([, left], [, right]) => right - left)
    .map(([reason, count]) => `${reason} ${(count / SIZE).toFixed(1)}`)
    .join(', ');
  return [
    `### Traffic per node at N = ${SIZE}`,
    '',
    `LAN settings. Idle: a window after membership formed and ${seconds(settle.elapsed)} of virtual time${settle.outOfBudget ? ' (budget)' : ''} until no rumour, repair, forward, pull or answer went out for 0.5 s. Per write: the same length of window starting with one write, minus the idle traffic of that length.`,
    '',
    table(
      [
        'window (virtual)',
        'idle datagrams /node/s',
        'idle bytes /node/s',
        'extra datagrams /node per write',
        'extra bytes /node per write',
        'write reached',
      ],
      [
        [
          `${seconds(idle.elapsed)}${idle.outOfBudget ? ' (budget)' : ''}`,
          perNodeSecond(quiet.messages),
          perNodeSecond(quiet.bytes),
          extra(busy.messages, quiet.messages),
          extra(busy.bytes, quiet.bytes),
          `${tracker.holders}/${SIZE}`,
        ],
      ],
    ),
    '',
    `- idle datagrams /node/s by reason: ${reasons || 'none'}`,
    `- extra datagrams /node per write by reason: ${extraReasons || 'none'}`,
    `- ${describeForming(entry)}`,
    '',
  ].join('\n');
}
