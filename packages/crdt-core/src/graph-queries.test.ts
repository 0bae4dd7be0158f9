import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CausalGraph, advanceFrontier } from './causal-graph.js';
import {
  compareOrders,
  diffFrontiers,
  frontierContains,
  frontierOf,
  ordersIn,
  recentOrders,
} from './graph-queries.js';
import type { OrderRanges, VersionOrder } from './graph-queries.js';
import { MaxHeap } from './max-heap.js';

// ---------------------------------------------------------------------------
// The reference: the same graph as explicit parent lists and, for every
// operation, its whole history (itself and every ancestor) as a set, built by
// closure over the parents. Every query has an obvious answer in these terms.
// ---------------------------------------------------------------------------

class ReferenceGraph {
  readonly parents: number[][] = [];
  /** History of each operation, itself included. */
  readonly histories: Set<number>[] = [];
  readonly agents: number[] = [];
  readonly seqs: number[] = [];
  readonly #latest = new Map<number, number>();

  get size(): number {
    return this.parents.length;
  }

  latestOf(agent: number): number {
    return this.#latest.get(agent) ?? -1;
  }

  nextSeqOf(agent: number): number {
    const latest = this.latestOf(agent);
    return latest < 0 ? 0 : this.seqs[latest] + 1;
  }

  add(agent: number, parents: readonly number[]): number {
    const order = this.size;
    const history = new Set<number>([order]);
    for (const parent of parents)
      for (const ancestor of this.histories[parent]) history.add(ancestor);
    this.seqs.push(this.nextSeqOf(agent));
    this.parents.push([...parents]);
    this.histories.push(history);
    this.agents.push(agent);
    this.#latest.set(agent, order);
    return order;
  }

  /** Everything in the history of any of `orders`. */
  historyOf(orders: readonly number[]): Set<number> {
    const history = new Set<number>();
    for (const order of orders) for (const ancestor of this.histories[order]) history.add(ancestor);
    return history;
  }

  contains(frontier: readonly number[], target: number): boolean {
    return frontier.some((order) => this.histories[order].has(target));
  }

  compare(a: number, b: number): VersionOrder {
    if (a === b) return 'equal';
    if (this.histories[b].has(a)) return 'before';
    if (this.histories[a].has(b)) return 'after';
    return 'concurrent';
  }

  /** The orders no other of them has in its history, ascending, without repeats. */
  frontierOf(orders: readonly number[]): number[] {
    const unique = [...new Set(orders)];
    return unique
      .filter(
        (order) => !unique.some((other) => other !== order && this.histories[other].has(order)),
      )
      .sort(ascending);
  }

  /** Orders in the history of `a` and not of `b`, ascending. */
  onlyIn(a: readonly number[], b: readonly number[]): number[] {
    const excluded = this.historyOf(b);
    return [...this.historyOf(a)].filter((order) => !excluded.has(order)).sort(ascending);
  }

  /** Operations no other operation names as a parent, ascending. */
  heads(): number[] {
    const isParent = new Set(this.parents.flat());
    return Array.from({ length: this.size }, (_, order) => order).filter(
      (order) => !isParent.has(order),
    );
  }
}

function ascending(left: number, right: number): number {
  return left - right;
}

// ---------------------------------------------------------------------------
// Random graphs, built through CausalGraph.add by its rules.
// ---------------------------------------------------------------------------

/**
 * One step of a random graph: agent `agent` writes `length` operations. The
 * first one's parents are the frontier of the picked operations together with
 * the agent's latest (so its history stays linear); the rest follow it one by
 * one, a sequential run.
 */
interface GraphStep {
  readonly agent: number;
  readonly picks: readonly number[];
  readonly length: number;
}

interface BuiltGraph {
  readonly graph: CausalGraph;
  readonly reference: ReferenceGraph;
}

const stepArbitrary: fc.Arbitrary<GraphStep> = fc.record({
  agent: fc.nat({ max: 4 }),
  picks: fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 3 }),
  length: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) },
    { weight: 1, arbitrary: fc.integer({ min: 4, max: 24 }) },
  ),
});

