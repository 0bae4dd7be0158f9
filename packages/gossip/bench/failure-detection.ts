/**
 * Failure detection on a LAN cluster of 100 nodes: how long until every other
 * node marks a crashed node dead, and how many healthy nodes are suspected or
 * declared dead over ten simulated minutes at 10% loss.
 */
import { LAN_MEMBERSHIP } from '@vig/gossip';
import type { MemberStatus } from '@vig/gossip';
import type { SimulatedCluster } from '@vig/gossip/testing';
import { LAN_LINKS, mark, quick, realBudget, runWithin, seconds, table } from './bench-settings.js';
import { describeForming, formCluster } from './formed-cluster.js';

const SIZE = 100;
const VICTIM = 37;
const WATCH = quick ? 60_000 : 600_000;

/** The middle value of a sorted list. */
function median(sorted: readonly number[]): number | undefined {
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function crashDetection(): { rows: string[][]; note: string } {
  const entry = formCluster(SIZE, 20);
  const { cluster } = entry;
  const victim = cluster.addresses[VICTIM];
  const crashedAt = cluster.network.scheduler.now();
  const detected: number[] = [];
  for (const node of cluster.nodes) {
    node.on('member-down', (transition) => {
      if (transition.address === victim && transition.to === 'dead') {
        detected.push(cluster.network.scheduler.now() - crashedAt);
      }
    });
  }
  cluster.crash(VICTIM);
  const outcome = runWithin(cluster, {
    maxMilliseconds: 4 * LAN_MEMBERSHIP.deadAfter,
    checkEvery: 100,
    budget: realBudget(quick ? 10 : 20),
    until: () => detected.length >= SIZE - 1,
  });
  cluster.stop();
  const sorted = [...detected].sort((left, right) => left - right);
  const last = outcome.reached ? sorted[sorted.length - 1] : undefined;
  const limit = LAN_MEMBERSHIP.deadAfter + 2 * LAN_MEMBERSHIP.heartbeatInterval;
  return {
    rows: [
      [
        `${detected.length}/${SIZE - 1}`,
        seconds(sorted[0]),
        seconds(median(sorted)),
        last === undefined ? `not all within ${seconds(outcome.elapsed)}` : seconds(last),
        `${last === undefined ? '✗' : mark(last <= limit)} ≤ ${seconds(limit)}`,
      ],
    ],
    note: describeForming(entry),
  };
}

/** Counts suspicions by polling every member's status and its `statusSince` (a lower bound). */
function suspicionCounter(cluster: SimulatedCluster): { poll(): void; readonly count: number } {
  const seen = new Map<string, { status: MemberStatus; since: number }>();
  let count = 0;
  return {
    poll() {
      for (const node of cluster.running()) {
        for (const member of node.members()) {
          const id = `${node.address}>${member.address}`;
          const before = seen.get(id);
          seen.set(id, { status: member.status, since: member.statusSince });
          if (before === undefined || before.since === member.statusSince) {
            if (before === undefined && member.status === 'suspect') count += 1;
            continue;
          }
          // The status changed since the last poll: a suspicion began if it is
          // suspect now, or if it went from alive back to alive or on to dead.
          if (member.status === 'suspect' || before.status === 'alive') count += 1;
        }
      }
    },
    get count() {
      return count;
    },
  };
}

function falsePositives(): { rows: string[][]; note: string } {
  const entry = formCluster(SIZE, 20);
  const { cluster } = entry;
  cluster.network.setDefaults({ ...LAN_LINKS, loss: 0.1 });
  let downs = 0;
  for (const node of cluster.nodes) node.on('member-down', () => (downs += 1));
  const suspicions = suspicionCounter(cluster);
  suspicions.poll();
  const outcome = runWithin(cluster, {
    maxMilliseconds: WATCH,
    checkEvery: 1_000,
    budget: realBudget(quick ? 15 : 90),
    until: () => {
      suspicions.poll();
      return false;
    },
  });
  cluster.stop();
  const watched = `${seconds(outcome.elapsed)}${outcome.outOfBudget ? ' (budget)' : ''}`;
  return {
    rows: [[watched, String(downs), mark(downs === 0), String(suspicions.count)]],
    note: describeForming(entry),
  };
}

/** Runs the scenario and returns its markdown. */
export function failureDetection(): string {
  const crash = crashDetection();
  const watch = falsePositives();
  return [
    `### Failure detection, ${SIZE} nodes, LAN membership`,
    '',
    `One node crashes; the time until each other node marks it dead (deadAfter ${seconds(LAN_MEMBERSHIP.deadAfter)}).`,
    '',
    table(
      ['marked dead by', 'first', 'median', 'last', 'deadAfter + 2 heartbeats (informative)'],
      crash.rows,
    ),
    '',
    `No node crashes; every link loses 10% of datagrams. member-down events and suspicions (each member's status polled every virtual second; a lower bound) of healthy nodes:`,
    '',
    table(['watched (virtual)', 'member-down', 'target 0', 'suspicions'], watch.rows),
    '',
    `- ${crash.note} (crash run); ${watch.note} (loss run)`,
    '',
  ].join('\n');
}
