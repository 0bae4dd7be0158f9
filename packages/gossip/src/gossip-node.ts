/**
 * The protocol engine: SPEC §3 message rules and §4 membership over a
 * {@link Transport}, with rumour retransmission, the peer exchange, and
 * digest anti-entropy. Every timer, random choice and datagram goes through
 * the injected scheduler, random source and transport, so a simulated
 * cluster replays exactly from a seed.
 */
import { EMPTY_ENTRIES, MaxStore, PatternKeyError, isPattern, isPeerKey } from '@vig/crdt-core';
import type { MaxVector, VectorEntries, VersionedStore } from '@vig/crdt-core';
import {
  DEFAULT_TTL,
  VIG_PROTOCOL_VERSION,
  decodeDatagram,
  isDocRequest,
  splitDocMessage,
  splitMessage,
  splitSyncMessage,
} from '@vig/wire';
import type { DocMessage, SyncMessage, VignetteMessage } from '@vig/wire';
import { answerBuckets, answerLeaves, answerRoot, answerWant } from './anti-entropy.js';
import { totalBytes } from './datagram-bytes.js';
import { DocSync } from './doc-replica.js';
import type { DocReplica } from './doc-replica.js';
import { gossipConfig } from './gossip-config.js';
import type { GossipConfig } from './gossip-config.js';
import { KeyDigest } from './key-digest.js';
import { LAN_MEMBERSHIP } from './membership-config.js';
import type { MembershipConfig } from './membership-config.js';
import type { Member, MemberStatus, MembershipTransition } from './membership-status.js';
import { createMembershipTable } from './membership-table.js';
import type { MembershipTable } from './membership-table.js';
import { applyMessage, isQueryVector, messageRulesConfig } from './message-rules.js';
import type { MessageOutcome, MessageRulesConfig, MessageRulesContext } from './message-rules.js';
import { minimumMessageBytes } from './message-size.js';
import { NodeEvents } from './node-events.js';
import type { GossipNodeEvent, GossipNodeListener } from './node-events.js';
import { NodeMetricsCounters } from './node-metrics.js';
import type { NodeMetrics, SendReason } from './node-metrics.js';
import { PeerCapabilities } from './peer-capabilities.js';
import { mergePeerEntries, peerTable, sortPeerKeys } from './peer-exchange.js';
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
import { SendPacer } from './send-pacer.js';
import { SourceLimits } from './source-limits.js';
import { SourceValidation } from './source-validation.js';
import type { PeerAddress, Transport } from './transport.js';

