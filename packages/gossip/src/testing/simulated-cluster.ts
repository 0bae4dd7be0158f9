/**
 * Many gossip nodes on one simulated network, as memberlist tests many real
 * nodes on distinct loopback addresses: the fixture of the engine's
 * convergence tests and of its benchmarks.
 */
import { isPeerKey, isVigError } from '@vig/crdt-core';
import type { MaxStore, VersionedStore } from '@vig/crdt-core';
import { createGossipNode } from '../gossip-node.js';
import type { GossipNode, GossipNodeOptions } from '../gossip-node.js';
import type { NodeMetrics } from '../node-metrics.js';
import { choosePeers } from '../random-peers.js';
import { seededRandom } from '../scheduler.js';
import { peerAddress } from '../transport.js';
import type { PeerAddress, Transport } from '../transport.js';
import { sumNodeMetrics } from './cluster-metrics.js';
import type { LinkConditions } from './link-conditions.js';
import { InvalidClusterOptionsError, UnknownClusterNodeError } from './simulated-cluster-errors.js';
import { createSimulatedNetwork } from './simulated-network.js';
import type { SimulatedNetwork } from './simulated-network.js';

/**
 * What every node of a cluster is built with, besides what the cluster gives
 * it (transport, scheduler, random source, seeds, store and versioned store).
 */
export type SimulatedNodeOptions = Partial<
  Omit<GossipNodeOptions, 'transport' | 'scheduler' | 'random' | 'seeds' | 'store' | 'docs'>
>;

/** Options of {@link createSimulatedCluster}. */
export interface SimulatedClusterOptions {
  /** The network's seed: links, seeds and every node's random source replay from it. */
  readonly seed: number;
  /** How many nodes (at least 1). */
  readonly size: number;
  /** The network's default link conditions; default `DEFAULT_LINK_CONDITIONS`. */
  readonly links?: LinkConditions;
  /** Options of every node; default the engine's own defaults (membership `LAN_MEMBERSHIP`). */
  readonly node?: SimulatedNodeOptions;
  /**
   * How many seeds each node has, drawn at random from the nodes before it
   * (node 0 has none, node 1 has node 0); default 3.
   */
  readonly seedsPerNode?: number;
  /** The address of node `index`; default {@link loopbackAddress}. */
  readonly addressOf?: (index: number) => string;
  /**
   * The versioned store node `index` replicates (`docs` of `createGossipNode`),
   * called once per node built (again on a restart that does not keep the
   * store); default none.
   */
  readonly docs?: (index: number) => VersionedStore;
}

/** Options of {@link SimulatedCluster.start}. */
export interface ClusterStartOptions {
  /**
   * Each node starts at a random moment within this many virtual milliseconds
   * from now, so that heartbeats and gossip rounds are not in lockstep;
   * default 0 (every node starts at once, inside `start`).
   */
  readonly spreadMilliseconds?: number;
}

/** Options of {@link SimulatedCluster.runUntil}. */
export interface RunUntilOptions {
  /**
   * Check the predicate every this many virtual milliseconds instead of after
   * every timer: for predicates that cost O(nodes) or more in large clusters.
   * The time returned is then rounded up to a multiple of it.
   */
  readonly checkEvery?: number;
}

/** Options of {@link SimulatedCluster.restart}. */
export interface ClusterRestartOptions {
  /**
   * Keep the crashed node's store (and versioned store), as if it had been
   * persisted; default false: fresh, empty stores, as a process restart loses
   * what it held in memory.
   */
  readonly keepStore?: boolean;
}

/**
 * A cluster of gossip nodes on one {@link SimulatedNetwork}, in virtual time.
 * Node `i` listens on {@link loopbackAddress}`(i)` unless told otherwise, and
 * every node shares the network's scheduler, with its own random source drawn
 * from the network's, so a whole run replays from the seed.
 */
