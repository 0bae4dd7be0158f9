/**
 * A LAN cluster whose membership has formed: the start of most scenarios.
 * Forming N = 1000 is the costliest step of the benchmark, so each size is
 * formed once and shared by the scenarios that run on it, in order.
 */
import { createSimulatedCluster } from '@vig/gossip/testing';
import type { SimulatedCluster, SimulatedNodeOptions } from '@vig/gossip/testing';
import {
  LAN_LINKS,
  LAN_NODE,
  everyoneKnowsEveryone,
  missingMemberships,
  realBudget,
  realSeconds,
  runWithin,
} from './bench-settings.js';

/** A cluster, and how forming its membership went. */
export interface FormedCluster {
  readonly cluster: SimulatedCluster;
  readonly size: number;
  /** Virtual milliseconds until every node listed every other as a live peer, or undefined if it did not within the bounds. */
  readonly formedAfter: number | undefined;
  /** (node, other node) pairs not listed as live peers when forming stopped. */
  readonly missing: number;
  /** Virtual milliseconds forming ran. */
  readonly formingElapsed: number;
  /** Whether forming stopped on its real-time budget. */
  readonly outOfBudget: boolean;
  /** Real seconds forming took. */
  readonly realSeconds: number;
}

/** The most virtual time membership gets to form. */
const MAX_FORMING = 60_000;

/**
 * Builds `size` nodes with `node` settings on LAN links, starts them spread
 * over one heartbeat interval, and runs until every node lists every other
 * as a live peer, for at most a virtual minute or `budgetSeconds` of real time.
 */
export function formCluster(
  size: number,
  budgetSeconds: number,
  node: SimulatedNodeOptions = LAN_NODE,
  seed = 2026,
): FormedCluster {
  const started = performance.now();
  const cluster = createSimulatedCluster({ seed: seed + size, size, links: LAN_LINKS, node });
  cluster.start({ spreadMilliseconds: 1_000 });
  const outcome = runWithin(cluster, {
    maxMilliseconds: MAX_FORMING,
    checkEvery: size >= 500 ? 500 : 100,
    budget: realBudget(budgetSeconds),
    until: () => everyoneKnowsEveryone(cluster),
  });
  return {
    cluster,
    size,
    formedAfter: outcome.reached ? outcome.elapsed : undefined,
    missing: missingMemberships(cluster),
    formingElapsed: outcome.elapsed,
    outOfBudget: outcome.outOfBudget,
    realSeconds: realSeconds(started),
  };
}

const formed = new Map<number, FormedCluster>();

/** The shared LAN cluster of `size` nodes, formed on first use. */
export function sharedLanCluster(size: number, budgetSeconds: number): FormedCluster {
  let entry = formed.get(size);
  if (entry === undefined) {
    entry = formCluster(size, budgetSeconds);
    formed.set(size, entry);
  }
  return entry;
}

/** A line saying how forming went, for the notes under a table. */
export function describeForming(entry: FormedCluster): string {
  const how =
    entry.formedAfter !== undefined
      ? `formed after ${(entry.formedAfter / 1000).toFixed(1)} virtual s`
      : `not complete after ${(entry.formingElapsed / 1000).toFixed(1)} virtual s (${entry.outOfBudget ? 'real-time budget' : 'virtual bound'}): ${entry.missing} of ${entry.size * (entry.size - 1)} (node, peer) pairs still missing`;
  return `N = ${entry.size}: membership ${how}, in ${entry.realSeconds.toFixed(1)} real s`;
}