/** How to build a {@link GossipNode}: the injected parts, and {@link GossipConfig} overrides. */
export interface GossipNodeOptions extends Partial<GossipConfig> {
  /** Where datagrams go and come from; the node never closes it (its owner does). */
  readonly transport: Transport;
  /** Time and timers. */
  readonly scheduler: Scheduler;
  /** Every random choice (peers, buckets, re-contact jitter). */
  readonly random: RandomSource;
  /**
   * The replicated state; default a new, empty `MaxStore`. The node sets its
   * limits to `maxKeys` and `maxEntriesPerKey` (`MaxStore.setLimits`).
   */
  readonly store?: MaxStore;
  /** Peers to announce to at start and re-contact while they are not live members. */
  readonly seeds?: readonly PeerAddress[];
  /**
   * A versioned store to replicate with the other Vig nodes (see the README,
   * "The versioned store"): the node keeps it in sync and answers clients'
   * doc requests from it. Default none: doc messages are not sent, and
   * clients' doc requests are answered `no-docs`.
   */
  readonly docs?: VersionedStore;
  /** Membership timings; default {@link LAN_MEMBERSHIP}, overridden field by field. */
  readonly membership?: Partial<MembershipConfig>;
  /**
   * The transport authenticates every datagram it delivers (an AEAD envelope
   * under a cluster key), so a source address cannot be spoofed: no
   * amplification budget applies to anyone. Default false.
   */
  readonly authenticatedTransport?: boolean;
  /**
   * Loopback sources (`127.0.0.0/8`, `[::1]`) count as validated, so a client
   * on this host (`vig get`) gets whole answers however large: hosts drop
   * datagrams from outside that claim a loopback source. Default true; turn it
   * off when something on this host relays outside traffic from a loopback
   * address.
   */
  readonly trustLoopback?: boolean;
  /**
   * What an answer to a client (a sender whose messages carry the `client`
   * marker) about `key` waits for: the owner's durable write of the key's
   * latest growth, so that a client, which takes a write as done once an
   * answer shows it, only sees it once it would survive a crash of this
   * node. Undefined, or a hook returning undefined: answers go at once. When
   * the promise rejects, the answer is not sent (counted as `not-durable`):
   * the client, hearing nothing, does not take the write as done.
   */
  readonly clientAnswerWait?: (key: string) => Promise<void> | undefined;
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
  /** The replicated versioned store, when the node was given one (`docs`). */
  readonly docs: DocReplica | undefined;
  /** The membership table (read it; the node feeds it). */
  readonly membership: MembershipTable;
  /** The checked configuration in use. */
  readonly config: GossipConfig;
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
   * @throws `StoreLimitError` (from `@vig/crdt-core`) when the write would create a key
   *   beyond `maxKeys` or grow the vector beyond `maxEntriesPerKey`; nothing is written
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

/**
 * The ttl of what a node sends about itself (its peer key, its `n:%` query,
 * probes): 1, so a receiver answers (with ttl 0) and passes a new peer key on
 * one hop at most. The peer exchange spreads membership further; a larger
 * ttl would flood the cluster with every join.
 */
const ANNOUNCE_TTL = 1;

/**
 * The most peers probed on first sight per heartbeat round: 64, so a node
 * joining a large cluster learns who speaks the exchange within seconds,
 * while the probes a burst of new peers causes stay bounded.
 */
const FIRST_SIGHT_PROBES_PER_ROUND = 64;

/**
 * Creates a gossip node; nothing happens until {@link GossipNode.start}.
 *
 * @throws {@link InvalidGossipConfigError} or {@link InvalidMembershipConfigError} for bad options
 */
export function createGossipNode(options: GossipNodeOptions): GossipNode {
  return new Node(options);
}

class Node implements GossipNode {
  readonly address: PeerAddress;
  readonly peerKey: PeerKey;
  readonly store: MaxStore;
  readonly membership: MembershipTable;
  readonly config: GossipConfig;
  readonly #docs: DocSync | undefined;
  readonly #transport: Transport;
  readonly #scheduler: Scheduler;
  readonly #random: RandomSource;
  readonly #budget: number;
  /** The message rules' part of {@link config}, checked once. */
  readonly #rulesConfig: MessageRulesConfig;
  readonly #metrics = new NodeMetricsCounters();
  readonly #capabilities: PeerCapabilities;
  /** Per-source rate limits and amplification budgets. */
  readonly #sources: SourceLimits;
  /** Which addresses are answered without a budget. */
  readonly #validation: SourceValidation;
  readonly #events = new NodeEvents(() => this.#metrics.listenerFailed());
  readonly #rumours = new RumourQueue();
  readonly #digest: KeyDigest;
  readonly #pacer: SendPacer;
  /** Every peer key in the store, by address (this node's own included). */
  readonly #peerKeys = new Map<PeerAddress, PeerKey>();
  /** {@link #peerKeys} sorted by address, until a new peer key arrives. */
  #sortedPeers: readonly (readonly [PeerAddress, PeerKey])[] | undefined;
  readonly #timers: (() => void)[] = [];
  #plainRepairCursor: Iterator<string> | undefined;
  /** Peers probed on first sight in this heartbeat round. */
  #firstSightProbes = 0;
  #running = false;
  readonly #clientAnswerWait: ((key: string) => Promise<void> | undefined) | undefined;

