import type { MaxVector, VectorEntries } from '@vig/crdt-core';
import { membershipConfig } from './membership-config.js';
import type { MembershipConfig } from './membership-config.js';
import {
  deadTimeout,
  lastEvidenceAt,
  memberSnapshot,
  newMemberRecord,
  raiseValues,
  suspectTimeout,
} from './membership-member.js';
import type { MemberRecord } from './membership-member.js';
import { RecontactSchedule } from './membership-recontact.js';
import { RecencyMap } from './recency-map.js';
import type { Member, MemberStatus, MembershipTransition } from './membership-status.js';
import { isLeaveMarked, readPeerHeartbeat } from './peer-key.js';
import type { RandomSource } from './scheduler.js';
import type { PeerAddress } from './transport.js';

/** What {@link createMembershipTable} takes. */
export interface MembershipTableOptions {
  /** This node's own address: never a member of its own table. */
  readonly self: PeerAddress;
  /** Overrides over {@link LAN_MEMBERSHIP} (pass {@link LOCAL_MEMBERSHIP} for tests). */
  readonly config?: Partial<MembershipConfig>;
  /** Jitters re-contact waits; without one they are exact (deterministic either way). */
  readonly random?: RandomSource;
  /**
   * The most clients remembered, least recently marked forgotten first:
   * default {@link DEFAULT_MAX_CLIENTS}. Clients send from any address
   * (spoofed ones too), so the mark must cost bounded memory; a client
   * forgotten is marked again by its next datagram.
   */
  readonly maxClients?: number;
}

/** Clients a membership table remembers by default: 4096. */
export const DEFAULT_MAX_CLIENTS = 4096;

/**
 * Who is in the cluster, as one node sees it: pure bookkeeping with no
 * transport and no timers. Every method that depends on time takes `now`
 * (local milliseconds, from the engine's {@link Scheduler}), so it runs in
 * virtual time. Status changes come back as {@link MembershipTransition}s.
 */
export interface MembershipTable {
  /** This node's address. */
  readonly self: PeerAddress;
  /** The checked configuration in use. */
  readonly config: MembershipConfig;
  /**
   * Takes what is known of `address`'s peer key: its whole vector, or entries
   * (such as the `grew` entries of a merge). A first sighting makes it a
   * member (`alive`, or `left` if the leave marker is set); a heartbeat
   * larger than any seen is liveness and revives a suspect, dead or left
   * member; a leave marker at least the heartbeat makes it `left`. Values
   * that are not larger than those seen change nothing, so replays are
   * harmless. Ignored for `self` and for clients.
   */
  observe(
    address: PeerAddress,
    vector: MaxVector | VectorEntries,
    now: number,
  ): MembershipTransition[];
  /**
   * Records a datagram received directly from `address`. For an alive or
   * suspect member it is liveness (a suspect becomes alive again); a dead
   * member is not revived (a replayed datagram must not resurrect it) but is
   * made due for re-contact at once; a left member and unknown addresses are
   * unaffected: membership needs a peer key.
   */
  heardFrom(address: PeerAddress, now: number): MembershipTransition[];
  /**
   * Applies the timeouts at `now`: `alive → suspect` and `suspect → dead`
   * (both in one call if both are due).
   */
  tick(now: number): MembershipTransition[];
  /** The member's status, or undefined for unknown addresses, clients and `self`. */
  status(address: PeerAddress): MemberStatus | undefined;
  /** Snapshots of the members, in the order they were first seen, filtered by status if asked. */
  members(filter?: MemberStatus | readonly MemberStatus[]): Member[];
  /**
   * The members gossip goes to: `alive` and `suspect` ones. Suspects still
   * receive gossip, as in memberlist: a suspect is often only slow or behind
   * loss, and traffic reaching it draws the heartbeat or reply that clears it.
   * The array is shared until the next status change; do not modify it.
   */
  livePeers(): readonly PeerAddress[];
  /**
   * Adds a seed: an address re-contacted (at once, then with backoff) whenever
   * it is not a live member, for as long as the table exists. `self` is ignored.
   */
  addSeed(address: PeerAddress): void;
  /** The seeds added. */
  seeds(): PeerAddress[];
  /**
   * The addresses to contact now: seeds that are not live members, and members
   * dead for less than `recontactDeadFor` (counted from their death or their
   * last datagram), each due after its backoff. Each address returned counts
   * as one attempt: the next comes after `recontactInterval`, doubling up to
   * `maxRecontactInterval`. Heartbeat growth resets the backoff.
   */
  recontactCandidates(now: number): PeerAddress[];
  /**
   * Marks `address` as a client (a sender whose messages carry a client
   * marker): it is answered but never a member, and `observe` and `heardFrom`
   * ignore it from now on. If it was a member, it becomes `left` and leaves
   * the table. The mark lasts while the client is among the `maxClients`
   * most recently marked.
   */
  markClient(address: PeerAddress, now: number): MembershipTransition[];
  /** True when `address` was marked a client. */
  isClient(address: PeerAddress): boolean;
}

const liveStatuses: ReadonlySet<MemberStatus> = new Set<MemberStatus>(['alive', 'suspect']);

/**
 * A membership table for the node at `self`.
 *
 * @throws {@link InvalidMembershipConfigError} for a config whose values cannot work together
 *
 * @example
 * ```ts
 * const table = createMembershipTable({ self: peerAddress('127.0.0.1:7946') });
 * const peer = peerAddress('127.0.0.2:7946');
 * table.observe(peer, MaxVector.from({ 0: 1_700_000_000 }), 0); // [{ from: undefined, to: 'alive', … }]
 * table.tick(5_000); // [{ from: 'alive', to: 'suspect', … }]: no growth for 5 s
 * table.observe(peer, MaxVector.from({ 0: 1_700_000_006 }), 6_000); // back to alive
 * ```
 */
