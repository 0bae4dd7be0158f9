/**
 * A stretch of consecutive local orders `[start, end)` written by one agent
 * with consecutive seqs, where every operation after the first has exactly
 * one parent: the operation before it. A long sequential history is one run.
 */
export interface GraphRun {
  readonly start: number;
  end: number;
  /** The agent's small number in this graph. */
  readonly agent: number;
  readonly seqStart: number;
  /** The first operation's parents, ascending local orders (empty for a root). */
  readonly parents: readonly number[];
}

/** Seqs `[seqStart, seqEnd)` of one agent, held at orders `[orderStart, …)`. */
interface AgentSpan {
  readonly seqStart: number;
  seqEnd: number;
  readonly orderStart: number;
}

/** A version as this graph stores it: the agent's small number and its seq. */
export interface LocalVersion {
  readonly agent: number;
  readonly seq: number;
}

/**
 * The version graph: every operation, numbered by a local order in which
 * every parent comes before its children, stored as runs so that a sequential
 * history costs a few runs rather than an entry per operation.
 *
 * Agents are small numbers here (the store maps their string ids). Each
 * agent's history is linear: its operation `seq` follows `seq − 1`, so the
 * seqs it holds of an agent are always `0..n−1`.
 */
export class CausalGraph {
  readonly #runs: GraphRun[] = [];
  readonly #spans: AgentSpan[][] = [];
  #heads: number[] = [];
  #size = 0;
  /** Index of the run last found, since lookups cluster. */
  #lastRun = 0;

  /** Number of operations. */
  get size(): number {
    return this.#size;
  }

  /** The frontier of the whole graph: operations no other operation follows, ascending. */
  get heads(): readonly number[] {
    return this.#heads;
  }

  /** The runs, ascending by start (read-only; for queries and invariant checks). */
  get runs(): readonly GraphRun[] {
    return this.#runs;
  }

  /** Number of operations held of `agent`, which is also its next seq. */
  nextSeq(agent: number): number {
    const spans = this.#spans[agent];
    const last = spans?.[spans.length - 1];
    return last === undefined ? 0 : last.seqEnd;
  }

  /** Local order of the agent's latest operation, or −1. */
  latestOrderOf(agent: number): number {
    const next = this.nextSeq(agent);
    return next === 0 ? -1 : this.orderOf(agent, next - 1);
  }

  /** Agents with at least one operation (their small numbers). */
  agents(): number[] {
    const agents: number[] = [];
    this.#spans.forEach((spans, agent) => {
      if (spans.length > 0) agents.push(agent);
    });
    return agents;
  }

  /**
   * Adds an operation and returns its local order. The caller guarantees the
   * graph's rules: `seq` is the agent's next seq, `parents` are known local
   * orders forming a frontier, ascending, and contain the agent's previous
   * operation in their history.
   */
  add(agent: number, seq: number, parents: readonly number[]): number {
    const order = this.#size;
    const last = this.#runs[this.#runs.length - 1];
    if (
      last !== undefined &&
      last.agent === agent &&
      last.seqStart + (last.end - last.start) === seq &&
      parents.length === 1 &&
      parents[0] === last.end - 1
    ) {
      last.end += 1;
    } else {
      this.#runs.push({
        start: order,
        end: order + 1,
        agent,
        seqStart: seq,
        parents: [...parents],
      });
    }
    const spans = (this.#spans[agent] ??= []);
    const span = spans[spans.length - 1];
    if (span !== undefined && span.orderStart + (span.seqEnd - span.seqStart) === order) {
      span.seqEnd += 1;
    } else {
      spans.push({ seqStart: seq, seqEnd: seq + 1, orderStart: order });
    }
    this.#heads = advanceFrontier(this.#heads, parents, order);
    this.#size = order + 1;
    return order;
  }

  /** Local order of (agent, seq), or −1 when unknown. */
  orderOf(agent: number, seq: number): number {
    const spans = this.#spans[agent];
    if (spans === undefined || spans.length === 0) return -1;
    let low = 0;
    let high = spans.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const span = spans[middle];
      if (seq < span.seqStart) high = middle - 1;
      else if (seq >= span.seqEnd) low = middle + 1;
      else return span.orderStart + (seq - span.seqStart);
    }
    return -1;
  }

  /** The run holding `order` (which must be a known order). */
  runAt(order: number): GraphRun {
    const runs = this.#runs;
    const cached = runs[this.#lastRun];
    if (cached !== undefined && order >= cached.start && order < cached.end) return cached;
    let low = 0;
    let high = runs.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (runs[middle].start <= order) low = middle;
      else high = middle - 1;
    }
    this.#lastRun = low;
    return runs[low];
  }

  /** The agent and seq of `order`. */
  versionAt(order: number): LocalVersion {
    const run = this.runAt(order);
    return { agent: run.agent, seq: run.seqStart + (order - run.start) };
  }

  /** The agent (small number) of `order`. */
  agentAt(order: number): number {
    return this.runAt(order).agent;
  }

  /** The direct parents of `order`, ascending. */
  parentsOf(order: number): readonly number[] {
    const run = this.runAt(order);
    return order === run.start ? run.parents : [order - 1];
  }
}

/**
 * The frontier after adding `order` with `parents` to `frontier`: parents
 * leave it (they are followed now) and the new operation joins it.
 */
export function advanceFrontier(
  frontier: readonly number[],
  parents: readonly number[],
  order: number,
): number[] {
  if (frontier.length === 1 && parents.length === 1 && frontier[0] === parents[0]) return [order];
  const next = frontier.filter((head) => !parents.includes(head));
  next.push(order);
  return next;
}
