/**
 * Records when each node first holds a written value, from the nodes'
 * `change` events: exact arrival times at no cost per scheduler step.
 */
import type { GossipNode } from '@vig/gossip';
import type { SimulatedCluster } from '@vig/gossip/testing';

/** The arrival of one write across a cluster. */
export interface SpreadTracker {
  /** Nodes holding the value. */
  readonly holders: number;
  /** Virtual ms after the write when the `fraction` (0..1] of nodes held it, or undefined. */
  timeToFraction(fraction: number): number | undefined;
  /** Stops listening. */
  stop(): void;
}

/**
 * Writes `value` at index 0 of `key` on `writer` now and tracks its arrival
 * on every node of `cluster`.
 */
export function writeAndTrack(
  cluster: SimulatedCluster,
  writer: GossipNode,
  key: string,
  value: number,
): SpreadTracker {
  const scheduler = cluster.network.scheduler;
  const writtenAt = scheduler.now();
  const arrivals: number[] = [];
  const holds = (node: GossipNode): boolean => (node.get(key)?.get(0) ?? 0) >= value;
  const stops = cluster.nodes.map((node) => {
    let arrived = false;
    const stop = node.on('change', (change) => {
      if (arrived || change.key !== key || !holds(node)) return;
      arrived = true;
      arrivals.push(scheduler.now() - writtenAt);
      stop();
    });
    return stop;
  });
  writer.put(key, { kind: 'sparse', indices: [0], values: [value] });
  const size = cluster.nodes.length;
  return {
    get holders() {
      return arrivals.length;
    },
    timeToFraction(fraction) {
      const needed = Math.ceil(fraction * size);
      return arrivals.length >= needed ? arrivals[needed - 1] : undefined;
    },
    stop() {
      for (const stop of stops) stop();
    },
  };
}
