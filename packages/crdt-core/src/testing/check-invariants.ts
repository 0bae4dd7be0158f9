import type { CausalGraph } from '../causal-graph.js';
import { diffFrontiers, frontierContains, ordersIn } from '../graph-queries.js';
import { EMPTY_HISTORY_DIGEST, addToDigest, sameHistoryDigest } from '../history-digest.js';
import type { HistoryDigest } from '../history-digest.js';
import type { VersionedStore } from '../versioned-store.js';
import { storeInternals } from '../versioned-store-internals.js';
import type { SiblingEntry, StoreInternals } from '../versioned-store-internals.js';

/** A broken invariant of a versioned store: a bug, never a user error. */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new InvariantError(message());
}

type Values = ReadonlyMap<string, readonly SiblingEntry[]>;

/**
 * What the checker remembers of a store between calls. The graph only ever
 * grows, so structure checked once stays checked; a replay depends only on
 * the frontier replayed, so replays are kept for the frontiers seen last.
 */
interface CheckerMemory {
  checkedOrders: number;
  checkedRuns: number;
  isParent: Uint8Array;
  opsByAgent: number[];
  readonly replays: Map<string, Replay>;
  /** The digest of orders `0..digestOrders − 1`, recomputed from the graph. */
  digest: HistoryDigest;
  digestOrders: number;
}

/** The values a forward replay of the history of `frontier` gives. */
interface Replay {
  readonly frontier: readonly number[];
  readonly values: Values;
}

const memories = new WeakMap<CausalGraph, CheckerMemory>();
const REPLAYS_KEPT = 64;

/**
 * Checks every invariant of a {@link VersionedStore}, throwing an
 * {@link InvariantError} that names the first one broken:
 *
 * - local orders are packed: the runs cover `0..size−1` without gaps;
 * - parents come before children, ascending and without repeats;
 * - version → order and order → version are exact inverses;
 * - every agent's history is linear (seq follows seq − 1 in its history), and
 *   its seqs are exactly `0..n−1`;
 * - the heads equal the frontier recomputed from every operation's parents;
 * - runs are fully merged (no two adjacent runs could be one);
 * - the values equal a forward replay of the checked-out history: every
 *   operation applied in a parents-first order, never unapplied;
 * - the history digest equals one recomputed from every version held.
 *
 * Repeated calls on one store check only the operations added since (the
 * graph is append-only), reuse the replays of frontiers seen recently (a
 * replay depends on nothing else), and build a new frontier's replay forward
 * from that of an ancestor version when one is at hand (the first is from
 * scratch), so a fuzz test can run it after every step. For tests only.
 */
export function checkInvariants(store: VersionedStore): void {
  const internals = store[storeInternals]();
  const { graph } = internals;
  let memory = memories.get(graph);
  if (memory === undefined) {
    memory = {
      checkedOrders: 0,
      checkedRuns: 0,
      isParent: new Uint8Array(1024),
      opsByAgent: [],
      replays: new Map(),
      digest: EMPTY_HISTORY_DIGEST,
      digestOrders: 0,
    };
    memories.set(graph, memory);
  }
  checkRuns(graph, memory);
  checkOrders(internals, memory);
  checkHeads(graph, memory);
  checkValues(internals, memory);
  checkDigest(store, internals, memory);
}

function checkDigest(
  store: VersionedStore,
  internals: StoreInternals,
  memory: CheckerMemory,
): void {
  const { graph, agentIds } = internals;
  for (let order = memory.digestOrders; order < graph.size; order++) {
    const { agent, seq } = graph.versionAt(order);
    memory.digest = addToDigest(memory.digest, agentIds[agent], seq);
  }
  memory.digestOrders = graph.size;
  const held = store.digest;
  check(
    sameHistoryDigest(held, memory.digest),
    () =>
      `digest ${JSON.stringify(held)} differs from ${JSON.stringify(memory.digest)}, recomputed from the history`,
  );
}

function checkRuns(graph: CausalGraph, memory: CheckerMemory): void {
  const runs = graph.runs;
  // The last run checked may have grown since: check from it on.
  const from = Math.max(0, memory.checkedRuns - 1);
  let expectedStart = from === 0 ? 0 : (runs[from - 1]?.end ?? 0);
  for (let position = from; position < runs.length; position++) {
    const run = runs[position];
    if (run === undefined) break;
    check(
      run.start === expectedStart,
      () => `run ${position} starts at ${run.start}, expected ${expectedStart}`,
    );
    check(run.end > run.start, () => `run ${position} is empty`);
    expectedStart = run.end;
    run.parents.forEach((parent, index) => {
      check(parent < run.start, () => `order ${run.start} has parent ${parent}, not before it`);
      const before = run.parents[index - 1];
      check(
        before === undefined || parent > before,
        () => `parents of ${run.start} are not ascending`,
      );
    });
    const previous = runs[position - 1];
    if (previous !== undefined) {
      const mergeable =
        previous.agent === run.agent &&
        previous.seqStart + (previous.end - previous.start) === run.seqStart &&
        run.parents.length === 1 &&
        run.parents[0] === previous.end - 1;
      check(!mergeable, () => `runs ${position - 1} and ${position} could be one run`);
    }
  }
  check(expectedStart === graph.size, () => `runs end at ${expectedStart}, size is ${graph.size}`);
  memory.checkedRuns = runs.length;
}

