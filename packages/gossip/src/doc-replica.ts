/**
 * The versioned store replicated between Vig nodes (the README's "The
 * versioned store"). Local writes are pushed at once to `fanout` peers; every
 * `docSyncInterval` one random Vig peer gets an in-sync check, the store's
 * digest (16 bytes, however long the history or many its agents) and a few
 * heads; a peer whose digest differs answers with what the other lacks, or
 * asks for what it lacks itself. Operations whose parents are missing wait
 * in the store and their parents are pulled; an operation too large for a
 * datagram travels in parts. Everything goes through the engine's pacer and
 * amplification budget, and only to peers known to be Vig nodes.
 */
import { sameHistoryDigest } from '@vig/crdt-core';
import type { Operation, Version, VersionedStore } from '@vig/crdt-core';
import {
  DEFAULT_MAX_KEY_BYTES,
  VIG_PROTOCOL_VERSION,
  createPartAssembler,
  decodeDocMessage,
  decodeOperations,
  encodeOperations,
  isDocRequest,
  operationsBatchCapacity,
  packOperations,
  splitDocMessage,
} from '@vig/wire';
import type {
  DocDigest,
  DocMessage,
  DocOperations,
  DocPart,
  DocRecent,
  PackedBatch,
  PartAssembler,
} from '@vig/wire';
import type { DocBody } from './doc-body.js';
import { DocWriteEncodeError, DocWriteTooLargeError } from './doc-errors.js';
import { DocMetricsCounters } from './doc-metrics.js';
import type { DocSyncMetrics } from './doc-metrics.js';
import { answerRequest } from './doc-requests.js';
import { sampleHistory } from './doc-sample.js';
import type { GossipConfig } from './gossip-config.js';
import { choosePeers } from './random-peers.js';
import type { RandomSource } from './scheduler.js';
import type { PeerAddress } from './transport.js';

/** Receives every operation newly added to the history, local or remote, parents before children. */
export type OperationsListener = (operations: readonly Operation[]) => void;

/**
 * A node's versioned store, replicated with its peers: `createGossipNode({
 * docs })` makes one and `node.docs` holds it. Read through `store`; write,
 * move and name versions here, so that writes spread.
 */
export interface DocReplica {
  /** The store: read it directly (`get`, `heads`, `frontier`, `listBranches`, `operation` …). */
  readonly store: VersionedStore;
  /** Writes one key; see {@link DocReplica.putMany}. */
  put(key: string, value: unknown, parents?: readonly Version[]): Version;
  /**
   * Writes several keys in one operation and pushes it to `fanout` live Vig
   * peers. Values are stored as they decode from msgpack on every node (maps
   * as `Map`s), so every replica holds the same values.
   *
   * With `parents` (the versions of the siblings a client read), the write
   * follows those versions: it replaces what the keys held there, and writes
   * since then that it did not see stay beside it as siblings. Without, it
   * replaces every current sibling, as `VersionedStore.putMany`.
   *
   * @throws `DocWriteEncodeError` for a value outside msgpack or a key longer than 1024
   *   UTF-8 bytes; `DocWriteTooLargeError` for an operation over `maxDocMessageBytes`;
   *   what `VersionedStore.putMany` throws (a key written twice, an unknown parent)
   */
  putMany(
    writes: readonly (readonly [key: string, value: unknown])[],
    parents?: readonly Version[],
  ): Version;
  /** Moves the local view (`VersionedStore.checkout`); replication goes on with the whole history. */
  checkout(target: readonly Version[] | string): void;
  /** Names a version (default: the checked-out one) as a branch (`VersionedStore.createBranch`). */
  createBranch(name: string, at?: readonly Version[]): void;
  /**
   * Calls `listener` with every operation newly added to the history, local
   * or remote, parents before children (what a durable store persists).
   * Returns a function that removes it. A listener that throws is counted in
   * the node's `listenerErrors`, not rethrown.
   */
  on(event: 'operations', listener: OperationsListener): () => void;
  /** A snapshot of the replication counters. */
  metrics(): DocSyncMetrics;
}

