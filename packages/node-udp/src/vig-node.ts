import { EMPTY_ENTRIES, PatternKeyError, isPattern } from '@vig/crdt-core';
import type { MaxStore, MaxVector, Operation, VectorEntries } from '@vig/crdt-core';
import { isIP } from 'node:net';
import { createGossipNode, parsePeerAddress } from '@vig/gossip';
import type {
  DocSyncMetrics,
  GossipConfig,
  GossipNode,
  GossipNodeEvent,
  GossipNodeListener,
  Member,
  MembershipConfig,
  NodeMetrics,
  PeerAddress,
  StopOptions,
} from '@vig/gossip';
import { sketchHandles } from '@vig/sketch';
import type {
  BloomHandle,
  BloomParameters,
  CounterHandle,
  HllHandle,
  HllOptions,
  MaxRegisterHandle,
  MinHashHandle,
  PnCounterHandle,
  SketchHandles,
} from '@vig/sketch';
import type { ClusterKeys, KeyOptions, KeySource } from './cluster-keys.js';
import { loadKeyring } from './cluster-keys.js';
import type { DurableStore } from './durable-store.js';
import { loadDocuments } from './document-loading.js';
import { durableAnswers } from './durable-answers.js';
import { createNodeDocuments } from './node-documents.js';
import type { NodeDocuments, NodeDocumentsHandle } from './node-documents.js';
import { claimNodeAgent } from './node-agent-id.js';
import type { NodeAgent } from './node-agent-id.js';
import type { ObservedVersionedStore } from './observed-versioned-store.js';
import { reloadKeyFile, setKeys } from './key-rotation.js';
import { openLmdbStore } from './lmdb-store.js';
import { openMemoryStore } from './memory-store.js';
import { entriesOf } from './node-entries.js';
import type { EntriesInput } from './node-entries.js';
import { NodeStoppedError } from './node-errors.js';
import { checkNodeOptions, refuseNodeOption } from './node-options.js';
import type { NodeStorage } from './node-options.js';
import { NodePersistence, loadStore } from './node-persistence.js';
import type { NodeStorageMetrics } from './node-persistence.js';
import { realTimeScheduler } from './node-scheduler.js';
import { resolveWriterId } from './node-writer-id.js';
import { checkProtectedMode } from './protected-mode.js';
import { createSealedTransport } from './sealed-transport.js';
import type { SealedTransport } from './sealed-transport.js';
import type { SealedTransportStats } from './sealed-transport-stats.js';
import { resolveBindEndpoint } from './udp-bind-address.js';
import type { BindEndpoint } from './udp-bind-address.js';
import { createUdpTransport } from './udp-transport.js';
import type { UdpTransport } from './udp-transport.js';
import type { UdpTransportStats } from './udp-transport-stats.js';

/**
 * How to build a {@link VigNode}. With `key` or `keyFile` (and `label`,
 * from {@link KeyOptions}) every datagram travels sealed; see docs/security.md.
 */
export interface NodeOptions extends KeyOptions {
  /**
   * Where to listen, `host:port` (`[v6]:port`; port 0 for an ephemeral one);
   * the node's address. Anything but loopback (127.0.0.0/8, ::1) needs a key,
   * or `insecure: true` (protected mode).
   */
  readonly bind: string;
  /** Nodes to join through (`host:port`); re-contacted while they are not live members. Default none. */
  readonly seeds?: readonly string[];
  /** The directory of the node's LMDB store, created if absent. Give this or `memory: true`. */
  readonly dataDir?: string;
  /** Keep vectors in memory only (tests, simulations). Give this or `dataDir`. */
  readonly memory?: boolean;
  /** Membership timings over `LAN_MEMBERSHIP`, field by field (`LOCAL_MEMBERSHIP` for loopback tests). */
  readonly membership?: Partial<MembershipConfig>;
  /** Gossip settings over `DEFAULT_GOSSIP_CONFIG`, field by field (`LOCAL_GOSSIP` for loopback tests). */
  readonly gossip?: Partial<GossipConfig>;
  /** SO_RCVBUF asked of the socket; default the transport's (4 MiB). */
  readonly receiveBufferBytes?: number;
  /** Where warnings go (a socket buffer smaller than asked, a failed write…); default `console.warn`. */
  readonly onWarning?: (message: string) => void;
  /**
   * The id this node's counters count under (a vector index, 0..2^32−1); no
   * two writers may share one. Default: kept in `dataDir/writer-id`, random
   * at first start; random for a memory node.
   */
  readonly writerId?: number;
  /**
   * Versioned documents (`node.docs`): a `VersionedStore` kept in the node's
   * store (its operations, branches and checkout survive restarts) and
   * synchronised with peers. Default true; `false` turns them off (then
   * `node.docs` throws `DocumentsDisabledError`, and no agent id is kept).
   */
  readonly docs?: boolean;
  /**
   * Runs without a key on an address other than loopback: protected mode
   * off. Anyone who can reach the port can then write any key, join the
   * cluster and make the node send traffic. Default false.
   */
  readonly insecure?: boolean;
}

