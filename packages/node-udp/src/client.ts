import { PatternKeyError, forEachEntry, isAggregatePattern, isPattern } from '@vig/crdt-core';
import type { MaxVector, Sibling, VectorEntries, Version } from '@vig/crdt-core';
import type { PeerAddress, Transport } from '@vig/gossip';
import { DEFAULT_DATAGRAM_BUDGET, SEALED_OVERHEAD } from '@vig/wire';
import type { DocAnswer } from '@vig/wire';
import { randomInt } from 'node:crypto';
import { MembersCollector, SearchCollector, VectorCollector } from './client-collectors.js';
import type { ClientMember } from './client-collectors.js';
import { ClientClosedError, NoAnswerError } from './client-errors.js';
import { DocExchange } from './client-doc-exchange.js';
import {
  DEFAULT_CLIENT_LOG_LIMIT,
  answerOf,
  docRequestDatagrams,
  frontierOf,
  logPageOf,
} from './client-documents.js';
import type {
  ClientDocuments,
  ClientFrontier,
  ClientLogOptions,
  ClientLogPage,
  ClientPutOptions,
  DocRequestBody,
} from './client-documents.js';
import { Exchange } from './client-exchange.js';
import type { AnswerCollector, RunningExchange } from './client-exchange.js';
import { checkClientOptions, refuseClientOption } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { loadKeyring } from './cluster-keys.js';
import type { ClusterKeys, KeySource } from './cluster-keys.js';
import { reloadKeyFile, setKeys } from './key-rotation.js';
import { membersRequestDatagram, queryDatagrams, writeDatagrams } from './client-requests.js';
import { entriesOf } from './node-entries.js';
import type { EntriesInput } from './node-entries.js';
import { createSealedTransport } from './sealed-transport.js';
import type { SealedTransport } from './sealed-transport.js';
import { createUdpTransport } from './udp-transport.js';

/**
 * A light client: reads and writes through Vig nodes from inside another
 * process, over UDP. It is never a member: every datagram it sends carries
 * `client: true` (and `vig`), which nodes answer and never gossip about.
 * Requests run one at a time, in call order; each tries the nodes in turn,
 * starting with the last one that answered.
 */
export interface VigClient {
  /**
   * The vector a node holds for `key`; an empty vector when it holds none.
   *
   * @returns a promise rejecting with {@link NoAnswerError} when no node
   *   answered, crdt-core's `PatternKeyError` for a `%` or `*` pattern (use
   *   `search` or `aggregate`)
   */
  get(key: string): Promise<MaxVector>;
  /** Every key a node holds matching `pattern` (`%` and `*` match any run), with its vector, sorted by key. */
  search(pattern: string): Promise<[string, MaxVector][]>;
  /** The element-wise max over every key a node holds matching `pattern`; empty when none. */
  aggregate(pattern: string): Promise<MaxVector>;
  /**
   * Writes `entries` into `key` under max through a node, which gossips them
   * on. Resolves once the node's answer shows it holds at least the entries
   * (the write is sent again while it does not, within the timeout).
   *
   * @returns a promise rejecting with {@link NoAnswerError} when no node
   *   confirmed, `PatternKeyError` for a pattern, `InvalidIndexError` or
   *   `InvalidValueError` for an entry out of range
   */
  put(key: string, entries: EntriesInput): Promise<void>;
  /** A node's membership view: the node itself first (`alive`), then every member with its status. */
  members(): Promise<ClientMember[]>;
  /**
   * The nodes' versioned documents: `put`, `get`, `log`, `checkout`,
   * `branch` (see {@link ClientDocuments}).
   */
  readonly docs: ClientDocuments;
  /**
   * Replaces the cluster keys of a keyed client, its label kept, as a node's
   * `setKeys` does: clients follow a key rotation like nodes.
   *
   * @throws {@link ClientOptionsError} for a client created without a key, or keys refused
   */
  setKeys(keys: ClusterKeys): void;
  /**
   * Reads the client's key file again and uses its keys.
   *
   * @returns a promise rejecting with {@link ClientOptionsError} for a client
   *   created without `keyFile`, or the key file's errors (the keys in use stay)
   */
  reloadKeyFile(): Promise<void>;
  /** Closes the socket; requests still waiting reject with {@link ClientClosedError}. Twice is harmless. */
  close(): Promise<void>;
}