/** What a replica needs of its node. */
export interface DocHost {
  readonly config: GossipConfig;
  readonly random: RandomSource;
  /** The largest datagram, in bytes. */
  readonly budget: number;
  now(): number;
  after(delay: number, callback: () => void): () => void;
  /** Live peers that have shown they are Vig nodes. */
  vigPeers(): readonly PeerAddress[];
  /** Whether the node runs. */
  running(): boolean;
  /** Hands one message's datagrams to the send queue; false when refused (amplification budget). */
  hand(to: PeerAddress, datagrams: readonly Uint8Array[]): boolean;
  /** Counts a listener that threw. */
  listenerFailed(error: unknown): void;
}

/** Operations waiting for the next push, per hop count: more wait for the in-sync checks. */
const MAX_OUTBOX = 4096;
/** The outbox group of local writes (the others are keyed by the hops left, 0 or more). */
const LOCAL_WRITES = -1;
/** Peers with a pull waiting to go; more are not pulled from (the checks repair it). */
const MAX_PENDING_PULLS = 256;
/** Room kept in the largest doc message for the `ops` fields around a batch. */
const OPERATIONS_OVERHEAD = 64;

/**
 * A pull waiting for its delay: from where (undefined: everything), whether
 * it continues an answer, and (some of) the operations that waited for parents.
 */
interface PendingPull {
  from: number | undefined;
  continuing: boolean;
  readonly waiting: Version[];
}

/** Waiting operations a pull remembers, to see whether they arrived meanwhile. */
const MAX_PULL_WAITING = 64;

/** The replica; the engine calls the methods below the API. */
export class DocSync implements DocReplica {
  readonly store: VersionedStore;
  readonly #host: DocHost;
  readonly #config: GossipConfig;
  readonly #metrics = new DocMetricsCounters();
  readonly #listeners = new Set<OperationsListener>();
  readonly #assembler: PartAssembler;
  readonly #batchCapacity: number;
  readonly #pulls = new Map<PeerAddress, PendingPull>();
  readonly #timers = new Set<() => void>();
  /**
   * Peers whose answers this store is catching up on, page after page (the
   * time the last page arrived): no fresh exchange starts with them meanwhile,
   * since it would resend what the pages bring.
   */
  readonly #chains = new Map<PeerAddress, number>();
  /** Operations to push, by hops left ({@link LOCAL_WRITES}: local writes), with the peers they came from. */
  readonly #outbox = new Map<number, { operations: Operation[]; except: Set<PeerAddress> }>();
  #flushing = false;
  #lastFlush = -Infinity;