/**
 * A node's security counters: `sealed: false` for a node without a key;
 * with one, the sealed transport's counters (datagrams sealed, opened by
 * key, dropped by reason).
 */
export type NodeSecurityMetrics =
  { readonly sealed: false } | ({ readonly sealed: true } & SealedTransportStats);

/** The UDP transport's counters, and the datagrams waiting for the socket. */
export interface NodeTransportMetrics extends UdpTransportStats {
  /** Datagrams queued for the socket, not yet handed to it. */
  readonly pendingSends: number;
}

/** A node's counters: the engine's traffic, its socket's and its storage's. */
export interface VigNodeMetrics extends NodeMetrics {
  /** The socket's counters. */
  readonly transport: NodeTransportMetrics;
  /** The store's counters. */
  readonly storage: NodeStorageMetrics;
  /** The sealed envelope's counters. */
  readonly security: NodeSecurityMetrics;
  /** The documents' replication counters; undefined with `docs: false`. */
  readonly docs: DocSyncMetrics | undefined;
}

/**
 * A Vig node: the gossip engine over UDP, with its vectors kept in a durable
 * store. Its sketch handles (`node.hll('visitors').add('alice')`, `counter`,
 * `pnCounter`, `bloom`, `minHash`, `maxRegister`, from `@vig/sketch`) batch
 * the changes of a turn into one put of what grew.
 */
export interface VigNode extends SketchHandles {
  /** Where the node listens, as peers reach it and as its peer key `n:<address>` says. */
  readonly address: PeerAddress;
  /**
   * The node's versioned documents: full history, siblings, branches,
   * checkout; durable, and synchronised with peers (see {@link NodeDocuments}).
   */
  readonly docs: NodeDocuments;
  /** The id its counters count under (see {@link NodeOptions.writerId}). */
  readonly writerId: number;
  /** Starts gossiping: the first heartbeat, announcements to the seeds, the timers. Starting twice does nothing. */
  start(): void;
  /**
   * Stops the engine (sending the leave marker first when `leave`), then
   * flushes and closes the store, then closes the socket. Calling it again
   * returns the same promise.
   */
  stop(options?: StopOptions): Promise<void>;
  /**
   * A local write: merges `entries` into `key` under element-wise max and
   * gossips what grew. Resolves with what grew (empty when nothing did) once
   * that is durable in the store.
   *
   * @returns a promise rejecting with crdt-core's `PatternKeyError` for a `%`
   *   or `*` pattern, `InvalidIndexError`/`InvalidValueError` for an entry out
   *   of range, {@link StoreKeyError} for a key the store cannot record,
   *   {@link NodeStoppedError} after `stop()`
   */
  put(key: string, entries: EntriesInput): Promise<VectorEntries>;
  /** The vector of `key`, if this node holds one (the node's live vector: read it, do not keep it). */
  get(key: string): MaxVector | undefined;
  /** Every key matching `pattern` (`%` and `*` match any run) with its vector, sorted by key. */
  search(pattern: string): [string, MaxVector][];
  /** A new vector: the element-wise max over every key matching `pattern` (empty when none). */
  aggregate(pattern: string): MaxVector;
  /** The members as this node sees them (never itself, never clients). */
  members(): Member[];
  /** A snapshot of the counters. */
  metrics(): VigNodeMetrics;
  /** Adds a listener of `change`, `member-up` or `member-down`; the returned function removes it. */
  on<E extends GossipNodeEvent>(event: E, listener: GossipNodeListener<E>): () => void;
  /**
   * Replaces the cluster keys of a keyed node at once, its label kept: how
   * keys rotate without a restart (see docs/security.md for the order).
   *
   * @throws {@link NodeOptionsError} for a node created without a key, or keys refused
   */
  setKeys(keys: ClusterKeys): void;
  /**
   * Reads the node's key file again and uses its keys, as {@link VigNode.setKeys}.
   *
   * @returns a promise rejecting with {@link NodeOptionsError} for a node
   *   created without `keyFile`, or the key file's errors (the keys in use stay)
   */
  reloadKeyFile(): Promise<void>;
}

