import { MaxVector } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { LAN_MEMBERSHIP, LOCAL_MEMBERSHIP } from './membership-config.js';
import type { MembershipTransition } from './membership-status.js';
import { createMembershipTable } from './membership-table.js';
import type { MembershipTable } from './membership-table.js';
import { leaveEntries, nextHeartbeat } from './peer-key.js';
import { seededRandom } from './scheduler.js';
import { peerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

const self = peerAddress('127.0.0.1:7946');
const peer = peerAddress('127.0.0.2:7946');
const other = peerAddress('127.0.0.3:7946');

/** The entries of a peer key holding only a heartbeat. */
function heartbeat(value: number): VectorEntries {
  return { kind: 'sparse', indices: [0], values: [value] };
}

/** Short transitions, for readable expectations. */
function brief(transitions: readonly MembershipTransition[]): string[] {
  return transitions.map(({ address, from, to, at }) => `${address} ${from ?? '-'}→${to} @${at}`);
}

/**
 * Ticks every `step` ms in (from, to]; at each tick, first calls `beforeTick(now)`.
 * Returns every transition, from the callback and the ticks.
 */
function run(
  table: MembershipTable,
  from: number,
  to: number,
  step: number,
  beforeTick: (now: number) => MembershipTransition[] = () => [],
): MembershipTransition[] {
  const transitions: MembershipTransition[] = [];
  for (let now = from + step; now <= to; now += step) {
    transitions.push(...beforeTick(now), ...table.tick(now));
  }
  return transitions;
}

function lanTable(): MembershipTable {
  return createMembershipTable({ self, config: LAN_MEMBERSHIP });
}

describe('membership: heartbeats and timeouts', () => {
  it('makes a peer a member at first sight, alive', () => {
    const table = lanTable();
    expect(brief(table.observe(peer, heartbeat(1_700_000_000), 0))).toEqual([
      '127.0.0.2:7946 -→alive @0',
    ]);
    expect(table.status(peer)).toBe('alive');
    expect(table.livePeers()).toEqual([peer]);
    expect(table.observe(other, MaxVector.from({ 4: 2 }), 0)).toEqual([]); // no heartbeat: nothing to learn
    expect(table.status(other)).toBeUndefined();
  });

  it('keeps a peer alive while its heartbeat grows', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(100), 0);
    const transitions = run(table, 0, 600_000, 250, (now) =>
      now % 1_000 === 0 ? table.observe(peer, heartbeat(100 + now / 1_000), now) : [],
    );
    expect(transitions).toEqual([]);
    expect(table.members()[0]).toMatchObject({
      status: 'alive',
      heartbeat: 700,
      lastHeartbeatGrowthAt: 600_000,
      heartbeatPeriod: 1_000,
    });
  });

  it('suspects after suspectAfter and declares dead after deadAfter without growth', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(100), 0);
    table.observe(peer, heartbeat(101), 1_000);
    expect(table.tick(5_999)).toEqual([]);
    expect(brief(table.tick(6_000))).toEqual(['127.0.0.2:7946 alive→suspect @6000']);
    expect(table.livePeers()).toEqual([peer]); // suspects still receive gossip
    expect(table.tick(30_999)).toEqual([]);
    expect(brief(table.tick(31_000))).toEqual(['127.0.0.2:7946 suspect→dead @31000']);
    expect(table.livePeers()).toEqual([]);
    expect(table.members('dead').map((member) => member.address)).toEqual([peer]);
  });

  it('passes through suspect when one late tick finds a peer dead', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(100), 0);
    expect(brief(table.tick(60_000))).toEqual([
      '127.0.0.2:7946 alive→suspect @60000',
      '127.0.0.2:7946 suspect→dead @60000',
    ]);
  });

  it('revives a suspect or dead peer when its heartbeat grows', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(100), 0);
    table.tick(5_000);
    expect(brief(table.observe(peer, heartbeat(105), 5_500))).toEqual([
      '127.0.0.2:7946 suspect→alive @5500',
    ]);
    table.tick(60_000);
    expect(table.status(peer)).toBe('dead');
    expect(brief(table.observe(peer, heartbeat(160), 61_000))).toEqual([
      '127.0.0.2:7946 dead→alive @61000',
    ]);
    expect(table.livePeers()).toEqual([peer]);
  });

  it('never revives a dead or left peer from a replayed heartbeat or datagram', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(100), 0);
    table.observe(peer, heartbeat(101), 1_000);
    table.tick(40_000);
    expect(table.status(peer)).toBe('dead');
    for (const value of [101, 100, 3]) {
      expect(table.observe(peer, heartbeat(value), 41_000)).toEqual([]);
      expect(table.observe(peer, MaxVector.from({ 0: value }), 41_000)).toEqual([]);
    }
    expect(table.heardFrom(peer, 41_000)).toEqual([]);
    expect(table.tick(42_000)).toEqual([]);
    expect(table.status(peer)).toBe('dead');

    table.observe(other, heartbeat(50), 0);
    table.observe(other, leaveEntries({ heartbeat: 50, leaveMarker: 0 }), 1_000);
    expect(table.status(other)).toBe('left');
    expect(table.observe(other, heartbeat(50), 2_000)).toEqual([]);
    expect(table.observe(other, MaxVector.from({ 0: 49, 1: 10 }), 2_000)).toEqual([]);
    expect(table.heardFrom(other, 2_000)).toEqual([]);
    expect(table.tick(100_000).filter((transition) => transition.address === other)).toEqual([]);
    expect(table.status(other)).toBe('left');
  });

  it('reads entries that hold only what grew, sparse or dense', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(100), 0);
    expect(table.observe(peer, { kind: 'sparse', indices: [7], values: [1] }, 500)).toEqual([]);
    table.observe(peer, { kind: 'dense', offset: 0, registers: new Uint8Array([101]) }, 1_000);
    expect(table.members()[0]?.lastHeartbeatGrowthAt).toBe(1_000);
  });
});