const stepsArbitrary = fc.array(stepArbitrary, { minLength: 1, maxLength: 24 });

function buildGraph(steps: readonly GraphStep[]): BuiltGraph {
  const graph = new CausalGraph();
  const reference = new ReferenceGraph();
  for (const { agent, picks, length } of steps) {
    const candidates = reference.size === 0 ? [] : picks.map((pick) => pick % reference.size);
    const latest = reference.latestOf(agent);
    if (latest >= 0) candidates.push(latest);
    let parents = reference.frontierOf(candidates);
    for (let step = 0; step < length; step++) {
      const seq = reference.nextSeqOf(agent);
      expect(graph.nextSeq(agent)).toBe(seq);
      const order = graph.add(agent, seq, parents);
      expect(reference.add(agent, parents)).toBe(order);
      parents = [order];
    }
  }
  return { graph, reference };
}

/** Picks as local orders of a non-empty graph (may repeat, may follow each other). */
function ordersFrom(picks: readonly number[], size: number): number[] {
  return picks.map((pick) => pick % size);
}

const picksArbitrary = fc.array(fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 4 }), {
  minLength: 4,
  maxLength: 4,
});

/** Some sets of orders to query with: raw picks, their frontiers, the heads and nothing. */
function frontiersFor({ graph, reference }: BuiltGraph, picks: readonly number[][]): number[][] {
  const raw = picks.map((pick) => ordersFrom(pick, graph.size));
  return [
    ...raw,
    ...raw.map((orders) => reference.frontierOf(orders)),
    [...graph.heads],
    [],
    [graph.size - 1],
  ];
}

/** Ranges are non-empty, ascending, and neither overlap nor touch. */
function expectWellFormed(ranges: OrderRanges, size: number): void {
  let previousEnd = -1;
  for (const [start, end] of ranges) {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThanOrEqual(size);
    expect(start).toBeGreaterThan(previousEnd);
    previousEnd = end;
  }
}

const SEED = 20_260_415;