export interface SimulatedCluster {
  /** The network the nodes talk over (links, partitions, traffic counters). */
  readonly network: SimulatedNetwork;
  /** The current node at each index (a restart replaces it). */
  readonly nodes: readonly GossipNode[];
  /** Each node's address, by index. */
  readonly addresses: readonly PeerAddress[];
  /** Starts every node that is not running or crashed (see {@link ClusterStartOptions}). */
  start(options?: ClusterStartOptions): void;
  /**
   * Stops every node (without the leave marker), and cancels the starts a
   * spread `start` has not made yet. The simulated transports hold nothing
   * to release.
   */
  stop(): void;
  /** The nodes running now: started, not stopped, not crashed. */
  running(): GossipNode[];
  /** Lets `milliseconds` of virtual time pass. */
  runFor(milliseconds: number): void;
  /**
   * Lets virtual time pass until `predicate` holds, at most `maxMilliseconds`.
   * Returns the virtual milliseconds taken, or undefined when the bound
   * passed first (the clock is then at the bound); it never throws for that,
   * so benchmarks can report a miss and tests can assert on it.
   */
  runUntil(
    predicate: () => boolean,
    maxMilliseconds: number,
    options?: RunUntilOptions,
  ): number | undefined;
  /** How many running nodes hold at least `value` at `index` of `key`. */
  holders(key: string, index: number, value: number): number;
  /**
   * True when every running node holds an equal vector (`MaxVector.equals`)
   * for every key in `keys`, or, by default, for every key any running node
   * holds except peer keys (`n:…`, whose heartbeats never stand still). A key
   * some node lacks and another holds is a difference.
   */
  converged(keys?: Iterable<string>): boolean;
  /**
   * True when every node that is not crashed is running and sees every other
   * such node as `alive` (so false while a node has yet to start or was
   * stopped without a crash).
   */
  allAlive(): boolean;
  /** Crashes node `index`: the network drops its traffic and the node stops, timers and all. */
  crash(index: number): void;
  /**
   * Brings node `index` back on the same address: a fresh node, with the same
   * seeds and a new random source, on a fresh transport, started at once (a
   * running node is crashed first). Returns the new node.
   */
  restart(index: number, options?: ClusterRestartOptions): GossipNode;
  /** Splits the network between the nodes at `groupA` and at `groupB` (indices); nodes in neither form a third group. */
  partition(groupA: readonly number[], groupB: readonly number[]): void;
  /** Ends the partition. */
  heal(): void;
  /** The sum of the metrics of every node this cluster has built, replaced ones included. */
  totals(): NodeMetrics;
}

/**
 * Node `index`'s default address: `127.a.b.c:7946` where `a.b.c` is
 * `index + 1` in base 256, so `127.0.0.1:7946` for node 0 and
 * `127.0.1.0:7946` for node 255.
 */
export function loopbackAddress(index: number): PeerAddress {
  const number = index + 1;
  return peerAddress(`127.${(number >> 16) & 255}.${(number >> 8) & 255}.${number & 255}:7946`);
}

/**
 * Builds `options.size` gossip nodes on a new simulated network; none runs
 * until {@link SimulatedCluster.start}.
 *
 * @throws {@link InvalidClusterOptionsError} for a size below 1 or a negative seed count
 *
 * @example
 * ```ts
 * const cluster = createSimulatedCluster({
 *   seed: 7, size: 10, links: { loss: 0.1 },
 *   node: { membership: LOCAL_MEMBERSHIP },
 * });
 * cluster.start();
 * cluster.runUntil(() => cluster.allAlive(), 5_000);
 * cluster.nodes[3]?.put('views', { kind: 'sparse', indices: [0], values: [1] });
 * cluster.runUntil(() => cluster.holders('views', 0, 1) === 10, 5_000); // virtual ms, or undefined
 * cluster.stop();
 * ```
 */
export function createSimulatedCluster(options: SimulatedClusterOptions): SimulatedCluster {
  return new Cluster(options);
}

class Cluster implements SimulatedCluster {
  readonly network: SimulatedNetwork;
  readonly addresses: readonly PeerAddress[];
  readonly #nodes: GossipNode[] = [];
  readonly #seeds: (readonly PeerAddress[])[] = [];
  readonly #built: GossipNode[] = [];
  readonly #nodeOptions: SimulatedNodeOptions;
  readonly #docs: ((index: number) => VersionedStore) | undefined;
  /** Raised by `stop`, so that nodes a spread `start` has yet to start stay stopped. */
  #generation = 0;

  constructor(options: SimulatedClusterOptions) {
    const { size, seedsPerNode = 3 } = options;
    if (!(Number.isSafeInteger(size) && size >= 1)) {
      throw new InvalidClusterOptionsError('size', size, 'an integer of at least 1');
    }
    if (!(Number.isSafeInteger(seedsPerNode) && seedsPerNode >= 0)) {
      throw new InvalidClusterOptionsError('seedsPerNode', seedsPerNode, 'an integer ≥ 0');
    }
    this.network = createSimulatedNetwork({
      seed: options.seed,
      ...(options.links === undefined ? {} : { defaults: options.links }),
    });
    this.#nodeOptions = options.node ?? {};
    this.#docs = options.docs;
    const addressOf = options.addressOf ?? loopbackAddress;
    this.addresses = Object.freeze(
      Array.from({ length: size }, (_, index) => peerAddress(addressOf(index))),
    );
    for (let index = 0; index < size; index++) {
      const earlier = this.addresses.slice(0, index);
      this.#seeds.push(choosePeers(earlier, seedsPerNode, this.network.random));
      this.#nodes.push(this.#build(index, this.network.transport(this.#address(index))));
    }
  }

  get nodes(): readonly GossipNode[] {
    return this.#nodes;
  }