describe('membership: direct contact', () => {
  it('counts as liveness for alive and suspect peers', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(100), 0);
    expect(run(table, 0, 60_000, 500, (now) => table.heardFrom(peer, now))).toEqual([]);
    table.tick(65_500);
    expect(table.status(peer)).toBe('suspect');
    expect(brief(table.heardFrom(peer, 66_000))).toEqual(['127.0.0.2:7946 suspect→alive @66000']);
    expect(table.members()[0]).toMatchObject({ lastContactAt: 66_000, lastHeartbeatGrowthAt: 0 });
  });

  it('does not make a member of an unknown sender', () => {
    const table = lanTable();
    expect(table.heardFrom(peer, 0)).toEqual([]);
    expect(table.status(peer)).toBeUndefined();
  });
});

describe('membership: graceful leave', () => {
  it('is left on the marker and alive again on a later heartbeat', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(1_000), 0);
    const own = MaxVector.from({ 0: 1_000 });
    own.merge(leaveEntries({ heartbeat: 1_000, leaveMarker: 0 }));
    expect(brief(table.observe(peer, own, 500))).toEqual(['127.0.0.2:7946 alive→left @500']);
    expect(table.livePeers()).toEqual([]);
    expect(table.tick(120_000)).toEqual([]); // left is not timed out
    expect(table.recontactCandidates(120_000)).toEqual([]); // nor re-contacted

    own.raise(0, nextHeartbeat({ heartbeat: 1_000, leaveMarker: 1_000 }, 1_000));
    expect(brief(table.observe(peer, own, 121_000))).toEqual(['127.0.0.2:7946 left→alive @121000']);
  });

  it('stays left while the heartbeat does not pass the marker, even if it grows', () => {
    const table = lanTable();
    table.observe(peer, MaxVector.from({ 0: 10, 1: 20 }), 0);
    expect(table.status(peer)).toBe('left');
    expect(table.observe(peer, heartbeat(20), 1_000)).toEqual([]);
    expect(table.status(peer)).toBe('left');
    expect(brief(table.observe(peer, heartbeat(21), 2_000))).toEqual([
      '127.0.0.2:7946 left→alive @2000',
    ]);
  });

  it('turns a dead peer left when its marker arrives late', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(10), 0);
    table.tick(40_000);
    expect(
      brief(table.observe(peer, leaveEntries({ heartbeat: 10, leaveMarker: 0 }), 41_000)),
    ).toEqual(['127.0.0.2:7946 dead→left @41000']);
  });
});

