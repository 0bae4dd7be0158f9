import { agentId, createAgentId } from './agent-id.js';
import type { AgentId } from './agent-id.js';
import type { RandomSource } from './random-source.js';
import { CausalGraph } from './causal-graph.js';
import {
  compareOrders,
  diffFrontiers,
  frontierContains,
  frontierOf,
  ordersIn,
  recentOrders,
} from './graph-queries.js';
import type { VersionOrder } from './graph-queries.js';
import {
  MalformedOperationError,
  MissingParentError,
  UnknownBranchError,
  UnknownPositionError,
  UnknownVersionError,
} from './version-errors.js';
import type { VigError } from './vig-error.js';
import {
  assertOperation,
  assertVersion,
  compareVersionIds,
  versionKey,
} from './versioned-operation.js';
import type { Operation, Sibling, Version } from './versioned-operation.js';
import { EMPTY_HISTORY_DIGEST, addToDigest } from './history-digest.js';
import type { HistoryDigest } from './history-digest.js';
import { storeInternals } from './versioned-store-internals.js';
import type { StoreInternals, StoredWrite, SiblingEntry } from './versioned-store-internals.js';
import { WaitingOperations } from './waiting-operations.js';

/** Options of {@link VersionedStore}. */
export interface VersionedStoreOptions {
  /** The id this store writes as. Default: a fresh random id. */
  readonly agent?: AgentId;
  /** Randomness for agent ids. Default `Math.random`; inject a seeded one in tests. */
  readonly random?: RandomSource;
  /** How many remote operations may wait for missing parents. Default 10 000. */
  readonly maxWaiting?: number;
}

/**
 * What a store holds, compact: per agent, the ranges of seqs it has
 * (`[start, end)`). A store's seqs of one agent are always `0..n−1`, so each
 * agent has one range.
 */
export type VersionSummary = readonly {
  readonly agent: AgentId;
  readonly ranges: readonly (readonly [start: number, end: number])[];
}[];

/** What {@link VersionedStore.applyRemote} did with a batch. */
export interface ApplyResult {
  /** Operations added to the history (including ones released from waiting). */
  readonly applied: number;
  /** Operations already known: applying them again changes nothing. */
  readonly duplicates: number;
  /** Operations of this batch now waiting for parents. */
  readonly waiting: number;
  /** Operations given up: parents never arrived within the bound, or contradicting history. */
  readonly rejected: readonly VigError[];
  /**
   * The operations this call added to the history (of this batch, and
   * earlier ones released from waiting), in the order they were added:
   * parents before children. Their count is `applied`.
   */
  readonly added: readonly Operation[];
}

/** The default branch; a new store is on it. */
export const MAIN_BRANCH = 'main';

/**
 * A versioned key-value store that keeps full history: every write is an
 * operation `(agent, seq)` with its direct parents; concurrent writes of a key
 * are all kept as siblings until a write names them all; the store can move to
 * any version or named branch; two stores synchronise by exchanging the
 * operations the other lacks.
 *
 * @example
 * ```ts
 * const alice = new VersionedStore();
 * const bob = new VersionedStore();
 * alice.put('title', 'Draft');
 * bob.applyRemote(alice.operationsMissingFrom(bob.summary()));
 * alice.put('title', 'Alice’s title');
 * bob.put('title', 'Bob’s title'); // concurrent with Alice's
 * alice.applyRemote(bob.operationsMissingFrom(alice.summary()));
 * alice.get('title').map((sibling) => sibling.value); // both titles
 * alice.put('title', 'Agreed'); // names both siblings: one value again
 * ```
 */
export class VersionedStore {
  readonly #graph = new CausalGraph();
  readonly #agentIds: AgentId[] = [];
  readonly #agentNumbers = new Map<AgentId, number>();
  /** The key writes of each operation, by local order. */
  readonly #writes: StoredWrite[][] = [];
  /** For each operation, the operations whose writes name it as replaced (any key), by local order. */
  readonly #replacedBy: number[][] = [];
  /** The siblings of every key at the checked-out version. */
  readonly #values = new Map<string, SiblingEntry[]>();
  readonly #branches = new Map<string, number[]>([[MAIN_BRANCH, []]]);
  readonly #waiting: WaitingOperations;
  readonly #random: RandomSource;
  /** The frontier of the checked-out version, ascending local orders. */
  #current: number[] = [];
  #branch: string | undefined = MAIN_BRANCH;
  #agent: AgentId;
  #digest: HistoryDigest = EMPTY_HISTORY_DIGEST;

