import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOCAL_MEMBERSHIP } from './membership-config.js';
import type { MemberStatus, MembershipTransition } from './membership-status.js';
import { createMembershipTable } from './membership-table.js';
import { leaveEntries, readPeerHeartbeat } from './peer-key.js';
import type { PeerHeartbeat } from './peer-key.js';
import { seededRandom } from './scheduler.js';
import { peerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

/** Every status change the table may make; `new` is a first sighting. */
const allowed: Readonly<Record<MemberStatus | 'new', readonly MemberStatus[]>> = {
  new: ['alive', 'left'],
  alive: ['suspect', 'left'],
  suspect: ['alive', 'dead', 'left'],
  dead: ['alive', 'left'],
  left: ['alive'],
};

const self = peerAddress('127.0.0.1:7000');
const addresses: readonly PeerAddress[] = [
  self,
  peerAddress('127.0.0.2:7000'),
  peerAddress('127.0.0.3:7000'),
  peerAddress('127.0.0.4:7000'),
];

type Event =
  | { kind: 'observe'; address: number; heartbeat: number; leaveMarker: number; wait: number }
  | { kind: 'heard-from' | 'leave' | 'mark-client' | 'add-seed'; address: number; wait: number }
  | { kind: 'tick' | 'recontact'; wait: number };

/** Waits around the local config's timeouts: within a heartbeat, a suspicion window, or long. */
const wait = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 300 }) },
  { weight: 3, arbitrary: fc.integer({ min: 300, max: 3_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 15_000 }) },
);
const address = fc.integer({ min: 0, max: addresses.length - 1 });
const event: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('observe' as const),
      address,
      heartbeat: fc.integer({ min: 0, max: 30 }),
      leaveMarker: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
      wait,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('heard-from' as const), address, wait }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), address, wait }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('tick' as const), wait }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('recontact' as const), wait }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add-seed' as const), address, wait }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mark-client' as const), address, wait }) },
);

/** What the test itself tracks of a peer, independently of the table. */
interface Seen {
  heartbeat: number;
  leaveMarker: number;
  lastEvidenceAt: number;
}

/**
 * The heartbeat and leave marker an observe or leave event carries: a leave is
 * what a leaving Vig node sends, its marker raised to its heartbeat.
 */
function observation(current: Event, before: Seen | undefined): PeerHeartbeat {
  if (current.kind === 'observe') return current;
  const marker = leaveEntries({ heartbeat: before?.heartbeat ?? 0, leaveMarker: 0 });
  return readPeerHeartbeat(marker);
}

describe('membership (property)', () => {
  it('follows only the allowed transitions, for the allowed reasons, over random events', () => {
    const config = LOCAL_MEMBERSHIP;
    const slowest =
      Math.max(config.suspectAfter, config.missedHeartbeats * config.maxHeartbeatPeriod) +
      config.deadAfter -
      config.suspectAfter;
    const edgesSeen = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 10, maxLength: 200, size: 'max' }),
        fc.integer(),
        (events, seed) => {
          const table = createMembershipTable({ self, config, random: seededRandom(seed) });
          const statuses = new Map<PeerAddress, MemberStatus>();
          const seen = new Map<PeerAddress, Seen>();
          const clients = new Set<PeerAddress>();
          const seeds = new Set<PeerAddress>();
          let now = 0;

          for (const current of events) {
            now += current.wait;
            const target = 'address' in current ? addresses[current.address] : undefined;
            const before = target === undefined ? undefined : seen.get(target);
            let transitions: MembershipTransition[] = [];
            switch (current.kind) {
              case 'observe':
              case 'leave': {
                if (target === undefined) break;
                const values = observation(current, before);
                transitions = table.observe(
                  target,
                  {
                    kind: 'sparse',
                    indices: [0, 1],
                    values: [values.heartbeat, values.leaveMarker],
                  },
                  now,
                );
                const previousHeartbeat = before?.heartbeat ?? 0;
                const known = target !== self && !clients.has(target);
                if (
                  known &&
                  before === undefined &&
                  (values.heartbeat > 0 || values.leaveMarker > 0)
                ) {
                  seen.set(target, { ...values, lastEvidenceAt: now });
                } else if (known && before !== undefined) {
                  if (values.heartbeat > before.heartbeat) before.lastEvidenceAt = now;
                  before.heartbeat = Math.max(before.heartbeat, values.heartbeat);
                  before.leaveMarker = Math.max(before.leaveMarker, values.leaveMarker);
                }
                for (const transition of transitions) {
                  if (transition.to === 'alive' && transition.from !== undefined) {
                    // Only growth revives: never an old value, nor a leave marker it has not passed.
                    expect(values.heartbeat).toBeGreaterThan(previousHeartbeat);
                    expect(values.heartbeat).toBeGreaterThan(seen.get(target)?.leaveMarker ?? 0);
                  }
                  if (transition.to === 'left') {
                    const marked = seen.get(target);
                    expect(marked?.leaveMarker).toBeGreaterThanOrEqual(marked?.heartbeat ?? 0);
                  }
                }
                break;
              }
              case 'heard-from':
                if (target === undefined) break;
                transitions = table.heardFrom(target, now);
                if (before !== undefined && !clients.has(target)) before.lastEvidenceAt = now;
                for (const transition of transitions) expect(transition.from).toBe('suspect');
                break;
              case 'tick':
                transitions = table.tick(now);
                for (const transition of transitions) {
                  const silence = now - (seen.get(transition.address)?.lastEvidenceAt ?? now);
                  const floor =
                    transition.to === 'suspect' ? config.suspectAfter : config.deadAfter;
                  expect(['suspect', 'dead']).toContain(transition.to);
                  expect(silence).toBeGreaterThanOrEqual(floor);
                }
                for (const [peer, record] of seen) {
                  if (clients.has(peer) || now - record.lastEvidenceAt < slowest) continue;
                  expect(['dead', 'left']).toContain(table.status(peer));
                }
                break;
              case 'recontact':
                for (const candidate of table.recontactCandidates(now)) {
                  expect(candidate).not.toBe(self);
                  expect(seeds.has(candidate) || table.status(candidate) === 'dead').toBe(true);
                }
                break;
              case 'add-seed':
                if (target === undefined) break;
                table.addSeed(target);
                if (target !== self) seeds.add(target);
                break;
              case 'mark-client':
                if (target === undefined) break;
                transitions = table.markClient(target, now);
                if (target !== self) clients.add(target);
                for (const transition of transitions) expect(transition.to).toBe('left');
                break;
            }

            for (const transition of transitions) {
              expect(transition.address).not.toBe(self);
              expect(transition.at).toBe(now);
              const from = statuses.get(transition.address);
              expect(transition.from).toBe(from);
              expect(allowed[from ?? 'new']).toContain(transition.to);
              statuses.set(transition.address, transition.to);
              edgesSeen.add(`${from ?? 'new'}→${transition.to}`);
            }
            for (const client of clients) statuses.delete(client);
            for (const peer of addresses) expect(table.status(peer)).toBe(statuses.get(peer));
            expect(table.livePeers()).toEqual(
              table.members(['alive', 'suspect']).map((member) => member.address),
            );
            expect(table.members().map((member) => member.address)).not.toContain(self);
          }
        },
      ),
      { numRuns: 400 },
    );
    // The runs are not vacuous: every allowed transition happened in some run.
    const everyEdge = Object.entries(allowed).flatMap(([from, targets]) =>
      targets.map((to) => `${from}→${to}`),
    );
    expect([...edgesSeen].sort()).toEqual(everyEdge.sort());
  });
});