describe('membership: minute-valued (Ruby) heartbeats', () => {
  /** A Ruby peer writes the time in minutes; its heartbeat grows once every 60 s. */
  const minuteHeartbeats =
    (table: MembershipTable, offsetMinutes = 0) =>
    (now: number) =>
      now % 60_000 === 0
        ? table.observe(peer, heartbeat(28_000_000 + offsetMinutes + now / 60_000), now)
        : [];

  it('suspects and kills once before the first growth, then learns the period and stays alive', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(28_000_000), 0);
    // Before any growth the table assumes the LAN heartbeat interval; the
    // first minute gap makes it suspect at 5 s and dead at 30 s, and the
    // first growth at 60 s revives it with a measured period of 60 s.
    const transitions = run(table, 0, 600_000, 1_000, minuteHeartbeats(table));
    expect(brief(transitions)).toEqual([
      '127.0.0.2:7946 alive→suspect @5000',
      '127.0.0.2:7946 suspect→dead @30000',
      '127.0.0.2:7946 dead→alive @60000',
    ]);
    expect(table.members()[0]?.heartbeatPeriod).toBe(60_000);

    // When it stops: suspect after 3 × 60 s, dead 25 s later.
    expect(brief(run(table, 600_000, 1_000_000, 1_000))).toEqual([
      '127.0.0.2:7946 alive→suspect @780000',
      '127.0.0.2:7946 suspect→dead @805000',
    ]);
  });

  it('stays alive from the start when it is in direct contact', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(28_000_000), 0);
    const transitions = run(table, 0, 600_000, 1_000, (now) => [
      ...minuteHeartbeats(table)(now),
      ...(now % 4_000 === 0 ? table.heardFrom(peer, now) : []),
    ]);
    expect(transitions).toEqual([]);
  });

  it('learns no period from a gap longer than maxHeartbeatPeriod (an outage)', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(10), 0);
    table.observe(peer, heartbeat(11), 1_000);
    table.observe(peer, heartbeat(20), 400_000);
    expect(table.members()[0]?.heartbeatPeriod).toBe(1_000);
  });
});

describe('membership: clock skew', () => {
  it('behaves the same whatever the heartbeat values, an hour ahead or behind', () => {
    const outcomes = [-3_600, 0, 3_600, -60, 60].map((offset) => {
      const table = lanTable();
      const base = 1_700_000_000 + offset;
      const transitions = run(table, -1_000, 120_000, 500, (now) => {
        // Heartbeats every second until 20 s, a pause to 60 s, then again until 80 s.
        const beating = now >= 0 && (now <= 20_000 || (now >= 60_000 && now <= 80_000));
        return beating && now % 1_000 === 0
          ? table.observe(peer, heartbeat(base + now / 1_000), now)
          : [];
      });
      return brief(transitions);
    });
    expect(outcomes[0]).toEqual([
      '127.0.0.2:7946 -→alive @0',
      '127.0.0.2:7946 alive→suspect @25000',
      '127.0.0.2:7946 suspect→dead @50000',
      '127.0.0.2:7946 dead→alive @60000',
      '127.0.0.2:7946 alive→suspect @85000',
      '127.0.0.2:7946 suspect→dead @110000',
    ]);
    for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
  });
});

describe('membership: clients and self', () => {
  it('answers clients but never makes them members', () => {
    const table = lanTable();
    expect(table.markClient(peer, 0)).toEqual([]);
    expect(table.isClient(peer)).toBe(true);
    expect(table.observe(peer, heartbeat(100), 0)).toEqual([]);
    expect(table.heardFrom(peer, 0)).toEqual([]);
    expect(table.status(peer)).toBeUndefined();
    expect(table.livePeers()).toEqual([]);
    expect(table.members()).toEqual([]);
  });

  it('drops a member that marks itself a client, as left', () => {
    const table = lanTable();
    table.observe(peer, heartbeat(100), 0);
    expect(brief(table.markClient(peer, 10))).toEqual(['127.0.0.2:7946 alive→left @10']);
    expect(table.status(peer)).toBeUndefined();
    expect(table.livePeers()).toEqual([]);
    expect(table.markClient(peer, 20)).toEqual([]);
  });

  it('remembers at most maxClients clients, the least recently marked forgotten first', () => {
    const table = createMembershipTable({ self, config: LAN_MEMBERSHIP, maxClients: 100 });
    table.markClient(peer, 0);
    for (let index = 0; index < 100_000; index++) {
      table.markClient(peerAddress(`10.${index >> 16}.${(index >> 8) & 255}.${index & 255}:1`), 0);
      if (index % 50 === 0) table.markClient(peer, 0);
    }
    expect(table.isClient(peer)).toBe(true);
    expect(table.isClient(peerAddress('10.0.0.0:1'))).toBe(false);
    expect(table.isClient(peerAddress('10.1.134.159:1'))).toBe(true);
  });

  it('never makes itself a member', () => {
    const table = lanTable();
    expect(table.observe(self, heartbeat(100), 0)).toEqual([]);
    expect(table.heardFrom(self, 0)).toEqual([]);
    table.addSeed(self);
    expect(table.markClient(self, 0)).toEqual([]);
    expect(table.status(self)).toBeUndefined();
    expect(table.members()).toEqual([]);
    expect(table.seeds()).toEqual([]);
    expect(table.recontactCandidates(0)).toEqual([]);
  });
});