export function createMembershipTable(options: MembershipTableOptions): MembershipTable {
  return new Membership(options);
}

class Membership implements MembershipTable {
  readonly self: PeerAddress;
  readonly config: MembershipConfig;
  readonly #records = new Map<PeerAddress, MemberRecord>();
  readonly #clients: RecencyMap<PeerAddress, true>;
  readonly #seeds = new Set<PeerAddress>();
  readonly #recontacts: RecontactSchedule;
  #live: readonly PeerAddress[] | undefined;

  constructor(options: MembershipTableOptions) {
    this.self = options.self;
    this.config = membershipConfig(options.config);
    this.#recontacts = new RecontactSchedule(this.config, options.random);
    this.#clients = new RecencyMap(options.maxClients ?? DEFAULT_MAX_CLIENTS);
  }

  observe(
    address: PeerAddress,
    vector: MaxVector | VectorEntries,
    now: number,
  ): MembershipTransition[] {
    if (this.#ignores(address)) return [];
    const values = readPeerHeartbeat(vector);
    const record = this.#records.get(address);
    if (record === undefined) {
      if (values.heartbeat === 0 && values.leaveMarker === 0) return [];
      const status = isLeaveMarked(values) ? 'left' : 'alive';
      const created = newMemberRecord(address, status, values, now);
      this.#records.set(address, created);
      return [this.#enter(created, undefined, status, now)];
    }
    const grew = raiseValues(record, values, now, this.config);
    if (isLeaveMarked(record)) return this.#move(record, 'left', now);
    return grew ? this.#move(record, 'alive', now) : [];
  }

  heardFrom(address: PeerAddress, now: number): MembershipTransition[] {
    const record = this.#ignores(address) ? undefined : this.#records.get(address);
    if (record === undefined) return [];
    record.lastContactAt = Math.max(record.lastContactAt ?? now, now);
    if (record.status === 'dead') this.#recontacts.restart(address, now);
    return record.status === 'suspect' ? this.#move(record, 'alive', now) : [];
  }

  tick(now: number): MembershipTransition[] {
    const transitions: MembershipTransition[] = [];
    for (const record of this.#records.values()) {
      if (!liveStatuses.has(record.status)) continue;
      const silence = now - lastEvidenceAt(record);
      if (record.status === 'alive' && silence >= suspectTimeout(record, this.config)) {
        transitions.push(...this.#move(record, 'suspect', now));
      }
      if (silence >= deadTimeout(record, this.config)) {
        transitions.push(...this.#move(record, 'dead', now));
      }
    }
    return transitions;
  }

  status(address: PeerAddress): MemberStatus | undefined {
    return this.#records.get(address)?.status;
  }

  members(filter?: MemberStatus | readonly MemberStatus[]): Member[] {
    const wanted = typeof filter === 'string' ? new Set([filter]) : filter && new Set(filter);
    const members: Member[] = [];
    for (const record of this.#records.values()) {
      if (wanted === undefined || wanted.has(record.status)) members.push(memberSnapshot(record));
    }
    return members;
  }

  livePeers(): readonly PeerAddress[] {
    this.#live ??= Object.freeze(
      [...this.#records.values()]
        .filter((record) => liveStatuses.has(record.status))
        .map((record) => record.address),
    );
    return this.#live;
  }

  addSeed(address: PeerAddress): void {
    if (address === this.self || this.#seeds.has(address)) return;
    this.#seeds.add(address);
    this.#recontacts.ensure(address, -Infinity);
  }

  seeds(): PeerAddress[] {
    return [...this.#seeds];
  }

  recontactCandidates(now: number): PeerAddress[] {
    return this.#recontacts.takeDue(now, (address) => this.#needsRecontact(address, now));
  }

  markClient(address: PeerAddress, now: number): MembershipTransition[] {
    if (address === this.self) return [];
    if (this.#clients.has(address)) {
      this.#clients.refresh(address);
      return [];
    }
    this.#clients.set(address, true);
    const record = this.#records.get(address);
    if (record === undefined) return [];
    const transitions = this.#move(record, 'left', now);
    this.#records.delete(address);
    this.#live = undefined;
    return transitions;
  }

  isClient(address: PeerAddress): boolean {
    return this.#clients.has(address);
  }

  #ignores(address: PeerAddress): boolean {
    return address === this.self || this.#clients.has(address);
  }

  #needsRecontact(address: PeerAddress, now: number): boolean {
    const record = this.#records.get(address);
    if (this.#seeds.has(address)) return record === undefined || !liveStatuses.has(record.status);
    if (record?.status !== 'dead') return false;
    const since = Math.max(record.statusSince, record.lastContactAt ?? -Infinity);
    return now - since < this.config.recontactDeadFor;
  }

  /** Moves `record` to `to` (nothing if it is there already) and returns the transition. */
  #move(record: MemberRecord, to: MemberStatus, now: number): MembershipTransition[] {
    if (record.status === to) return [];
    const from = record.status;
    record.status = to;
    record.statusSince = now;
    return [this.#enter(record, from, to, now)];
  }

  /** Bookkeeping on entering a status: the live list and re-contacts. */
  #enter(
    record: MemberRecord,
    from: MemberStatus | undefined,
    to: MemberStatus,
    now: number,
  ): MembershipTransition {
    this.#live = undefined;
    const address = record.address;
    if (to === 'dead') this.#recontacts.restart(address, now);
    else if (to === 'left' && this.#seeds.has(address)) this.#recontacts.ensure(address, now);
    else if (to !== 'suspect') this.#recontacts.cancel(address);
    return Object.freeze({ address: record.address, from, to, at: now });
  }
}
