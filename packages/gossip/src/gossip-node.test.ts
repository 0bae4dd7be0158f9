import { describe, expect, it } from 'vitest';
import { createGossipNode } from './gossip-node.js';
import type { GossipNode } from './gossip-node.js';
import { LOCAL_MEMBERSHIP } from './membership-config.js';
import type { MembershipTransition } from './membership-status.js';
import { seededRandom } from './scheduler.js';
import { createSimulatedNetwork } from './testing/index.js';
import type { SimulatedNetwork } from './testing/index.js';
import { peerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

const addressOf = (index: number): PeerAddress => peerAddress(`127.0.0.${index + 1}:7946`);

function startNode(
  network: SimulatedNetwork,
  address: PeerAddress,
  seeds: readonly PeerAddress[],
  transport = network.transport(address),
): GossipNode {
  const node = createGossipNode({
    transport,
    scheduler: network.scheduler,
    random: seededRandom(Math.floor(network.random() * 2 ** 32)),
    seeds,
    membership: LOCAL_MEMBERSHIP,
  });
  node.start();
  return node;
}

/** `count` nodes; node 0 is the seed of all the others. */
function startCluster(network: SimulatedNetwork, count: number): GossipNode[] {
  const seed = addressOf(0);
  return Array.from({ length: count }, (_, index) =>
    startNode(network, addressOf(index), index === 0 ? [] : [seed]),
  );
}

function allAlive(nodes: readonly GossipNode[]): boolean {
  return nodes.every((node) =>
    nodes.every((other) => other === node || node.membership.status(other.address) === 'alive'),
  );
}

function holders(nodes: readonly GossipNode[], key: string, index: number, value: number): number {
  return nodes.filter((node) => node.get(key)?.get(index) === value).length;
}

function stopAll(network: SimulatedNetwork, nodes: readonly GossipNode[]): void {
  for (const node of nodes) node.stop();
  network.scheduler.runUntilIdle(10_000);
}

describe('createGossipNode', () => {
  it('joins two nodes through a seed: each sees the other alive', () => {
    const network = createSimulatedNetwork({ seed: 1 });
    const seed = startNode(network, addressOf(0), []);
    const joiner = startNode(network, addressOf(1), [seed.address]);
    const ups: MembershipTransition[] = [];
    seed.on('member-up', (transition) => ups.push(transition));

    network.scheduler.advance(300);

    expect(seed.membership.status(joiner.address)).toBe('alive');
    expect(joiner.membership.status(seed.address)).toBe('alive');
    expect(seed.members().map((member) => member.address)).toEqual([joiner.address]);
    expect(ups.map((transition) => transition.address)).toEqual([joiner.address]);
    stopAll(network, [seed, joiner]);
  });

  it('makes 10 nodes with one seed members of each other within a second of virtual time', () => {
    const network = createSimulatedNetwork({ seed: 2, defaults: { delay: 5, jitter: 5 } });
    const nodes = startCluster(network, 10);

    const elapsed = network.scheduler.runUntil(() => allAlive(nodes), 1_000);

    expect(elapsed).toBeLessThan(1_000);
    for (const node of nodes) expect(node.membership.livePeers()).toHaveLength(9);
    stopAll(network, nodes);
  });

  it.each([3, 7, 8])(
    'spreads a write on one node to all 10 nodes on a lossless network, seed %i',
    (seed) => {
      const network = createSimulatedNetwork({ seed, defaults: { delay: 5, jitter: 5 } });
      const nodes = startCluster(network, 10);
      network.scheduler.runUntil(() => allAlive(nodes), 1_000);
      const changes: string[] = [];
      nodes[9]?.on('change', (change) => changes.push(change.key));

      const grew = nodes[4]?.put('views:home', { kind: 'sparse', indices: [3], values: [42] });

      expect(grew).toEqual({ kind: 'sparse', indices: [3], values: [42] });
      network.scheduler.runUntil(() => holders(nodes, 'views:home', 3, 42) === 10, 1_000);
      expect(holders(nodes, 'views:home', 3, 42)).toBe(10);
      expect(changes).toContain('views:home');
      stopAll(network, nodes);
    },
  );

  /**
   * Rumour only (forward on growth plus the retransmit queue): without
   * anti-entropy, which is not built yet, nothing guarantees that every lost
   * datagram is repaired, so this records the reach after 2 s at 10% loss for
   * five seeds and requires at least 8 of 10, not all. (All 10 held the write
   * in every seed when this was written, and in 20 of 20 seeds at 30% loss.)
   */
  it.each([11, 12, 13, 14, 15])(
    'reaches at least 8 of 10 nodes in 2 s at 10%% loss by rumour alone, seed %i (no anti-entropy yet: 100%% not required)',
    (seed) => {
      const network = createSimulatedNetwork({ seed, defaults: { delay: 5, jitter: 5 } });
      const nodes = startCluster(network, 10);
      network.scheduler.runUntil(() => allAlive(nodes), 1_000);
      network.setDefaults({ delay: 5, jitter: 5, loss: 0.1 });

      nodes[7]?.put('views:pricing', { kind: 'sparse', indices: [0], values: [7] });
      network.scheduler.advance(2_000);

      expect(holders(nodes, 'views:pricing', 0, 7)).toBeGreaterThanOrEqual(8);
      stopAll(network, nodes);
    },
  );

  it('counts a malformed datagram by reason and keeps working', () => {
    const network = createSimulatedNetwork({ seed: 5 });
    const seed = startNode(network, addressOf(0), []);
    const joiner = startNode(network, addressOf(1), [seed.address]);
    network.scheduler.advance(300);
    const stranger = network.transport('127.0.0.99:7946');

    stranger.send(seed.address, Uint8Array.of(0xc1));
    stranger.send(seed.address, new Uint8Array(0));
    network.scheduler.advance(50);

    expect(seed.metrics().drops).toMatchObject({ 'not-msgpack': 1, truncated: 1 });
    joiner.put('k', { kind: 'sparse', indices: [1], values: [5] });
    network.scheduler.advance(50);
    expect(seed.get('k')?.get(1)).toBe(5);
    expect(seed.metrics().messagesIn).toBeGreaterThan(2);
    expect(seed.metrics().messagesOut).toBeGreaterThan(0);
    stopAll(network, [seed, joiner]);
  });

  it('marks a crashed node dead after deadAfter, and alive again after it restarts', () => {
    const network = createSimulatedNetwork({ seed: 6, defaults: { delay: 5, jitter: 5 } });
    const nodes = startCluster(network, 3);
    network.scheduler.runUntil(() => allAlive(nodes), 1_000);
    const [seed, other, victim] = nodes as [GossipNode, GossipNode, GossipNode];
    const downs: MembershipTransition[] = [];
    seed.on('member-down', (transition) => downs.push(transition));

    network.crash(victim.address);
    victim.stop(); // the process is gone: its timers with it
    const crashedAt = network.scheduler.now();
    network.scheduler.runUntil(
      () => [seed, other].every((node) => node.membership.status(victim.address) === 'dead'),
      10_000,
    );

    const detection = network.scheduler.now() - crashedAt;
    expect(detection).toBeGreaterThanOrEqual(LOCAL_MEMBERSHIP.deadAfter - 200);
    expect(detection).toBeLessThanOrEqual(LOCAL_MEMBERSHIP.deadAfter + 500);
    expect(downs.map((transition) => [transition.address, transition.to])).toEqual([
      [victim.address, 'dead'],
    ]);

    const restarted = startNode(
      network,
      victim.address,
      [seed.address],
      network.restart(victim.address),
    );
    network.scheduler.runUntil(() => allAlive([seed, other, restarted]), 2_000);
    expect(seed.membership.status(restarted.address)).toBe('alive');
    stopAll(network, [seed, other, restarted]);
  });

  it('marks a node that stops with leave as left on its peers', () => {
    const network = createSimulatedNetwork({ seed: 7 });
    const nodes = startCluster(network, 3);
    network.scheduler.runUntil(() => allAlive(nodes), 1_000);
    const [seed, other, leaver] = nodes as [GossipNode, GossipNode, GossipNode];

    leaver.stop({ leave: true });
    network.scheduler.advance(20);

    expect(seed.membership.status(leaver.address)).toBe('left');
    expect(other.membership.status(leaver.address)).toBe('left');
    stopAll(network, [seed, other]);
  });

  it('leaves no timer pending after stop, and does not close the transport', () => {
    const network = createSimulatedNetwork({ seed: 8 });
    const transport = network.transport(addressOf(1));
    const seed = startNode(network, addressOf(0), []);
    const joiner = startNode(network, addressOf(1), [seed.address], transport);
    network.scheduler.advance(500);
    expect(network.scheduler.pending).toBeGreaterThan(0);

    seed.stop();
    joiner.stop();
    network.scheduler.runUntilIdle(1_000); // datagrams still in flight land, and start nothing

    expect(network.scheduler.pending).toBe(0);
    expect(joiner.running).toBe(false);
    expect(() => transport.send(seed.address, Uint8Array.of(1))).not.toThrow();
  });
});
