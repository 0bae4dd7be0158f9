/**
 * The protocol engine, first version: SPEC §3 message rules and §4 membership
 * over a {@link Transport}, with heartbeats, seeds and re-contact. Rumour
 * retransmission and anti-entropy come later (issue 4), so under loss a write
 * may not reach every node yet.
 */
import { EMPTY_ENTRIES, MaxStore, PatternKeyError, isPattern } from '@vig/crdt-core';
import type { MaxVector, VectorEntries } from '@vig/crdt-core';
import {
  DEFAULT_DATAGRAM_BUDGET,
  DEFAULT_TTL,
  VIG_PROTOCOL_VERSION,
  decodeMessage,
  splitMessage,
} from '@vig/wire';
import type { VignetteMessage } from '@vig/wire';
import { LAN_MEMBERSHIP } from './membership-config.js';
import type { MembershipConfig } from './membership-config.js';
import type { Member, MembershipTransition } from './membership-status.js';
import { createMembershipTable } from './membership-table.js';
import type { MembershipTable } from './membership-table.js';
import { applyMessage } from './message-rules.js';
import type { MessageOutcome, MessageRulesContext, Outgoing } from './message-rules.js';
import { NodeEvents } from './node-events.js';
import type { GossipNodeEvent, GossipNodeListener } from './node-events.js';
import { NodeMetricsCounters } from './node-metrics.js';
import type { NodeMetrics } from './node-metrics.js';
import { PeerCapabilities } from './peer-capabilities.js';
import {
  addressOfPeerKey,
  leaveEntries,
  nextHeartbeat,
  peerKeyOf,
  readPeerHeartbeat,
} from './peer-key.js';
import type { PeerKey } from './peer-key.js';
import { choosePeers } from './random-peers.js';
import { RumourQueue, retransmitLimit } from './rumour-queue.js';
import type { RandomSource, Scheduler } from './scheduler.js';
import type { PeerAddress, Transport } from './transport.js';

/** How to build a {@link GossipNode}. */
export interface GossipNodeOptions {
  /** Where datagrams go and come from; the node never closes it (its owner does). */
  readonly transport: Transport;
  /** Time and timers. */
  readonly scheduler: Scheduler;
  /** Every random choice (peers, re-contact jitter). */
  readonly random: RandomSource;
  /** The replicated state; default a new, empty `MaxStore`. */
  readonly store?: MaxStore;
  /** Peers to announce to at start and re-contact while they are not live members. */
  readonly seeds?: readonly PeerAddress[];
  /** Membership timings; default {@link LAN_MEMBERSHIP}, overridden field by field. */
  readonly membership?: Partial<MembershipConfig>;
  /** Live peers each grown key and each heartbeat goes to; default 3. */
  readonly fanout?: number;
  /** The largest datagram sent, in bytes; default 1400 (and at most 1500 to peers not known as Vig nodes). */
  readonly datagramBudget?: number;
  /** Milliseconds between rumour retransmission rounds; default 200. */
  readonly gossipInterval?: number;
  /** Rounds a grown key is retransmitted, times ⌈log10(N + 1)⌉; default 4 (memberlist's). */
  readonly retransmitMultiplier?: number;
  /** The most keys retransmitted per round, newest first; default 16. */
  readonly maxRumoursPerRound?: number;
}

/** Options of {@link GossipNode.stop}. */
export interface StopOptions {
  /** Send the leave marker to live peers first, so they mark this node `left` at once; default false. */
  readonly leave?: boolean;
}

/** One gossip node. */
export interface GossipNode {
  /** This node's address (the transport's). */
  readonly address: PeerAddress;
  /** This node's peer key, `n:` + its address. */
  readonly peerKey: PeerKey;
  /** The replicated state. */
  readonly store: MaxStore;
  /** The membership table (read it; the node feeds it). */
  readonly membership: MembershipTable;
  /** Starts receiving, heartbeating and announcing to seeds. Starting a running node does nothing. */
  start(): void;
  /** Cancels every timer and stops handling datagrams; does not close the transport. */
  stop(options?: StopOptions): void;
  /** Whether the node is started and not stopped. */
  readonly running: boolean;
  /**
   * A local write: merges `entries` into `key` and forwards what grew to
   * `fanout` live peers. Returns what grew (empty when nothing did).
   *
   * @throws `PatternKeyError` (from `@vig/crdt-core`) when `key` is a `%` or `*` pattern
   */
  put(key: string, entries: VectorEntries): VectorEntries;
  /** The stored vector of `key`, if any. */
  get(key: string): MaxVector | undefined;
  /** The membership table's members (never this node, never clients). */
  members(): Member[];
  /** A snapshot of the traffic counters. */
  metrics(): NodeMetrics;
  /** Adds a listener; the returned function removes it. */
  on<E extends GossipNodeEvent>(event: E, listener: GossipNodeListener<E>): () => void;
}

/** The key of the SPEC §4 membership search: every peer key. */
const PEER_KEY_SEARCH = 'n:%';