  constructor(options: GossipNodeOptions) {
    const { transport, scheduler, random, store, seeds, membership, docs, ...rest } = options;
    const {
      authenticatedTransport = false,
      trustLoopback = true,
      clientAnswerWait,
      ...overrides
    } = rest;
    this.#clientAnswerWait = clientAnswerWait;
    this.config = gossipConfig(withoutUndefined(overrides));
    this.#transport = transport;
    this.#scheduler = scheduler;
    this.#random = random;
    this.#budget = Math.min(this.config.datagramBudget, transport.maxDatagramBytes);
    this.#rulesConfig = messageRulesConfig({
      fanout: this.config.fanout,
      pullFanout: this.config.pullFanout,
    });
    this.address = transport.localAddress;
    this.peerKey = peerKeyOf(this.address);
    this.store = store ?? new MaxStore();
    this.store.setLimits({
      maxKeys: this.config.maxKeys,
      maxEntriesPerKey: this.config.maxEntriesPerKey,
    });
    this.membership = createMembershipTable({
      self: this.address,
      config: { ...LAN_MEMBERSHIP, ...membership },
      random,
      maxClients: this.config.maxSources,
    });
    this.#capabilities = new PeerCapabilities({
      isKnownPeer: (address) => this.#peerKeys.has(address),
      maxStrangers: this.config.maxSources,
    });
    this.#sources = new SourceLimits({ ...this.config, budgets: !authenticatedTransport });
    this.#validation = new SourceValidation({
      authenticatedTransport,
      trustLoopback,
      isLiveMember: (address) => isLive(this.membership.status(address)),
      maxContacted: this.config.maxSources,
    });
    for (const seed of seeds ?? []) this.membership.addSeed(seed);
    this.#digest = new KeyDigest(this.store);
    this.#peerKeys.set(this.address, this.peerKey);
    for (const key of this.store.keys()) {
      const peer = addressOfPeerKey(key);
      if (peer !== undefined) this.#peerKeys.set(peer, key as PeerKey);
    }
    this.#pacer = new SendPacer({
      bytesPerInterval: this.config.bytesPerInterval,
      maxQueuedPerPeer: this.config.maxQueuedPerPeer,
      maxQueued: this.config.maxQueuedDatagrams,
      transmit: (to, datagram) => this.#transmit(to, datagram),
      onQueueFull: () => this.#metrics.dropped('queue-full'),
    });
    this.#docs =
      docs === undefined
        ? undefined
        : new DocSync(docs, {
            config: this.config,
            random,
            budget: this.#budget,
            now: () => this.#scheduler.now(),
            after: (delay, callback) => this.#scheduler.after(delay, callback),
            vigPeers: () => this.#livePeersByProtocol().vig,
            running: () => this.#running,
            hand: (to, datagrams) => this.#hand(to, datagrams, 'docs', this.#isBudgeted(to)),
            listenerFailed: () => this.#metrics.listenerFailed(),
          });
  }

  get docs(): DocReplica | undefined {
    return this.#docs;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#transport.onReceive((bytes, from) => this.#receive(bytes, from));
    this.#raiseHeartbeat();
    for (const seed of this.membership.seeds()) this.#announce(seed);
    this.#every(this.membership.config.heartbeatInterval, () => this.#heartbeatRound());
    this.#every(this.config.gossipInterval, () => this.#gossipRound());
    if (this.config.antiEntropyInterval > 0) {
      this.#every(this.config.antiEntropyInterval, () => this.#antiEntropyRound());
    }
    const docs = this.#docs;
    if (docs !== undefined && this.config.docSyncInterval > 0) {
      this.#every(this.config.docSyncInterval, () => docs.syncRound());
    }
  }

  stop(options?: StopOptions): void {
    if (!this.#running) return;
    if (options?.leave === true) this.#leave();
    this.#running = false;
    for (const cancel of this.#timers.splice(0)) cancel();
    this.#rumours.clear();
    this.#pacer.clear();
    this.#docs?.stop();
  }

  put(key: string, entries: VectorEntries): VectorEntries {
    if (isPattern(key)) throw new PatternKeyError(key);
    this.store.checkLimits(key, entries);
    // A local write is a message from self: the same rules merge it and forward
    // what grew (never "back" to self, whose reply is dropped below).
    const { outgoing, grew } = applyMessage(
      this.#rulesContext(),
      { key, vector: entries, ttl: DEFAULT_TTL, full: false },
      this.address,
    );
    for (const item of outgoing) {
      if (item.to !== this.address) this.#sendMessage(item.to, item.message, item.reason);
    }
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
    return this.#metrics.snapshot(this.#sources.size);
  }

  on<E extends GossipNodeEvent>(event: E, listener: GossipNodeListener<E>): () => void {
    return this.#events.on(event, listener);
  }

  // Receiving

  #receive(bytes: Uint8Array, sender: PeerAddress): void {
    if (!this.#running) return;
    this.#metrics.received(bytes.byteLength);
    const now = this.#scheduler.now();
    if (!this.#sources.admit(sender, bytes.byteLength, now)) {
      this.#metrics.dropped('rate-limited');
      return;
    }
    const decoded = decodeDatagram(bytes);
    if (!decoded.ok) {
      this.#metrics.dropped(decoded.error.reason);
      return;
    }
    this.#validation.heardFrom(sender);
    const envelope =
      decoded.kind === 'sync'
        ? decoded.sync
        : decoded.kind === 'doc'
          ? decoded.doc
          : decoded.message;
    this.#capabilities.noteVersion(sender, envelope.vig);
    this.#emitTransitions(this.membership.heardFrom(sender, now));
    if (envelope.client === true) this.#emitTransitions(this.membership.markClient(sender, now));
    switch (decoded.kind) {
      case 'sync':
        this.#receiveSync(decoded.sync, sender, now);
        return;
      case 'doc':
        this.#receiveDoc(decoded.doc, sender, bytes.byteLength);
        return;
      case 'message':
        this.#receiveMessage(decoded.message, sender, now);
        return;
    }
  }

  /**
   * A doc message: for the replica, when the node has one; otherwise a
   * client's request is answered `no-docs` and anything else dropped.
   */
  #receiveDoc(doc: DocMessage, sender: PeerAddress, byteLength: number): void {
    if (this.#docs !== undefined) {
      this.#docs.receive(doc, sender, byteLength);
      return;
    }
    if (!isDocRequest(doc)) {
      this.#metrics.dropped('docs-disabled');
      return;
    }
    const answer: DocMessage = {
      kind: 'failed',
      request: doc.request,
      code: 'no-docs',
      message: 'this node keeps no versioned store',
      vig: VIG_PROTOCOL_VERSION,
    };
    this.#hand(sender, splitDocMessage(answer, this.#budget), 'docs', this.#isBudgeted(sender));
  }

  #receiveMessage(message: VignetteMessage, sender: PeerAddress, now: number): void {
    if (this.membership.isClient(sender) && addressOfPeerKey(message.key) === sender) {
      // A client is never a member: its own peer key would make it one on
      // every node it spread to, none of which know it is a client.
      this.#metrics.dropped('client-peer-key');
      return;
    }
    if (this.#refusesQuery(message, sender)) {
      this.#metrics.dropped('amplification-limit');
      return;
    }
    let outcome: MessageOutcome;
    try {
      outcome = applyMessage(this.#rulesContext(), message, sender);
    } catch {
      // Decoded messages are valid; this only guards the receive loop.
      this.#metrics.dropped('rules-failed');
      return;
    }
    if (outcome.refused !== undefined) {
      this.#metrics.dropped(outcome.refused.limit === 'keys' ? 'key-limit' : 'vector-limit');
    }
    // The merge first: its durable write is what a client's answer waits for.
    this.#afterMerge(message.key, outcome.grew, now);
    for (const item of outcome.outgoing) {
      const wait = this.membership.isClient(item.to)
        ? this.#clientAnswerWait?.(item.message.key)
        : undefined;
      if (wait === undefined) this.#sendMessage(item.to, item.message, item.reason);
      else {
        wait.then(
          () => {
            if (this.#running) this.#sendMessage(item.to, item.message, item.reason);
          },
          () => this.#metrics.dropped('not-durable'),
        );
      }
    }
  }

  /**
   * Whether `message` queries one key whose whole vector cannot fit the
   * amplification budget of `sender`: then it is refused before the rules
   * copy the vector, so a spoofed query of a large key costs a lookup, not
   * an answer built and thrown away.
   */
  #refusesQuery(message: VignetteMessage, sender: PeerAddress): boolean {
    if (isPattern(message.key) || !isQueryVector(message.vector)) return false;
    const stored = this.store.get(message.key);
    if (stored === undefined || !this.#isBudgeted(sender)) return false;
    return !this.#sources.covers(sender, message.key.length + stored.size);
  }

  /** One step of anti-entropy or the peer exchange (see anti-entropy.ts, peer-exchange.ts). */
  #receiveSync(sync: SyncMessage, sender: PeerAddress, now: number): void {
    switch (sync.kind) {
      case 'root': {
        const buckets = answerRoot(this.#digest, sync.hashes, this.config, this.#random);
        if (buckets.length > 0) this.#sendSync(sender, { kind: 'buckets', buckets });
        return;
      }
      case 'buckets': {
        const leaves = answerBuckets(this.#digest, sync.buckets, this.config, this.#random);
        if (leaves.length > 0) this.#sendSync(sender, { kind: 'leaves', leaves });
        return;
      }
      case 'leaves': {
        const { push, want } = answerLeaves(this.#digest, sync.leaves, this.config);
        for (const key of push) this.#pushKey(sender, key);
        // A store at its key limit would refuse what it asked for.
        const room = this.store.size < this.store.limits.maxKeys;
        if (want.length > 0 && room) this.#sendSync(sender, { kind: 'want', hashes: want });
        return;
      }
      case 'want':
        for (const key of answerWant(this.#digest, sync.hashes, this.config)) {
          this.#pushKey(sender, key);
        }
        return;
      case 'peers': {
        this.#sortedPeers ??= sortPeerKeys(this.#peerKeys);
        const sorted = this.#sortedPeers;
        const range = sync.reply ? undefined : { from: sync.from, to: sync.to, sorted };
        const merged = mergePeerEntries(this.store, sync.peers, this.#peerKeys, range);
        const { grown, larger, refused } = merged;
        if (refused > 0) this.#metrics.dropped('key-limit', refused);
        for (const { address, key, grew } of grown) this.#afterPeerMerge(address, key, grew, now);
        if (!sync.reply && larger.length > 0) {
          this.#sendSync(sender, { kind: 'peers', reply: true, peers: larger });
        }
        return;
      }
      case 'members':
        // A client asking who is in the cluster: this node first, then its table.
        if (!sync.reply) {
          this.#sendSync(sender, { kind: 'members', reply: true, members: this.#membershipView() });
        }
        return;
    }
  }

  /** This node's membership view: itself as `alive`, then every member with its status. */
  #membershipView(): { address: string; status: string }[] {
    const members = this.membership.members().map(({ address, status }) => ({ address, status }));
    return [{ address: this.address, status: 'alive' }, ...members];
  }

  /** Feeds what grew to membership, the digest and the rumour queue, and reports it. */
  #afterMerge(key: string, grew: VectorEntries, now: number): void {
    if (grew.kind === 'sparse' && grew.indices.length === 0) return;
    const peer = addressOfPeerKey(key);
    if (peer !== undefined) {
      this.#afterPeerMerge(peer, key as PeerKey, grew, now);
      return;
    }
    if (!isPeerKey(key)) {
      // Peer keys travel in the peer exchange instead: as rumours they would
      // fill the queue with heartbeats.
      this.#digest.touch(key);
      const clusterSize = this.membership.livePeers().length + 1;
      this.#rumours.add(key, grew, retransmitLimit(this.config.retransmitMultiplier, clusterSize));
    }
    this.#emitChange(key, grew);
  }

  /** Feeds a grown peer key to membership and reports it. */
  #afterPeerMerge(peer: PeerAddress, key: PeerKey, grew: VectorEntries, now: number): void {
    if (!this.#peerKeys.has(peer)) {
      this.#peerKeys.set(peer, key);
      this.#sortedPeers = undefined;
      // A peer first seen is probed at once (up to a cap per round), so its
      // answer shows whether it speaks the exchange: a joining cluster then
      // finds its Vig nodes in one round trip, not one probe per interval.
      if (peer !== this.address && this.#firstSightProbes < FIRST_SIGHT_PROBES_PER_ROUND) {
        this.#firstSightProbes += 1;
        this.#probe(peer);
      }
    }
    const vector = this.store.get(key);
    if (vector !== undefined) this.#emitTransitions(this.membership.observe(peer, vector, now));
    this.#emitChange(key, grew);
  }

  #rulesContext(): MessageRulesContext {
    return {
      store: this.store,
      peers: this.membership.livePeers(),
      random: this.#random,
      config: this.#rulesConfig,
    };
  }

  // Timers

  /** Runs `round` every `interval` milliseconds while the node runs. */
  #every(interval: number, round: () => void): void {
    const slot = this.#timers.length;
    const schedule = (): void => {
      this.#timers[slot] = this.#scheduler.after(interval, () => {
        if (!this.#running) return;
        round();
        schedule();
      });
    };
    schedule();
  }

  /**
   * Failure detection, a new heartbeat, the peer exchange with one random
   * live Vig node, a probe of one random live peer not known as one, and
   * re-contacts.
   */
  #heartbeatRound(): void {
    const now = this.#scheduler.now();
    this.#firstSightProbes = 0;
    this.#sources.expire(now, this.config.maxSources);
    this.#emitTransitions(this.membership.tick(now));
    this.#raiseHeartbeat();
    const { vig, plain } = this.#livePeersByProtocol();
    const [partner] = choosePeers(vig, 1, this.#random);
    if (partner !== undefined) {
      this.#sortedPeers ??= sortPeerKeys(this.#peerKeys);
      const peers = peerTable(this.store, this.#sortedPeers);
      this.#sendSync(partner, { kind: 'peers', reply: false, peers });
    }
    const [unknown] = choosePeers(plain, 1, this.#random);
    if (unknown !== undefined) this.#probe(unknown);
    for (const candidate of this.membership.recontactCandidates(now)) this.#announce(candidate);
  }

  /**
   * A new pacing interval, reassemblies of doc messages that waited too long
   * given up, then the newest rumours, deltas only, to `fanout` random live peers.
   */
  #gossipRound(): void {
    this.#pacer.nextInterval();
    this.#docs?.tick();
    const peers = this.membership.livePeers();
    if (peers.length === 0 || this.#rumours.size === 0) return;
    for (const { key, delta } of this.#rumours.takeRound(this.config.maxRumoursPerRound)) {
      // ttl 0: the receiver merges and answers, and queues what grew itself.
      const message = { key, vector: delta, ttl: 0, full: false };
      for (const peer of choosePeers(peers, this.config.fanout, this.#random)) {
        this.#sendMessage(peer, message, 'rumour');
      }
    }
  }

  /**
   * Anti-entropy: the digest root to one random live Vig node, and a few
   * whole keys to one random live peer heard from without `vig` (a Ruby
   * node, whose reply rule sends back what it holds larger). Peers not heard
   * from at all get probes, not repairs.
   */
  #antiEntropyRound(): void {
    const { vig, plain } = this.#livePeersByProtocol();
    const [partner] = choosePeers(vig, 1, this.#random);
    if (partner !== undefined) {
      const hashes = this.#digest.rootHashes();
      this.#sendSync(partner, { kind: 'root', hashes, keys: this.#digest.size });
    }
    const confirmedPlain = plain.filter((peer) => this.#capabilities.isPlainPeer(peer));
    const [other] = choosePeers(confirmedPlain, 1, this.#random);
    if (other !== undefined)
      for (const key of this.#nextPlainRepairKeys()) this.#pushKey(other, key);
  }

  /**
   * The live peers split by whether they have shown they are Vig nodes
   * (`plain` holds both peers heard from without `vig` and peers not heard
   * from at all).
   */
  #livePeersByProtocol(): { vig: PeerAddress[]; plain: PeerAddress[] } {
    const vig: PeerAddress[] = [];
    const plain: PeerAddress[] = [];
    for (const peer of this.membership.livePeers()) {
      (this.#capabilities.isVigPeer(peer) ? vig : plain).push(peer);
    }
    return { vig, plain };
  }

  /** The next few data keys in store order, wrapping around, each at most once per call. */
  #nextPlainRepairKeys(): string[] {
    const keys = new Set<string>();
    let wrapped = false;
    while (keys.size < this.config.plainRepairKeys) {
      this.#plainRepairCursor ??= this.store.keys();
      const next = this.#plainRepairCursor.next();
      if (next.done === true) {
        this.#plainRepairCursor = undefined;
        if (wrapped) break;
        wrapped = true;
        continue;
      }
      if (keys.has(next.value)) break;
      if (!isPeerKey(next.value)) keys.add(next.value);
    }
    return [...keys];
  }

  // Membership

  /** Announces this node to `peer` and asks it for every peer key (SPEC §4). */
  #announce(peer: PeerAddress): void {
    this.#validation.contacted(peer);
    this.#sendMessage(peer, this.#ownKeyMessage(ANNOUNCE_TTL), 'announce', true);
    this.#sendMessage(
      peer,
      { key: PEER_KEY_SEARCH, vector: EMPTY_ENTRIES, ttl: ANNOUNCE_TTL, full: false },
      'announce',
      true,
    );
  }

  /**
   * A membership turn with a peer not known to speak the peer exchange (a
   * Ruby node, or a Vig node not yet heard from): this node's peer key, and a
   * query of the peer's own key, which every vignette node answers with its
   * whole vector: the peer's current heartbeat, and `vig` if it is a Vig node.
   */
  #probe(peer: PeerAddress): void {
    this.#validation.contacted(peer);
    this.#sendMessage(peer, this.#ownKeyMessage(0), 'membership', true);
    const theirs = this.#peerKeys.get(peer);
    if (theirs === undefined) return;
    this.#sendMessage(
      peer,
      { key: theirs, vector: EMPTY_ENTRIES, ttl: ANNOUNCE_TTL, full: false },
      'membership',
      true,
    );
  }

  #leave(): void {
    const leave = leaveEntries(this.#ownHeartbeat());
    const grew = this.store.merge(this.peerKey, leave, { ignoreLimits: true }).grew;
    for (const peer of this.membership.livePeers()) {
      // Straight to the transport: stopping clears the pacer's queues.
      for (const datagram of this.#encodeMessage(peer, this.#ownKeyMessage(ANNOUNCE_TTL))) {
        this.#metrics.handed('leave', 1);
        this.#transmit(peer, datagram);
      }
    }
    this.#emitChange(this.peerKey, grew);
  }

  #ownHeartbeat(): ReturnType<typeof readPeerHeartbeat> {
    return readPeerHeartbeat(this.store.get(this.peerKey) ?? EMPTY_ENTRIES);
  }

  #raiseHeartbeat(): void {
    const heartbeat = nextHeartbeat(this.#ownHeartbeat(), this.#scheduler.now() / 1000);
    const entries = { kind: 'sparse', indices: [0], values: [heartbeat] } as const;
    // The node's own key is never refused: without it, it is no member anywhere.
    this.store.merge(this.peerKey, entries, { ignoreLimits: true });
  }

  #ownKeyMessage(ttl: number): VignetteMessage {
    const vector = this.store.get(this.peerKey)?.toEntries() ?? EMPTY_ENTRIES;
    return { key: this.peerKey, vector, ttl, full: true };
  }

  // Sending

  /** Pushes the whole vector of `key` to `peer` (ttl 0: it merges, replies, and spreads what grew itself). */
  #pushKey(peer: PeerAddress, key: string): void {
    const vector = this.store.get(key);
    if (vector === undefined) return;
    this.#sendMessage(peer, { key, vector: vector.toEntries(), ttl: 0, full: true }, 'repair');
  }

  /**
   * Sends one vignette message, split to the peer's budget, with the `vig`
   * marker. Unless it is this node's own `initiative` (an announce, a
   * probe), what goes to an address not validated spends its amplification
   * budget, and a message that cannot fit it is refused before it is encoded.
   */
  #sendMessage(
    to: PeerAddress,
    message: VignetteMessage,
    reason: SendReason,
    initiative = false,
  ): void {
    const budgeted = !initiative && this.#isBudgeted(to);
    if (budgeted && !this.#sources.covers(to, minimumMessageBytes(message))) {
      this.#metrics.dropped('amplification-limit');
      return;
    }
    this.#hand(to, this.#encodeMessage(to, message), reason, budgeted);
  }

  #encodeMessage(to: PeerAddress, message: VignetteMessage): Uint8Array[] {
    try {
      return splitMessage(
        { ...message, vig: VIG_PROTOCOL_VERSION },
        this.#capabilities.splitOptionsFor(to, this.#budget),
      );
    } catch {
      this.#metrics.dropped('encode-failed');
      return [];
    }
  }

  /** Sends one sync message (only ever to Vig peers), split to the budget. */
  #sendSync(to: PeerAddress, body: SyncBody): void {
    let datagrams: Uint8Array[];
    try {
      datagrams = splitSyncMessage({ ...body, vig: VIG_PROTOCOL_VERSION }, this.#budget);
    } catch {
      this.#metrics.dropped('encode-failed');
      return;
    }
    const reason = body.kind === 'peers' || body.kind === 'members' ? 'membership' : 'digest';
    this.#hand(to, datagrams, reason, this.#isBudgeted(to));
  }

  /**
   * Hands one message's datagrams to the pacer; when `budgeted`, only if they
   * fit `to`'s amplification budget whole (else they are refused, counted
   * once, and false is returned).
   */
  #hand(
    to: PeerAddress,
    datagrams: readonly Uint8Array[],
    reason: SendReason,
    budgeted: boolean,
  ): boolean {
    if (datagrams.length === 0) return true;
    if (budgeted && !this.#sources.spend(to, totalBytes(datagrams))) {
      this.#metrics.dropped('amplification-limit');
      return false;
    }
    this.#metrics.handed(reason, datagrams.length);
    for (const datagram of datagrams) this.#pacer.send(to, datagram);
    return true;
  }

  /** Whether what goes to `to` spends its amplification budget: unless `to` is validated. */
  #isBudgeted(to: PeerAddress): boolean {
    return !this.#validation.isValidated(to);
  }

  #transmit(to: PeerAddress, datagram: Uint8Array): void {
    try {
      this.#transport.send(to, datagram);
      this.#metrics.sent(datagram.byteLength);
    } catch {
      this.#metrics.dropped('send-failed');
    }
  }

  // Events

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

/** A sync message without its envelope (the engine adds `vig`). */
type SyncBody = SyncMessage extends infer M
  ? M extends SyncMessage
    ? Omit<M, 'vig' | 'client'>
    : never
  : never;

/** Whether a member's status makes it a live member (gossip goes to it). */
function isLive(status: MemberStatus | undefined): boolean {
  return status === 'alive' || status === 'suspect';
}

/** `overrides` without the fields set to undefined (so defaults apply to them). */
function withoutUndefined(overrides: Partial<GossipConfig>): Partial<GossipConfig> {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}