  constructor(options: VersionedStoreOptions = {}) {
    this.#random = options.random ?? Math.random;
    this.#agent =
      options.agent === undefined ? createAgentId(this.#random) : agentId(options.agent);
    this.#waiting = new WaitingOperations(options.maxWaiting ?? 10_000);
  }

  /** The agent this store writes as. */
  get agent(): AgentId {
    return this.#agent;
  }

  /** Number of operations in the history. */
  get size(): number {
    return this.#graph.size;
  }

  /** Remote operations waiting for their parents. */
  get waitingCount(): number {
    return this.#waiting.size;
  }

  /**
   * The order-independent digest of every operation in the history (see
   * {@link HistoryDigest}), kept up to date as operations are added: two
   * stores with equal digests hold the same operations.
   */
  get digest(): HistoryDigest {
    return this.#digest;
  }

  /** The checked-out version (a frontier), sorted by agent id then seq. */
  get frontier(): Version[] {
    return this.#versionsOf(this.#current);
  }

  /** The frontier of everything this store holds. */
  get heads(): Version[] {
    return this.#versionsOf(this.#graph.heads);
  }

  /** The branch checked out, or undefined after a checkout of a bare version. */
  get branch(): string | undefined {
    return this.#branch;
  }

  /** Writes from now on as `agent` (default: a fresh random id). */
  switchAgent(agent: AgentId = createAgentId(this.#random)): void {
    this.#agent = agentId(agent);
  }

  /** Every concurrent value of `key` at the checked-out version, sorted by version. */
  get(key: string): Sibling[] {
    const entries = this.#values.get(key);
    if (entries === undefined) return [];
    const siblings = entries.map(
      (entry) =>
        (entry.sibling ??= Object.freeze({
          version: Object.freeze(this.#versionAt(entry.order)),
          value: entry.value,
        })),
    );
    return siblings.length === 1
      ? siblings
      : siblings.sort((left, right) => compareVersionIds(left.version, right.version));
  }

  /** Keys that have a value at the checked-out version. */
  keys(): IterableIterator<string> {
    return this.#values.keys();
  }

  /** Writes one key; see {@link VersionedStore.putMany}. */
  put(key: string, value: unknown): Version {
    return this.putMany([[key, value]]);
  }

  /**
   * Writes several keys in one operation on top of the checked-out version;
   * each write replaces every current sibling of its key. If this store's agent
   * already wrote past the checked-out version (a write on an old version),
   * the store switches to a fresh agent first, keeping every agent's history
   * linear. The checked-out branch, if any, moves to the new operation.
   */
  putMany(writes: readonly (readonly [key: string, value: unknown])[]): Version {
    if (writes.length === 0)
      throw new MalformedOperationError('an operation writes at least one key');
    const keys = new Set<string>();
    for (const [key] of writes) {
      if (typeof key !== 'string') throw new MalformedOperationError('a key is not a string');
      if (keys.has(key)) {
        throw new MalformedOperationError(`key ${JSON.stringify(key)} is written twice`);
      }
      keys.add(key);
    }
    let agent = this.#agentNumber(this.#agent);
    const latest = this.#graph.latestOrderOf(agent);
    if (latest >= 0 && !frontierContains(this.#graph, this.#current, latest)) {
      this.switchAgent();
      agent = this.#agentNumber(this.#agent);
    }
    const stored = writes.map(([key, value]) => ({
      key,
      value,
      replaces: (this.#values.get(key) ?? []).map((sibling) => sibling.order),
    }));
    const seq = this.#graph.nextSeq(agent);
    const order = this.#graph.add(agent, seq, this.#current);
    this.#digest = addToDigest(this.#digest, this.#agent, seq);
    this.#store(order, stored);
    this.#advance(order);
    this.#moveTo([order]);
    return this.#versionAt(order);
  }

  /** How two versions relate: equal, one before the other, or concurrent. */
  compare(a: Version, b: Version): VersionOrder {
    return compareOrders(this.#graph, this.#orderOf(a), this.#orderOf(b));
  }

  /** True when `version` is in the history of `frontier`. */
  contains(frontier: readonly Version[], version: Version): boolean {
    return frontierContains(this.#graph, this.#ordersOf(frontier), this.#orderOf(version));
  }

  /** The frontier of a set of versions: those no other one of them follows. */
  frontierOf(versions: readonly Version[]): Version[] {
    return this.#versionsOf(frontierOf(this.#graph, this.#ordersOf(versions)));
  }

  /** The operations only in the history of `a`, and only in that of `b` (versions, in order). */
  diff(a: readonly Version[], b: readonly Version[]): { onlyA: Version[]; onlyB: Version[] } {
    const { onlyA, onlyB } = diffFrontiers(this.#graph, this.#ordersOf(a), this.#ordersOf(b));
    return {
      onlyA: ordersIn(onlyA).map((order) => this.#versionAt(order)),
      onlyB: ordersIn(onlyB).map((order) => this.#versionAt(order)),
    };
  }

  /**
   * Moves the store to a version (a frontier) or a named branch: unapplies
   * what only the current history has, applies what only the target's has.
   * Reads afterwards equal those of a store that only ever saw the target's
   * history. Checking out a version detaches from any branch.
   *
   * @throws {@link UnknownVersionError} or {@link UnknownBranchError}; nothing changes then
   */
  checkout(target: readonly Version[] | string): void {
    let orders: readonly number[];
    if (typeof target === 'string') {
      const branch = this.#branches.get(target);
      if (branch === undefined) throw new UnknownBranchError(target);
      orders = branch;
    } else {
      orders = frontierOf(this.#graph, this.#ordersOf(target));
    }
    this.#checkoutOrders(orders);
    this.#branch = typeof target === 'string' ? target : undefined;
  }

  /** Creates (or moves) branch `name` at `at` (default: the checked-out version). */
  createBranch(name: string, at: readonly Version[] = this.frontier): void {
    this.#branches.set(name, frontierOf(this.#graph, this.#ordersOf(at)));
  }

  /** Deletes branch `name`; checking it out is then an error. Deleting the current branch detaches. */
  deleteBranch(name: string): void {
    if (!this.#branches.delete(name)) throw new UnknownBranchError(name);
    if (this.#branch === name) this.#branch = undefined;
  }

  /** Every branch with its frontier, sorted by name. */
  listBranches(): { name: string; frontier: Version[] }[] {
    return [...this.#branches]
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([name, orders]) => ({ name, frontier: this.#versionsOf(orders) }));
  }

  /**
   * What this store holds, per agent as ranges of seqs (see
   * {@link VersionSummary}). Its size grows with the number of agents ever
   * seen; {@link VersionedStore.operationsSince} syncs at the cost of the
   * differences instead.
   */
  summary(): VersionSummary {
    const summary: { agent: AgentId; ranges: (readonly [number, number])[] }[] = [];
    for (const agent of this.#graph.agents()) {
      summary.push({
        agent: this.#agentIds[agent],
        ranges: [[0, this.#graph.nextSeq(agent)]],
      });
    }
    return summary;
  }

  /**
   * The operations this store holds that a store with `summary` lacks, parents
   * before children. Exact, at a cost linear in the number of agents.
   */
  operationsMissingFrom(summary: VersionSummary): Operation[] {
    const orders: number[] = [];
    const seen = new Set<number>();
    for (const { agent, ranges } of summary) {
      const number = this.#agentNumbers.get(agent);
      if (number === undefined) continue;
      seen.add(number);
      // Seqs of an agent are held from 0 without gaps, so what counts is the
      // end of a range starting at 0.
      const first = ranges.find(([start]) => start === 0);
      this.#pushOrdersFrom(orders, number, first === undefined ? 0 : first[1]);
    }
    for (const agent of this.#graph.agents()) {
      if (!seen.has(agent)) this.#pushOrdersFrom(orders, agent, 0);
    }
    return orders.sort((left, right) => left - right).map((order) => this.#operationAt(order));
  }

  /**
   * The operations a store whose version is `frontier` (typically its heads)
   * may lack, parents before children: everything here outside the history of
   * the versions of `frontier` that this store knows. Complete, and exact when
   * every version of `frontier` is known here; otherwise it may include
   * operations the other store already has, which it ignores. Costs time in
   * proportion to the differences, not to the history or the agents.
   */
  operationsSince(frontier: readonly Version[]): Operation[] {
    frontier.forEach((version, position) => assertVersion(version, `frontier[${position}]`));
    const shared: number[] = [];
    for (const { agent, seq } of frontier) {
      // Holding (agent, seq) means holding the agent's seqs 0..seq (its
      // history is linear): the latest of those known here is shared.
      const number = this.#agentNumbers.get(agent);
      if (number === undefined) continue;
      const next = this.#graph.nextSeq(number);
      if (next > 0) shared.push(this.#graph.orderOf(number, Math.min(seq, next - 1)));
    }
    const { onlyA } = diffFrontiers(this.#graph, this.#graph.heads, shared);
    return ordersIn(onlyA).map((order) => this.#operationAt(order));
  }

  /**
   * The heads and, walking down, the top of each run below them, most recent
   * first, up to `limit` versions. Sent to a peer, it lets
   * {@link VersionedStore.operationsSince} find what the two share even when
   * the heads themselves are new to that peer.
   */
  recentVersions(limit = 32): Version[] {
    return recentOrders(this.#graph, this.#graph.heads, limit).map((order) =>
      this.#versionAt(order),
    );
  }

  /** The operation `version`, as it travels between stores. */
  operation(version: Version): Operation {
    return this.#operationAt(this.#orderOf(version));
  }

  /** Whether the history holds `version` (operations still waiting for parents do not count). */
  has(version: Version): boolean {
    assertVersion(version, 'version');
    return this.#knownOrder(version) >= 0;
  }

  /**
   * The version at `position` in this store's local order: positions
   * `0..size − 1` list the history in the order this store added it, parents
   * before children, so `versionAt(size − 1)` is the newest. Positions are
   * this store's own (another replica orders concurrent operations its own
   * way) and never change once given.
   *
   * @throws {@link UnknownPositionError} unless `position` is an integer in `0..size − 1`
   */
  versionAt(position: number): Version {
    if (!Number.isSafeInteger(position) || position < 0 || position >= this.#graph.size) {
      throw new UnknownPositionError(position, this.#graph.size);
    }
    return this.#versionAt(position);
  }

  /**
   * The position of `version` in this store's local order (see
   * {@link VersionedStore.versionAt}).
   *
   * @throws {@link UnknownVersionError} when the history does not hold it
   */
  positionOf(version: Version): number {
    return this.#orderOf(version);
  }

  /**
   * Adds remote operations, in any order. A known operation changes nothing;
   * one whose parents are missing waits until they arrive (up to
   * `maxWaiting` operations, past which the longest waiting is rejected). If
   * the store was at its heads, it moves forward with them (and so does its
   * branch); otherwise the history grows and the checked-out version stays.
   *
   * @throws {@link MalformedOperationError} for a badly shaped operation, before any is applied
   */
  applyRemote(operations: readonly Operation[]): ApplyResult {
    operations.forEach((operation) => assertOperation(operation));
    let duplicates = 0;
    const rejected: VigError[] = [];
    const added: Operation[] = [];
    const batch = new Set(operations);
    /** Operations of this batch sent to wait, by version key. */
    const parked = new Map<string, Operation>();
    const work = [...operations].reverse();
    while (work.length > 0) {
      const operation = work.pop() as Operation;
      const agent = this.#agentNumber(operation.version.agent);
      if (this.#graph.orderOf(agent, operation.version.seq) >= 0 || this.#waiting.has(operation)) {
        duplicates++;
        continue;
      }
      const missing = this.#firstMissing(operation);
      if (missing !== undefined) {
        if (batch.has(operation)) parked.set(versionKey(operation.version), operation);
        for (const dropped of this.#waiting.add(operation, missing)) {
          const { agent: droppedAgent, seq } = dropped.operation.version;
          rejected.push(new MissingParentError(droppedAgent, seq, dropped.missing));
        }
        continue;
      }
      try {
        this.#integrate(operation, agent);
        added.push(operation);
      } catch (error) {
        if (!(error instanceof MalformedOperationError)) throw error;
        rejected.push(error);
        continue;
      }
      const released = this.#waiting.release(versionKey(operation.version));
      for (let i = released.length - 1; i >= 0; i--) work.push(released[i]);
    }
    let waiting = 0;
    for (const operation of parked.values()) if (this.#waiting.has(operation)) waiting++;
    return { applied: added.length, duplicates, waiting, rejected, added };
  }

  /** For the invariant checker (`@vig/crdt-core/testing`) only. */
  [storeInternals](): StoreInternals {
    return {
      graph: this.#graph,
      writes: this.#writes,
      values: this.#values,
      current: this.#current,
      agentIds: this.#agentIds,
      advance: (values, order) => this.#advanceInto(values, order),
    };
  }

  #pushOrdersFrom(orders: number[], agent: number, fromSeq: number): void {
    const next = this.#graph.nextSeq(agent);
    for (let seq = fromSeq; seq < next; seq++) orders.push(this.#graph.orderOf(agent, seq));
  }

  /**
   * The first parent of `operation` not known here. Once every parent is
   * known, so is the operation's whole history: if its agent's previous
   * operation is still missing, it is not in that history: `#integrate`
   * rejects the operation rather than letting it wait for that one.
   */
  #firstMissing(operation: Operation): string | undefined {
    for (const parent of operation.parents) {
      if (this.#knownOrder(parent) < 0) return versionKey(parent);
    }
    return undefined;
  }

  /** Adds a remote operation whose parents are all known; throws before changing anything. */
  #integrate(operation: Operation, agent: number): void {
    const where = `operation ${versionKey(operation.version)}`;
    const parents = frontierOf(
      this.#graph,
      operation.parents.map((parent) => this.#knownOrder(parent)),
    );
    const { seq } = operation.version;
    if (seq !== this.#graph.nextSeq(agent)) {
      const previous = versionKey({ agent: operation.version.agent, seq: seq - 1 });
      throw new MalformedOperationError(
        `${where}: seq ${seq} skips: its agent's previous operation ${previous} is not in its history`,
      );
    }
    if (seq > 0 && !frontierContains(this.#graph, parents, this.#graph.orderOf(agent, seq - 1))) {
      throw new MalformedOperationError(
        `${where}: its agent's previous operation is not among its ancestors`,
      );
    }
    const stored = operation.writes.map((write): StoredWrite => {
      const replaces = write.replaces.map((replaced) => {
        const order = this.#knownOrder(replaced);
        const wrote =
          order >= 0 && (this.#writes[order] ?? []).some((other) => other.key === write.key);
        if (!wrote || !frontierContains(this.#graph, parents, order)) {
          throw new MalformedOperationError(
            `${where}: replaces ${versionKey(replaced)}, which is not a write of ${JSON.stringify(write.key)} in its history`,
          );
        }
        return order;
      });
      return { key: write.key, value: write.value, replaces };
    });
    const following = sameOrders(this.#current, this.#graph.heads);
    const order = this.#graph.add(agent, seq, parents);
    this.#digest = addToDigest(this.#digest, operation.version.agent, seq);
    this.#store(order, stored);
    if (following) {
      this.#advance(order);
      this.#moveTo([...this.#graph.heads]);
    }
  }

  #store(order: number, writes: StoredWrite[]): void {
    this.#writes[order] = writes;
    for (const { replaces } of writes) {
      for (const replaced of replaces) {
        // Most versions are replaced once: an exact one-element array, not an
        // empty one grown by push (which reserves room for many).
        const list = this.#replacedBy[replaced];
        if (list === undefined) this.#replacedBy[replaced] = [order];
        else list.push(order);
      }
    }
  }

  #checkoutOrders(target: readonly number[]): void {
    const { onlyA, onlyB } = diffFrontiers(this.#graph, this.#current, target);
    for (let range = onlyA.length - 1; range >= 0; range--) {
      const [start, end] = onlyA[range];
      for (let order = end - 1; order >= start; order--) this.#retreat(order, target);
    }
    for (const [start, end] of onlyB) {
      for (let order = start; order < end; order++) this.#advance(order);
    }
    this.#current = [...target];
  }

  /** The checked-out version becomes `frontier`; the current branch follows. */
  #moveTo(frontier: number[]): void {
    this.#current = frontier;
    if (this.#branch !== undefined) this.#branches.set(this.#branch, frontier);
  }

  #advance(order: number): void {
    this.#advanceInto(this.#values, order);
  }

  /**
   * Applies operation `order`, whose parents are all in the history `values`
   * reflects: each write replaces the siblings it names and joins the rest.
   */
  #advanceInto(values: Map<string, SiblingEntry[]>, order: number): void {
    for (const { key, value, replaces } of this.#writes[order] ?? []) {
      const siblings = values.get(key);
      const kept =
        siblings === undefined
          ? []
          : siblings.filter((sibling) => !replaces.includes(sibling.order));
      kept.push({ order, value });
      values.set(key, kept);
    }
  }

  /**
   * Unapplies operation `order`, which nothing in the current history follows,
   * during a checkout to `target`: its values leave, and the versions it
   * replaced return unless a write of the key in the target's history (which
   * lacks this one) names them too. That write stays or is applied by this
   * checkout, so the checkout ends as a replay of the target's history would,
   * whatever versions a remote write chose to name.
   */
  #retreat(order: number, target: readonly number[]): void {
    for (const { key, replaces } of this.#writes[order] ?? []) {
      const siblings = (this.#values.get(key) ?? []).filter((sibling) => sibling.order !== order);
      for (const replaced of replaces) {
        if (siblings.some((sibling) => sibling.order === replaced)) continue;
        if (this.#namedIn(target, replaced, key)) continue;
        siblings.push({ order: replaced, value: this.#valueWritten(replaced, key) });
      }
      if (siblings.length === 0) this.#values.delete(key);
      else this.#values.set(key, siblings);
    }
  }

  /** True when a write of `key` in the history of `target` names `replaced` as replaced. */
  #namedIn(target: readonly number[], replaced: number, key: string): boolean {
    for (const other of this.#replacedBy[replaced] ?? []) {
      if (!frontierContains(this.#graph, target, other)) continue;
      const names = (this.#writes[other] ?? []).some(
        (write) => write.key === key && write.replaces.includes(replaced),
      );
      if (names) return true;
    }
    return false;
  }

  #valueWritten(order: number, key: string): unknown {
    return (this.#writes[order] ?? []).find((write) => write.key === key)?.value;
  }

  #agentNumber(agent: AgentId): number {
    let number = this.#agentNumbers.get(agent);
    if (number === undefined) {
      number = this.#agentIds.length;
      this.#agentIds.push(agent);
      this.#agentNumbers.set(agent, number);
    }
    return number;
  }

  /** Local order of `version`, or −1 when unknown. */
  #knownOrder(version: Version): number {
    const agent = this.#agentNumbers.get(version.agent);
    return agent === undefined ? -1 : this.#graph.orderOf(agent, version.seq);
  }

  #orderOf(version: Version): number {
    assertVersion(version, 'version');
    const order = this.#knownOrder(version);
    if (order < 0) throw new UnknownVersionError(version.agent, version.seq);
    return order;
  }

  #ordersOf(versions: readonly Version[]): number[] {
    return versions.map((version) => this.#orderOf(version));
  }

  #versionAt(order: number): Version {
    const { agent, seq } = this.#graph.versionAt(order);
    return { agent: this.#agentIds[agent], seq };
  }

  #versionsOf(orders: readonly number[]): Version[] {
    return orders.map((order) => this.#versionAt(order)).sort(compareVersionIds);
  }

  #operationAt(order: number): Operation {
    return {
      version: this.#versionAt(order),
      parents: this.#versionsOf(this.#graph.parentsOf(order)),
      writes: (this.#writes[order] ?? []).map(({ key, value, replaces }) => ({
        key,
        value,
        replaces: this.#versionsOf(replaces),
      })),
    };
  }
}

function sameOrders(left: readonly number[], right: readonly number[]): boolean {
  return left.length === right.length && left.every((order, position) => order === right[position]);
}
