// Fixtures of the doc replication tests and benchmarks: clusters of nodes
// that each replicate a versioned store, on the simulated network.

import { VersionedStore, agentId, seededRandom } from '@vig/crdt-core';
import type { Version } from '@vig/crdt-core';
import { LOCAL_GOSSIP, LOCAL_MEMBERSHIP } from '../src/index.js';
import type { DocReplica, GossipConfig } from '../src/index.js';
import { createSimulatedCluster } from '../src/testing/index.js';
import type { LinkConditions, SimulatedCluster } from '../src/testing/index.js';

/** Options of {@link docCluster}. */
export interface DocClusterOptions {
  readonly seed: number;
  readonly size: number;
  readonly links?: LinkConditions;
  readonly config?: Partial<GossipConfig>;
}

/**
 * `size` nodes with local timings (`LOCAL_MEMBERSHIP`, `LOCAL_GOSSIP`), each
 * replicating a store of its own (agent `node-i`), started and all alive.
 */
export function docCluster(options: DocClusterOptions): SimulatedCluster {
  const cluster = createSimulatedCluster({
    seed: options.seed,
    size: options.size,
    ...(options.links === undefined ? {} : { links: options.links }),
    node: { ...LOCAL_GOSSIP, membership: LOCAL_MEMBERSHIP, ...options.config },
    docs: (index) =>
      new VersionedStore({
        agent: agentId(`node-${index}`),
        random: seededRandom(options.seed * 1000 + index),
      }),
  });
  cluster.start();
  if (cluster.runUntil(() => cluster.allAlive(), 30_000, { checkEvery: 50 }) === undefined) {
    throw new Error(`seed ${options.seed}: the cluster did not form`);
  }
  return cluster;
}

/** Every node's replica (the cluster's nodes all have one). */
export function replicas(cluster: SimulatedCluster): DocReplica[] {
  return cluster.nodes.map((node, index) => {
    if (node.docs === undefined) throw new Error(`node ${index} has no doc replica`);
    return node.docs;
  });
}

/** Every version a store holds, in its local order. */
export function versionsOf(store: VersionedStore): Version[] {
  return Array.from({ length: store.size }, (_, position) => store.versionAt(position));
}

/** A store's operations as a sorted list of "agent:seq" (the same on replicas holding the same set). */
export function operationSet(store: VersionedStore): string[] {
  return versionsOf(store)
    .map(({ agent, seq }) => `${agent}:${seq}`)
    .sort();
}

/** Every key's siblings (versions and values) at the checked-out version, as text. */
export function contents(store: VersionedStore): string {
  const keys = [...store.keys()].sort();
  return JSON.stringify(
    keys.map((key) => [
      key,
      store.get(key).map(({ version, value }) => [version.agent, version.seq, describe(value)]),
    ]),
  );
}

function describe(value: unknown): unknown {
  if (value instanceof Map)
    return [...value].map(([key, entry]) => [describe(key), describe(entry)]);
  if (value instanceof Uint8Array) return [...value];
  return value;
}

/** Whether every replica holds the same history (digests, then heads). */
export function inSync(all: readonly DocReplica[]): boolean {
  const [first, ...others] = all;
  if (first === undefined) return true;
  const { count, low, high } = first.store.digest;
  return others.every(({ store }) => {
    const digest = store.digest;
    return digest.count === count && digest.low === low && digest.high === high;
  });
}
