import { versionKey } from '@vig/crdt-core';
import type { Operation, Version } from '@vig/crdt-core';
import type { DocReplica } from '@vig/gossip';
import type { DocumentCheckout } from './document-records.js';
import type { DurableStore } from './durable-store.js';
import type { ObservedVersionedStore, StoreMove } from './observed-versioned-store.js';

/** Reports a write that failed (counted and warned about by the node). */
export type WriteWatcher = (write: Promise<void>, what: string) => void;

/**
 * Keeps the durable store up to date with a node's versioned store: every
 * new operation (local or from a peer) is written, in the turn's batch,
 * together with where the store now is: the checkout, and the frontier of
 * the branch checked out (which follows new operations). Every checkout and
 * branch change is written too, whoever made it. `written(version)` is the
 * write of one operation, which a local write awaits.
 */
export class DocumentPersistence {
  readonly #durable: DurableStore;
  readonly #store: ObservedVersionedStore;
  readonly #watch: WriteWatcher;
  /** Writes not yet settled, by version key. */
  readonly #pending = new Map<string, Promise<void>>();
  readonly #unsubscribe: (() => void)[];
  #operationWrites = 0;
  #latestMove: Promise<void> = Promise.resolve();

  constructor(options: {
    readonly durable: DurableStore;
    readonly replica: DocReplica;
    /** The replica's store. */
    readonly store: ObservedVersionedStore;
    readonly watch: WriteWatcher;
  }) {
    this.#durable = options.durable;
    this.#store = options.store;
    this.#watch = options.watch;
    this.#unsubscribe = [
      options.replica.on('operations', (operations) => void this.#persist(operations)),
      options.store.onMove((move) => void this.#moved(move)),
    ];
  }

  /** Operations asked of the store since start. */
  get operationWrites(): number {
    return this.#operationWrites;
  }

  /**
   * The write of operation `version`: the pending one, or a new one when the
   * replica has not announced it yet (writing an operation twice keeps one
   * record).
   */
  written(version: Version): Promise<void> {
    return (
      this.#pending.get(versionKey(version)) ?? this.#persist([this.#store.operation(version)])
    );
  }

  /** The write the latest checkout or branch change started (resolved before any). */
  latestMove(): Promise<void> {
    return this.#latestMove;
  }

  /** Stops following the replica and the store (after their last change). */
  detach(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }

  #moved(move: StoreMove): Promise<void> {
    const writes = [this.#positionWrite()];
    if (move.kind === 'branch') writes.push(this.#branchWrite(move.name));
    const what = move.kind === 'branch' ? `branch ${JSON.stringify(move.name)}` : 'the checkout';
    this.#latestMove = this.#track(
      Promise.all(writes).then(() => undefined),
      what,
    );
    return this.#latestMove;
  }

  #persist(operations: readonly Operation[]): Promise<void> {
    if (operations.length === 0) return Promise.resolve();
    this.#operationWrites += operations.length;
    const write = Promise.all([
      this.#durable.writeOperations(operations),
      this.#positionWrite(),
    ]).then(() => undefined);
    const keys = operations.map((operation) => versionKey(operation.version));
    for (const key of keys) this.#pending.set(key, write);
    const settled = (): void => {
      for (const key of keys) if (this.#pending.get(key) === write) this.#pending.delete(key);
    };
    write.then(settled, settled);
    return this.#track(write, `${operations.length} operations`);
  }

  /** The write of the checkout, and of the checked-out branch's frontier (which follows writes). */
  #positionWrite(): Promise<void> {
    const branch = this.#store.branch;
    if (branch === undefined) {
      const checkout: DocumentCheckout = { kind: 'version', frontier: this.#store.frontier };
      return this.#durable.writeCheckout(checkout);
    }
    return Promise.all([
      this.#branchWrite(branch),
      this.#durable.writeCheckout({ kind: 'branch', name: branch }),
    ]).then(() => undefined);
  }

  /** The write of branch `name` as the store has it now, or of its deletion. */
  #branchWrite(name: string): Promise<void> {
    const branch = this.#store.listBranches().find((listed) => listed.name === name);
    return this.#durable.writeBranch(name, branch?.frontier);
  }

  /** Hands `write` to the watcher (which counts failures) and returns it. */
  #track(write: Promise<void>, what: string): Promise<void> {
    this.#watch(write, what);
    return write;
  }
}