/**
 * Creates a node: opens its store (LMDB in `dataDir`, or memory), loads every
 * stored key, and binds its socket. Nothing is sent until
 * {@link VigNode.start}. A node restarted on the same `dataDir` starts with
 * everything it had.
 *
 * @example
 * ```ts
 * const node = await createNode({ bind: '127.0.0.1:7946', dataDir: './data/node-1' });
 * node.start();
 * await node.put('views:home', { 0: 120 });
 * await node.stop({ leave: true });
 * ```
 *
 * @throws {@link NodeOptionsError} for options that are missing or out of range, or keys refused
 * @throws {@link ProtectedModeError} for an address other than loopback without a key or `insecure: true`
 * @throws {@link KeyFilePermissionError}, {@link KeyFileReadError} or `@vig/wire`'s
 *   `InvalidKeyFileError` for a key file that is open to others, unreadable or malformed
 * @throws the transport's `InvalidBindAddressError`, `InvalidUdpOptionError` or
 *   `UdpBindError`, or the store's `StoreOpenError`, when those cannot open
 */
export async function createNode(options: NodeOptions): Promise<VigNode> {
  const checked = checkNodeOptions(options);
  const endpoint = await resolveBindEndpoint(options.bind);
  checkProtectedMode(options.bind, endpoint, {
    keyed: checked.keys.kind !== 'none',
    insecure: checked.insecure,
  });
  const keyring = await loadKeyring(checked.keys, refuseNodeOption);
  const warn = warningSink(options.onWarning);
  const durable = await openStore(checked.storage);
  const dataDir = checked.storage.kind === 'lmdb' ? checked.storage.directory : undefined;
  let transport: UdpTransport | undefined;
  let agent: NodeAgent | undefined;
  try {
    const writerId = await resolveWriterId(options.writerId, dataDir);
    const { store, skipped: skippedVectors } = await loadStore(durable);
    agent = checked.docs ? await claimNodeAgent(dataDir) : undefined;
    const documents = agent === undefined ? undefined : openDocuments(durable, agent, warn);
    const skipped = skippedVectors + (documents?.skipped ?? 0);
    if (skipped > 0) warn(`${skipped} corrupt stored records were skipped at start-up`);
    transport = await createUdpTransport({
      // The address protected mode checked, so a host name cannot resolve elsewhere now.
      bind: bindOf(endpoint),
      // Only the seeds given here are ever looked up in DNS; addresses learned from the network must be IPs.
      resolvableHostnames: seedHostnames(checked.seeds),
      ...(options.receiveBufferBytes === undefined
        ? {}
        : { receiveBufferBytes: options.receiveBufferBytes }),
      onWarning: warn,
    });
    return new Node({
      options,
      gossip: checked.gossip,
      seeds: checked.seeds,
      durable,
      transport,
      sealed: keyring === undefined ? undefined : createSealedTransport(transport, keyring),
      keys: checked.keys,
      store,
      skipped,
      warn,
      writerId,
      documents,
      agent,
    });
  } catch (error) {
    await transport?.close();
    await durable.close();
    await agent?.release();
    throw error;
  }
}

/** A node's loaded documents, and the versions applied at load. */
interface OpenedDocuments {
  readonly store: ObservedVersionedStore;
  readonly loaded: readonly Operation[];
  readonly skipped: number;
}

