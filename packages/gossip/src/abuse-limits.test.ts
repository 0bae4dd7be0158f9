/**
 * The engine's abuse limits end to end, on the simulated network (and, for
 * 100k spoofed addresses, a stub transport): the amplification budget of
 * unvalidated sources, per-source rate limits, bounded per-source tables,
 * and the store's key and vector limits.
 */
import { EMPTY_ENTRIES, MaxVector, StoreLimitError, isVigError } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import {
  VIG_PROTOCOL_VERSION,
  decodeDatagram,
  encodeMessage,
  encodeSyncMessage,
  splitMessage,
} from '@vig/wire';
import { describe, expect, it } from 'vitest';
import { createGossipNode } from './gossip-node.js';
import type { GossipNode, GossipNodeOptions } from './gossip-node.js';
import { LOCAL_MEMBERSHIP } from './membership-config.js';
import { peerKeyOf } from './peer-key.js';
import { seededRandom } from './scheduler.js';
import { AMPLIFICATION_FACTOR } from './source-limits.js';
import { createSimulatedNetwork, createVirtualScheduler } from './testing/index.js';
import type { SimulatedNetwork } from './testing/index.js';
import { peerAddress } from './transport.js';
import type { DatagramHandler, PeerAddress, Transport } from './transport.js';

const nodeAddress = peerAddress('10.0.0.1:7946');
const victim = peerAddress('192.0.2.66:7946');

/** A dense HyperLogLog: 16384 one-byte registers, every one set. */
function denseHll(): VectorEntries {
  const registers = new Uint8Array(16_384).map((_, position) => (position % 30) + 1);
  return { kind: 'dense', offset: 0, registers };
}

function startNode(
  network: SimulatedNetwork,
  address: PeerAddress,
  options: Partial<GossipNodeOptions> = {},
): GossipNode {
  const node = createGossipNode({
    transport: network.transport(address),
    scheduler: network.scheduler,
    random: seededRandom(Math.floor(network.random() * 2 ** 32)),
    membership: LOCAL_MEMBERSHIP,
    ...options,
  });
  node.start();
  return node;
}

/** A query as the light client sends it: an empty vector, ttl 1, `vig` and `client` set. */
function clientQuery(key: string): Uint8Array[] {
  return splitMessage(
    { key, vector: EMPTY_ENTRIES, ttl: 1, full: false, vig: VIG_PROTOCOL_VERSION, client: true },
    { budget: 1400 },
  );
}

/** A query as the Ruby prototype sends it: `{key, vector: {}, ttl}`. */
function plainQuery(key: string): Uint8Array {
  return encodeMessage({ key, vector: EMPTY_ENTRIES, ttl: 1, full: false });
}

/** A raw endpoint on the network that records every byte it is sent and receives. */
function endpoint(network: SimulatedNetwork, address: PeerAddress) {
  const transport = network.transport(address);
  const received: Uint8Array[] = [];
  let bytesSent = 0;
  transport.onReceive((bytes) => received.push(bytes));
  return {
    transport,
    received,
    send(to: PeerAddress, datagrams: readonly Uint8Array[]): void {
      for (const datagram of datagrams) {
        bytesSent += datagram.byteLength;
        transport.send(to, datagram);
      }
    },
    get bytesSent(): number {
      return bytesSent;
    },
    get bytesReceived(): number {
      return received.reduce((sum, bytes) => sum + bytes.byteLength, 0);
    },
    /** The entries received for `key`, merged under max. */
    vectorOf(key: string): MaxVector {
      const vector = new MaxVector();
      for (const bytes of received) {
        const decoded = decodeDatagram(bytes);
        if (decoded.ok && decoded.kind === 'message' && decoded.message.key === key) {
          vector.merge(decoded.message.vector);
        }
      }
      return vector;
    },
  };
}

