import type { AgentId, Operation, Sibling, Version } from '@vig/crdt-core';
import type { DocReplica } from '@vig/gossip';
import { CheckoutDetector } from './checkout-detector.js';
import { DocumentArgumentError, DocumentsDisabledError } from './document-errors.js';
import { DocumentEvents } from './document-events.js';
import type { DocumentsEvent, DocumentsListener } from './document-events.js';
import { DocumentHistory } from './document-history.js';
import type { LogOptions } from './document-history.js';
import { DocumentPersistence } from './document-persistence.js';
import type { WriteWatcher } from './document-persistence.js';
import { unstorableText } from './durable-store-record.js';
import type { DurableStore } from './durable-store.js';
import { NodeStoppedError } from './node-errors.js';
import type { ObservedVersionedStore } from './observed-versioned-store.js';
import type { AnswerDurability } from './durable-answers.js';

/** A branch and the version it names. */
export interface DocumentBranch {
  readonly name: string;
  readonly frontier: Version[];
}

/** Options of a node's `docs.put` and `docs.putMany`. */
export interface DocumentPutOptions {
  /**
   * The versions the write follows: the siblings it saw (their `version`s).
   * It replaces what its keys held at those versions; writes since then stay
   * beside it as siblings. Default: the checked-out version, replacing every
   * current sibling.
   */
  readonly parents?: readonly Version[];
}

/**
 * A node's versioned documents (`node.docs`): a replica of crdt-core's
 * `VersionedStore`, kept in the node's durable store and replicated with the
 * other Vig nodes by the gossip engine. Every write is an operation
 * `(agent, seq)`; concurrent writes of a key are kept as siblings until a
 * write names them all; the store can be moved to any version or branch.
 * Values are what msgpack carries, and read back as `@vig/wire`'s
 * `decodeValue` gives them (a plain object as a `Map`), on this node as on
 * every other.
 */
export interface NodeDocuments {
  /** False for a node created with `docs: false`: then every call throws {@link DocumentsDisabledError}. */
  readonly enabled: boolean;
  /** The agent this node writes as (kept across clean restarts of a node with a `dataDir`). */
  readonly agent: AgentId;
  /** The frontier of every operation the node holds. */
  readonly heads: Version[];
  /** The checked-out version: what `get` reads. */
  readonly frontier: Version[];
  /** The branch checked out (`main` at first), or undefined after a checkout of a bare version. */
  readonly currentBranch: string | undefined;
  /**
   * Writes `value` to `key` in a new operation on top of the checked-out
   * version (or `options.parents`), replacing every sibling of `key` there,
   * and pushes it to peers. Resolves with the new version once the operation
   * is durable in the node's store.
   *
   * @returns a promise rejecting with `@vig/gossip`'s `DocWriteEncodeError`
   *   for a value msgpack cannot carry or a key over 1024 UTF-8 bytes,
   *   `DocWriteTooLargeError` for an operation over `maxDocMessageBytes`,
   *   {@link NodeStoppedError} after `stop()`, {@link DocumentsDisabledError}
   */
  put(key: string, value: unknown, options?: DocumentPutOptions): Promise<Version>;
  /** Writes several keys in one operation (each once), as {@link NodeDocuments.put}. */
  putMany(
    writes: readonly (readonly [key: string, value: unknown])[],
    options?: DocumentPutOptions,
  ): Promise<Version>;
  /** Every concurrent value of `key` at the checked-out version, with its version, sorted by version. */
  get(key: string): Sibling[];
  /** The keys that have a value at the checked-out version, sorted. */
  keys(): string[];
  /**
   * The operations (writing `key`, when given), newest first: those in the
   * history of the checked-out version (every one held, with `all`), at most
   * `limit` (default 100), after `before` for the next page.
   *
   * @throws {@link DocumentArgumentError} for a `limit` that is not a positive integer,
   *   crdt-core's `UnknownVersionError` for a `before` the node does not hold
   */
  log(key?: string, options?: LogOptions): Operation[];
  /**
   * Moves the documents to a version (a frontier) or a branch: reads are then
   * those of that version. Resolves once the new position is durable.
   *
   * @returns a promise rejecting with crdt-core's `UnknownVersionError` or
   *   `UnknownBranchError` (nothing moves then)
   */
  checkout(target: readonly Version[] | string): Promise<void>;
  /**
   * Creates branch `name` at `at` (default: the checked-out version), or
   * moves it there. Resolves once it is durable.
   *
   * @returns a promise rejecting with {@link DocumentArgumentError} for a name
   *   that cannot be stored, `UnknownVersionError` for an unknown version
   */
  branch(name: string, at?: readonly Version[]): Promise<void>;
  /**
   * Deletes branch `name` (the checked-out branch too: the store then stays
   * where it is, detached). Resolves once it is durable.
   *
   * @returns a promise rejecting with crdt-core's `UnknownBranchError`
   */
  deleteBranch(name: string): Promise<void>;
  /** Every branch with its version, sorted by name. */
  branches(): DocumentBranch[];
  /** Adds a listener of `change` (new operations) or `checkout`; the returned function removes it. */
  on<E extends DocumentsEvent>(event: E, listener: DocumentsListener<E>): () => void;
}

