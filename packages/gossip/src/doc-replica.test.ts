import { VersionedStore, agentId, seededRandom } from '@vig/crdt-core';
import type { Operation, Version } from '@vig/crdt-core';
import { checkInvariants } from '@vig/crdt-core/testing';
import { describe, expect, it } from 'vitest';
import { contents, docCluster, inSync, operationSet, replicas } from '../test/doc-fixtures.js';
import { DocWriteEncodeError, DocWriteTooLargeError } from './doc-errors.js';
import type { DocReplica } from './doc-replica.js';
import { LOCAL_GOSSIP } from './gossip-config.js';
import { createGossipNode } from './gossip-node.js';
import { LOCAL_MEMBERSHIP } from './membership-config.js';
import { seededRandom as engineRandom } from './scheduler.js';
import { createSimulatedNetwork } from './testing/index.js';
import type { SimulatedCluster } from './testing/index.js';
import { peerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

/** Runs the cluster until every replica holds the same history; fails past `bound` virtual ms. */
function settle(cluster: SimulatedCluster, bound = 30_000): number {
  const all = replicas(cluster);
  const taken = cluster.runUntil(() => inSync(all), bound, { checkEvery: 20 });
  if (taken === undefined) {
    const digests = all.map(({ store }) => `${store.digest.count}`).join(', ');
    throw new Error(`not in sync after ${bound} ms: operations held ${digests}`);
  }
  return taken;
}

function expectIdentical(all: readonly DocReplica[]): void {
  const [first, ...others] = all;
  if (first === undefined) return;
  for (const replica of others) {
    expect(operationSet(replica.store)).toEqual(operationSet(first.store));
    expect(replica.store.heads).toEqual(first.store.heads);
    expect(contents(replica.store)).toBe(contents(first.store));
  }
  for (const { store } of all) {
    checkInvariants(store);
    expect(store.waitingCount).toBe(0);
  }
}

describe('doc replication over the simulated network', () => {
  it.each([1, 2, 3])(
    'seed %i: 5 nodes writing concurrently under 25% loss and reordering converge to one history',
    (seed) => {
      const cluster = docCluster({
        seed,
        size: 5,
        links: { loss: 0.25, reorder: 0.3, delay: 5, jitter: 10, duplicate: 0.05 },
      });
      const all = replicas(cluster);
      const random = seededRandom(seed);
      let writes = 0;
      for (let step = 0; step < 120; step++) {
        cluster.network.scheduler.after(random() * 3_000, () => {
          const replica = all[Math.floor(random() * all.length)];
          replica.put(`key-${Math.floor(random() * 12)}`, { step, by: replica.store.agent });
          writes += 1;
        });
      }
      cluster.runFor(3_000);
      settle(cluster);
      expect(writes).toBe(120);
      expect(all[0]?.store.size).toBe(120);
      expectIdentical(all);
      // Values arrive as msgpack decodes them: the writer's copy too.
      const siblings = all[0]?.store.get('key-0') ?? [];
      for (const { value } of siblings) expect(value).toBeInstanceOf(Map);
      cluster.stop();
    },
  );

  it('pushes a write straight to each peer of a small cluster, once, and epidemically past docDirectPeers', () => {
    // Lossless links and no in-sync checks: only the pushes carry the write.
    const links = { delay: 5 };
    const direct = docCluster({ seed: 11, size: 5, links, config: { docSyncInterval: 0 } });
    const all = replicas(direct);
    all[0]?.put('k', 'v');
    // One network delay: every node holds it, none got it twice.
    direct.runFor(10);
    for (const replica of all) expect(replica.store.get('k')[0]?.value).toBe('v');
    expect(all[0]?.metrics().operationsSent).toBe(4);
    expect(all.reduce((sum, replica) => sum + replica.metrics().duplicateOperations, 0)).toBe(0);
    expect(all.slice(1).every((replica) => replica.metrics().operationsSent === 0)).toBe(true);
    direct.stop();

    const epidemic = docCluster({
      seed: 11,
      size: 5,
      links,
      config: { docSyncInterval: 0, docDirectPeers: 3 },
    });
    const spread = replicas(epidemic);
    spread[0]?.put('k', 'v');
    epidemic.runFor(100);
    // Sent to `fanout` (3) peers, who pass it on.
    expect(spread[0]?.metrics().operationsSent).toBe(3);
    expect(spread.slice(1).some((replica) => replica.metrics().operationsSent > 0)).toBe(true);
    epidemic.stop();
  });

  it('batches a stream of writes into one push per docPushDelay, a lone write going at once', () => {
    const cluster = docCluster({
      seed: 12,
      size: 3,
      links: { delay: 2 },
      config: { docSyncInterval: 0, docPushDelay: 10 },
    });
    const [writer, ...others] = replicas(cluster);
    const scheduler = cluster.network.scheduler;
    // A write at once, then one a millisecond for 9 ms: the first goes alone, the rest in one push.
    for (let write = 0; write < 10; write++) {
      scheduler.after(write, () => writer?.put(`k${write}`, write));
    }
    cluster.runFor(5);
    expect(writer?.metrics().sent.ops?.messages).toBe(2); // one push to each of 2 peers
    cluster.runFor(30);
    expect(writer?.metrics().sent.ops?.messages).toBe(4);
    for (const replica of others) expect(replica.store.size).toBe(10);
    cluster.stop();
  });

  it('shows concurrent writes as siblings on every node, and one value after a write naming them all', () => {
    const cluster = docCluster({ seed: 4, size: 4, links: { loss: 0.2, delay: 5, jitter: 5 } });
    const all = replicas(cluster);
    // Three writes of one key at the same moment: none saw another.
    for (const replica of all.slice(0, 3)) replica.put('title', `by ${replica.store.agent}`);
    settle(cluster);
    for (const replica of all) {
      expect(replica.store.get('title').map(({ value }) => value)).toEqual([
        'by node-0',
        'by node-1',
        'by node-2',
      ]);
    }
    // Node 3 saw all three: its write replaces them everywhere.
    const agreed = all[3]?.put('title', 'agreed');
    settle(cluster);
    for (const replica of all)
      expect(replica.store.get('title')).toEqual([{ version: agreed, value: 'agreed' }]);
    expectIdentical(all);
    cluster.stop();
  });

  it('a write naming the siblings it read replaces only those: later concurrent writes stay', () => {
    const cluster = docCluster({ seed: 5, size: 3, links: { delay: 5 } });
    const [alice, bob] = replicas(cluster) as [DocReplica, DocReplica];
    alice.put('k', 'first');
    settle(cluster);
    const read = bob.store.get('k').map(({ version }) => version);
    alice.put('k', 'alice, meanwhile');
    alice.put('other', 1);
    settle(cluster);
    // Bob writes on what he read, not on what he holds now.
    const written = bob.put('k', 'bob, from what he read', read);
    settle(cluster);
    for (const replica of replicas(cluster)) {
      expect(
        replica.store
          .get('k')
          .map(({ value }) => value)
          .sort(),
      ).toEqual(['alice, meanwhile', 'bob, from what he read']);
      expect(replica.store.get('other').map(({ value }) => value)).toEqual([1]);
      checkInvariants(replica.store);
    }
    // Bob's view, and his branch, moved to include his write.
    expect(bob.store.branch).toBe('main');
    expect(bob.store.contains(bob.store.frontier, written)).toBe(true);
    // Naming exactly the current siblings is a plain write.
    const current = alice.store.get('k').map(({ version }) => version);
    alice.put('k', 'merged', current);
    settle(cluster);
    for (const replica of replicas(cluster)) {
      expect(replica.store.get('k').map(({ value }) => value)).toEqual(['merged']);
    }
    cluster.stop();
  });

  it('holds the seed’s fuzz invariants with pairs synchronising over a lossy, reordering network', () => {
    const seed = 7;
    const cluster = docCluster({
      seed,
      size: 3,
      links: { loss: 0.2, reorder: 0.3, delay: 3, jitter: 6 },
    });
    const all = replicas(cluster);
    const random = seededRandom(seed);
    const randomInt = (bound: number): number => Math.floor(random() * bound);
    let written = 0;
    for (let iteration = 0; iteration < 40; iteration++) {
      const starts = all.map(({ store }) => ({
        frontier: store.frontier,
        values: contents(store),
      }));
      for (let step = 0; step < 10; step++) {
        const replica = all[randomInt(all.length)];
        if (random() < 0.5) replica.store.switchAgent();
        replica.put(
          `KEY_${randomInt(Math.max(1, Math.floor(Math.sqrt(iteration))))}`,
          randomInt(100),
        );
        written += 1;
      }
      // Every step undone and redone: the values are those of before and after.
      for (const [position, replica] of all.entries()) {
        const start = starts[position];
        const end = { frontier: replica.store.frontier, values: contents(replica.store) };
        replica.checkout(start.frontier);
        expect(contents(replica.store)).toBe(start.values);
        replica.checkout(end.frontier);
        expect(contents(replica.store)).toBe(end.values);
        checkInvariants(replica.store);
      }
      // A random pair synchronises over the network, the third cut off.
      const a = randomInt(3);
      const b = (a + 1 + randomInt(2)) % 3;
      const pair = [all[a], all[b]] as [DocReplica, DocReplica];
      const heads = pair.map(({ store }) => store.heads);
      cluster.partition([a, b], [3 - a - b]);
      const taken = cluster.runUntil(() => inSync(pair), 20_000, { checkEvery: 10 });
      expect(taken, `iteration ${iteration}: the pair did not sync`).toBeDefined();
      cluster.heal();
      expect(pair[0].store.heads).toEqual(pair[1].store.heads);
      const merged = pair[0].store.heads;
      // Both move to each old head and to the merged head: equal at each.
      for (const target of [...heads, merged]) {
        for (const replica of pair) replica.checkout(target);
        expect(contents(pair[0].store)).toBe(contents(pair[1].store));
      }
      for (const replica of pair) checkInvariants(replica.store);
    }
    settle(cluster);
    for (const replica of all) replica.checkout(replica.store.heads);
    expect(all[0]?.store.size).toBe(written);
    expectIdentical(all);
    cluster.stop();
  });

  it('delivers an operation larger than a datagram, in parts, under loss', () => {
    const cluster = docCluster({ seed: 8, size: 3, links: { loss: 0.2, delay: 5, jitter: 5 } });
    const all = replicas(cluster);
    const big = 'x'.repeat(20_000);
    const version = all[0]?.put('blob', big);
    settle(cluster);
    for (const replica of all) expect(replica.store.get('blob')).toEqual([{ version, value: big }]);
    // Sent as one ops message in 15 parts or more (counted under ops), received as parts.
    const sent = all[0]?.metrics().sent.ops;
    expect(sent?.datagrams).toBeGreaterThanOrEqual((sent?.messages ?? 0) + 14);
    expect(all[1]?.metrics().received.part?.datagrams).toBeGreaterThanOrEqual(15);
    expectIdentical(all);
    cluster.stop();
  });

  it('keeps an operation whose parents are missing waiting, and pulls its parents', () => {
    const cluster = docCluster({
      seed: 9,
      size: 2,
      links: { delay: 5 },
      config: { docSyncInterval: 0 },
    });
    const [alice, bob] = replicas(cluster) as [DocReplica, DocReplica];
    const [aliceAddress, bobAddress] = cluster.addresses as readonly [PeerAddress, PeerAddress];
    const seen: Operation[] = [];
    bob.on('operations', (operations) => seen.push(...operations));
    // Alice's first write is lost on its way to Bob.
    cluster.network.setLink(aliceAddress, bobAddress, { loss: 1, delay: 5 });
    const first = alice.put('k', 1);
    cluster.runFor(100);
    expect(bob.store.size).toBe(0);
    cluster.network.setLink(aliceAddress, bobAddress, { delay: 5 });
    let waited = 0;
    const unsubscribe = cluster.network.onDelivery(() => {
      waited = Math.max(waited, bob.store.waitingCount);
    });
    const second = alice.put('k', 2);
    settle(cluster, 2_000);
    unsubscribe();
    expect(waited).toBe(1);
    expect(bob.metrics().pulls).toBeGreaterThanOrEqual(1);
    expect(seen.map((operation) => operation.version)).toEqual([first, second]);
    expect(bob.store.get('k')).toEqual([{ version: second, value: 2 }]);
    cluster.stop();
  });

  it('checks that two nodes in sync are in sync with one datagram of one size, whatever the agents', () => {
    const check = (agents: number): { sizes: Set<number>; kinds: string[]; checks: number } => {
      const source = new VersionedStore({ agent: agentId('a00000'), random: seededRandom(1) });
      for (let agent = 0; agent < agents; agent++) {
        source.switchAgent(agentId(`a${String(agent).padStart(5, '0')}`));
        source.put(`key-${agent % 16}`, agent);
      }
      source.switchAgent(agentId('final'));
      source.put('done', true);
      const history = Array.from({ length: source.size }, (_, position) =>
        source.operation(source.versionAt(position)),
      );
      const cluster = docCluster({ seed: 10, size: 2, links: { delay: 2 } });
      for (const replica of replicas(cluster)) replica.store.applyRemote(history);
      cluster.runFor(1_000);
      const before = replicas(cluster).map((replica) => replica.metrics());
      const sizes = new Set<number>();
      const unsubscribe = cluster.network.onDelivery(({ bytes }) => {
        if (bytes[1] === 0xa3 && bytes[2] === 0x64) sizes.add(bytes.length);
      });
      cluster.runFor(2_000);
      unsubscribe();
      const after = replicas(cluster).map((replica) => replica.metrics());
      const kinds = [...new Set(after.flatMap((metrics) => Object.keys(metrics.sent)))];
      const checks = after.reduce(
        (sum, metrics, index) => sum + metrics.inSyncChecks - (before[index]?.inSyncChecks ?? 0),
        0,
      );
      cluster.stop();
      return { sizes, kinds, checks };
    };
    const few = check(10);
    const many = check(10_000);
    expect(few.kinds).toEqual(['digest']);
    expect(many.kinds).toEqual(['digest']);
    expect(few.checks).toBeGreaterThan(10);
    expect([...few.sizes]).toHaveLength(1);
    expect([...many.sizes]).toEqual([...few.sizes]);
  });

  it('catches a node up on a long history in answers cut short, each continued where it stopped', () => {
    const cluster = docCluster({
      seed: 14,
      size: 2,
      links: { loss: 0.1, delay: 5 },
      config: { docAnswerDatagrams: 4 },
    });
    const [alice, bob] = replicas(cluster) as [DocReplica, DocReplica];
    cluster.crash(1);
    const random = seededRandom(14);
    for (let step = 0; step < 3000; step++) {
      if (random() < 0.1) alice.store.switchAgent();
      alice.put(`key-${Math.floor(random() * 50)}`, step);
    }
    const restarted = replicas(cluster)[1];
    expect(restarted).toBe(bob);
    cluster.restart(1, { keepStore: true });
    settle(cluster, 60_000);
    const caughtUp = replicas(cluster)[1];
    expect(caughtUp.store.size).toBe(3000);
    expect(caughtUp.metrics().pulls).toBeGreaterThan(10);
    expect(caughtUp.metrics().duplicateOperations).toBeLessThan(1000);
    expectIdentical(replicas(cluster));
    cluster.stop();
  });

  it('finds what two long histories share from a sample, however many agents wrote them', () => {
    const cluster = docCluster({
      seed: 15,
      size: 2,
      links: { delay: 2 },
      config: { docPushTtl: 0 },
    });
    const [alice, bob] = replicas(cluster) as [DocReplica, DocReplica];
    const source = new VersionedStore({ agent: agentId('source'), random: seededRandom(15) });
    for (let step = 0; step < 2000; step++) {
      source.switchAgent();
      source.put(`key-${step % 100}`, step);
    }
    const shared = Array.from({ length: source.size }, (_, position) =>
      source.operation(source.versionAt(position)),
    );
    alice.store.applyRemote(shared);
    bob.store.applyRemote(shared);
    // Each side writes 50 operations of its own, each by a brand-new agent, unseen by the other.
    cluster.partition([0], [1]);
    for (let step = 0; step < 50; step++) {
      for (const replica of [alice, bob]) {
        replica.store.switchAgent();
        replica.put(`key-${step}`, step);
      }
    }
    cluster.runFor(100);
    expect(alice.store.size).toBe(2050);
    cluster.heal();
    settle(cluster, 10_000);
    const sent = alice.metrics().operationsSent + bob.metrics().operationsSent;
    // What the pushes lost to the partition, and little more: not the shared 2000.
    expect(sent).toBeLessThan(400);
    expectIdentical([alice, bob]);
    cluster.stop();
  });

  it('emits every operation added, local and remote, and counts a listener that throws', () => {
    const cluster = docCluster({ seed: 11, size: 2, links: { delay: 2 } });
    const [alice, bob] = replicas(cluster) as [DocReplica, DocReplica];
    const local: Version[] = [];
    const remote: Version[] = [];
    alice.on('operations', (operations) => local.push(...operations.map(({ version }) => version)));
    const stop = bob.on('operations', (operations) =>
      remote.push(...operations.map(({ version }) => version)),
    );
    bob.on('operations', () => {
      throw new Error('listener bug');
    });
    const versions = [
      alice.put('a', 1),
      alice.putMany([
        ['b', 2],
        ['c', 3],
      ]),
    ];
    settle(cluster);
    expect(local).toEqual(versions);
    expect(remote).toEqual(versions);
    expect(cluster.nodes[1]?.metrics().listenerErrors).toBeGreaterThan(0);
    stop();
    alice.put('d', 4);
    settle(cluster);
    expect(remote).toHaveLength(2);
    cluster.stop();
  });

  it('refuses a local write that cannot travel, writing nothing', () => {
    const cluster = docCluster({ seed: 12, size: 1, config: { maxDocMessageBytes: 4096 } });
    const [replica] = replicas(cluster) as [DocReplica];
    expect(() => replica.put('k', 'y'.repeat(5000))).toThrow(DocWriteTooLargeError);
    expect(() => replica.put('k', () => 1)).toThrow(DocWriteEncodeError);
    expect(() => replica.put('k'.repeat(2000), 1)).toThrow(DocWriteEncodeError);
    expect(() =>
      replica.putMany([
        ['k', 1],
        ['k', 2],
      ]),
    ).toThrow('written twice');
    expect(replica.store.size).toBe(0);
    cluster.stop();
  });

  it('sends doc messages only to peers known to be Vig nodes', () => {
    const network = createSimulatedNetwork({ seed: 13, defaults: { delay: 2 } });
    const ruby = network.transport('127.0.0.50:7946');
    const heard: Uint8Array[] = [];
    ruby.onReceive((bytes) => heard.push(bytes));
    const node = createGossipNode({
      ...LOCAL_GOSSIP,
      transport: network.transport('127.0.0.1:7946'),
      scheduler: network.scheduler,
      random: engineRandom(1),
      seeds: [peerAddress('127.0.0.50:7946')],
      membership: LOCAL_MEMBERSHIP,
      docs: new VersionedStore({ agent: agentId('solo'), random: seededRandom(1) }),
    });
    node.start();
    node.docs?.put('k', 1);
    network.scheduler.advance(2_000);
    expect(heard.length).toBeGreaterThan(0);
    expect(heard.filter((bytes) => bytes[1] === 0xa3 && bytes[2] === 0x64)).toEqual([]);
    node.stop();
  });
});