/** The datagrams of the node's own peer key, as a member announcing itself sends them. */
function announce(address: PeerAddress, heartbeat: number): Uint8Array {
  return encodeMessage({
    key: peerKeyOf(address),
    vector: { kind: 'sparse', indices: [0], values: [heartbeat] },
    ttl: 1,
    full: true,
    vig: VIG_PROTOCOL_VERSION,
  });
}

describe('the amplification limit', () => {
  it('answers a spoofed source with at most 3× the bytes it sent, refusing large answers whole', () => {
    const network = createSimulatedNetwork({ seed: 1 });
    const node = startNode(network, nodeAddress);
    node.put('hll', denseHll());
    node.put('small', { kind: 'sparse', indices: [0], values: [7] });
    const spoofed = endpoint(network, victim);

    for (let round = 0; round < 20; round++) {
      spoofed.send(nodeAddress, [plainQuery('hll'), ...clientQuery('hll'), plainQuery('%')]);
      spoofed.send(nodeAddress, [plainQuery('small'), plainQuery('n:%'), plainQuery('*')]);
      const members = {
        kind: 'members',
        reply: false,
        members: [],
        vig: VIG_PROTOCOL_VERSION,
      } as const;
      spoofed.send(nodeAddress, [encodeSyncMessage(members)]);
      network.scheduler.advance(50);
    }
    network.scheduler.advance(1_000);

    expect(spoofed.bytesReceived).toBeGreaterThan(0);
    expect(spoofed.bytesReceived).toBeLessThanOrEqual(AMPLIFICATION_FACTOR * spoofed.bytesSent);
    expect(spoofed.vectorOf('hll').size).toBe(0);
    expect(node.metrics().drops['amplification-limit']).toBeGreaterThan(0);
    node.stop();
  });

  it('still answers a spoofed source small answers that fit its budget', () => {
    const network = createSimulatedNetwork({ seed: 2 });
    const node = startNode(network, nodeAddress);
    node.put('small', { kind: 'sparse', indices: [0], values: [7] });
    const asker = endpoint(network, victim);

    asker.send(nodeAddress, clientQuery('small'));
    network.scheduler.advance(100);

    expect(asker.vectorOf('small').toRecord()).toEqual({ 0: 7 });
    expect(node.metrics().drops['amplification-limit']).toBeUndefined();
    node.stop();
  });

  it('gives a live member the whole of a large vector', () => {
    const network = createSimulatedNetwork({ seed: 3 });
    const node = startNode(network, nodeAddress);
    node.put('hll', denseHll());
    const memberAddress = peerAddress('10.0.0.2:7946');
    const member = endpoint(network, memberAddress);

    member.send(nodeAddress, [announce(memberAddress, 1_000)]);
    network.scheduler.advance(10);
    expect(node.membership.status(memberAddress)).toBe('alive');
    member.send(nodeAddress, [plainQuery('hll')]);
    network.scheduler.advance(1_000);

    expect(member.vectorOf('hll').equals(MaxVector.fromEntries(denseHll()))).toBe(true);
    expect(member.bytesReceived).toBeGreaterThan(10 * AMPLIFICATION_FACTOR * member.bytesSent);
    expect(node.metrics().drops['amplification-limit']).toBeUndefined();
    node.stop();
  });

  it('gives a seed it contacted the whole vector once the seed answered, and a stranger none', () => {
    const network = createSimulatedNetwork({ seed: 4 });
    const seedAddress = peerAddress('10.0.0.9:7946');
    const seed = endpoint(network, seedAddress);
    const stranger = endpoint(network, peerAddress('10.0.0.10:7946'));
    const node = startNode(network, nodeAddress, { seeds: [seedAddress] });
    node.put('hll', denseHll());
    network.scheduler.advance(10);
    expect(seed.received.length).toBeGreaterThan(0); // the announce

    // A plain (Ruby-like) seed answers without announcing itself as a member.
    seed.send(nodeAddress, [plainQuery('hll')]);
    stranger.send(nodeAddress, [plainQuery('hll')]);
    network.scheduler.advance(1_000);

    expect(node.membership.status(seedAddress)).toBeUndefined();
    expect(seed.vectorOf('hll').size).toBe(16_384);
    expect(stranger.vectorOf('hll').size).toBe(0);
    node.stop();
  });

  it('answers every source in full over an authenticated transport', () => {
    const network = createSimulatedNetwork({ seed: 5 });
    const node = startNode(network, nodeAddress, { authenticatedTransport: true });
    node.put('hll', denseHll());
    const asker = endpoint(network, victim);

    asker.send(nodeAddress, clientQuery('hll'));
    network.scheduler.advance(1_000);

    expect(asker.vectorOf('hll').size).toBe(16_384);
    expect(node.metrics().drops['amplification-limit']).toBeUndefined();
    node.stop();
  });

  describe('a light client reading a large key (query, then the closing query of the node’s own key)', () => {
    function clientGet(clientAddress: PeerAddress, options: Partial<GossipNodeOptions> = {}) {
      const network = createSimulatedNetwork({ seed: 6 });
      const address = peerAddress('127.0.0.1:7946');
      const node = startNode(network, address, options);
      node.put('hll', denseHll());
      const client = endpoint(network, clientAddress);
      // As node-udp's client: the request, then the closing query, sent
      // again twice while the closing answer has not come.
      for (let attempt = 0; attempt < 3; attempt++) {
        if (client.vectorOf(peerKeyOf(address)).size > 0) break;
        client.send(address, [...clientQuery('hll'), ...clientQuery(peerKeyOf(address))]);
        network.scheduler.advance(600);
      }
      const result = {
        hll: client.vectorOf('hll').size,
        closed: client.vectorOf(peerKeyOf(address)).size > 0,
        refused: node.metrics().drops['amplification-limit'] ?? 0,
      };
      node.stop();
      return result;
    }

    it('gets the whole vector from a loopback address', () => {
      expect(clientGet(peerAddress('127.0.0.1:50123'))).toEqual({
        hll: 16_384,
        closed: true,
        refused: 0,
      });
    });

    it('gets the whole vector from anywhere over an authenticated transport', () => {
      expect(clientGet(peerAddress('192.0.2.7:50123'), { authenticatedTransport: true })).toEqual({
        hll: 16_384,
        closed: true,
        refused: 0,
      });
    });

    it('from elsewhere gets neither the vector nor the closing answer, so it fails loudly', () => {
      const result = clientGet(peerAddress('192.0.2.7:50123'));
      expect(result).toMatchObject({ hll: 0, closed: false });
      expect(result.refused).toBeGreaterThan(0);
      const untrusted = clientGet(peerAddress('127.0.0.9:50123'), { trustLoopback: false });
      expect(untrusted).toMatchObject({ hll: 0, closed: false });
    });
  });
});

