import { decodeDatagram, decodeValue, encodeSyncMessage, splitMessage } from '@vig/wire';
import type { SyncMessage } from '@vig/wire';
import { describe, expect, it } from 'vitest';
import type { GossipConfig } from './gossip-config.js';
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
  config: Partial<GossipConfig> = {},
): GossipNode {
  const node = createGossipNode({
    ...config,
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
function startCluster(
  network: SimulatedNetwork,
  count: number,
  config: Partial<GossipConfig> = {},
): GossipNode[] {
  const seed = addressOf(0);
  return Array.from({ length: count }, (_, index) => {
    const address = addressOf(index);
    return startNode(
      network,
      address,
      index === 0 ? [] : [seed],
      network.transport(address),
      config,
    );
  });
}

function allAlive(nodes: readonly GossipNode[]): boolean {
  return nodes.every((node) =>
    nodes.every((other) => other === node || node.membership.status(other.address) === 'alive'),
  );
}

function holders(nodes: readonly GossipNode[], key: string, index: number, value: number): number {
  return nodes.filter((node) => node.get(key)?.get(index) === value).length;
}

/** The top-level field names of a msgpack map, read with msgpackr (not our codec). */
function fieldNames(datagram: Uint8Array): string[] {
  const decoded = decodeValue(datagram);
  if (!decoded.ok) return [];
  const value = decoded.value;
  return value instanceof Map ? [...value.keys()].map(String) : Object.keys(value ?? {});
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

  it.each([11, 12, 13, 14, 15])(
    'reaches all 10 nodes at 30 percent loss (rumour plus anti-entropy), seed %i',
    (seed) => {
      const network = createSimulatedNetwork({ seed, defaults: { delay: 5, jitter: 5 } });
      const nodes = startCluster(network, 10, { antiEntropyInterval: 100 });
      network.scheduler.runUntil(() => allAlive(nodes), 1_000);
      network.setDefaults({ delay: 5, jitter: 5, loss: 0.3 });

      nodes[7]?.put('views:pricing', { kind: 'sparse', indices: [0], values: [7] });
      network.scheduler.runUntil(() => holders(nodes, 'views:pricing', 0, 7) === 10, 5_000);

      expect(holders(nodes, 'views:pricing', 0, 7)).toBe(10);
      stopAll(network, nodes);
    },
  );

  it('repairs by anti-entropy alone: no forward, no rumour, 300 keys written on one node', () => {
    const network = createSimulatedNetwork({ seed: 21, defaults: { delay: 2, jitter: 2 } });
    const quiet = { fanout: 0, retransmitMultiplier: 0, antiEntropyInterval: 100 } as const;
    const nodes = startCluster(network, 5, quiet);
    network.scheduler.runUntil(() => allAlive(nodes), 1_000);
    for (let index = 0; index < 300; index++) {
      nodes[2]?.put(`key:${index}`, { kind: 'sparse', indices: [index % 7], values: [index + 1] });
    }
    expect(holders(nodes, 'key:299', 299 % 7, 300)).toBe(1);

    network.scheduler.runUntil(
      () =>
        nodes.every(
          (node) =>
            node.get('key:299')?.get(299 % 7) === 300 && [...node.store.keys()].length === 305,
        ),
      20_000,
    );

    for (const node of nodes) {
      for (let index = 0; index < 300; index++) {
        expect(node.get(`key:${index}`)?.get(index % 7)).toBe(index + 1);
      }
    }
    const digestSent = nodes.reduce(
      (sum, node) => sum + (node.metrics().sentByReason.digest ?? 0),
      0,
    );
    const repaired = nodes.reduce(
      (sum, node) => sum + (node.metrics().sentByReason.repair ?? 0),
      0,
    );
    expect(digestSent).toBeGreaterThan(0);
    expect(repaired).toBeGreaterThanOrEqual(4 * 300);
    stopAll(network, nodes);
  });

  it('sends a peer not known as a Vig node only plain vignette messages of at most 1500 bytes', () => {
    const network = createSimulatedNetwork({ seed: 22 });
    const nodes = startCluster(network, 3);
    const ruby = network.transport('127.0.0.50:7946');
    const received: Uint8Array[] = [];
    ruby.onReceive((bytes) => received.push(bytes));
    // A Ruby peer announces itself with a plain message (no `vig`) and asks for the peers.
    const announce = splitMessage({
      key: 'n:127.0.0.50:7946',
      vector: { kind: 'sparse', indices: [0], values: [29_000_000] },
      ttl: 50,
      full: false,
    });
    for (const datagram of announce) ruby.send(nodes[0].address, datagram);
    ruby.send(
      nodes[0].address,
      splitMessage({
        key: 'n:%',
        vector: { kind: 'sparse', indices: [], values: [] },
        ttl: 50,
        full: false,
      })[0],
    );
    const registers = new Uint8Array(4000).fill(9);
    nodes[1]?.put('hll:big', { kind: 'dense', offset: 0, registers });
    network.scheduler.advance(500);
    for (const node of nodes) expect(node.membership.status(ruby.localAddress)).toBe('alive');
    network.scheduler.advance(10_000); // the Ruby peer's one heartbeat is stale by now: dead, re-contacted

    expect(received.length).toBeGreaterThan(10);
    const keys = new Set<string>();
    for (const datagram of received) {
      expect(datagram.byteLength).toBeLessThanOrEqual(1500);
      const decoded = decodeDatagram(datagram);
      expect(decoded.ok && decoded.kind).toBe('message');
      if (decoded.ok && decoded.kind === 'message') keys.add(decoded.message.key);
      // Read by an independent decoder: only the fields a Ruby peer reads, plus `vig` it ignores.
      const fields = fieldNames(datagram);
      expect(fields).toEqual(expect.arrayContaining(['key', 'ttl', 'vector']));
      for (const field of fields) expect(['key', 'vector', 'ttl', 'full', 'vig']).toContain(field);
    }
    expect(keys).toContain('hll:big');
    expect(keys).toContain('n:%'); // the re-contact of a dead peer, as Ruby reads it
    stopAll(network, nodes);
  });

  it('answers a client but never makes it a member', () => {
    const network = createSimulatedNetwork({ seed: 23 });
    const nodes = startCluster(network, 2);
    network.scheduler.runUntil(() => allAlive(nodes), 1_000);
    nodes[0]?.put('views', { kind: 'sparse', indices: [0], values: [3] });
    const client = network.transport('127.0.0.60:7946');
    const answers: string[] = [];
    client.onReceive((bytes) => {
      const decoded = decodeDatagram(bytes);
      if (decoded.ok && decoded.kind === 'message') answers.push(decoded.message.key);
    });

    const query = {
      key: 'views',
      vector: { kind: 'sparse', indices: [], values: [] },
      ttl: 1,
      full: false,
    } as const;
    client.send(nodes[0].address, splitMessage({ ...query, vig: 1, client: true })[0]);
    client.send(
      nodes[0].address,
      splitMessage({
        ...query,
        key: 'n:127.0.0.60:7946',
        vector: { kind: 'sparse', indices: [0], values: [5] },
        vig: 1,
        client: true,
      })[0],
    );
    network.scheduler.advance(3_000);

    expect(answers).toContain('views');
    for (const node of nodes) {
      expect(node.members().map((member) => member.address)).not.toContain(client.localAddress);
      expect(node.membership.livePeers()).not.toContain(client.localAddress);
    }
    stopAll(network, nodes);
  });

  it("answers a client's members request with its view, itself first, split to the budget", () => {
    const network = createSimulatedNetwork({ seed: 29 });
    const nodes = startCluster(network, 3, { datagramBudget: 90 });
    network.scheduler.runUntil(() => allAlive(nodes), 1_000);
    const client = network.transport('127.0.0.61:7946');
    const answers: SyncMessage[] = [];
    client.onReceive((bytes) => {
      const decoded = decodeDatagram(bytes);
      if (decoded.ok && decoded.kind === 'sync') answers.push(decoded.sync);
    });

    const request = { kind: 'members', reply: false, members: [], vig: 1, client: true } as const;
    client.send(nodes[0].address, encodeSyncMessage(request));
    // A reply is never answered: only requests are.
    client.send(nodes[0].address, encodeSyncMessage({ ...request, reply: true }));
    network.scheduler.advance(500);

    expect(answers.length).toBeGreaterThan(1);
    const view = answers.flatMap((answer) => {
      if (answer.kind !== 'members' || !answer.reply) throw new Error('expected a members reply');
      return answer.members;
    });
    expect(view).toEqual([
      { address: nodes[0].address, status: 'alive' },
      ...nodes[0].members().map(({ address, status }) => ({ address, status })),
    ]);
    expect(view.map((member) => member.address).sort()).toEqual(
      nodes.map((node) => node.address).sort(),
    );
    expect(nodes[0].members().map((member) => member.address)).not.toContain(client.localAddress);
    expect(nodes[0].metrics().sentByReason.membership).toBeGreaterThan(0);
    stopAll(network, nodes);
  });

  it('queues past the byte budget and counts what a full queue drops', () => {
    const network = createSimulatedNetwork({ seed: 24 });
    const nodes = startCluster(network, 2, { bytesPerInterval: 2_000, maxQueuedPerPeer: 5 });
    network.scheduler.runUntil(() => allAlive(nodes), 1_000);
    for (let index = 0; index < 100; index++) {
      nodes[0]?.put(`burst:${index}`, { kind: 'sparse', indices: [0], values: [1] });
    }
    const drops = nodes[0]?.metrics().drops['queue-full'] ?? 0;
    expect(drops).toBeGreaterThan(50);
    // What the queue dropped, anti-entropy repairs.
    network.scheduler.runUntil(
      () => holders(nodes, 'burst:99', 0, 1) === 2 && holders(nodes, 'burst:0', 0, 1) === 2,
      30_000,
    );
    stopAll(network, nodes);
  });

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