/** What {@link createNodeDocuments} builds the documents from. */
export interface NodeDocumentsParts {
  /** The node's address, for errors. */
  readonly address: string;
  /** The replica (the engine's, or a local one); undefined when documents are off. */
  readonly replica: DocReplica | undefined;
  /** The replica's store, which announces checkouts and branch changes. */
  readonly store: ObservedVersionedStore | undefined;
  readonly durable: DurableStore;
  /** The operations loaded at start-up, in the order they were applied. */
  readonly loaded: readonly Operation[];
  /** Whether the node is stopped (writes then throw {@link NodeStoppedError}). */
  readonly stopped: () => boolean;
  readonly watch: WriteWatcher;
  /** Where a listener's error goes. */
  readonly warn: (message: string) => void;
}

/** A node's documents, and what the node itself needs of them. */
export interface NodeDocumentsHandle {
  readonly documents: NodeDocuments;
  /** When the change an answer to a client reports is durable (see `durableAnswers`). */
  readonly durability: AnswerDurability;
  /** Operations asked of the store since start. */
  readonly operationWrites: () => number;
  /** Stops persisting (called once the engine has stopped). */
  readonly detach: () => void;
}

/** Builds a node's documents over its replica and durable store. */
export function createNodeDocuments(parts: NodeDocumentsParts): NodeDocumentsHandle {
  if (parts.replica === undefined || parts.store === undefined) {
    const documents = disabledDocuments(parts.address);
    return {
      documents,
      durability: () => Promise.resolve(),
      operationWrites: () => 0,
      detach: () => undefined,
    };
  }
  const documents = new Documents(parts, parts.replica, parts.store);
  const { persistence } = documents;
  return {
    documents,
    durability: async (answer) => {
      await (answer.kind === 'written'
        ? persistence.written(answer.version)
        : persistence.latestMove());
    },
    operationWrites: () => documents.persistence.operationWrites,
    detach: () => documents.detach(),
  };
}

class Documents implements NodeDocuments {
  readonly enabled = true;
  readonly persistence: DocumentPersistence;
  readonly #parts: NodeDocumentsParts;
  readonly #replica: DocReplica;
  readonly #store: ObservedVersionedStore;
  readonly #history: DocumentHistory;
  readonly #events: DocumentEvents;
  readonly #unsubscribe: (() => void)[];