/** Creates a gossip node; nothing happens until {@link GossipNode.start}. */
export function createGossipNode(options: GossipNodeOptions): GossipNode {
  return new Node(options);
}

class Node implements GossipNode {
  readonly address: PeerAddress;
  readonly peerKey: PeerKey;
  readonly store: MaxStore;
  readonly membership: MembershipTable;
  readonly #transport: Transport;
  readonly #scheduler: Scheduler;
  readonly #random: RandomSource;
  readonly #fanout: number;
  readonly #budget: number;
  readonly #metrics = new NodeMetricsCounters();
  readonly #capabilities = new PeerCapabilities();
  readonly #events = new NodeEvents(() => this.#metrics.listenerFailed());
  readonly #gossipInterval: number;
  readonly #retransmitMultiplier: number;
  readonly #maxRumoursPerRound: number;
  readonly #rumours = new RumourQueue();
  #cancelTimer: (() => void) | undefined;
  #cancelGossipTimer: (() => void) | undefined;
  #running = false;

  constructor(options: GossipNodeOptions) {
    this.#transport = options.transport;
    this.#scheduler = options.scheduler;
    this.#random = options.random;
    this.#fanout = options.fanout ?? 3;
    this.#gossipInterval = options.gossipInterval ?? 200;
    this.#retransmitMultiplier = options.retransmitMultiplier ?? 4;
    this.#maxRumoursPerRound = options.maxRumoursPerRound ?? 16;
    this.#budget = Math.min(
      options.datagramBudget ?? DEFAULT_DATAGRAM_BUDGET,
      options.transport.maxDatagramBytes,
    );
    this.address = options.transport.localAddress;
    this.peerKey = peerKeyOf(this.address);
    this.store = options.store ?? new MaxStore();
    this.membership = createMembershipTable({
      self: this.address,
      config: { ...LAN_MEMBERSHIP, ...options.membership },
      random: options.random,
    });
    for (const seed of options.seeds ?? []) this.membership.addSeed(seed);
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#transport.onReceive((bytes, from) => this.#receive(bytes, from));
    this.#raiseHeartbeat();
    for (const seed of this.membership.seeds()) this.#contact(seed);
    this.#schedule();
    this.#scheduleGossip();
  }

  stop(options?: StopOptions): void {
    if (!this.#running) return;
    this.#running = false;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#cancelGossipTimer?.();
    this.#cancelGossipTimer = undefined;
    this.#rumours.clear();
    if (options?.leave === true) {
      const grew = this.store.merge(this.peerKey, leaveEntries(this.#ownHeartbeat())).grew;
      for (const peer of this.membership.livePeers()) {
        this.#send({ to: peer, reason: 'forward', message: this.#ownKeyMessage() });
      }
      this.#emitChange(this.peerKey, grew);
    }
  }

  put(key: string, entries: VectorEntries): VectorEntries {
    if (isPattern(key)) throw new PatternKeyError(key);
    // A local write is a message from self: the same rules merge it and forward
    // what grew (never "back" to self, whose reply is dropped below).
    const { outgoing, grew } = applyMessage(
      this.#rulesContext(),
      { key, vector: entries, ttl: DEFAULT_TTL, full: false },
      this.address,
    );
    for (const item of outgoing) if (item.to !== this.address) this.#send(item);
    this.#afterMerge(key, grew, this.#scheduler.now());
    return grew;
  }

  get(key: string): MaxVector | undefined {
    return this.store.get(key);
  }

  members(): Member[] {
    return this.membership.members();
  }

  metrics(): NodeMetrics {
    return this.#metrics.snapshot();
  }

  on<E extends GossipNodeEvent>(event: E, listener: GossipNodeListener<E>): () => void {
    return this.#events.on(event, listener);
  }

  #receive(bytes: Uint8Array, sender: PeerAddress): void {
    if (!this.#running) return;
    this.#metrics.received(bytes.byteLength);
    const decoded = decodeMessage(bytes);
    if (!decoded.ok) {
      this.#metrics.dropped(decoded.error.reason);
      return;
    }
    const { message } = decoded;
    const now = this.#scheduler.now();
    this.#capabilities.noteMessage(sender, message);
    this.#emitTransitions(this.membership.heardFrom(sender, now));
    if (message.client === true) this.#emitTransitions(this.membership.markClient(sender, now));
    let outcome: MessageOutcome;
    try {
      outcome = applyMessage(this.#rulesContext(), message, sender);
    } catch {
      // Decoded messages are valid; this only guards the receive loop.
      this.#metrics.dropped('rules-failed');
      return;
    }
    for (const item of outcome.outgoing) this.#send(item);
    this.#afterMerge(message.key, outcome.grew, now);
  }

  /** Feeds a grown peer key to the membership table and reports the change. */
  #afterMerge(key: string, grew: VectorEntries, now: number): void {
    if (grew.kind === 'sparse' && grew.indices.length === 0) return;
    const peer = addressOfPeerKey(key);
    const vector = this.store.get(key);
    if (peer !== undefined && vector !== undefined) {
      this.#emitTransitions(this.membership.observe(peer, vector, now));
    } else if (peer === undefined) {
      // Peer keys are pushed every heartbeat instead: queuing them would keep
      // the queue full of heartbeats.
      const clusterSize = this.membership.livePeers().length + 1;
      this.#rumours.add(key, retransmitLimit(this.#retransmitMultiplier, clusterSize));
    }
    this.#emitChange(key, grew);
  }

  #rulesContext(): MessageRulesContext {
    return {
      store: this.store,
      peers: this.membership.livePeers(),
      random: this.#random,
      config: { fanout: this.#fanout },
    };
  }

  #schedule(): void {
    this.#cancelTimer = this.#scheduler.after(this.membership.config.heartbeatInterval, () => {
      this.#cancelTimer = undefined;
      if (!this.#running) return;
      this.#tick();
      this.#schedule();
    });
  }

  #scheduleGossip(): void {
    this.#cancelGossipTimer = this.#scheduler.after(this.#gossipInterval, () => {
      this.#cancelGossipTimer = undefined;
      if (!this.#running) return;
      this.#gossipRound();
      this.#scheduleGossip();
    });
  }

  /** One rumour round: the newest queued keys, whole, to `fanout` random live peers. */
  #gossipRound(): void {
    const peers = this.membership.livePeers();
    if (peers.length === 0 || this.#rumours.size === 0) return;
    for (const key of this.#rumours.takeRound(this.#maxRumoursPerRound)) {
      const vector = this.store.get(key);
      if (vector === undefined) continue;
      // ttl 0: the receiver merges and answers, and queues what grew itself.
      const message = { key, vector: vector.toEntries(), ttl: 0, full: true };
      for (const peer of choosePeers(peers, this.#fanout, this.#random)) {
        this.#send({ to: peer, reason: 'forward', message });
      }
    }
  }

  /** One heartbeat interval: failure detection, a new heartbeat, pushes and re-contacts. */
  #tick(): void {
    const now = this.#scheduler.now();
    this.#emitTransitions(this.membership.tick(now));
    this.#raiseHeartbeat();
    const message = this.#ownKeyMessage();
    for (const peer of choosePeers(this.membership.livePeers(), this.#fanout, this.#random)) {
      this.#send({ to: peer, reason: 'forward', message });
    }
    for (const peer of this.membership.recontactCandidates(now)) this.#contact(peer);
  }

  /** Announces this node to `peer` and asks it for every peer key (SPEC §4). */
  #contact(peer: PeerAddress): void {
    this.#send({ to: peer, reason: 'forward', message: this.#ownKeyMessage() });
    this.#send({
      to: peer,
      reason: 'pull',
      message: { key: PEER_KEY_SEARCH, vector: EMPTY_ENTRIES, ttl: DEFAULT_TTL, full: false },
    });
  }

  #ownHeartbeat(): ReturnType<typeof readPeerHeartbeat> {
    return readPeerHeartbeat(this.store.get(this.peerKey) ?? EMPTY_ENTRIES);
  }

  #raiseHeartbeat(): void {
    const heartbeat = nextHeartbeat(this.#ownHeartbeat(), this.#scheduler.now() / 1000);
    this.store.merge(this.peerKey, { kind: 'sparse', indices: [0], values: [heartbeat] });
  }

  #ownKeyMessage(): VignetteMessage {
    const vector = this.store.get(this.peerKey)?.toEntries() ?? EMPTY_ENTRIES;
    return { key: this.peerKey, vector, ttl: DEFAULT_TTL, full: true };
  }

  /** Sends one message, split to the peer's budget, with the `vig` marker. */
  #send({ to, message }: Outgoing): void {
    let datagrams: Uint8Array[];
    try {
      datagrams = splitMessage(
        { ...message, vig: VIG_PROTOCOL_VERSION },
        this.#capabilities.splitOptionsFor(to, this.#budget),
      );
    } catch {
      this.#metrics.dropped('encode-failed');
      return;
    }
    for (const datagram of datagrams) {
      try {
        this.#transport.send(to, datagram);
        this.#metrics.sent(datagram.byteLength);
      } catch {
        this.#metrics.dropped('send-failed');
      }
    }
  }

  #emitTransitions(transitions: readonly MembershipTransition[]): void {
    for (const transition of transitions) {
      if (transition.to === 'alive') this.#events.emit('member-up', transition);
      else if (transition.to === 'dead' || transition.to === 'left') {
        this.#events.emit('member-down', transition);
      }
    }
  }

  #emitChange(key: string, grew: VectorEntries): void {
    if (grew.kind === 'sparse' && grew.indices.length === 0) return;
    if (this.#events.has('change')) this.#events.emit('change', Object.freeze({ key, grew }));
  }
}

/** The entries of `incoming` larger than `stored` holds: what a merge of them grows. */