function checkOrders(internals: StoreInternals, memory: CheckerMemory): void {
  const { graph, writes, agentIds } = internals;
  if (memory.isParent.length < graph.size) {
    const grown = new Uint8Array(Math.max(graph.size, memory.isParent.length * 2));
    grown.set(memory.isParent);
    memory.isParent = grown;
  }
  for (let order = memory.checkedOrders; order < graph.size; order++) {
    const { agent, seq } = graph.versionAt(order);
    check(
      graph.orderOf(agent, seq) === order,
      () => `order ${order} ↔ (${agent}, ${seq}) are not inverses`,
    );
    check(agentIds[agent] !== undefined, () => `order ${order} has no agent id`);
    check(writes[order] !== undefined, () => `order ${order} has no writes`);
    for (const parent of graph.parentsOf(order)) memory.isParent[parent] = 1;
    if (seq > 0) {
      const previous = graph.orderOf(agent, seq - 1);
      check(
        previous >= 0 && previous < order,
        () => `order ${order}: seq ${seq - 1} of its agent is missing or later`,
      );
    }
    memory.opsByAgent[agent] = (memory.opsByAgent[agent] ?? 0) + 1;
  }
  const touched = new Set<number>();
  for (let order = memory.checkedOrders; order < graph.size; order++)
    touched.add(graph.agentAt(order));
  memory.checkedOrders = graph.size;
  for (const agent of touched) {
    check(
      graph.nextSeq(agent) === memory.opsByAgent[agent],
      () =>
        `agent ${agent} has ${memory.opsByAgent[agent]} operations but claims seqs 0..${graph.nextSeq(agent) - 1}`,
    );
  }
}

function checkHeads(graph: CausalGraph, memory: CheckerMemory): void {
  const recomputed: number[] = [];
  for (let order = 0; order < graph.size; order++)
    if (memory.isParent[order] === 0) recomputed.push(order);
  check(
    recomputed.join() === graph.heads.join(),
    () => `heads are [${graph.heads.join()}], recomputed [${recomputed.join()}]`,
  );
}

function checkValues(internals: StoreInternals, memory: CheckerMemory): void {
  const { values, current } = internals;
  const frontierKey = current.join();
  let replay = memory.replays.get(frontierKey);
  if (replay === undefined) {
    replay = { frontier: [...current], values: replayTo(internals, memory, current) };
    memory.replays.set(frontierKey, replay);
    if (memory.replays.size > REPLAYS_KEPT) {
      memory.replays.delete(memory.replays.keys().next().value as string);
    }
  }
  const replayed = replay.values;
  check(
    replayed.size === values.size,
    () => `values hold ${values.size} keys, a replay ${replayed.size}`,
  );
  for (const [key, siblings] of replayed) {
    const held = values.get(key) ?? [];
    check(
      held.length === siblings.length,
      () => `key ${JSON.stringify(key)}: ${held.length} siblings, a replay ${siblings.length}`,
    );
    for (const sibling of siblings) {
      const match = held.find((candidate) => candidate.order === sibling.order);
      check(
        match !== undefined,
        () => `key ${JSON.stringify(key)}: sibling ${sibling.order} of the replay is missing`,
      );
      check(
        Object.is(match.value, sibling.value),
        () => `key ${JSON.stringify(key)}: value of ${sibling.order} differs from a replay`,
      );
    }
  }
}

/**
 * Replays the history of `frontier` forward: from the latest remembered
 * replay of an ancestor version, applying only what it lacks, or from
 * scratch. Either way every operation goes in parents-first and none is ever
 * unapplied, unlike the store's own checkouts.
 */
function replayTo(
  internals: StoreInternals,
  memory: CheckerMemory,
  frontier: readonly number[],
): Values {
  const { graph, advance } = internals;
  const candidates = [...memory.replays.values()].reverse().slice(0, 8);
  const base = candidates.find((replay) =>
    replay.frontier.every((order) => frontierContains(graph, frontier, order)),
  );
  const values = new Map(base?.values ?? []) as Map<string, SiblingEntry[]>;
  const { onlyA } = diffFrontiers(graph, frontier, base?.frontier ?? []);
  for (const order of ordersIn(onlyA)) advance(values, order);
  return values;
}