  start(options: ClusterStartOptions = {}): void {
    const spread = options.spreadMilliseconds ?? 0;
    const generation = this.#generation;
    for (const [index, node] of this.#nodes.entries()) {
      if (node.running || this.network.isCrashed(this.#address(index))) continue;
      if (spread <= 0) node.start();
      else {
        this.network.scheduler.after(this.network.random() * spread, () => {
          if (generation === this.#generation) this.#late(index, node);
        });
      }
    }
  }

  stop(): void {
    this.#generation += 1;
    for (const node of this.#nodes) node.stop();
  }

  running(): GossipNode[] {
    return this.#nodes.filter(
      (node, index) => node.running && !this.network.isCrashed(this.#address(index)),
    );
  }

  runFor(milliseconds: number): void {
    this.network.scheduler.advance(milliseconds);
  }

  runUntil(
    predicate: () => boolean,
    maxMilliseconds: number,
    options: RunUntilOptions = {},
  ): number | undefined {
    const step = options.checkEvery;
    if (step === undefined) {
      try {
        return this.network.scheduler.runUntil(predicate, maxMilliseconds);
      } catch (error) {
        if (isVigError(error, 'VirtualTimeLimitError')) return undefined;
        throw error;
      }
    }
    const steps = Math.ceil(maxMilliseconds / step);
    for (let done = 0; done < steps; done++) {
      if (predicate()) return done * step;
      this.runFor(Math.min(step, maxMilliseconds - done * step));
    }
    return predicate() ? maxMilliseconds : undefined;
  }

  holders(key: string, index: number, value: number): number {
    let count = 0;
    for (const node of this.running()) if ((node.get(key)?.get(index) ?? 0) >= value) count += 1;
    return count;
  }

  converged(keys?: Iterable<string>): boolean {
    const nodes = this.running();
    const [first, ...others] = nodes;
    if (first === undefined) return true;
    for (const key of keys ?? replicatedKeys(nodes)) {
      const reference = first.get(key);
      for (const node of others) {
        const vector = node.get(key);
        if (vector === undefined || reference === undefined) {
          if (vector !== reference) return false;
        } else if (!vector.equals(reference)) return false;
      }
    }
    return true;
  }

  allAlive(): boolean {
    const nodes = this.running();
    const crashed = this.addresses.filter((address) => this.network.isCrashed(address)).length;
    if (nodes.length + crashed < this.addresses.length) return false;
    return nodes.every((node) =>
      nodes.every((other) => other === node || node.membership.status(other.address) === 'alive'),
    );
  }

  crash(index: number): void {
    const address = this.#address(index);
    if (this.network.isCrashed(address)) return;
    this.network.crash(address);
    this.#nodes[index]?.stop();
  }

  restart(index: number, options: ClusterRestartOptions = {}): GossipNode {
    this.crash(index);
    const before = this.#nodes[index];
    const keep = options.keepStore === true;
    const node = this.#build(
      index,
      this.network.restart(this.#address(index)),
      keep ? before?.store : undefined,
      keep ? before?.docs?.store : undefined,
    );
    this.#nodes[index] = node;
    node.start();
    return node;
  }

  partition(groupA: readonly number[], groupB: readonly number[]): void {
    const addresses = (group: readonly number[]): PeerAddress[] =>
      group.map((index) => this.#address(index));
    this.network.partition(addresses(groupA), addresses(groupB));
  }

  heal(): void {
    this.network.heal();
  }

  totals(): NodeMetrics {
    return sumNodeMetrics(this.#built.map((node) => node.metrics()));
  }

  /** Starts `node` late, unless it was crashed or replaced meanwhile. */
  #late(index: number, node: GossipNode): void {
    if (this.#nodes[index] === node && !this.network.isCrashed(node.address)) node.start();
  }

  #build(
    index: number,
    transport: Transport,
    store?: MaxStore,
    docs: VersionedStore | undefined = this.#docs?.(index),
  ): GossipNode {
    const node = createGossipNode({
      ...this.#nodeOptions,
      transport,
      scheduler: this.network.scheduler,
      random: seededRandom(Math.floor(this.network.random() * 2 ** 32)),
      seeds: this.#seeds[index] ?? [],
      ...(store === undefined ? {} : { store }),
      ...(docs === undefined ? {} : { docs }),
    });
    this.#built.push(node);
    return node;
  }

  #address(index: number): PeerAddress {
    const address = this.addresses[index];
    if (address === undefined) throw new UnknownClusterNodeError(index, this.addresses.length);
    return address;
  }
}

/** Every key the nodes hold, peer keys aside. */
function replicatedKeys(nodes: readonly GossipNode[]): Set<string> {
  const keys = new Set<string>();
  for (const node of nodes) for (const key of node.store.keys()) if (!isPeerKey(key)) keys.add(key);
  return keys;
}