describe('CausalGraph on random graphs', () => {
  it('stores every operation as the reference has it, with runs fully merged', () => {
    fc.assert(
      fc.property(stepsArbitrary, (steps) => {
        const { graph, reference } = buildGraph(steps);
        expect(graph.size).toBe(reference.size);
        for (let order = 0; order < reference.size; order++) {
          const agent = reference.agents[order];
          const seq = reference.seqs[order];
          expect(graph.versionAt(order)).toEqual({ agent, seq });
          expect(graph.orderOf(agent, seq)).toBe(order);
          expect(graph.agentAt(order)).toBe(agent);
          expect(graph.parentsOf(order)).toEqual(reference.parents[order]);
        }
        expect(graph.heads).toEqual(reference.heads());
        const agents = [...new Set(reference.agents)].sort(ascending);
        expect(graph.agents()).toEqual(agents);
        for (let agent = 0; agent <= 5; agent++) {
          expect(graph.nextSeq(agent)).toBe(reference.nextSeqOf(agent));
          expect(graph.latestOrderOf(agent)).toBe(reference.latestOf(agent));
          expect(graph.orderOf(agent, reference.nextSeqOf(agent))).toBe(-1);
        }
        // An operation continues the run before it exactly when its agent wrote
        // the previous order and that is its only parent.
        const continues = (order: number): boolean =>
          order > 0 &&
          reference.agents[order - 1] === reference.agents[order] &&
          reference.parents[order].length === 1 &&
          reference.parents[order][0] === order - 1;
        const runStarts = reference.parents
          .map((_, order) => order)
          .filter((order) => !continues(order));
        expect(graph.runs.map((run) => run.start)).toEqual(runStarts);
        let expectedStart = 0;
        for (const run of graph.runs) {
          expect(run.start).toBe(expectedStart);
          expectedStart = run.end;
          for (let order = run.start; order < run.end; order++) {
            expect(graph.runAt(order)).toBe(run);
          }
        }
        expect(expectedStart).toBe(graph.size);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('graph queries against the transitive-closure reference', () => {
  it('frontierContains answers as the closure does, for every target', () => {
    fc.assert(
      fc.property(stepsArbitrary, picksArbitrary, (steps, picks) => {
        const built = buildGraph(steps);
        const { graph, reference } = built;
        for (const frontier of frontiersFor(built, picks)) {
          for (let target = 0; target < graph.size; target++) {
            const expected = reference.contains(frontier, target);
            if (frontierContains(graph, frontier, target) !== expected) {
              expect.fail(
                `frontierContains([${frontier.join()}], ${target}) should be ${expected}`,
              );
            }
          }
        }
      }),
      { seed: SEED + 1, numRuns: 200 },
    );
  });

  it('compareOrders gives all four answers as the closure does, for every pair', () => {
    const seen = new Map<VersionOrder, number>();
    fc.assert(
      fc.property(stepsArbitrary, (steps) => {
        const { graph, reference } = buildGraph(steps);
        // Large graphs: every pair with a stride, so each run stays quick.
        const stride = Math.max(1, Math.floor(graph.size / 60));
        for (let a = 0; a < graph.size; a += 1) {
          for (let b = a % stride; b < graph.size; b += stride) {
            const expected = reference.compare(a, b);
            const actual = compareOrders(graph, a, b);
            if (actual !== expected) expect.fail(`compareOrders(${a}, ${b}) should be ${expected}`);
            seen.set(actual, (seen.get(actual) ?? 0) + 1);
          }
        }
      }),
      { seed: SEED + 2, numRuns: 150 },
    );
    for (const answer of ['equal', 'before', 'after', 'concurrent'] as const) {
      expect(seen.get(answer), answer).toBeGreaterThan(0);
    }
  });

  it('frontierOf keeps exactly the orders no other one follows, ascending', () => {
    fc.assert(
      fc.property(stepsArbitrary, picksArbitrary, (steps, picks) => {
        const built = buildGraph(steps);
        const { graph, reference } = built;
        for (const orders of frontiersFor(built, picks)) {
          const frontier = frontierOf(graph, orders);
          expect(frontier).toEqual(reference.frontierOf(orders));
          expect(frontierOf(graph, frontier)).toEqual(frontier);
        }
        const everything = Array.from({ length: graph.size }, (_, order) => order);
        expect(frontierOf(graph, everything)).toEqual(reference.heads());
      }),
      { seed: SEED + 3, numRuns: 200 },
    );
  });

  it('diffFrontiers gives the set differences of the histories as well-formed ranges', () => {
    fc.assert(
      fc.property(stepsArbitrary, picksArbitrary, (steps, picks) => {
        const built = buildGraph(steps);
        const { graph, reference } = built;
        const frontiers = frontiersFor(built, picks);
        for (const a of frontiers) {
          for (const b of frontiers) {
            const { onlyA, onlyB } = diffFrontiers(graph, a, b);
            expectWellFormed(onlyA, graph.size);
            expectWellFormed(onlyB, graph.size);
            expect(ordersIn(onlyA), `onlyA of [${a.join()}] and [${b.join()}]`).toEqual(
              reference.onlyIn(a, b),
            );
            expect(ordersIn(onlyB), `onlyB of [${a.join()}] and [${b.join()}]`).toEqual(
              reference.onlyIn(b, a),
            );
          }
        }
      }),
      { seed: SEED + 4, numRuns: 150 },
    );
  });

  it('recentOrders walks down from the frontier: descending, within the limit, in the history', () => {
    fc.assert(
      fc.property(stepsArbitrary, picksArbitrary, (steps, picks) => {
        const built = buildGraph(steps);
        const { graph, reference } = built;
        for (const frontier of frontiersFor(built, picks)) {
          const history = reference.historyOf(frontier);
          const everything = recentOrders(graph, frontier, Number.POSITIVE_INFINITY);
          for (let position = 1; position < everything.length; position++) {
            expect(everything[position]).toBeLessThan(everything[position - 1]);
          }
          for (const order of everything) expect(history.has(order)).toBe(true);
          // Unlimited, every frontier operation is listed, and every operation of
          // the history lies in a run below a listed one: the walk misses no run.
          for (const order of frontier) expect(everything).toContain(order);
          for (const order of history) {
            const run = graph.runAt(order);
            expect(
              everything.some((listed) => listed >= order && listed < run.end),
              `order ${order} is covered`,
            ).toBe(true);
          }
          if (frontier.length > 0) expect(everything[0]).toBe(Math.max(...frontier));
          for (const limit of [0, 1, 2, 5]) {
            const recent = recentOrders(graph, frontier, limit);
            expect(recent).toEqual(everything.slice(0, limit));
          }
        }
      }),
      { seed: SEED + 5, numRuns: 150 },
    );
  });
});

describe('graph queries on small named graphs', () => {
  /**
   * Agent 0 writes 0,1,2 (one run); agent 1 writes 3 on top of 0; agent 0
   * writes 4 merging 2 and 3; agent 2 writes 5, a second root.
   */
  function diamond(): CausalGraph {
    const graph = new CausalGraph();
    graph.add(0, 0, []);
    graph.add(0, 1, [0]);
    graph.add(0, 2, [1]);
    graph.add(1, 0, [0]);
    graph.add(0, 3, [2, 3]);
    graph.add(2, 0, []);
    return graph;
  }

  it('answers the fast paths and the walk alike', () => {
    const graph = diamond();
    expect(frontierContains(graph, [2], 0)).toBe(true); // inside the run
    expect(frontierContains(graph, [4], 1)).toBe(true); // same agent, by seq
    expect(frontierContains(graph, [3], 1)).toBe(false); // concurrent
    expect(frontierContains(graph, [4], 3)).toBe(true); // a direct parent
    expect(frontierContains(graph, [4], 5)).toBe(false); // another root
    expect(frontierContains(graph, [], 0)).toBe(false);
    expect(compareOrders(graph, 0, 4)).toBe('before');
    expect(compareOrders(graph, 4, 3)).toBe('after');
    expect(compareOrders(graph, 2, 3)).toBe('concurrent');
    expect(compareOrders(graph, 5, 5)).toBe('equal');
    expect(frontierOf(graph, [0, 2, 3, 3, 1])).toEqual([2, 3]);
    expect(frontierOf(graph, [5, 4, 0])).toEqual([4, 5]);
    expect(frontierOf(graph, [])).toEqual([]);
  });

  it('diffs by ranges and lists recent orders', () => {
    const graph = diamond();
    expect(diffFrontiers(graph, [2], [3])).toEqual({ onlyA: [[1, 3]], onlyB: [[3, 4]] });
    expect(diffFrontiers(graph, [4, 5], [1])).toEqual({ onlyA: [[2, 6]], onlyB: [] });
    expect(diffFrontiers(graph, [], [])).toEqual({ onlyA: [], onlyB: [] });
    expect(diffFrontiers(graph, [4], [4])).toEqual({ onlyA: [], onlyB: [] });
    expect(recentOrders(graph, [4, 5], 10)).toEqual([5, 4, 3, 2, 0]);
    expect(recentOrders(graph, [4, 5], 2)).toEqual([5, 4]);
  });

  it('ordersIn expands ranges in order', () => {
    expect(
      ordersIn([
        [0, 2],
        [5, 6],
      ]),
    ).toEqual([0, 1, 5]);
    expect(ordersIn([])).toEqual([]);
  });
});

describe('CausalGraph', () => {
  it('merges the sequential operations of one agent into one run', () => {
    const graph = new CausalGraph();
    for (let seq = 0; seq < 1000; seq++) {
      expect(graph.nextSeq(0)).toBe(seq);
      expect(graph.add(0, seq, seq === 0 ? [] : [seq - 1])).toBe(seq);
    }
    expect(graph.runs).toEqual([{ start: 0, end: 1000, agent: 0, seqStart: 0, parents: [] }]);
    expect(graph.heads).toEqual([999]);
    expect(graph.latestOrderOf(0)).toBe(999);
    expect(graph.parentsOf(500)).toEqual([499]);
    expect(graph.parentsOf(0)).toEqual([]);
  });

  it('starts a new run when the agent changes, a parent is not the previous order, or there are two parents', () => {
    const graph = new CausalGraph();
    graph.add(0, 0, []); // 0
    graph.add(1, 0, [0]); // 1: another agent
    graph.add(0, 1, [0]); // 2: agent 0 again, but its parent is not order 1
    graph.add(0, 2, [1, 2]); // 3: two parents
    graph.add(0, 3, [3]); // 4: continues run of 3
    expect(graph.runs.map((run) => [run.start, run.end, run.agent, run.seqStart])).toEqual([
      [0, 1, 0, 0],
      [1, 2, 1, 0],
      [2, 3, 0, 1],
      [3, 5, 0, 2],
    ]);
    expect(graph.parentsOf(3)).toEqual([1, 2]);
    expect(graph.heads).toEqual([4]);
    expect(graph.agents()).toEqual([0, 1]);
  });

  it('maps versions and orders both ways, and knows each agent’s next seq and latest order', () => {
    const graph = new CausalGraph();
    graph.add(3, 0, []); // agents need not be dense
    graph.add(3, 1, [0]);
    graph.add(1, 0, []);
    graph.add(3, 2, [1, 2]);
    for (let order = 0; order < graph.size; order++) {
      const { agent, seq } = graph.versionAt(order);
      expect(graph.orderOf(agent, seq)).toBe(order);
    }
    expect(graph.versionAt(3)).toEqual({ agent: 3, seq: 2 });
    expect(graph.orderOf(3, 3)).toBe(-1);
    expect(graph.orderOf(2, 0)).toBe(-1);
    expect(graph.orderOf(3, -1)).toBe(-1);
    expect(graph.nextSeq(3)).toBe(3);
    expect(graph.nextSeq(1)).toBe(1);
    expect(graph.nextSeq(0)).toBe(0);
    expect(graph.nextSeq(9)).toBe(0);
    expect(graph.latestOrderOf(3)).toBe(3);
    expect(graph.latestOrderOf(1)).toBe(2);
    expect(graph.latestOrderOf(0)).toBe(-1);
    expect(graph.heads).toEqual([3]);
    expect(graph.agents()).toEqual([1, 3]);
  });

  it('keeps concurrent heads, ascending, until an operation merges them', () => {
    const graph = new CausalGraph();
    expect(graph.heads).toEqual([]);
    graph.add(0, 0, []);
    graph.add(1, 0, []);
    graph.add(2, 0, [0]);
    expect(graph.heads).toEqual([1, 2]);
    graph.add(1, 1, [1, 2]);
    expect(graph.heads).toEqual([3]);
  });

  it('advanceFrontier drops the parents and adds the new order', () => {
    expect(advanceFrontier([4], [4], 5)).toEqual([5]);
    expect(advanceFrontier([2, 4], [4], 5)).toEqual([2, 5]);
    expect(advanceFrontier([2, 4], [1], 5)).toEqual([2, 4, 5]);
    expect(advanceFrontier([], [], 0)).toEqual([0]);
  });
});

describe('MaxHeap', () => {
  it('is empty at first', () => {
    const heap = new MaxHeap();
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
    expect(heap.size).toBe(0);
  });

  it('pops the largest first, repeats included', () => {
    const heap = new MaxHeap();
    for (const item of [5, 1, 9, 5, 0, 7, 9]) heap.push(item);
    expect(heap.size).toBe(7);
    expect(heap.peek()).toBe(9);
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop() as number);
    expect(popped).toEqual([9, 9, 7, 5, 5, 1, 0]);
    expect(heap.pop()).toBeUndefined();
  });

  it('behaves as a sorted list under any mix of pushes and pops', () => {
    const action = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: -50, max: 50 }) },
      { weight: 2, arbitrary: fc.constant('pop' as const) },
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 200 }), (actions) => {
        const heap = new MaxHeap();
        const model: number[] = [];
        for (const step of actions) {
          if (step === 'pop') {
            model.sort(ascending);
            expect(heap.pop()).toBe(model.pop());
          } else {
            heap.push(step);
            model.push(step);
          }
          expect(heap.size).toBe(model.length);
          expect(heap.peek()).toBe(model.length === 0 ? undefined : Math.max(...model));
        }
      }),
      { seed: SEED + 6, numRuns: 300 },
    );
  });
});
