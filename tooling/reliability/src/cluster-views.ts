/**
 * What the scenarios ask of a cluster through a {@link ClusterProbe}: does
 * every node see every other alive, and which expected writes does a node
 * lack. Each question is one round of requests; the scenarios poll them
 * with bounds (bounded-wait.ts).
 */
import { waitUntil } from './bounded-wait.js';
import type { ClusterProbe, VectorRecord } from './cluster-probe.js';

/** Writes a scenario expects to find: key → the entries written (each at least this value). */
export type ExpectedWrites = ReadonlyMap<string, VectorRecord>;

/**
 * The `%` pattern to search for a key: one pattern for all, or one per
 * group of keys. A search answers with one datagram per key, and a node
 * sends a client at most some hundreds beyond its byte budget (a search
 * matching much over a thousand keys gets no complete answer), so large
 * sets of writes are spread over groups of a few hundred keys.
 */
export type PatternOf = string | ((key: string) => string);

/** One round of membership views. */
export interface MembershipRound {
  /** Every node answered and listed every other node as `alive`. */
  readonly allAlive: boolean;
  /** (node, other node) pairs not listed as `alive`, nodes that did not answer counting each of theirs. */
  readonly notAlive: number;
  /** Of those, pairs listed as `suspect`. */
  readonly suspect: number;
}

/** Asks each node of `addresses` for its members. */
export async function membershipRound(
  probe: ClusterProbe,
  addresses: readonly string[],
): Promise<MembershipRound> {
  const views = await Promise.allSettled(addresses.map((node) => probe.members(node)));
  let notAlive = 0;
  let suspect = 0;
  for (const [index, view] of views.entries()) {
    const others = addresses.filter((_, other) => other !== index);
    if (view.status === 'rejected') {
      notAlive += others.length;
      continue;
    }
    const status = new Map(view.value.map((member) => [member.address, member.status]));
    for (const other of others) {
      const seen = status.get(other);
      if (seen !== 'alive') notAlive += 1;
      if (seen === 'suspect') suspect += 1;
    }
  }
  return { allAlive: notAlive === 0, notAlive, suspect };
}

/** Polls until every node sees every other alive: the ms it took, or undefined after `timeout` ms. */
export function waitForAllAlive(
  probe: ClusterProbe,
  addresses: readonly string[],
  timeout: number,
): Promise<number | undefined> {
  return waitUntil(async () => (await membershipRound(probe, addresses)).allAlive, {
    timeout,
    interval: 100,
  });
}

/** Whether `record` holds at least every entry of `expected`. */
export function holdsAtLeast(record: VectorRecord | undefined, expected: VectorRecord): boolean {
  return Object.entries(expected).every(
    ([index, value]) => ((record ?? {})[Number(index)] ?? 0) >= value,
  );
}

/** Keys re-read one by one when a search lacks them (a lost answer), at most. */
const RECHECKS = 20;

/**
 * The keys of `expected` that `node` lacks or holds smaller, by one search
 * per pattern (see {@link PatternOf}); when a few are missing, each is read
 * again on its own before it counts, so one lost answer datagram does not
 * make a key missing.
 *
 * @returns a promise rejecting when the node does not answer a search
 */
export async function missingWrites(
  probe: ClusterProbe,
  node: string,
  pattern: PatternOf,
  expected: ExpectedWrites,
): Promise<string[]> {
  const groups = new Map<string, [string, VectorRecord][]>();
  for (const write of expected) {
    const group = typeof pattern === 'string' ? pattern : pattern(write[0]);
    groups.set(group, [...(groups.get(group) ?? []), write]);
  }
  const missing: [string, VectorRecord][] = [];
  for (const [group, writes] of groups) {
    const held = await probe.search(node, group);
    missing.push(...writes.filter(([key, entries]) => !holdsAtLeast(held.get(key), entries)));
  }
  if (missing.length === 0 || missing.length > RECHECKS) return missing.map(([key]) => key);
  const confirmed: string[] = [];
  for (const [key, entries] of missing) {
    const record = await probe.get(node, key).catch(() => undefined);
    if (!holdsAtLeast(record, entries)) confirmed.push(key);
  }
  return confirmed;
}

/** Whether every node of `addresses` holds every write of `expected` (a node not answering does not). */
export async function everyNodeHolds(
  probe: ClusterProbe,
  addresses: readonly string[],
  pattern: PatternOf,
  expected: ExpectedWrites,
): Promise<boolean> {
  const rounds = await Promise.allSettled(
    addresses.map((node) => missingWrites(probe, node, pattern, expected)),
  );
  return rounds.every((round) => round.status === 'fulfilled' && round.value.length === 0);
}
