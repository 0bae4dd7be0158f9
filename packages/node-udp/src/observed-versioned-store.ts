import { VersionedStore } from '@vig/crdt-core';
import type { Version } from '@vig/crdt-core';

/** A change of where a store is, or of its branches, that no operation announces. */
export type StoreMove =
  { readonly kind: 'checkout' } | { readonly kind: 'branch'; readonly name: string };

/**
 * A `VersionedStore` that tells listeners of every checkout and every branch
 * created, moved or deleted, whoever asks for it (the node's own API, or the
 * gossip engine answering a client's request), so that a node can persist
 * its position as it changes. New operations are announced by the replica.
 */
export class ObservedVersionedStore extends VersionedStore {
  readonly #listeners = new Set<(move: StoreMove) => void>();

  /** Adds a listener of moves; the returned function removes it. */
  onMove(listener: (move: StoreMove) => void): () => void {
    const wrapped = (move: StoreMove): void => listener(move);
    this.#listeners.add(wrapped);
    return () => {
      this.#listeners.delete(wrapped);
    };
  }

  override checkout(target: readonly Version[] | string): void {
    super.checkout(target);
    this.#announce({ kind: 'checkout' });
  }

  override createBranch(name: string, at?: readonly Version[]): void {
    super.createBranch(name, at);
    this.#announce({ kind: 'branch', name });
  }

  override deleteBranch(name: string): void {
    super.deleteBranch(name);
    this.#announce({ kind: 'branch', name });
  }

  #announce(move: StoreMove): void {
    for (const listener of [...this.#listeners]) listener(move);
  }
}