describe('the per-source rate limit', () => {
  it('drops a flood from one source undecoded while other sources are served', () => {
    const network = createSimulatedNetwork({ seed: 7 });
    const node = startNode(network, nodeAddress, { sourceRate: 100, sourceBurst: 50 });
    node.put('small', { kind: 'sparse', indices: [0], values: [7] });
    const flooder = endpoint(network, peerAddress('10.0.0.66:7946'));
    const other = endpoint(network, peerAddress('10.0.0.67:7946'));

    const flood = Array.from({ length: 10_000 }, () => plainQuery('small'));
    flooder.send(nodeAddress, flood);
    other.send(nodeAddress, [plainQuery('small')]);
    network.scheduler.advance(100);

    const drops = node.metrics().drops;
    expect(drops['rate-limited']).toBeGreaterThanOrEqual(10_000 - 50 - 10);
    expect(flooder.received.length).toBeLessThanOrEqual(60);
    expect(other.vectorOf('small').toRecord()).toEqual({ 0: 7 });
    node.stop();
  });

  it('never limits a normal cluster: writes under loss converge, nothing rate-limited or refused', () => {
    const network = createSimulatedNetwork({ seed: 8, defaults: { delay: 5, jitter: 5 } });
    const addresses = Array.from({ length: 10 }, (_, index) =>
      peerAddress(`10.0.0.${index + 1}:7946`),
    );
    const nodes = addresses.map((address, index) =>
      startNode(network, address, { seeds: index === 0 ? [] : [addresses[0] ?? address] }),
    );
    network.scheduler.runUntil(
      () => nodes.every((node) => node.membership.livePeers().length === 9),
      5_000,
    );
    // A joiner's n:% query that overtakes its announce (jitter reorders) comes
    // from an address not yet validated and may be refused; the seed's probe
    // and the peer exchange carry the same peers a moment later.
    const refusedWhileForming = nodes.map(
      (node) => node.metrics().drops['amplification-limit'] ?? 0,
    );
    network.setDefaults({ delay: 5, jitter: 5, loss: 0.2 });
    for (let write = 0; write < 200; write++) {
      nodes[write % 10]?.put(`key:${write % 37}`, {
        kind: 'sparse',
        indices: [write],
        values: [write + 1],
      });
    }
    nodes[3]?.put('hll', denseHll());
    network.setDefaults({ delay: 5, jitter: 5 });
    network.scheduler.runUntil(
      () => nodes.every((node) => node.store.size === nodes[0]?.store.size),
      20_000,
    );
    network.scheduler.advance(3_000);

    nodes.forEach((node, index) => {
      expect(node.get('hll')?.size).toBe(16_384);
      expect(node.get('key:5')?.equals(nodes[0]?.get('key:5') ?? new MaxVector())).toBe(true);
      expect(node.metrics().drops['rate-limited']).toBeUndefined();
      expect(node.metrics().drops['amplification-limit'] ?? 0).toBe(refusedWhileForming[index]);
    });
    for (const node of nodes) node.stop();
  });
});

