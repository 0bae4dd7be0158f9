import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVigError } from '@vig/crdt-core';
import { LOCAL_GOSSIP, LOCAL_MEMBERSHIP, createGossipNode, peerAddress } from '@vig/gossip';
import type { GossipNode } from '@vig/gossip';
import { createKeyring, generateClusterKey } from '@vig/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import type { VigClient } from './client.js';
import { NoAnswerError } from './client-errors.js';
import { nodeEnvelopeCrypto } from './node-envelope-crypto.js';
import { NodeOptionsError } from './node-errors.js';
import { realTimeScheduler } from './node-scheduler.js';
import { createSealedTransport } from './sealed-transport.js';
import { KeyFilePermissionError } from './security-errors.js';
import { createUdpTransport } from './udp-transport.js';
import { createNode } from './vig-node.js';
import type { NodeOptions, VigNode } from './vig-node.js';
import { allAlive } from '../test/all-alive.js';
import { rejectionOf } from '../test/rejection-of.js';
import { settle } from '../test/settle.js';
import { tapTransport } from '../test/transport-tap.js';
import type { TransportTap } from '../test/transport-tap.js';

const keyA = generateClusterKey(nodeEnvelopeCrypto);
const keyB = generateClusterKey(nodeEnvelopeCrypto);

/** What a test opened, released after it whatever happened. */
const nodes: VigNode[] = [];
const clients: VigClient[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(nodes.splice(0).map((node) => node.stop()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A started node with loopback timings and quiet warnings, stopped after the test. */
async function startNode(options: Partial<NodeOptions> & { bind: string }): Promise<VigNode> {
  const node = await createNode({
    memory: true,
    membership: LOCAL_MEMBERSHIP,
    gossip: LOCAL_GOSSIP,
    onWarning: () => undefined,
    ...options,
  });
  nodes.push(node);
  node.start();
  return node;
}

async function openClient(options: Parameters<typeof createClient>[0]): Promise<VigClient> {
  const client = await createClient({ onWarning: () => undefined, ...options });
  clients.push(client);
  return client;
}

/** A key file with `mode`, in a directory removed after the test. */
async function keyFile(text: string, mode: number): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'vig-keyed-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  const path = join(directory, 'cluster.key');
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, mode);
  return path;
}

/** Whether every node holds `value` at `index` of `key`. */
function holdAll(cluster: readonly VigNode[], key: string, index: number, value: number): boolean {
  return cluster.every((node) => node.get(key)?.get(index) === value);
}

/** The node's sealed counters (failing the test for a node without a key). */
function security(node: VigNode) {
  const metrics = node.metrics().security;
  if (!metrics.sealed) throw new Error(`node ${node.address} has no key`);
  return metrics;
}

/** Waits `milliseconds` of real time. */
function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

describe('a keyed cluster', () => {
  it('converges between two nodes sharing a key, every datagram sealed', async () => {
    const seed = await startNode({ bind: '127.0.0.41:0', key: { primary: keyA } });
    const other = await startNode({
      bind: '127.0.0.42:0',
      key: { primary: keyA },
      seeds: [seed.address],
    });
    await settle(() => allAlive([seed, other]));
    await seed.put('visits', { 0: 5 });
    await other.put('visits', { 1: 3 });
    await settle(
      () => holdAll([seed, other], 'visits', 0, 5) && holdAll([seed, other], 'visits', 1, 3),
    );
    const stats = security(seed);
    expect(stats.label).toBe('vig');
    expect(stats.datagramsSealed).toBeGreaterThan(0);
    expect(stats.datagramsOpened).toBeGreaterThan(0);
    expect(stats.dropped).toBe(0);
    expect(Object.keys(stats.openedByKey)).toEqual(stats.keyIds);
  });

  it('never merges with a node of another key or another label, and counts their datagrams', async () => {
    const seed = await startNode({ bind: '127.0.0.43:0', key: { primary: keyA } });
    const otherKey = await startNode({
      bind: '127.0.0.44:0',
      key: { primary: keyB },
      seeds: [seed.address],
    });
    const otherLabel = await startNode({
      bind: '127.0.0.45:0',
      key: { primary: keyA },
      label: 'staging',
      seeds: [seed.address],
    });
    await seed.put('seed-only', { 0: 1 });
    await otherKey.put('other-key-only', { 0: 1 });
    await otherLabel.put('other-label-only', { 0: 1 });
    // Both keep announcing themselves to the seed, with backoff: wait for a few of each.
    await settle(() => {
      const dropped = security(seed).droppedByReason;
      return dropped['unknown-key'] >= 3 && dropped['bad-tag'] >= 3;
    });
    expect(security(seed).datagramsOpened).toBe(0);
    expect(seed.members()).toEqual([]);
    expect(seed.get('other-key-only')).toBeUndefined();
    expect(seed.get('other-label-only')).toBeUndefined();
    for (const stranger of [otherKey, otherLabel]) {
      expect(stranger.get('seed-only')).toBeUndefined();
      expect(stranger.members().filter((member) => member.status === 'alive')).toEqual([]);
    }
    expect(security(otherLabel).label).toBe('staging');
  });

  it('rotates keys across three nodes without downtime, writes converging at every step', async () => {
    const first = await startNode({ bind: '127.0.0.46:0', key: { primary: keyA } });
    const cluster = [
      first,
      await startNode({ bind: '127.0.0.47:0', key: { primary: keyA }, seeds: [first.address] }),
      await startNode({ bind: '127.0.0.48:0', key: { primary: keyA }, seeds: [first.address] }),
    ];
    await settle(() => allAlive(cluster));
    let write = 0;
    /** A write through one node, converged on all, and everyone still alive. */
    const converge = async (through: VigNode): Promise<void> => {
      write += 1;
      await through.put('rotation', { [write]: write });
      await settle(() => holdAll(cluster, 'rotation', write, write));
      expect(allAlive(cluster)).toBe(true);
    };
    await converge(first);
    const steps = [
      { primary: keyA, accepted: [keyB] }, // 1. install B everywhere
      { primary: keyB, accepted: [keyA] }, // 2. make B primary everywhere
      { primary: keyB }, //                   3. remove A
    ];
    for (const keys of steps) {
      for (const [index, node] of cluster.entries()) {
        node.setKeys(keys);
        await converge(cluster[(index + 1) % cluster.length] ?? first); // mid-step too
      }
    }
    const idA = createKeyring({ primary: keyA, crypto: nodeEnvelopeCrypto }).primary.keyId;
    const idB = createKeyring({ primary: keyB, crypto: nodeEnvelopeCrypto }).primary.keyId;
    for (const node of cluster) {
      const stats = security(node);
      expect(stats.keyIds).toEqual([idB]);
      expect(stats.dropped).toBe(0); // nothing refused at any step
      expect(stats.openedByKey[idA]).toBeGreaterThan(0);
      expect(stats.openedByKey[idB]).toBeGreaterThan(0);
    }
    // The old key no longer opens anything.
    const late = await openClient({ nodes: [first.address], key: { primary: keyA }, timeout: 300 });
    await expect(late.get('rotation')).rejects.toBeInstanceOf(NoAnswerError);
    expect(security(first).droppedByReason['unknown-key']).toBeGreaterThan(0);
  });

  it('does not resurrect a node that left when its captured datagrams are replayed', async () => {
    const seed = await startNode({ bind: '127.0.0.51:0', key: { primary: keyA } });
    const witness = await startNode({
      bind: '127.0.0.52:0',
      key: { primary: keyA },
      seeds: [seed.address],
    });
    const leaving = await startNode({
      bind: '127.0.0.53:0',
      key: { primary: keyA },
      seeds: [seed.address],
    });
    const eavesdropper = await startTappedNode('127.0.0.54:0', seed.address);
    const cluster = [seed, witness, leaving, eavesdropper.gossip];
    await settle(() => allAlive(cluster));
    // A large write: the eavesdropper's copies show the datagram budget kept with the envelope.
    const entries = Object.fromEntries(
      Array.from({ length: 1_000 }, (_, index) => [index, index + 1]),
    );
    await leaving.put('large', entries);
    await settle(() => eavesdropper.gossip.get('large')?.size === 1_000);
    await pause(300); // a few heartbeats and peer exchanges more to capture
    const address = leaving.address;
    await leaving.stop({ leave: true });
    const others = [seed, witness];
    const leftEverywhere = () =>
      others.every((node) =>
        node.members().some((member) => member.address === address && member.status === 'left'),
      );
    await settle(leftEverywhere);

    const captured = eavesdropper.tap.received.filter((datagram) => datagram.from === address);
    expect(captured.length).toBeGreaterThan(10);
    for (const { bytes } of captured) {
      expect(bytes[0]).toBe(0xc1);
      expect(bytes.byteLength).toBeLessThanOrEqual(1_400);
    }
    expect(Math.max(...captured.map(({ bytes }) => bytes.byteLength))).toBeGreaterThan(1_300);

    // Replayed raw, from the departed node's own address, to everyone who saw it leave.
    const replayer = await createUdpTransport({ bind: address, onWarning: () => undefined });
    cleanups.push(() => replayer.close());
    const before = others.map((node) => security(node).datagramsOpened + security(node).dropped);
    for (const node of others) {
      for (const { bytes } of captured) replayer.send(node.address, bytes);
    }
    await settle(() =>
      others.every(
        (node, index) =>
          security(node).datagramsOpened + security(node).dropped >=
          (before[index] ?? 0) + captured.length,
      ),
    );
    // Within the 30 s freshness window the envelope lets them through; membership holds.
    expect(security(seed).datagramsOpened - (before[0] ?? 0)).toBeGreaterThan(0);
    await pause(500); // several heartbeat intervals and timeouts of LOCAL_MEMBERSHIP
    expect(leftEverywhere()).toBe(true);
    for (const node of others) {
      expect(node.members().find((member) => member.address === address)?.status).toBe('left');
    }
  });

  it('answers a client holding the key, and nothing at all to one without it', async () => {
    const node = await startNode({ bind: '127.0.0.55:0', key: { primary: keyA }, label: 'prod' });
    const keyed = await openClient({
      nodes: [node.address],
      key: { primary: keyA },
      label: 'prod',
    });
    await keyed.put('views', { 0: 7 });
    expect((await keyed.get('views')).toRecord()).toEqual({ 0: 7 });
    expect((await keyed.members())[0]?.address).toBe(node.address);

    const plain = await openClient({ nodes: [node.address], timeout: 300 });
    const error = await rejectionOf(() => plain.get('views'));
    expect(error).toBeInstanceOf(NoAnswerError);
    expect(security(node).droppedByReason['not-sealed']).toBeGreaterThan(0);
    const wrongLabel = await openClient({
      nodes: [node.address],
      key: { primary: keyA },
      timeout: 300,
    });
    await expect(wrongLabel.get('views')).rejects.toBeInstanceOf(NoAnswerError);
    expect(security(node).droppedByReason['bad-tag']).toBeGreaterThan(0);
    // A large write, split so that each sealed datagram keeps to the budget.
    const entries = Object.fromEntries(Array.from({ length: 600 }, (_, index) => [index, 9]));
    await keyed.put('large', entries);
    expect(node.get('large')?.size).toBe(600);
  });

  it('reads its key from a file only its owner may read, and reloads it to rotate', async () => {
    const loose = await keyFile(`${keyA}\n`, 0o644);
    const refused = await rejectionOf(() => startNode({ bind: '127.0.0.56:0', keyFile: loose }));
    expect(refused).toBeInstanceOf(KeyFilePermissionError);
    expect(String(refused)).toContain(`run: chmod 600 ${loose}`);
    await chmod(loose, 0o600);
    const node = await startNode({ bind: '127.0.0.56:0', keyFile: loose });
    const peer = await startNode({
      bind: '127.0.0.57:0',
      key: { primary: keyA },
      seeds: [node.address],
    });
    await settle(() => allAlive([node, peer]));
    const client = await openClient({ nodes: [node.address], keyFile: loose });
    await client.put('k', { 0: 1 });

    await writeFile(loose, `# rotating\n${keyA}\n${keyB}\n`);
    await node.reloadKeyFile();
    await client.reloadKeyFile();
    expect(security(node).keyIds).toHaveLength(2);
    await client.put('k', { 1: 1 });
    await settle(() => peer.get('k')?.get(1) === 1);
  });

  it('refuses key options that cannot work, never echoing a key', async () => {
    const refusals: [Partial<NodeOptions>, string, RegExp][] = [
      [{ label: 'prod' }, 'label', /given without a key/],
      [{ key: { primary: keyA }, keyFile: '/etc/vig/key' }, 'key', /both given/],
      [{ key: { primary: keyA.slice(0, 40) } }, 'key', /cluster key primary is 40 characters/],
      [{ key: { primary: keyA }, label: '' }, 'label', /1\.\.255 UTF-8 bytes/],
      [{ key: { primary: keyA }, gossip: { datagramBudget: 40 } }, 'gossip', /no room/],
      [{ key: { primary: keyA }, insecure: 'yes' as never }, 'insecure', /a boolean/],
    ];
    for (const [options, option, message] of refusals) {
      const error = await rejectionOf(() => startNode({ bind: '127.0.0.58:0', ...options }));
      expect(error, JSON.stringify(options)).toBeInstanceOf(NodeOptionsError);
      expect((error as NodeOptionsError).option).toBe(option);
      expect(String(error)).toMatch(message);
      expect(String(error)).not.toContain(keyA.slice(0, 12));
    }
    const plain = await startNode({ bind: '127.0.0.58:0' });
    expect(() => plain.setKeys({ primary: keyA })).toThrow(NodeOptionsError);
    const keyed = await startNode({ bind: '127.0.0.59:0', key: { primary: keyA } });
    const reload = await rejectionOf(() => keyed.reloadKeyFile());
    expect(isVigError(reload, 'NodeOptionsError')).toBe(true);
    expect(() => keyed.setKeys({ primary: 'nope' })).toThrow(/cluster key primary is 4 characters/);
    expect(security(keyed).keyIds).toHaveLength(1);
  });
});

/**
 * A gossip node assembled by hand over a tapped UDP socket under the
 * cluster key: it keeps every raw (sealed) datagram it receives.
 */
async function startTappedNode(
  bind: string,
  seed: string,
): Promise<{ gossip: GossipNode; tap: TransportTap }> {
  const tap = tapTransport(await createUdpTransport({ bind, onWarning: () => undefined }));
  const transport = createSealedTransport(
    tap,
    createKeyring({ primary: keyA, crypto: nodeEnvelopeCrypto }),
  );
  const gossip = createGossipNode({
    ...LOCAL_GOSSIP,
    datagramBudget: 1_360,
    transport,
    scheduler: realTimeScheduler,
    random: Math.random,
    seeds: [peerAddress(seed)],
    membership: LOCAL_MEMBERSHIP,
  });
  gossip.start();
  cleanups.push(async () => {
    gossip.stop();
    await transport.close();
  });
  return { gossip, tap };
}