/**
 * Opens a client's socket (see {@link ClientOptions.bind} for its default).
 *
 * @example
 * ```ts
 * const client = await createClient({ nodes: ['127.0.0.1:7946'] });
 * await client.put('views:home', { 0: 120 });
 * console.log((await client.get('views:home')).toRecord()); // { '0': 120 }
 * await client.close();
 * ```
 *
 * @throws {@link ClientOptionsError} for options that are missing or out of range, or keys refused
 * @throws `KeyFilePermissionError`, `KeyFileReadError` or `@vig/wire`'s `InvalidKeyFileError`
 *   for a key file that is open to others, unreadable or malformed
 * @throws the transport's `InvalidBindAddressError` or `UdpBindError` when the socket cannot bind
 */
export async function createClient(options: ClientOptions): Promise<VigClient> {
  const checked = checkClientOptions(options);
  const keyring = await loadKeyring(checked.keys, refuseClientOption);
  const transport = await createUdpTransport({
    bind: checked.bind,
    receiveBufferBytes: CLIENT_BUFFER_BYTES,
    sendBufferBytes: CLIENT_BUFFER_BYTES,
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });
  return new Client({
    transport,
    sealed: keyring === undefined ? undefined : createSealedTransport(transport, keyring),
    nodes: checked.nodes,
    timeout: checked.timeout,
    keys: checked.keys,
  });
}

/** What a {@link Client} is made of. */
interface ClientParts {
  /** The socket. */
  readonly transport: Transport;
  /** The sealed transport over it, for a keyed cluster: then all traffic goes through it. */
  readonly sealed: SealedTransport | undefined;
  readonly nodes: readonly PeerAddress[];
  readonly timeout: number;
  readonly keys: KeySource;
}

/**
 * The socket buffers a client asks for: 208 KiB, Linux's usual cap without
 * privileges, so no warning; a client's answers are small.
 */
const CLIENT_BUFFER_BYTES = 212_992;

/** The most write-and-read rounds a `put` makes with one node before trying the next: 4. */
const PUT_ROUNDS = 4;

