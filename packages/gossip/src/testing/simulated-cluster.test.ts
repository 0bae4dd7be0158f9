import { describe, expect, it } from 'vitest';
import { LOCAL_MEMBERSHIP } from '../membership-config.js';
import { createSimulatedCluster, loopbackAddress } from './simulated-cluster.js';
import type { SimulatedCluster, SimulatedClusterOptions } from './simulated-cluster.js';
import { InvalidClusterOptionsError, UnknownClusterNodeError } from './simulated-cluster-errors.js';

const local = { membership: LOCAL_MEMBERSHIP } as const;

function startedCluster(options: Partial<SimulatedClusterOptions> = {}): SimulatedCluster {
  const cluster = createSimulatedCluster({ seed: 1, size: 6, node: local, ...options });
  cluster.start();
  expect(cluster.runUntil(() => cluster.allAlive(), 5_000)).toBeDefined();
  return cluster;
}

function write(cluster: SimulatedCluster, index: number, key: string, value: number): void {
  cluster.nodes[index]?.put(key, { kind: 'sparse', indices: [0], values: [value] });
}

describe('loopbackAddress', () => {
  it('numbers nodes from 127.0.0.1 in base 256', () => {
    expect(loopbackAddress(0)).toBe('127.0.0.1:7946');
    expect(loopbackAddress(254)).toBe('127.0.0.255:7946');
    expect(loopbackAddress(255)).toBe('127.0.1.0:7946');
    expect(loopbackAddress(999)).toBe('127.0.3.232:7946');
  });
});