  constructor(parts: NodeDocumentsParts, replica: DocReplica, store: ObservedVersionedStore) {
    this.#parts = parts;
    this.#replica = replica;
    this.#store = store;
    this.#events = new DocumentEvents((error) =>
      parts.warn(
        `a docs listener threw: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    this.#history = new DocumentHistory(store);
    this.#history.append(parts.loaded);
    // Persistence first: a listener of `change` finds the operations already on their way to disk.
    this.persistence = new DocumentPersistence({
      durable: parts.durable,
      replica,
      store,
      watch: parts.watch,
    });
    const checkouts = new CheckoutDetector(store, (checkout) =>
      this.#events.emit('checkout', checkout),
    );
    this.#unsubscribe = [
      replica.on('operations', (operations) => {
        checkouts.added(operations);
        this.#received(operations);
      }),
      store.onMove(() => checkouts.moved()),
    ];
  }

  get agent(): AgentId {
    return this.#store.agent;
  }

  get heads(): Version[] {
    return this.#store.heads;
  }

  get frontier(): Version[] {
    return this.#store.frontier;
  }

  get currentBranch(): string | undefined {
    return this.#store.branch;
  }

  async put(key: string, value: unknown, options?: DocumentPutOptions): Promise<Version> {
    return this.putMany([[key, value]], options);
  }

  async putMany(
    writes: readonly (readonly [key: string, value: unknown])[],
    options: DocumentPutOptions = {},
  ): Promise<Version> {
    this.#refuseWhenStopped('docs.put');
    if (writes.length === 0) {
      throw new DocumentArgumentError('writes', 'is empty', 'at least one [key, value] pair');
    }
    const version = this.#replica.putMany(writes, options.parents);
    await this.persistence.written(version);
    return version;
  }

  get(key: string): Sibling[] {
    return this.#store.get(key);
  }

  keys(): string[] {
    return [...this.#store.keys()].sort((left, right) =>
      left < right ? -1 : left > right ? 1 : 0,
    );
  }

  log(key?: string, options: LogOptions = {}): Operation[] {
    const { limit } = options;
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0)) {
      throw new DocumentArgumentError('limit', `is ${String(limit)}`, 'a positive integer');
    }
    return this.#history.log(key, options);
  }

  async checkout(target: readonly Version[] | string): Promise<void> {
    this.#refuseWhenStopped('docs.checkout');
    this.#replica.checkout(target);
    await this.persistence.latestMove();
  }

  async branch(name: string, at?: readonly Version[]): Promise<void> {
    this.#refuseWhenStopped('docs.branch');
    checkBranchName(name);
    this.#replica.createBranch(name, at);
    await this.persistence.latestMove();
  }

  async deleteBranch(name: string): Promise<void> {
    this.#refuseWhenStopped('docs.deleteBranch');
    this.#store.deleteBranch(name);
    await this.persistence.latestMove();
  }

  branches(): DocumentBranch[] {
    return this.#store.listBranches();
  }

  on<E extends DocumentsEvent>(event: E, listener: DocumentsListener<E>): () => void {
    return this.#events.on(event, listener);
  }

  detach(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.persistence.detach();
  }

  #received(operations: readonly Operation[]): void {
    this.#history.append(operations);
    const keys = new Set<string>();
    for (const operation of operations) for (const write of operation.writes) keys.add(write.key);
    this.#events.emit('change', { operations, keys: [...keys] });
  }

  #refuseWhenStopped(operation: string): void {
    if (this.#parts.stopped()) throw new NodeStoppedError(this.#parts.address, operation);
  }
}

/** @throws {@link DocumentArgumentError} for a name the store cannot record */
function checkBranchName(name: string): void {
  const unstorable = unstorableText(name);
  if (unstorable !== undefined) {
    throw new DocumentArgumentError('branch name', unstorable.problem, unstorable.expected);
  }
}

/** The documents of a node created with `docs: false`: every call throws. */
function disabledDocuments(address: string): NodeDocuments {
  const refuse = (operation: string): never => {
    throw new DocumentsDisabledError(address, operation);
  };
  return {
    enabled: false,
    get agent(): AgentId {
      return refuse('docs.agent');
    },
    get heads(): Version[] {
      return refuse('docs.heads');
    },
    get frontier(): Version[] {
      return refuse('docs.frontier');
    },
    get currentBranch(): string | undefined {
      return refuse('docs.currentBranch');
    },
    put: () => Promise.reject(new DocumentsDisabledError(address, 'docs.put')),
    putMany: () => Promise.reject(new DocumentsDisabledError(address, 'docs.putMany')),
    get: () => refuse('docs.get'),
    keys: () => refuse('docs.keys'),
    log: () => refuse('docs.log'),
    checkout: () => Promise.reject(new DocumentsDisabledError(address, 'docs.checkout')),
    branch: () => Promise.reject(new DocumentsDisabledError(address, 'docs.branch')),
    deleteBranch: () => Promise.reject(new DocumentsDisabledError(address, 'docs.deleteBranch')),
    branches: () => refuse('docs.branches'),
    on: () => refuse('docs.on'),
  };
}
