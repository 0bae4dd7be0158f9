/**
 * What every gossip simulation benchmark shares: the LAN-like settings, the
 * quick mode, real-time budgets, and markdown tables.
 */
import { LAN_MEMBERSHIP } from '@vig/gossip';
import type { LinkConditions, SimulatedCluster, SimulatedNodeOptions } from '@vig/gossip/testing';

/** `VIG_BENCH_QUICK=1`: smaller clusters and shorter runs, for a smoke run. */
export const quick = process.env['VIG_BENCH_QUICK'] === '1';

/**
 * `VIG_BENCH_BUDGET_SCALE=4` gives every scenario four times its real-time
 * budget (for full figures at N = 1000 on a slow engine or machine).
 */
const budgetScale = Number(process.env['VIG_BENCH_BUDGET_SCALE'] ?? '1') || 1;

/** Fanout of every LAN run. */
export const FANOUT = 3;
/** Milliseconds between rumour rounds. */
export const GOSSIP_INTERVAL = 200;
/** Milliseconds between anti-entropy exchanges. */
export const ANTI_ENTROPY_INTERVAL = 1_000;

/** A LAN: 1 ms of delay and up to 1 ms of jitter, nothing lost. */
export const LAN_LINKS: LinkConditions = Object.freeze({ delay: 1, jitter: 1 });

/** The node settings of every LAN run. */
export const LAN_NODE: SimulatedNodeOptions = Object.freeze({
  membership: LAN_MEMBERSHIP,
  fanout: FANOUT,
  gossipInterval: GOSSIP_INTERVAL,
  antiEntropyInterval: ANTI_ENTROPY_INTERVAL,
});

/** The original vignette rule: forward on growth to one peer, no retransmission, no anti-entropy. */
export const VIGNETTE_NODE: SimulatedNodeOptions = Object.freeze({
  membership: LAN_MEMBERSHIP,
  fanout: 1,
  gossipInterval: GOSSIP_INTERVAL,
  retransmitMultiplier: 0,
  antiEntropyInterval: 0,
});

/** A point in real time after which a run stops early, and reports that it did. */
export interface Budget {
  /** The real seconds given (after scaling). */
  readonly seconds: number;
  /** `performance.now()` at which it runs out. */
  readonly deadline: number;
}

/** A budget of `seconds` real seconds from now (times `VIG_BENCH_BUDGET_SCALE`). */
export function realBudget(seconds: number): Budget {
  const scaled = seconds * budgetScale;
  return { seconds: scaled, deadline: performance.now() + scaled * 1000 };
}

/** How a bounded run ended. */
export interface RunOutcome {
  /** Virtual milliseconds that passed. */
  readonly elapsed: number;
  /** Whether the goal held (always false without one). */
  readonly reached: boolean;
  /** Whether the real-time budget ran out first. */
  readonly outOfBudget: boolean;
}

/**
 * Lets virtual time pass in steps of `checkEvery` ms until `until` holds,
 * `maxMilliseconds` of virtual time pass, or the real-time budget runs out,
 * whichever comes first.
 */
export function runWithin(
  cluster: SimulatedCluster,
  options: {
    readonly maxMilliseconds: number;
    readonly checkEvery: number;
    readonly budget: Budget;
    readonly until?: () => boolean;
  },
): RunOutcome {
  const { maxMilliseconds, checkEvery, budget, until } = options;
  const steps = Math.ceil(maxMilliseconds / checkEvery);
  const start = cluster.network.scheduler.now();
  const elapsed = (): number => cluster.network.scheduler.now() - start;
  for (let step = 0; step < steps; step++) {
    if (until?.() === true) return { elapsed: elapsed(), reached: true, outOfBudget: false };
    if (performance.now() > budget.deadline) {
      return { elapsed: elapsed(), reached: false, outOfBudget: true };
    }
    cluster.runFor(Math.min(checkEvery, maxMilliseconds - step * checkEvery));
  }
  return { elapsed: elapsed(), reached: until?.() === true, outOfBudget: false };
}

/** True when every running node lists every other node as a live peer (alive or suspect). */
export function everyoneKnowsEveryone(cluster: SimulatedCluster): boolean {
  const others = cluster.nodes.length - 1;
  return cluster.nodes.every((node) => node.membership.livePeers().length >= others);
}

/** How many (node, other node) pairs lack a live-peer listing: 0 once membership has formed. */
export function missingMemberships(cluster: SimulatedCluster): number {
  const others = cluster.nodes.length - 1;
  let missing = 0;
  for (const node of cluster.nodes) {
    missing += Math.max(0, others - node.membership.livePeers().length);
  }
  return missing;
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, header.map(() => '---'), ...rows]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n');
}

/** Milliseconds as seconds with two decimals, or a dash. */
export function seconds(milliseconds: number | undefined): string {
  return milliseconds === undefined ? '—' : `${(milliseconds / 1000).toFixed(2)} s`;
}

/** ✓ or ✗. */
export function mark(ok: boolean): string {
  return ok ? '✓' : '✗';
}

/** Real seconds since `start` (a `performance.now()` value). */
export function realSeconds(start: number): number {
  return (performance.now() - start) / 1000;
}

/** The rounds the push estimate gives: log_(f+1) N + ln(N) / f. */
export function pushEstimate(size: number, fanout: number): number {
  return Math.log(size) / Math.log(fanout + 1) + Math.log(size) / fanout;
}