describe('createSimulatedCluster', () => {
  it('builds the nodes on their addresses, seeded by earlier nodes only', () => {
    const cluster = createSimulatedCluster({ seed: 3, size: 8, seedsPerNode: 2 });

    expect(cluster.nodes.map((node) => node.address)).toEqual(cluster.addresses);
    expect(cluster.addresses[7]).toBe('127.0.0.8:7946');
    cluster.nodes.forEach((node, index) => {
      const seeds = node.membership.seeds();
      expect(seeds).toHaveLength(Math.min(2, index));
      for (const seed of seeds) expect(cluster.addresses.indexOf(seed)).toBeLessThan(index);
    });
    expect(cluster.running()).toHaveLength(0);
  });

  it('uses the given addresses', () => {
    const cluster = createSimulatedCluster({
      seed: 3,
      size: 2,
      addressOf: (index) => `10.0.0.${index + 1}:9000`,
    });
    expect(cluster.addresses).toEqual(['10.0.0.1:9000', '10.0.0.2:9000']);
  });

  it('forms membership, spreads a write to every node and reports convergence', () => {
    const cluster = startedCluster();

    write(cluster, 2, 'views', 5);
    expect(cluster.converged()).toBe(false);
    const taken = cluster.runUntil(() => cluster.holders('views', 0, 5) === 6, 2_000);

    expect(taken).toBeDefined();
    expect(cluster.converged()).toBe(true);
    expect(cluster.converged(['views', 'absent'])).toBe(true);
    expect(cluster.holders('views', 0, 6)).toBe(0);
    cluster.stop();
    expect(cluster.running()).toHaveLength(0);
  });

  it('returns undefined from runUntil when the bound passes, with the clock at the bound', () => {
    const cluster = startedCluster();
    const before = cluster.network.scheduler.now();

    expect(cluster.runUntil(() => false, 500)).toBeUndefined();
    expect(cluster.network.scheduler.now()).toBe(before + 500);
    expect(cluster.runUntil(() => false, 500, { checkEvery: 200 })).toBeUndefined();
    expect(cluster.network.scheduler.now()).toBe(before + 1_000);
    expect(cluster.runUntil(() => true, 500, { checkEvery: 200 })).toBe(0);
    cluster.stop();
  });

  it('checks the predicate every checkEvery milliseconds when asked', () => {
    const cluster = startedCluster();
    const start = cluster.network.scheduler.now();

    const taken = cluster.runUntil(() => cluster.network.scheduler.now() >= start + 450, 1_000, {
      checkEvery: 200,
    });

    expect(taken).toBe(600);
    cluster.stop();
  });

  it('keeps a partition apart until it heals', () => {
    const cluster = startedCluster();
    cluster.partition([0, 1, 2], [3, 4, 5]);

    write(cluster, 0, 'left-side', 1);
    cluster.runFor(1_000);

    expect(cluster.holders('left-side', 0, 1)).toBe(3);
    expect(cluster.converged()).toBe(false);
    cluster.heal();
    write(cluster, 0, 'left-side', 2);
    expect(cluster.runUntil(() => cluster.converged(), 5_000)).toBeDefined();
    expect(cluster.holders('left-side', 0, 2)).toBe(6);
    cluster.stop();
  });

  it('crashes a node out of the running set and restarts it with a fresh or kept store', () => {
    const cluster = startedCluster();
    write(cluster, 1, 'kept', 9);
    cluster.runUntil(() => cluster.holders('kept', 0, 9) === 6, 2_000);

    cluster.crash(4);
    cluster.crash(4); // twice is harmless
    expect(cluster.running().map((node) => node.address)).not.toContain(cluster.addresses[4]);
    expect(cluster.holders('kept', 0, 9)).toBe(5);

    const fresh = cluster.restart(4);
    expect(fresh.running).toBe(true);
    expect(cluster.nodes[4]).toBe(fresh);
    expect(fresh.address).toBe(cluster.addresses[4]);
    expect(fresh.get('kept')).toBeUndefined();

    const kept = cluster.restart(5, { keepStore: true });
    expect(kept.get('kept')?.get(0)).toBe(9);
    expect(cluster.runUntil(() => cluster.allAlive(), 10_000)).toBeDefined();
    cluster.stop();
  });

  it('sums the metrics of every node built, replaced ones included', () => {
    const cluster = startedCluster();
    const before = cluster.nodes[0]?.metrics();
    cluster.restart(0);
    cluster.runFor(500);

    const totals = cluster.totals();
    const current = cluster.nodes.reduce((sum, node) => sum + node.metrics().messagesOut, 0);

    expect(totals.messagesOut).toBe(current + (before?.messagesOut ?? 0));
    expect(totals.messagesIn).toBeGreaterThan(0);
    expect(totals.bytesOut).toBeGreaterThan(totals.messagesOut);
    cluster.stop();
  });

  it('replays exactly from its seed', () => {
    const run = (): number[] => {
      const cluster = createSimulatedCluster({
        seed: 11,
        size: 5,
        node: local,
        links: { loss: 0.2, jitter: 5 },
      });
      cluster.start({ spreadMilliseconds: 100 });
      cluster.runFor(1_000);
      write(cluster, 3, 'k', 1);
      cluster.runFor(1_000);
      const totals = cluster.totals();
      cluster.stop();
      return [totals.messagesOut, totals.bytesIn, cluster.holders('k', 0, 1)];
    };
    expect(run()).toEqual(run());
  });

  it('starts nodes at random moments within the spread', () => {
    const cluster = createSimulatedCluster({ seed: 5, size: 10, node: local });

    cluster.start({ spreadMilliseconds: 100 });
    expect(cluster.running()).toHaveLength(0);
    cluster.crash(7);
    cluster.runFor(100);

    expect(cluster.running()).toHaveLength(9);
    cluster.stop();
  });

  it('cancels the starts a spread start has not made when stopped', () => {
    const cluster = createSimulatedCluster({ seed: 5, size: 10, node: local });

    cluster.start({ spreadMilliseconds: 1_000 });
    cluster.runFor(300);
    const early = cluster.running().length;
    cluster.stop();
    cluster.runFor(1_000);

    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(10);
    expect(cluster.running()).toHaveLength(0);
    expect(cluster.network.scheduler.pending).toBe(0);
  });

  it('throws typed errors for bad options and unknown nodes', () => {
    expect(() => createSimulatedCluster({ seed: 1, size: 0 })).toThrow(InvalidClusterOptionsError);
    expect(() => createSimulatedCluster({ seed: 1, size: 2, seedsPerNode: -1 })).toThrow(
      InvalidClusterOptionsError,
    );
    const cluster = createSimulatedCluster({ seed: 1, size: 2 });
    expect(() => cluster.crash(2)).toThrow(UnknownClusterNodeError);
    expect(() => cluster.partition([0], [5])).toThrow(/node 5 does not exist/);
  });
});
