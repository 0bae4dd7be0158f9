import { PatternKeyError, forEachEntry, isAggregatePattern, isPattern } from '@vig/crdt-core';
import type { MaxVector, VectorEntries } from '@vig/crdt-core';
import type { PeerAddress } from '@vig/gossip';
import { MembersCollector, SearchCollector, VectorCollector } from './client-collectors.js';
import type { ClientMember } from './client-collectors.js';
import { ClientClosedError, NoAnswerError } from './client-errors.js';
import { Exchange } from './client-exchange.js';
import type { AnswerCollector } from './client-exchange.js';
import { checkClientOptions } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { membersRequestDatagram, queryDatagrams, writeDatagrams } from './client-requests.js';
import { entriesOf } from './node-entries.js';
import type { EntriesInput } from './node-entries.js';
import { createUdpTransport } from './udp-transport.js';
import type { UdpTransport } from './udp-transport.js';

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
 * @throws {@link ClientOptionsError} for options that are missing or out of range
 * @throws the transport's `InvalidBindAddressError` or `UdpBindError` when the socket cannot bind
 */
export async function createClient(options: ClientOptions): Promise<VigClient> {
  const checked = checkClientOptions(options);
  const transport = await createUdpTransport({
    bind: checked.bind,
    receiveBufferBytes: CLIENT_BUFFER_BYTES,
    sendBufferBytes: CLIENT_BUFFER_BYTES,
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });
  return new Client(transport, checked.nodes, checked.timeout);
}

/**
 * The socket buffers a client asks for: 208 KiB, Linux's usual cap without
 * privileges, so no warning; a client's answers are small.
 */
const CLIENT_BUFFER_BYTES = 212_992;

/** The most write-and-read rounds a `put` makes with one node before trying the next: 4. */
const PUT_ROUNDS = 4;

class Client implements VigClient {
  readonly #transport: UdpTransport;
  readonly #nodes: readonly PeerAddress[];
  readonly #timeout: number;
  /** The node tried first: the last one that answered. */
  #preferred = 0;
  #current: Exchange | undefined;
  /** The end of the queue of requests: each starts when the one before has ended. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed: Promise<void> | undefined;

  constructor(transport: UdpTransport, nodes: readonly PeerAddress[], timeout: number) {
    this.#transport = transport;
    this.#nodes = nodes;
    this.#timeout = timeout;
    transport.onReceive((bytes) => this.#current?.receive(bytes));
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
    const requests = [...writeDatagrams(key, wanted), ...queryDatagrams(key)];
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
    if (this.#closed !== undefined) throw new ClientClosedError();
    const exchange = new Exchange({
      transport: this.#transport,
      node,
      requests,
      collector,
      timeout,
    });
    this.#current = exchange;
    const outcome = await exchange.outcome;
    if (this.#current === exchange) this.#current = undefined;
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