describe('membership: re-contact of seeds and dead peers', () => {
  /** The times in [0, until] at which `address` comes back as a candidate, polling every 100 ms. */
  function recontactTimes(
    table: MembershipTable,
    address: PeerAddress,
    from: number,
    until: number,
  ): number[] {
    const times: number[] = [];
    for (let now = from; now <= until; now += 100) {
      table.tick(now);
      if (table.recontactCandidates(now).includes(address)) times.push(now);
    }
    return times;
  }

  it('re-contacts a seed at once, then with doubling backoff up to the cap', () => {
    const table = lanTable();
    table.addSeed(peer);
    table.addSeed(peer);
    expect(table.seeds()).toEqual([peer]);
    expect(recontactTimes(table, peer, 0, 60_000)).toEqual([
      0, 1_000, 3_000, 7_000, 15_000, 25_000, 35_000, 45_000, 55_000,
    ]);
  });

  it('stops re-contacting a seed that is a live member, and starts again when it dies', () => {
    const table = lanTable();
    table.addSeed(peer);
    expect(table.recontactCandidates(0)).toEqual([peer]);
    table.observe(peer, heartbeat(5), 100);
    expect(recontactTimes(table, peer, 200, 30_000)).toEqual([]);
    expect(table.status(peer)).toBe('suspect');
    expect(recontactTimes(table, peer, 30_100, 34_000)).toEqual([30_100, 31_100, 33_100]);
    expect(table.status(peer)).toBe('dead');
    // A seed that leaves is still re-contacted: it is configured to be there.
    table.observe(peer, heartbeat(6), 34_000);
    table.observe(peer, leaveEntries({ heartbeat: 6, leaveMarker: 0 }), 34_000);
    expect(recontactTimes(table, peer, 34_000, 35_000)).toEqual([34_000, 35_000]);
  });

  it('re-contacts dead peers with backoff until recontactDeadFor, so partitions heal', () => {
    const table = createMembershipTable({
      self,
      config: { ...LAN_MEMBERSHIP, recontactDeadFor: 60_000 },
    });
    table.observe(peer, heartbeat(5), 0);
    table.tick(30_000);
    expect(table.status(peer)).toBe('dead');
    expect(recontactTimes(table, peer, 30_000, 100_000)).toEqual([
      30_000, 31_000, 33_000, 37_000, 45_000, 55_000, 65_000, 75_000, 85_000,
    ]);
    // A datagram from it renews the window and resets the backoff, without reviving it.
    table.heardFrom(peer, 100_000);
    expect(table.status(peer)).toBe('dead');
    expect(recontactTimes(table, peer, 100_000, 101_000)).toEqual([100_000, 101_000]);
    // The partition heals: its heartbeat arrives, and re-contacts stop.
    table.observe(peer, heartbeat(6), 101_050);
    expect(recontactTimes(table, peer, 101_100, 110_000)).toEqual([]);
  });

  it('spreads waits with jitter from the random source', () => {
    const table = createMembershipTable({
      self,
      config: { ...LAN_MEMBERSHIP, recontactJitter: 0.5 },
      random: seededRandom(3),
    });
    table.addSeed(peer);
    const times = recontactTimes(table, peer, 0, 200_000);
    const waits = times.slice(1).map((time, position) => time - (times[position] ?? 0));
    expect(waits.length).toBeGreaterThan(10);
    for (const [position, wait] of waits.entries()) {
      const backoff = Math.min(10_000, 1_000 * 2 ** position);
      expect(wait).toBeGreaterThanOrEqual(backoff / 2);
      expect(wait).toBeLessThanOrEqual(backoff + 100);
    }
    expect(new Set(waits.slice(5)).size).toBeGreaterThan(1);
  });
});

describe('membership: lists', () => {
  it('lists members by status, as frozen snapshots, and shares the live list until a change', () => {
    const table = createMembershipTable({ self, config: LOCAL_MEMBERSHIP });
    table.observe(peer, heartbeat(1), 0);
    table.observe(other, heartbeat(1), 400);
    const live = table.livePeers();
    expect(live).toEqual([peer, other]);
    expect(table.livePeers()).toBe(live);
    table.tick(500);
    expect(table.members('suspect').map((member) => member.address)).toEqual([peer]);
    expect(table.livePeers()).not.toBe(live);
    expect(table.livePeers()).toEqual([peer, other]);
    table.tick(3_000);
    expect(table.members(['alive', 'suspect']).map((member) => member.address)).toEqual([other]);
    expect(table.members().map((member) => member.status)).toEqual(['dead', 'suspect']);
    expect(Object.isFrozen(table.members()[0])).toBe(true);
    expect(Object.isFrozen(table.livePeers())).toBe(true);
  });
});