/** A transport whose datagrams the test delivers by hand, from any address it likes. */
function stubTransport(address: PeerAddress) {
  let handler: DatagramHandler = () => undefined;
  const sentTo = new Map<PeerAddress, number>();
  const transport: Transport = {
    localAddress: address,
    maxDatagramBytes: 65_507,
    send(to, bytes) {
      sentTo.set(to, (sentTo.get(to) ?? 0) + bytes.byteLength);
    },
    onReceive(next) {
      handler = next;
    },
    close: () => Promise.resolve(),
  };
  return {
    transport,
    sentTo,
    deliver: (bytes: Uint8Array, from: PeerAddress) => handler(bytes, from),
  };
}

describe('per-source tables', () => {
  it('stay bounded under 100k distinct spoofed sources, each answered within its budget', () => {
    const scheduler = createVirtualScheduler();
    const stub = stubTransport(nodeAddress);
    const node = createGossipNode({
      transport: stub.transport,
      scheduler,
      random: seededRandom(9),
      membership: LOCAL_MEMBERSHIP,
    });
    node.start();
    node.put('small', { kind: 'sparse', indices: [0, 1, 2], values: [7, 8, 9] });
    node.put('hll', denseHll());
    const queries = [...clientQuery('small'), ...clientQuery('hll'), plainQuery('%')];

    for (let index = 0; index < 100_000; index++) {
      const from = peerAddress(
        `198.${18 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}:7946`,
      );
      const query = queries[index % queries.length] ?? plainQuery('small');
      stub.deliver(query, from);
      if (index % 1000 === 999) scheduler.advance(10);
    }
    scheduler.advance(1_000);

    expect(node.metrics().trackedSources).toBeLessThanOrEqual(node.config.maxSources);
    expect(node.metrics().messagesIn).toBe(100_000);
    let spoofedBytes = 0;
    for (const [to, bytes] of stub.sentTo) {
      if (to.startsWith('198.')) {
        spoofedBytes += bytes;
        expect(bytes).toBeLessThanOrEqual(AMPLIFICATION_FACTOR * 1400);
      }
    }
    expect(spoofedBytes).toBeGreaterThan(0);
    // And the node still serves: a member announcing itself gets the whole vector.
    const member = peerAddress('10.0.0.2:7946');
    stub.deliver(announce(member, 1_000), member);
    stub.deliver(plainQuery('hll'), member);
    scheduler.advance(1_000);
    expect(stub.sentTo.get(member)).toBeGreaterThan(16_384);
    node.stop();
  });
});