  constructor(store: VersionedStore, host: DocHost) {
    this.store = store;
    this.#host = host;
    this.#config = host.config;
    this.#batchCapacity = operationsBatchCapacity(host.budget);
    this.#assembler = createPartAssembler({
      maxMessageBytes: this.#config.maxDocMessageBytes,
      maxMessages: this.#config.maxDocReassemblies,
      maxBufferedBytes: this.#config.maxDocReassemblyBytes,
      timeout: this.#config.docReassemblyTimeout,
    });
  }

  // The API

  put(key: string, value: unknown, parents?: readonly Version[]): Version {
    return this.putMany([[key, value]], parents);
  }

  putMany(
    writes: readonly (readonly [key: string, value: unknown])[],
    parents?: readonly Version[],
  ): Version {
    const travelling = this.#travellingWrites(writes, parents);
    const version =
      parents === undefined ? this.store.putMany(travelling) : this.#putAt(travelling, parents);
    const operation = this.store.operation(version);
    this.#emit([operation]);
    this.#queuePush([operation], LOCAL_WRITES, undefined);
    return version;
  }

  checkout(target: readonly Version[] | string): void {
    this.store.checkout(target);
  }

  createBranch(name: string, at?: readonly Version[]): void {
    this.store.createBranch(name, at);
  }

  on(_event: 'operations', listener: OperationsListener): () => void {
    const wrapped: OperationsListener = (operations) => listener(operations);
    this.#listeners.add(wrapped);
    return () => {
      this.#listeners.delete(wrapped);
    };
  }

  metrics(): DocSyncMetrics {
    return this.#metrics.snapshot(this.store.waitingCount);
  }

  // The engine's hooks

  /** The in-sync check: this store's digest (and heads, when few) to one random live Vig peer. */
  syncRound(): void {
    const catchingUp = [...this.#chains.keys()].filter((peer) => this.#catchingUp(peer));
    const [partner] = choosePeers(this.#host.vigPeers(), 1, this.#host.random, catchingUp);
    if (partner === undefined) return;
    const heads = this.store.heads;
    const check: Omit<DocDigest, 'vig' | 'client'> = {
      kind: 'digest',
      digest: this.store.digest,
      ...(heads.length <= this.#config.docDigestHeads ? { heads } : {}),
    };
    if (this.#send(partner, check)) this.#metrics.checksSent += 1;
  }

  /** Gives up reassemblies that waited too long (every gossip interval). */
  tick(): void {
    this.#metrics.fragmentsDropped += this.#assembler.expire(this.#host.now());
  }

  /** Handles one doc message from `sender` (`byteLength` 0 for one assembled from parts). */
  receive(doc: DocMessage, sender: PeerAddress, byteLength: number): void {
    this.#metrics.received(doc.kind, byteLength);
    if (isDocRequest(doc)) {
      this.#metrics.answered(doc.kind);
      this.#send(sender, answerRequest(this, doc, this.#config));
      return;
    }
    switch (doc.kind) {
      case 'digest':
        this.#onDigest(doc, sender);
        return;
      case 'recent':
        this.#onRecent(doc, sender);
        return;
      case 'ops':
        this.#onOperations(doc, sender);
        return;
      case 'part':
        this.#onPart(doc, sender);
        return;
      case 'written':
      case 'siblings':
      case 'history':
      case 'frontier':
      case 'failed':
        this.#metrics.dropped('answer-to-node');
        return;
    }
  }

  /** Cancels pending pushes and pulls and forgets unfinished reassemblies. */
  stop(): void {
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
    this.#pulls.clear();
    this.#chains.clear();
    this.#outbox.clear();
    this.#flushing = false;
    this.#assembler.clear();
  }

  // Receiving

  /**
   * A peer's check. Equal digests: in sync, nothing to do. Otherwise, when
   * this store holds every head of the peer, it holds the peer's whole
   * history and sends exactly what the peer lacks; else it asks for what it
   * lacks (and the peer then asks back if it lacks something too).
   */
  #onDigest(doc: DocDigest, sender: PeerAddress): void {
    if (sameHistoryDigest(doc.digest, this.store.digest)) {
      this.#metrics.inSyncChecks += 1;
      return;
    }
    this.#metrics.outOfSyncChecks += 1;
    // Already catching up on the sender's answers: they bring what this would.
    if (this.#catchingUp(sender)) return;
    const heads = doc.heads;
    if (heads !== undefined && heads.every((head) => this.store.has(head))) {
      this.#sendOperations([sender], this.store.operationsSince(heads), 0);
    } else {
      this.#sendRecent(sender, false, undefined);
    }
  }

  /** "Send me what I lack": what this store holds outside the sender's sample, and maybe a `recent` back. */
  #onRecent(doc: DocRecent, sender: PeerAddress): void {
    const operations = this.store.operationsSince([...doc.heads, ...doc.versions]);
    const from = doc.from === undefined ? 0 : this.#firstAtOrAfter(operations, doc.from);
    this.#sendOperations([sender], from === 0 ? operations : operations.slice(from), 0);
    const holdsAll = doc.complete && doc.heads.every((head) => this.store.has(head));
    if (!doc.reply && !holdsAll) this.#sendRecent(sender, true, undefined);
  }

  /** The index of the first operation (in local order) at or after position `from`. */
  #firstAtOrAfter(operations: readonly Operation[], from: number): number {
    let low = 0;
    let high = operations.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const operation = operations[middle];
      if (this.store.positionOf(operation.version) < from) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #onOperations(doc: DocOperations, sender: PeerAddress): void {
    const decoded = decodeOperations(doc.batch, {
      maxBytes: this.#config.maxDocMessageBytes,
      maxKeyBytes: DEFAULT_MAX_KEY_BYTES,
    });
    if (!decoded.ok) {
      this.#metrics.dropped('invalid-batch');
      return;
    }
    let result;
    try {
      result = this.store.applyRemote(decoded.operations);
    } catch {
      this.#metrics.dropped('invalid-batch');
      return;
    }
    this.#metrics.operationsReceived += result.added.length;
    this.#metrics.duplicateOperations += result.duplicates;
    this.#metrics.rejectedOperations += result.rejected.length;
    if (result.added.length > 0) {
      this.#emit(result.added);
      if (doc.ttl > 0) this.#queuePush(result.added, doc.ttl - 1, sender);
    }
    // An answer cut short: continue where it stopped. The last page (an
    // answer without `next`) ends the catch-up.
    if (doc.next !== undefined) {
      this.#noteChain(sender);
      this.#schedulePull(sender, doc.next, []);
    } else {
      if (doc.ttl === 0) this.#chains.delete(sender);
      // Parents missing: pull everything the sender has that this store
      // lacks, unless its pages are still coming.
      if (result.waiting > 0 && !this.#catchingUp(sender)) {
        const waiting = decoded.operations
          .map(({ version }) => version)
          .filter((version) => !this.store.has(version));
        this.#schedulePull(sender, undefined, waiting);
      }
    }
  }

  #onPart(doc: DocPart, sender: PeerAddress): void {
    const outcome = this.#assembler.add(sender, doc, this.#host.now());
    switch (outcome.kind) {
      case 'waiting':
        this.#metrics.fragmentsDropped += outcome.evicted;
        return;
      case 'duplicate':
        return;
      case 'dropped':
        this.#metrics.fragmentsDropped += 1;
        return;
      case 'complete': {
        const decoded = decodeDocMessage(outcome.bytes, { maxKeyBytes: DEFAULT_MAX_KEY_BYTES });
        if (!decoded.ok || decoded.doc.kind === 'part') {
          this.#metrics.dropped('invalid-part');
          return;
        }
        this.receive(decoded.doc, sender, 0);
        return;
      }
    }
  }

  // Sending

  /** Whether `peer`'s answers are arriving page after page (the last within a sync interval). */
  #catchingUp(peer: PeerAddress): boolean {
    const last = this.#chains.get(peer);
    if (last === undefined) return false;
    if (this.#host.now() - last < this.#chainWindow()) return true;
    this.#chains.delete(peer);
    return false;
  }

  #noteChain(peer: PeerAddress): void {
    this.#chains.delete(peer);
    if (this.#chains.size >= MAX_PENDING_PULLS) {
      const [oldest] = this.#chains.keys();
      if (oldest !== undefined) this.#chains.delete(oldest);
    }
    this.#chains.set(peer, this.#host.now());
  }

  /** How long a page waits for the next before the catch-up counts as over. */
  #chainWindow(): number {
    return this.#config.docSyncInterval > 0 ? this.#config.docSyncInterval : 1_000;
  }

  /**
   * Queues operations to push (`ttl` hops left, or {@link LOCAL_WRITES};
   * `from`: the peer they came from, who is not sent them back). Pushes go out at once after a quiet
   * spell, otherwise with the next flush, at most one per `docPushDelay`
   * (as Nagle's algorithm batches TCP segments): a lone write travels at
   * once, a stream of writes in a few datagrams per interval.
   */
  #queuePush(operations: readonly Operation[], ttl: number, from: PeerAddress | undefined): void {
    if (!this.#host.running()) return;
    let group = this.#outbox.get(ttl);
    if (group === undefined) {
      group = { operations: [], except: new Set() };
      this.#outbox.set(ttl, group);
    }
    for (const operation of operations) {
      if (group.operations.length >= MAX_OUTBOX) break;
      group.operations.push(operation);
    }
    if (from !== undefined) group.except.add(from);
    if (this.#flushing) return;
    this.#flushing = true;
    const wait = Math.max(0, this.#lastFlush + this.#config.docPushDelay - this.#host.now());
    const cancel = this.#host.after(wait, () => {
      this.#timers.delete(cancel);
      this.#flushing = false;
      this.#lastFlush = this.#host.now();
      const groups = [...this.#outbox];
      this.#outbox.clear();
      if (!this.#host.running()) return;
      for (const [hops, { operations: queued, except }] of groups) {
        if (hops === LOCAL_WRITES) this.#pushLocal(queued);
        else this.#forward(queued, hops, except);
      }
    });
    this.#timers.add(cancel);
  }

  /**
   * Pushes local writes: straight to every live Vig peer, with no hops left,
   * while there are at most `docDirectPeers` (each gets one copy, where an
   * epidemic push sends `fanout` × (1 + `fanout`) of them); beyond, to
   * `fanout` peers with `docPushTtl` hops.
   */
  #pushLocal(operations: readonly Operation[]): void {
    const peers = this.#host.vigPeers();
    if (peers.length > this.#config.docDirectPeers) {
      this.#forward(operations, this.#config.docPushTtl, new Set());
      return;
    }
    this.#sendOperations(peers, operations, 0);
  }

  /** Sends `operations` to `fanout` random live Vig peers (none in `except`), `ttl` hops left. */
  #forward(operations: readonly Operation[], ttl: number, except: ReadonlySet<PeerAddress>): void {
    const peers = choosePeers(
      this.#host.vigPeers(),
      this.#config.fanout,
      this.#host.random,
      except,
    );
    this.#sendOperations(peers, operations, ttl);
  }

  /**
   * Sends operations (parents before children, ascending local order) as
   * `ops` messages, each batch filling a datagram (an operation too large for
   * one goes in parts), at most `docAnswerDatagrams` datagrams; when that
   * cuts the list, every message says where to go on (`next`). Packed and
   * encoded once for all of `peers`.
   */
  #sendOperations(
    peers: readonly PeerAddress[],
    operations: readonly Operation[],
    ttl: number,
  ): void {
    if (operations.length === 0 || peers.length === 0) return;
    let batches: PackedBatch[];
    try {
      batches = packOperations(operations, this.#batchCapacity, {
        maxBatches: this.#config.docAnswerDatagrams,
        maxKeyBytes: DEFAULT_MAX_KEY_BYTES,
      });
    } catch {
      this.#metrics.dropped('encode-failed');
      return;
    }
    let room = this.#config.docAnswerDatagrams;
    let taken = 0;
    let count = 0;
    for (const { batch, count: held } of batches) {
      const datagrams =
        batch.length <= this.#batchCapacity ? 1 : Math.ceil(batch.length / this.#batchCapacity);
      if (taken > 0 && datagrams > room) break;
      room -= datagrams;
      taken += 1;
      count += held;
      if (room <= 0) break;
    }
    const rest = operations[count];
    const next = rest === undefined ? {} : { next: this.store.positionOf(rest.version) };
    for (const { batch } of batches.slice(0, taken))
      this.#sendToEach(peers, { kind: 'ops', batch, ttl, ...next });
    this.#metrics.operationsSent += count * peers.length;
  }

  /**
   * Asks `to` for what this store lacks (from position `from` of its order,
   * when continuing). A pull (`reply`) goes to a peer that has just sent
   * operations, which likely knows this store's heads: a quarter of the
   * sample does.
   */
  #sendRecent(to: PeerAddress, reply: boolean, from: number | undefined): void {
    const limit = this.#config.docSampleVersions;
    const { heads, complete, versions } = sampleHistory(
      this.store,
      limit,
      reply ? Math.ceil(limit / 4) : limit,
    );
    this.#send(to, {
      kind: 'recent',
      reply,
      heads,
      complete,
      versions,
      ...(from === undefined ? {} : { from }),
    });
  }

  /**
   * Pulls from `peer` after the pull delay, once however many reasons arrive
   * meanwhile: to continue an answer cut short (`from`), or because received
   * operations wait for parents (`from` undefined: everything). A pull for
   * waiting operations waits a `gossipInterval` more (the parents may come
   * with the next flush of pushes) and is dropped when the operations that
   * waited are in the history by then.
   */
  #schedulePull(peer: PeerAddress, from: number | undefined, waiting: readonly Version[]): void {
    const pending = this.#pulls.get(peer);
    if (pending !== undefined) {
      // Everything (undefined) covers any continuation; of two continuations, the later.
      if (pending.from !== undefined) {
        pending.from = from === undefined ? undefined : Math.max(pending.from, from);
      }
      pending.continuing ||= from !== undefined;
      for (const version of waiting) {
        if (pending.waiting.length < MAX_PULL_WAITING) pending.waiting.push(version);
      }
      return;
    }
    if (this.#pulls.size >= MAX_PENDING_PULLS) return;
    const pull: PendingPull = {
      from,
      continuing: from !== undefined,
      waiting: waiting.slice(0, MAX_PULL_WAITING),
    };
    this.#pulls.set(peer, pull);
    // Parents may come with the next flush of pushes: a pull for them waits that long more.
    const delay = this.#config.docPullDelay + (pull.continuing ? 0 : this.#config.gossipInterval);
    const cancel = this.#host.after(delay, () => {
      this.#timers.delete(cancel);
      this.#pulls.delete(peer);
      if (!this.#host.running()) return;
      const arrived = pull.waiting.every((version) => this.store.has(version));
      if (!pull.continuing && arrived) return;
      this.#metrics.pulls += 1;
      this.#sendRecent(peer, true, pull.from);
    });
    this.#timers.add(cancel);
  }

  /**
   * Encodes one doc message (with `vig`), in parts when it does not fit a
   * datagram (in a random rotation, so a send queue that overflows loses
   * different parts each time), and hands it to the node. False when the
   * amplification budget refused it.
   */
  #send(to: PeerAddress, body: DocBody): boolean {
    return this.#sendToEach([to], body) === 1;
  }

  /**
   * Encodes `body` once and hands its datagrams to each of `peers` (a large
   * message's parts in one random rotation); returns how many took them.
   */
  #sendToEach(peers: readonly PeerAddress[], body: DocBody): number {
    let datagrams: Uint8Array[];
    try {
      datagrams = splitDocMessage({ ...body, vig: VIG_PROTOCOL_VERSION }, this.#host.budget);
    } catch {
      this.#metrics.dropped('encode-failed');
      return 0;
    }
    if (datagrams.length > 1) {
      const start = Math.floor(this.#host.random() * datagrams.length);
      datagrams = [...datagrams.slice(start), ...datagrams.slice(0, start)];
    }
    let handed = 0;
    for (const to of peers) {
      if (!this.#host.hand(to, datagrams)) {
        this.#metrics.dropped('refused');
        continue;
      }
      this.#metrics.sent(body.kind, datagrams);
      handed += 1;
    }
    return handed;
  }

  // Writing

  /**
   * `writes` as they will travel: checked by encoding them as an operation
   * (as large as the real one will be) and with the values as every peer
   * decodes them.
   */
  #travellingWrites(
    writes: readonly (readonly [key: string, value: unknown])[],
    parents: readonly Version[] | undefined,
  ): [string, unknown][] {
    const trial: Operation = {
      version: { agent: this.store.agent, seq: this.store.size },
      parents: parents ?? this.store.frontier,
      writes: writes.map(([key, value]) => ({
        key,
        value,
        replaces:
          parents ??
          (typeof key === 'string' ? this.store.get(key) : []).map((sibling) => sibling.version),
      })),
    };
    let bytes: Uint8Array;
    try {
      bytes = encodeOperations([trial], { maxKeyBytes: DEFAULT_MAX_KEY_BYTES });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      // A write the store itself would refuse (a key written twice…) throws the store's error.
      if (cause instanceof Error && cause.name === 'MalformedOperationError') throw cause;
      throw new DocWriteEncodeError(error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
    const limit = this.#config.maxDocMessageBytes - OPERATIONS_OVERHEAD;
    if (bytes.length > limit) throw new DocWriteTooLargeError(bytes.length, limit);
    const decoded = decodeOperations(bytes, { maxBytes: bytes.length + 1 });
    if (!decoded.ok) throw new DocWriteEncodeError(decoded.error.message, { cause: decoded.error });
    const [operation] = decoded.operations;
    return (operation?.writes ?? []).map((write) => [write.key, write.value]);
  }

  /**
   * Writes on top of `parents` rather than the checked-out version. When the
   * one key written holds exactly those versions now, that is the same
   * write as a plain one; otherwise the store moves to `parents`, writes
   * there, and comes back to its view with the new write added (its branch
   * following, if it was on one).
   */
  #putAt(writes: [string, unknown][], parents: readonly Version[]): Version {
    const target = this.store.frontierOf(parents);
    const [first] = writes;
    if (writes.length === 1 && first !== undefined) {
      const current = this.store.get(first[0]).map((sibling) => sibling.version);
      if (sameVersions(current, target)) return this.store.putMany(writes);
    }
    const branch = this.store.branch;
    const before = this.store.frontier;
    this.store.checkout(target);
    let version: Version | undefined;
    try {
      version = this.store.putMany(writes);
    } finally {
      const after = version === undefined ? before : this.store.frontierOf([...before, version]);
      if (branch === undefined) this.store.checkout(after);
      else {
        this.store.createBranch(branch, after);
        this.store.checkout(branch);
      }
    }
    return version;
  }

  #emit(operations: readonly Operation[]): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(operations);
      } catch (error) {
        this.#host.listenerFailed(error);
      }
    }
  }
}

function sameVersions(left: readonly Version[], right: readonly Version[]): boolean {
  return (
    left.length === right.length &&
    left.every(
      (version, index) =>
        version.agent === right[index]?.agent && version.seq === right[index]?.seq,
    )
  );
}