class Client implements VigClient {
  readonly docs: ClientDocuments;
  readonly #transport: Transport;
  readonly #sealed: SealedTransport | undefined;
  readonly #keys: KeySource;
  readonly #nodes: readonly PeerAddress[];
  readonly #timeout: number;
  /** The largest write datagram: the default budget, less the envelope when sealed. */
  readonly #budget: number;
  /** The node tried first: the last one that answered. */
  #preferred = 0;
  #current: RunningExchange<unknown> | undefined;
  /** The number of the next documents request, 0..2^32−1 (from a random start). */
  #nextRequest = randomInt(0, 2 ** 32);
  /** The end of the queue of requests: each starts when the one before has ended. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed: Promise<void> | undefined;

  constructor(parts: ClientParts) {
    const transport = parts.sealed ?? parts.transport;
    this.#transport = transport;
    this.#sealed = parts.sealed;
    this.#keys = parts.keys;
    this.#nodes = parts.nodes;
    this.#timeout = parts.timeout;
    this.#budget = DEFAULT_DATAGRAM_BUDGET - (this.#sealed === undefined ? 0 : SEALED_OVERHEAD);
    transport.onReceive((bytes) => this.#current?.receive(bytes));
    this.docs = {
      put: (key, value, options) => this.#putDocument(key, value, options),
      get: (key) => this.#getDocument(key),
      log: (key, options) => this.#logDocuments(key, options),
      checkout: (target) => this.#checkoutDocuments(target),
      branch: (name) => this.#branchDocuments(name),
    };
  }

  async get(key: string): Promise<MaxVector> {
    if (isPattern(key)) throw new PatternKeyError(key);
    return this.#readVector(key);
  }

  async search(pattern: string): Promise<[string, MaxVector][]> {
    // A node reads a key holding `*` as an aggregate: `*` and `%` match
    // alike, so the same keys are asked for as a search.
    const query = isAggregatePattern(pattern) ? pattern.replaceAll('*', '%') : pattern;
    const collector = await this.#ask(() => new SearchCollector(pattern), queryOnly(query));
    return collector.results();
  }

  async aggregate(pattern: string): Promise<MaxVector> {
    // A node reads a key holding only `%` as a search: ask with `*` instead.
    return this.#readVector(isAggregatePattern(pattern) ? pattern : pattern.replaceAll('%', '*'));
  }

  async put(key: string, entries: EntriesInput): Promise<void> {
    if (isPattern(key)) throw new PatternKeyError(key);
    const wanted = entriesOf(entries);
    // Encoded now, so a bad key or entry rejects before anything is sent.
    const requests = [...writeDatagrams(key, wanted, this.#budget), ...queryDatagrams(key)];
    // Zeros are no entries: a write of only zeros would read as a query.
    if (!hasNonZeroEntry(wanted)) return;
    await this.#enqueue(() => this.#putEverywhere(key, wanted, requests));
  }

  async members(): Promise<ClientMember[]> {
    const collector = await this.#ask(
      () => new MembersCollector(),
      () => [membersRequestDatagram()],
    );
    return collector.results();
  }

  setKeys(keys: ClusterKeys): void {
    setKeys(this.#sealed, keys, refuseClientOption);
  }

  async reloadKeyFile(): Promise<void> {
    await reloadKeyFile(this.#sealed, this.#keys, refuseClientOption);
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#current?.abort();
      await this.#transport.close();
    })();
    return this.#closed;
  }

  async #readVector(key: string): Promise<MaxVector> {
    const collector = await this.#ask(() => new VectorCollector(key), queryOnly(key));
    return collector.vector;
  }

  async #putDocument(key: string, value: unknown, options?: ClientPutOptions): Promise<Version> {
    const parents = options?.parents;
    const body = {
      kind: 'put',
      key,
      value,
      ...(parents === undefined ? {} : { parents }),
    } as const;
    const [node, answer] = await this.#askDocument(body, false);
    return answerOf(node, answer, 'written').version;
  }

  async #getDocument(key: string): Promise<Sibling[]> {
    const [node, answer] = await this.#askDocument({ kind: 'get', key }, true);
    return [...answerOf(node, answer, 'siblings').siblings];
  }

  async #logDocuments(key?: string, options: ClientLogOptions = {}): Promise<ClientLogPage> {
    const { cursor, limit = DEFAULT_CLIENT_LOG_LIMIT } = options;
    const body = {
      kind: 'log',
      limit,
      ...(key === undefined ? {} : { key }),
      ...(cursor === undefined ? {} : { cursor }),
    } as const;
    const [node, answer] = await this.#askDocument(body, true);
    return logPageOf(node, answerOf(node, answer, 'history'));
  }

  async #checkoutDocuments(target: readonly Version[] | string): Promise<ClientFrontier> {
    const [node, answer] = await this.#askDocument({ kind: 'checkout', target }, true);
    return frontierOf(answerOf(node, answer, 'frontier'));
  }

  async #branchDocuments(name: string): Promise<ClientFrontier> {
    const [node, answer] = await this.#askDocument({ kind: 'branch', name }, true);
    return frontierOf(answerOf(node, answer, 'frontier'));
  }

  /**
   * Sends a documents request to the nodes in turn until one answers;
   * returns that node and its answer. The request is encoded at once, so a
   * field that cannot be sent rejects before anything is.
   */
  #askDocument(body: DocRequestBody, resend: boolean): Promise<[PeerAddress, DocAnswer]> {
    const request = this.#nextRequest;
    this.#nextRequest = (this.#nextRequest + 1) % 2 ** 32;
    const datagrams = docRequestDatagrams(body, request, this.#budget);
    return this.#enqueue(async () => {
      for (const [node, index] of this.#nodesInTurn()) {
        const outcome = await this.#exchangeDocument(node, datagrams, request, resend);
        if (outcome !== undefined) {
          this.#preferred = index;
          return [node, outcome];
        }
      }
      throw this.#noAnswer();
    });
  }

  /** One documents exchange with `node`: its answer, or undefined when it said nothing. */
  async #exchangeDocument(
    node: PeerAddress,
    datagrams: readonly Uint8Array[],
    request: number,
    resend: boolean,
  ): Promise<DocAnswer | undefined> {
    const timeout = this.#timeout;
    const outcome = await this.#run(
      () =>
        new DocExchange({ transport: this.#transport, node, datagrams, request, timeout, resend }),
    );
    if (outcome.kind === 'closed') throw new ClientClosedError();
    return outcome.kind === 'answered' ? outcome.answer : undefined;
  }

  /** Runs an exchange as the client's current one, until it ends. */
  async #run<O>(start: () => RunningExchange<O>): Promise<O> {
    if (this.#closed !== undefined) throw new ClientClosedError();
    const exchange = start();
    this.#current = exchange;
    const outcome = await exchange.outcome;
    if (this.#current === exchange) this.#current = undefined;
    return outcome;
  }

  /** Asks the nodes in turn until one answers; returns that node's collector. */
  #ask<C extends AnswerCollector>(collector: () => C, requests: () => Uint8Array[]): Promise<C> {
    const datagrams = requests();
    return this.#enqueue(async () => {
      for (const [node, index] of this.#nodesInTurn()) {
        const answers = collector();
        if ((await this.#exchange(node, datagrams, answers, this.#timeout)) === 'answered') {
          this.#preferred = index;
          return answers;
        }
      }
      throw this.#noAnswer();
    });
  }

  /** Writes through each node in turn until one shows it holds the entries. */
  async #putEverywhere(
    key: string,
    wanted: VectorEntries,
    requests: readonly Uint8Array[],
  ): Promise<void> {
    for (const [node, index] of this.#nodesInTurn()) {
      const deadline = performance.now() + this.#timeout;
      for (let round = 0; round < PUT_ROUNDS; round++) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        const answers = new VectorCollector(key);
        if ((await this.#exchange(node, requests, answers, left)) !== 'answered') break;
        if (holds(answers.vector, wanted)) {
          this.#preferred = index;
          return;
        }
      }
    }
    throw this.#noAnswer();
  }

  /** One exchange with `node`, as the client's current one. */
  async #exchange(
    node: PeerAddress,
    requests: readonly Uint8Array[],
    collector: AnswerCollector,
    timeout: number,
  ): Promise<'answered' | 'silent'> {
    const transport = this.#transport;
    const outcome = await this.#run(
      () => new Exchange({ transport, node, requests, collector, timeout }),
    );
    if (outcome === 'closed') throw new ClientClosedError();
    return outcome;
  }

  /** Runs `request` after every request queued before it has ended. */
  #enqueue<T>(request: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(request);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Each node with its index, starting with the preferred one. */
  #nodesInTurn(): [PeerAddress, number][] {
    const count = this.#nodes.length;
    return Array.from({ length: count }, (_, offset) => {
      const index = (this.#preferred + offset) % count;
      return [this.#nodes[index], index];
    });
  }

  #noAnswer(): NoAnswerError {
    return new NoAnswerError(
      this.#nodesInTurn().map(([node]) => node),
      this.#timeout,
    );
  }
}

/** The requests of a read: one query. */
function queryOnly(key: string): () => Uint8Array[] {
  return () => queryDatagrams(key);
}

/** Whether `entries` hold a value above 0 (a missing index reads as 0). */
function hasNonZeroEntry(entries: VectorEntries): boolean {
  let found = false;
  forEachEntry(entries, (_index, value) => {
    if (value > 0) found = true;
  });
  return found;
}

/** Whether `vector` holds at least every entry of `wanted`. */
function holds(vector: MaxVector, wanted: VectorEntries): boolean {
  let all = true;
  forEachEntry(wanted, (index, value) => {
    if (vector.get(index) < value) all = false;
  });
  return all;
}
