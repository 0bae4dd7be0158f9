import type { CausalGraph } from './causal-graph.js';
import { MaxHeap } from './max-heap.js';

/** How two versions relate. */
export type VersionOrder = 'equal' | 'before' | 'after' | 'concurrent';

/**
 * True when `target` is in the history of `frontier` (one of its operations
 * or an ancestor of one). Fast paths: `target` inside the run of a frontier
 * operation (a version just behind it), or by the same agent (histories of
 * one agent are linear); otherwise a walk down from the frontier, highest
 * order first, a run at a time, never below `target`.
 */
export function frontierContains(
  graph: CausalGraph,
  frontier: readonly number[],
  target: number,
): boolean {
  let walkFrom: number[] | undefined;
  let targetAgent = -1;
  let targetSeq = -1;
  for (const order of frontier) {
    if (order === target) return true;
    if (order < target) continue;
    const run = graph.runAt(order);
    if (target >= run.start) return true;
    if (targetAgent < 0) {
      const version = graph.versionAt(target);
      targetAgent = version.agent;
      targetSeq = version.seq;
    }
    if (run.agent === targetAgent) {
      if (targetSeq <= run.seqStart + (order - run.start)) return true;
      continue; // Later seqs of the agent are not in this operation's history.
    }
    (walkFrom ??= []).push(run.start);
  }
  return walkFrom !== undefined && walkFinds(graph, walkFrom, target, targetAgent, targetSeq);
}

/**
 * The general case of {@link frontierContains}: a walk down from the starts
 * of runs, highest first, a run at a time. A branch that reaches the target's
 * agent is decided there, by seq, without walking further.
 */
function walkFinds(
  graph: CausalGraph,
  runStarts: readonly number[],
  target: number,
  targetAgent: number,
  targetSeq: number,
): boolean {
  const queue = new MaxHeap();
  for (const start of runStarts) queue.push(start);
  let previous = -1;
  while (queue.size > 0) {
    const start = queue.pop() as number;
    if (start === previous) continue;
    previous = start;
    for (const parent of graph.runAt(start).parents) {
      if (parent === target) return true;
      if (parent < target) continue;
      const parentRun = graph.runAt(parent);
      if (target >= parentRun.start) return true;
      if (parentRun.agent === targetAgent) {
        if (targetSeq <= parentRun.seqStart + (parent - parentRun.start)) return true;
        continue;
      }
      queue.push(parentRun.start);
    }
  }
  return false;
}

/** How versions `a` and `b` (local orders) relate. */
export function compareOrders(graph: CausalGraph, a: number, b: number): VersionOrder {
  if (a === b) return 'equal';
  if (a < b) return frontierContains(graph, [b], a) ? 'before' : 'concurrent';
  return frontierContains(graph, [a], b) ? 'after' : 'concurrent';
}

/**
 * Reduces a set of local orders to its frontier: drops every order that is in
 * the history of another. Returns the rest ascending.
 */
export function frontierOf(graph: CausalGraph, orders: readonly number[]): number[] {
  const candidates = [...new Set(orders)].sort((left, right) => right - left);
  const kept: number[] = [];
  for (const order of candidates) {
    // Whatever could follow `order` has a higher order, so it is already kept
    // or in the history of something kept.
    if (!frontierContains(graph, kept, order)) kept.push(order);
  }
  return kept.reverse();
}

/** Half-open ranges `[start, end)` of local orders, ascending and not touching. */
export type OrderRanges = [start: number, end: number][];

/** The result of {@link diffFrontiers}. */
export interface FrontierDiff {
  /** Operations in the history of `a` but not of `b`. */
  readonly onlyA: OrderRanges;
  /** Operations in the history of `b` but not of `a`. */
  readonly onlyB: OrderRanges;
}

const inA = 1;
const inB = 2;
const inBoth = 3;

/**
 * The operations only in the history of `a`, and only in that of `b`. Walks
 * down from both frontiers with a priority queue over local orders, a run at a
 * time, tagging each stretch as reached from a, from b, or from both, and
 * stops once everything left to visit is shared.
 */
export function diffFrontiers(
  graph: CausalGraph,
  a: readonly number[],
  b: readonly number[],
): FrontierDiff {
  const queue = new MaxHeap();
  const tags = new Map<number, number>();
  let shared = 0;
  const enqueue = (order: number, tag: number): void => {
    const current = tags.get(order);
    if (current === undefined) {
      tags.set(order, tag);
      queue.push(order);
      if (tag === inBoth) shared++;
    } else if ((current | tag) !== current) {
      tags.set(order, inBoth);
      shared++;
    }
  };
  for (const order of a) enqueue(order, inA);
  for (const order of b) enqueue(order, inB);

  const onlyA: OrderRanges = [];
  const onlyB: OrderRanges = [];
  const mark = (tag: number, start: number, end: number): void => {
    if (tag === inBoth) return;
    const ranges = tag === inA ? onlyA : onlyB;
    const last = ranges[ranges.length - 1];
    // Walking down, so a new stretch ends where the previous one started.
    if (last !== undefined && last[0] === end) last[0] = start;
    else ranges.push([start, end]);
  };

  while (queue.size > shared) {
    const order = queue.pop() as number;
    const tag = tags.get(order) as number;
    tags.delete(order);
    if (tag === inBoth) shared--;
    const run = graph.runAt(order);
    const next = queue.peek();
    if (next !== undefined && next >= run.start) {
      // Another walk enters this run lower down: claim down to it, then let
      // the two continue together from there.
      mark(tag, next + 1, order + 1);
      enqueue(next, tag);
    } else {
      mark(tag, run.start, order + 1);
      for (const parent of run.parents) enqueue(parent, tag);
    }
  }
  return { onlyA: onlyA.reverse(), onlyB: onlyB.reverse() };
}

/**
 * The frontier's operations and, walking down, the top of each run below
 * them, highest order first, up to `limit`: a short description of recent
 * history in which another store can find versions it shares.
 */
export function recentOrders(
  graph: CausalGraph,
  frontier: readonly number[],
  limit: number,
): number[] {
  const queue = new MaxHeap();
  for (const order of frontier) queue.push(order);
  const orders: number[] = [];
  let previous = -1;
  while (queue.size > 0 && orders.length < limit) {
    const order = queue.pop() as number;
    if (order === previous) continue;
    previous = order;
    orders.push(order);
    for (const parent of graph.runAt(order).parents) queue.push(parent);
  }
  return orders;
}

/** Every local order in `ranges`, ascending. */
export function ordersIn(ranges: OrderRanges): number[] {
  const orders: number[] = [];
  for (const [start, end] of ranges)
    for (let order = start; order < end; order++) orders.push(order);
  return orders;
}
