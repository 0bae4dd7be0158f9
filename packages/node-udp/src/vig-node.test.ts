import { isVigError } from '@vig/crdt-core';
import type { KeyChange, MembershipTransition } from '@vig/gossip';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeOptionsError, NodeStoppedError } from './node-errors.js';
import { InvalidBindAddressError } from './udp-errors.js';
import { createNode } from './vig-node.js';
import type { NodeOptions, VigNode } from './vig-node.js';
import { allAlive } from '../test/all-alive.js';
import { rejectionOf } from '../test/rejection-of.js';
import { settle } from '../test/settle.js';
import { testNodes } from '../test/test-nodes.js';

const testing = testNodes();
afterEach(() => testing.cleanup());

/** A node with loopback timings and quiet warnings, stopped after the test. */
function openNode(options: Partial<NodeOptions> & { bind: string }): Promise<VigNode> {
  return testing.open(options);
}

function temporaryDirectory(): Promise<string> {
  return testing.directory();
}

describe('createNode', () => {
  it('joins three nodes through a seed and converges a put on all of them', async () => {
    const seed = await openNode({ bind: '127.0.0.1:0' });
    const second = await openNode({ bind: '127.0.0.2:0', seeds: [seed.address] });
    const third = await openNode({ bind: '127.0.0.3:0', seeds: [seed.address] });
    const cluster = [seed, second, third];
    const ups: MembershipTransition[] = [];
    third.on('member-up', (transition) => ups.push(transition));
    for (const node of cluster) node.start();

    await settle(() => allAlive(cluster));
    expect(ups.map((up) => up.address).sort()).toEqual([seed.address, second.address].sort());

    const changes: KeyChange[] = [];
    seed.on('change', (change) => changes.push(change));
    const grew = await third.put('views:home', { 0: 120, 7: 3 });
    expect(grew).toEqual({ kind: 'sparse', indices: [0, 7], values: [120, 3] });
    await settle(() => cluster.every((node) => node.get('views:home')?.get(0) === 120));

    for (const node of cluster) {
      expect(node.get('views:home')?.toRecord()).toEqual({ 0: 120, 7: 3 });
      expect(node.search('views:%').map(([key]) => key)).toEqual(['views:home']);
    }
    expect(changes.some((change) => change.key === 'views:home')).toBe(true);
    // Writing what is already held grows nothing, and resolves with that.
    expect(await second.put('views:home', { 0: 100 })).toEqual({
      kind: 'sparse',
      indices: [],
      values: [],
    });
    await second.put('views:pricing', { kind: 'sparse', indices: [1], values: [9] });
    await settle(() => seed.get('views:pricing') !== undefined);
    expect(seed.aggregate('views:*').toRecord()).toEqual({ 0: 120, 1: 9, 7: 3 });
  });

  it('restores every key after a restart on the same dataDir, remote growth included', async () => {
    const directory = await temporaryDirectory();
    const peer = await openNode({ bind: '127.0.0.4:0' });
    const first = await openNode({
      bind: '127.0.0.5:0',
      dataDir: directory,
      seeds: [peer.address],
    });
    peer.start();
    first.start();
    await settle(() => allAlive([peer, first]));

    await first.put('hll:visitors', { 3: 9, 700: 2 });
    await peer.put('counter', { 1: 5 });
    await settle(() => first.get('counter')?.get(1) === 5);
    const address = first.address;
    await first.stop({ leave: true });
    await expect(first.put('late', { 0: 1 })).rejects.toBeInstanceOf(NodeStoppedError);

    const restarted = await openNode({ bind: '127.0.0.5:0', dataDir: directory });
    expect(restarted.get('hll:visitors')?.toRecord()).toEqual({ 3: 9, 700: 2 });
    expect(restarted.get('counter')?.toRecord()).toEqual({ 1: 5 });
    // Its own peer key too: its heartbeat (and leave marker) go on from there.
    expect(restarted.get(`n:${address}`)?.get(1)).toBeGreaterThan(0);
    expect(restarted.metrics().storage).toMatchObject({ kind: 'lmdb', skippedRecords: 0 });
    expect(restarted.metrics().storage.loadedKeys).toBeGreaterThanOrEqual(3);
  });

  it('reports the engine, transport and storage counters', async () => {
    const seed = await openNode({ bind: '127.0.0.6:0' });
    const other = await openNode({ bind: '127.0.0.7:0', seeds: [seed.address] });
    seed.start();
    other.start();
    await settle(() => allAlive([seed, other]));
    await seed.put('k', { 0: 1 });

    const metrics = seed.metrics();
    expect(metrics.messagesIn).toBeGreaterThan(0);
    expect(metrics.messagesOut).toBeGreaterThan(0);
    expect(metrics.transport.datagramsReceived).toBeGreaterThan(0);
    expect(metrics.transport.pendingSends).toBeGreaterThanOrEqual(0);
    expect(metrics.storage).toMatchObject({ kind: 'memory', loadedKeys: 0, writeErrors: 0 });
    expect(metrics.storage.writes).toBeGreaterThan(0);
    expect(Object.isFrozen(metrics)).toBe(true);
  });

  it('refuses bad options with typed errors, opening nothing', async () => {
    const neither = await rejectionOf(() => createNode({ bind: '127.0.0.8:0' }));
    expect(neither).toBeInstanceOf(NodeOptionsError);
    expect(isVigError(neither, 'NodeOptionsError')).toBe(true);
    expect((neither as NodeOptionsError).message).toMatch(
      /both missing: expected exactly one of dataDir .* and memory: true/,
    );
    const both = await rejectionOf(() =>
      createNode({ bind: '127.0.0.8:0', memory: true, dataDir: '/tmp/never' }),
    );
    expect(both).toBeInstanceOf(NodeOptionsError);
    expect((both as NodeOptionsError).option).toBe('dataDir');

    const seed = await rejectionOf(() =>
      createNode({ bind: '127.0.0.8:0', memory: true, seeds: ['no-port'] }),
    );
    expect(seed).toBeInstanceOf(NodeOptionsError);
    expect((seed as NodeOptionsError).option).toBe('seeds[0]');
    expect(isVigError((seed as Error).cause, 'InvalidPeerAddressError')).toBe(true);

    const gossip = await rejectionOf(() =>
      createNode({ bind: '127.0.0.8:0', memory: true, gossip: { fanout: -1 } }),
    );
    expect((gossip as NodeOptionsError).option).toBe('gossip');
    const membership = await rejectionOf(() =>
      createNode({
        bind: '127.0.0.8:0',
        memory: true,
        membership: { deadAfter: 1, suspectAfter: 2 },
      }),
    );
    expect((membership as NodeOptionsError).option).toBe('membership');

    const bind = await rejectionOf(() => createNode({ bind: 'nowhere', memory: true }));
    expect(bind).toBeInstanceOf(InvalidBindAddressError);
  });

  it('rejects writes to patterns, and start or put after stop', async () => {
    const node = await openNode({ bind: '127.0.0.9:0' });
    node.start();
    await expect(node.put('views:%', { 0: 1 })).rejects.toThrow(/is a pattern/);
    await expect(node.put('k', { [-1]: 1 })).rejects.toThrow(/vector index -1 is out of range/);
    await node.stop();
    await node.stop(); // twice is harmless
    expect(() => node.start()).toThrow(NodeStoppedError);
    await expect(node.put('k', { 0: 1 })).rejects.toBeInstanceOf(NodeStoppedError);
  });
});

describe('host names', () => {
  it('joins through a seed given by host name, and never looks up a host name learned from the network', async () => {
    const seed = await openNode({ bind: '127.0.0.1:0' });
    const port = seed.address.slice(seed.address.lastIndexOf(':') + 1);
    const other = await openNode({ bind: '127.0.0.2:0', seeds: [`localhost:${port}`] });
    seed.start();
    other.start();
    await seed.put('n:learned.invalid:7000', { 0: 5 });
    await settle(() =>
      other
        .members()
        .some((member) => member.address === seed.address && member.status === 'alive'),
    );
    await settle(() => (other.metrics().transport.sendErrorsByCode['ENOTIP'] ?? 0) > 0);
    expect(other.metrics().transport.sendErrorsByCode['ENOTFOUND']).toBeUndefined();
  });
});