/** Loads the node's versioned store, writing as the node's agent; warns of what could not be restored. */
function openDocuments(
  durable: DurableStore,
  agent: NodeAgent,
  warn: (message: string) => void,
): OpenedDocuments {
  if (agent.abandoned !== undefined) {
    const previous = agent.abandoned === 'unreadable' ? 'an unreadable agent id' : agent.abandoned;
    warn(
      `the last run on this dataDir did not stop cleanly: documents are now written as agent ` +
        `${agent.agent}, not ${previous}, whose last operations may have reached peers without being stored`,
    );
  }
  const { store, applied, skipped, problems } = loadDocuments(durable, agent.agent);
  for (const problem of problems) warn(`documents: ${problem}`);
  return { store, loaded: applied, skipped };
}

/** A resolved endpoint as a `bind` option. */
function bindOf(endpoint: BindEndpoint): string {
  return endpoint.family === 6
    ? `[${endpoint.host}]:${endpoint.port}`
    : `${endpoint.host}:${endpoint.port}`;
}

/** The host names among `seeds` (IP literals need no lookup). */
function seedHostnames(seeds: readonly PeerAddress[]): string[] {
  return seeds.flatMap((seed) => {
    const host = parsePeerAddress(seed)?.host;
    return host === undefined || isIP(host) !== 0 ? [] : [host];
  });
}

function openStore(storage: NodeStorage): Promise<DurableStore> {
  return storage.kind === 'lmdb'
    ? openLmdbStore({ directory: storage.directory })
    : Promise.resolve(openMemoryStore());
}

/** `onWarning`, defaulting to `console.warn`, never throwing into the node. */
function warningSink(
  onWarning: ((message: string) => void) | undefined,
): (message: string) => void {
  const warn = onWarning ?? ((message: string) => console.warn(message));
  return (message) => {
    try {
      warn(message);
    } catch {
      // A warning that cannot be delivered must not break the node.
    }
  };
}

/** What a {@link Node} is made of. */
interface NodeParts {
  readonly options: NodeOptions;
  /** The gossip settings, the budget adjusted for sealing. */
  readonly gossip: Partial<GossipConfig> | undefined;
  readonly seeds: readonly PeerAddress[];
  readonly durable: DurableStore;
  readonly transport: UdpTransport;
  /** The transport sealing datagrams over `transport`, for a keyed node. */
  readonly sealed: SealedTransport | undefined;
  /** Where the keys came from. */
  readonly keys: KeySource;
  readonly store: MaxStore;
  readonly skipped: number;
  readonly warn: (message: string) => void;
  readonly writerId: number;
  /** The loaded versioned store; undefined with `docs: false`. */
  readonly documents: OpenedDocuments | undefined;
  /** The agent the documents write as; undefined with `docs: false`. */
  readonly agent: NodeAgent | undefined;
}

class Node implements VigNode {
  readonly address: PeerAddress;
  readonly writerId: number;
  readonly docs: NodeDocuments;
  readonly #documents: NodeDocumentsHandle;
  readonly #agent: NodeAgent | undefined;
  readonly #sketches: SketchHandles;
  readonly #gossip: GossipNode;
  readonly #transport: UdpTransport;
  readonly #sealed: SealedTransport | undefined;
  readonly #keys: KeySource;
  readonly #durable: DurableStore;
  readonly #persistence: NodePersistence;
  #stopped: Promise<void> | undefined;