describe('store limits', () => {
  function limitedPair(seed: number) {
    const network = createSimulatedNetwork({ seed });
    const limited = startNode(network, nodeAddress, { maxKeys: 5, maxEntriesPerKey: 100 });
    const writerAddress = peerAddress('10.0.0.2:7946');
    const writer = endpoint(network, writerAddress);
    writer.send(nodeAddress, [announce(writerAddress, 1_000)]);
    network.scheduler.advance(10);
    return { network, limited, writer };
  }

  function update(key: string, indices: number[], ttl = 0): Uint8Array[] {
    return splitMessage(
      { key, vector: { kind: 'sparse', indices, values: indices.map(() => 1) }, ttl, full: false },
      { budget: 1400 },
    );
  }

  it('refuses and counts remote updates past the key limit, and keeps serving', () => {
    const { network, limited, writer } = limitedPair(10);
    // Two peer keys (the node's own and the writer's) leave room for three keys.
    for (let key = 0; key < 6; key++) writer.send(nodeAddress, update(`key:${key}`, [0]));
    network.scheduler.advance(100);

    expect(limited.store.size).toBe(5);
    expect([...limited.store.keys()].filter((key) => key.startsWith('key:'))).toEqual([
      'key:0',
      'key:1',
      'key:2',
    ]);
    expect(limited.metrics().drops['key-limit']).toBe(3);
    writer.send(nodeAddress, update('key:1', [0, 1, 2]));
    writer.send(nodeAddress, [plainQuery('key:1')]);
    network.scheduler.advance(100);
    expect(writer.vectorOf('key:1').toRecord()).toEqual({ 0: 1, 1: 1, 2: 1 });
    limited.stop();
  });

  it('merges what fits the vector limit, refuses and counts the rest', () => {
    const { network, limited, writer } = limitedPair(11);
    writer.send(
      nodeAddress,
      update(
        'wide',
        Array.from({ length: 60 }, (_, index) => index),
      ),
    );
    writer.send(
      nodeAddress,
      update(
        'wide',
        Array.from({ length: 60 }, (_, index) => index + 50),
      ),
    );
    network.scheduler.advance(100);

    // 0..59, then 50..59 held and 60..99 within the limit; 100..109 refused.
    expect(limited.get('wide')?.size).toBe(100);
    expect(limited.get('wide')?.get(99)).toBe(1);
    expect(limited.get('wide')?.get(100)).toBe(0);
    expect(limited.metrics().drops['vector-limit']).toBe(1);
    limited.stop();
  });

  it('throws a StoreLimitError from a local put beyond a limit, writing nothing', () => {
    const { limited } = limitedPair(12);
    limited.put('a', { kind: 'sparse', indices: [0], values: [1] });
    expect(() =>
      limited.put('wide', {
        kind: 'sparse',
        indices: Array.from({ length: 101 }, (_, index) => index),
        values: Array.from({ length: 101 }, () => 1),
      }),
    ).toThrow('key "wide" would hold 101 entries: over the limit of 100 entries per key');
    limited.put('b', { kind: 'sparse', indices: [0], values: [1] });
    limited.put('c', { kind: 'sparse', indices: [0], values: [1] });
    let thrown: unknown;
    try {
      limited.put('d', { kind: 'sparse', indices: [0], values: [1] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoreLimitError);
    expect(isVigError(thrown, 'StoreLimitError')).toBe(true);
    expect(limited.store.has('d')).toBe(false);
    expect(limited.store.has('wide')).toBe(false);
    // Raising what is held still works at the limit, and so does the heartbeat.
    expect(limited.put('a', { kind: 'sparse', indices: [0], values: [5] })).toEqual({
      kind: 'sparse',
      indices: [0],
      values: [5],
    });
    limited.stop();
  });
});
