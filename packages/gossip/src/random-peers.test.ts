import { isVigError } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidPeerCountError, choosePeers } from './random-peers.js';
import { seededRandom } from './scheduler.js';
import type { RandomSource } from './scheduler.js';
import { peerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

function addresses(count: number): PeerAddress[] {
  return Array.from({ length: count }, (_, position) =>
    peerAddress(`127.0.${position >> 8}.${position & 255}:7946`),
  );
}

const peers = addresses(10);

describe('choosePeers', () => {
  it('chooses count distinct peers from the list', () => {
    const chosen = choosePeers(peers, 3, seededRandom(1));
    expect(chosen).toHaveLength(3);
    expect(new Set(chosen).size).toBe(3);
    for (const peer of chosen) expect(peers).toContain(peer);
  });

  it('never chooses an excluded peer, given as a list or a set', () => {
    const excluded = [peers[0], peers[4], peers[9]];
    for (let seed = 0; seed < 200; seed++) {
      const fromList = choosePeers(peers, 7, seededRandom(seed), excluded);
      const fromSet = choosePeers(peers, 7, seededRandom(seed), new Set(excluded));
      expect(fromList).toEqual(fromSet);
      expect(fromList).toHaveLength(7);
      for (const peer of excluded) expect(fromList).not.toContain(peer);
    }
  });

  it('returns every eligible peer, no more, when count exceeds them', () => {
    const chosen = choosePeers(peers.slice(0, 4), 10, seededRandom(2), [peers[1]]);
    expect([...chosen].sort()).toEqual([peers[0], peers[2], peers[3]].sort());
    expect(choosePeers([], 3, seededRandom(2))).toEqual([]);
    expect(choosePeers(peers, 0, seededRandom(2))).toEqual([]);
  });

  it('chooses a peer listed twice at most once', () => {
    const twice = [peers[0], peers[0], peers[1], peers[1]];
    for (let seed = 0; seed < 50; seed++) {
      expect([...choosePeers(twice, 4, seededRandom(seed))].sort()).toEqual(
        [peers[0], peers[1]].sort(),
      );
    }
  });

  it('replays exactly from a seed, and leaves the list as it was', () => {
    const copy = [...peers];
    expect(choosePeers(peers, 5, seededRandom(42))).toEqual(
      choosePeers(peers, 5, seededRandom(42)),
    );
    expect(peers).toEqual(copy);
  });

  it('draws once per pick on a long list: O(count), not O(peers)', () => {
    const many = addresses(60_000);
    let draws = 0;
    const base = seededRandom(3);
    const counting: RandomSource = () => {
      draws++;
      return base();
    };
    const chosen = choosePeers(many, 3, counting, [many[0]]);
    expect(chosen).toHaveLength(3);
    expect(draws).toBeLessThanOrEqual(4);
  });

  it('is uniform: each pair of 5 peers is chosen about equally often', () => {
    const five = peers.slice(0, 5);
    const random = seededRandom(11);
    const counts = new Map<string, number>();
    const trials = 20_000;
    for (let trial = 0; trial < trials; trial++) {
      const pair = choosePeers(five, 2, random).sort().join(' ');
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
    expect(counts.size).toBe(10);
    for (const count of counts.values())
      expect(Math.abs(count - trials / 10)).toBeLessThan(trials / 10 / 10);
  });

  it('is uniform over first picks with an exclusion', () => {
    const four = peers.slice(0, 4);
    const random = seededRandom(5);
    const counts = new Map<PeerAddress, number>();
    for (let trial = 0; trial < 9_000; trial++) {
      const [first] = choosePeers(four, 1, random, [four[2]]);
      if (first !== undefined) counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(counts.has(four[2])).toBe(false);
    for (const count of counts.values()) expect(Math.abs(count - 3_000)).toBeLessThan(300);
  });

  it('stays in range with a source that returns 1 or NaN', () => {
    expect(choosePeers(peers, 3, () => 1)).toHaveLength(3);
    expect(choosePeers(peers, 3, () => Number.NaN)).toHaveLength(3);
    expect(choosePeers(peers, 3, () => -0.5)).toHaveLength(3);
  });

  it('rejects a count that is not a non-negative integer', () => {
    for (const count of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      let caught: unknown;
      try {
        choosePeers(peers, count, seededRandom(1));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidPeerCountError);
      expect(isVigError(caught)).toBe(true);
    }
  });

  it('property: a distinct subset of the eligible peers, of size min(count, eligible)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 5 }),
        fc.nat({ max: 45 }),
        fc.integer(),
        (listed, excludedPositions, count, seed) => {
          const all = addresses(31);
          const list = listed.map((position) => all[position]);
          const excluded = new Set(excludedPositions.map((position) => all[position]));
          const eligible = new Set(list.filter((peer) => !excluded.has(peer)));
          const chosen = choosePeers(list, count, seededRandom(seed), excluded);
          expect(new Set(chosen).size).toBe(chosen.length);
          expect(chosen.length).toBe(Math.min(count, eligible.size));
          for (const peer of chosen) expect(eligible.has(peer)).toBe(true);
        },
      ),
    );
  });
});