  constructor(parts: NodeParts) {
    const { options, transport, sealed } = parts;
    this.#transport = transport;
    this.#sealed = sealed;
    this.#keys = parts.keys;
    this.#durable = parts.durable;
    this.#gossip = createGossipNode({
      ...parts.gossip,
      // Answers to clients' document writes wait until what they report is durable.
      transport: durableAnswers(sealed ?? transport, (answer) =>
        this.#documents.durability(answer),
      ),
      // Every datagram a sealed transport hands on opened under the cluster
      // key: its sender is authenticated, so no amplification budget applies.
      authenticatedTransport: sealed !== undefined,
      // A client reading a key (as its put does, to confirm) hears back only
      // once the key's latest growth is durable here.
      clientAnswerWait: (key) => this.#persistence.pending(key),
      scheduler: realTimeScheduler,
      random: Math.random,
      store: parts.store,
      ...(parts.documents === undefined ? {} : { docs: parts.documents.store }),
      seeds: parts.seeds,
      ...(options.membership === undefined ? {} : { membership: options.membership }),
    });
    this.address = this.#gossip.address;
    this.writerId = parts.writerId;
    this.#sketches = sketchHandles(this, parts.writerId);
    this.#persistence = new NodePersistence({
      durable: parts.durable,
      gossip: this.#gossip,
      skippedRecords: parts.skipped,
      loadedOperations: parts.documents?.loaded.length ?? 0,
      warn: parts.warn,
    });
    this.#agent = parts.agent;
    const documents = parts.documents;
    this.#documents = createNodeDocuments({
      address: this.address,
      replica: this.#gossip.docs,
      store: documents?.store,
      durable: parts.durable,
      loaded: documents?.loaded ?? [],
      stopped: () => this.#stopped !== undefined,
      watch: (write, what) => this.#persistence.watch(write, what),
      warn: parts.warn,
    });
    this.docs = this.#documents.documents;
    this.#persistence.countOperationWrites(this.#documents.operationWrites);
  }

  start(): void {
    if (this.#stopped !== undefined) throw new NodeStoppedError(this.address, 'start');
    this.#gossip.start();
  }

  stop(options?: StopOptions): Promise<void> {
    this.#stopped ??= this.#shutDown(options);
    return this.#stopped;
  }

  async put(key: string, entries: EntriesInput): Promise<VectorEntries> {
    if (this.#stopped !== undefined) throw new NodeStoppedError(this.address, 'put');
    if (isPattern(key)) throw new PatternKeyError(key);
    const grew = this.#gossip.put(key, entriesOf(entries));
    if (grew.kind === 'sparse' && grew.indices.length === 0) return EMPTY_ENTRIES;
    await this.#persistence.written(key);
    return grew;
  }

  get(key: string): MaxVector | undefined {
    return this.#gossip.get(key);
  }

  search(pattern: string): [string, MaxVector][] {
    return this.#gossip.store.search(pattern);
  }

  aggregate(pattern: string): MaxVector {
    return this.#gossip.store.aggregate(pattern);
  }

  members(): Member[] {
    return this.#gossip.members();
  }

  metrics(): VigNodeMetrics {
    return Object.freeze({
      ...this.#gossip.metrics(),
      transport: Object.freeze({
        ...this.#transport.stats(),
        pendingSends: this.#transport.pendingSends,
      }),
      storage: this.#persistence.metrics(),
      security: Object.freeze(
        this.#sealed === undefined
          ? { sealed: false as const }
          : { sealed: true as const, ...this.#sealed.stats() },
      ),
      docs: this.#gossip.docs?.metrics(),
    });
  }

  setKeys(keys: ClusterKeys): void {
    setKeys(this.#sealed, keys, refuseNodeOption);
  }

  async reloadKeyFile(): Promise<void> {
    await reloadKeyFile(this.#sealed, this.#keys, refuseNodeOption);
  }

  on<E extends GossipNodeEvent>(event: E, listener: GossipNodeListener<E>): () => void {
    return this.#gossip.on(event, listener);
  }

  hll(key: string, options?: HllOptions): HllHandle {
    return this.#sketches.hll(key, options);
  }

  counter(key: string): CounterHandle {
    return this.#sketches.counter(key);
  }

  pnCounter(key: string): PnCounterHandle {
    return this.#sketches.pnCounter(key);
  }

  bloom(key: string, parameters: BloomParameters): BloomHandle {
    return this.#sketches.bloom(key, parameters);
  }

  minHash(key: string, registers?: number): MinHashHandle {
    return this.#sketches.minHash(key, registers);
  }

  maxRegister(key: string): MaxRegisterHandle {
    return this.#sketches.maxRegister(key);
  }

  /** Engine, then store (every write made durable), then socket; each step runs whatever the last did. */
  async #shutDown(options: StopOptions | undefined): Promise<void> {
    this.#gossip.stop(options);
    this.#persistence.detach();
    this.#documents.detach();
    try {
      await this.#durable.close();
      // Every operation is durable now: the next run may go on writing as this agent.
      if (this.docs.enabled) await this.#agent?.stopCleanly(this.docs.agent);
    } finally {
      await this.#transport.close();
    }
  }
}
