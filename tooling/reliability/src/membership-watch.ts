/**
 * Membership watched over time: every node asked for its members every
 * 250 ms, counting the rounds in which all saw all alive and the suspicions
 * seen on the way, then whether all see all alive once it ends. Suspicions
 * are figures; a wedge is a member declared dead (`member-down`) or a
 * cluster that is not all-alive once the watch ends.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterProbe } from './cluster-probe.js';
import { membershipRound, waitForAllAlive } from './cluster-views.js';

/** What watching membership for a while saw. */
export interface MembershipWatch {
  readonly rounds: number;
  readonly allAliveRounds: number;
  /** (node, peer) pairs seen `suspect`, summed over the rounds. */
  readonly suspectPairs: number;
  /**
   * Every node saw every other alive after the watch, within {@link SETTLE_TIMEOUT}
   * (so a suspicion in the very last round does not count as a wedge).
   */
  readonly settled: boolean;
}

/** The most ms membership gets to be all-alive once the watch ends. */
export const SETTLE_TIMEOUT = 10_000;

/** Asks every node for its members every 250 ms for `duration` ms. */
export async function watchMembership(
  probe: ClusterProbe,
  addresses: readonly string[],
  duration: number,
): Promise<MembershipWatch> {
  const started = performance.now();
  const maxRounds = Math.ceil(duration / 250) + 1;
  let rounds = 0;
  let allAliveRounds = 0;
  let suspectPairs = 0;
  for (; rounds < maxRounds && performance.now() - started < duration; rounds++) {
    const round = await membershipRound(probe, addresses);
    if (round.allAlive) allAliveRounds += 1;
    suspectPairs += round.suspect;
    await sleep(250);
  }
  const settled = (await waitForAllAlive(probe, addresses, SETTLE_TIMEOUT)) !== undefined;
  return { rounds, allAliveRounds, suspectPairs, settled };
}
