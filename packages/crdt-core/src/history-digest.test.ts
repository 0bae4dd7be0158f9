import { describe, expect, it } from 'vitest';
import {
  EMPTY_HISTORY_DIGEST,
  UnknownPositionError,
  UnknownVersionError,
  VersionedStore,
  agentId,
  sameHistoryDigest,
  seededRandom,
  versionHashHigh,
  versionHashLow,
} from './index.js';
import type { Operation, Version } from './index.js';
import { checkInvariants } from './testing/index.js';

function storeOf(name: string): VersionedStore {
  return new VersionedStore({ agent: agentId(name), random: seededRandom(name.length) });
}

/** Every operation of `store`, parents before children. */
function allOperations(store: VersionedStore): Operation[] {
  return store.diff(store.heads, []).onlyA.map((version) => store.operation(version));
}

function shuffled<Item>(items: readonly Item[], seed: number): Item[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let position = copy.length - 1; position > 0; position--) {
    const other = Math.floor(random() * (position + 1));
    [copy[position], copy[other]] = [copy[other], copy[position]];
  }
  return copy;
}

describe('VersionedStore: the history digest', () => {
  it('starts empty and counts every operation added, local or remote', () => {
    const alice = storeOf('alice');
    expect(alice.digest).toEqual(EMPTY_HISTORY_DIGEST);
    alice.put('a', 1);
    alice.put('b', 2);
    expect(alice.digest.count).toBe(2);
    const bob = storeOf('bob');
    bob.applyRemote(allOperations(alice));
    expect(sameHistoryDigest(alice.digest, bob.digest)).toBe(true);
    bob.put('c', 3);
    expect(sameHistoryDigest(alice.digest, bob.digest)).toBe(false);
    expect(bob.digest.count).toBe(3);
  });

  it('is the same whatever order the operations arrived in; waiting ones do not count', () => {
    const source = storeOf('source');
    const random = seededRandom(3);
    for (let step = 0; step < 200; step++) {
      if (random() < 0.3) source.switchAgent();
      source.put(`k${Math.floor(random() * 10)}`, step);
    }
    const operations = allOperations(source);
    for (const seed of [1, 2, 3]) {
      const replica = storeOf(`replica-${seed}`);
      const order = shuffled(operations, seed);
      replica.applyRemote(order.slice(0, 100));
      const held = replica.size;
      expect(replica.digest.count).toBe(held);
      replica.applyRemote(order.slice(100));
      expect(replica.waitingCount).toBe(0);
      expect(replica.digest).toEqual(source.digest);
      checkInvariants(replica);
    }
  });

  it('sums two independent hashes of each version', () => {
    const store = storeOf('alice');
    const first = store.put('a', 1);
    const second = store.put('a', 2);
    const low = (versionHashLow(first) + versionHashLow(second)) >>> 0;
    const high = (versionHashHigh(first) + versionHashHigh(second)) >>> 0;
    expect(store.digest).toEqual({ count: 2, low, high });
    expect(versionHashLow(first)).not.toBe(versionHashHigh(first));
  });

  it('gives different digests for sets that differ in one version', () => {
    const digests = new Set<string>();
    for (let agents = 0; agents < 50; agents++) {
      for (let seq = 0; seq < 20; seq++) {
        const version: Version = { agent: agentId(`agent-${agents}`), seq };
        digests.add(`${versionHashLow(version)}:${versionHashHigh(version)}`);
      }
    }
    expect(digests.size).toBe(1000);
  });
});

describe('VersionedStore: has, versionAt and positionOf', () => {
  it('lists the history in local order and finds each version’s position', () => {
    const alice = storeOf('alice');
    const versions = [alice.put('a', 1), alice.put('b', 2)];
    const bob = storeOf('bob');
    bob.applyRemote(allOperations(alice));
    versions.push(bob.put('a', 3));
    for (const [position, version] of versions.entries()) {
      expect(bob.versionAt(position)).toEqual(version);
      expect(bob.positionOf(version)).toBe(position);
      expect(bob.has(version)).toBe(true);
    }
    expect(bob.has({ agent: agentId('carol'), seq: 0 })).toBe(false);
    expect(bob.has({ agent: agentId('alice'), seq: 2 })).toBe(false);
    expect(() => bob.versionAt(3)).toThrow(UnknownPositionError);
    expect(() => bob.versionAt(-1)).toThrow(UnknownPositionError);
    expect(() => bob.versionAt(0.5)).toThrow('expected an integer in 0..2');
    expect(() => bob.positionOf({ agent: agentId('carol'), seq: 0 })).toThrow(UnknownVersionError);
  });

  it('applyRemote reports the operations it added, parents first, released ones included', () => {
    const source = storeOf('alice');
    const operations = [0, 1, 2].map((value) => source.operation(source.put('k', value)));
    const target = storeOf('bob');
    expect(target.applyRemote([operations[2]]).added).toEqual([]);
    const result = target.applyRemote([operations[1], operations[0]]);
    expect(result.applied).toBe(3);
    expect(result.added.map((operation) => operation.version.seq)).toEqual([0, 1, 2]);
    expect(target.applyRemote(operations).added).toEqual([]);
  });
});
