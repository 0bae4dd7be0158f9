import type { Operation, Version } from '@vig/crdt-core';
import type { DocumentsCheckout } from './document-events.js';
import type { ObservedVersionedStore } from './observed-versioned-store.js';
import { sameVersions } from './same-versions.js';

/**
 * Tells real checkouts from the moves a write makes on its way. A write with
 * `parents` is made by moving the store to those versions, writing, and
 * coming back to where it was with the write added: moves that change
 * nothing a `change` event does not already say. So moves are gathered until
 * the end of the microtask, and reported once, only when the store then is
 * somewhere else than where it was plus the operations added meanwhile: on
 * another branch, or at another version.
 */
export class CheckoutDetector {
  readonly #store: ObservedVersionedStore;
  readonly #report: (checkout: DocumentsCheckout) => void;
  /** Where the store was when last reported or left by operations alone. */
  #branch: string | undefined;
  #frontier: Version[];
  /** Operations added since a move, while the check is pending. */
  #added: Version[] = [];
  #pending = false;

  constructor(store: ObservedVersionedStore, report: (checkout: DocumentsCheckout) => void) {
    this.#store = store;
    this.#report = report;
    this.#branch = store.branch;
    this.#frontier = store.frontier;
  }

  /** The store moved (a checkout, or a branch changed): check at the end of the microtask. */
  moved(): void {
    if (this.#pending) return;
    this.#pending = true;
    queueMicrotask(() => this.#check());
  }

  /** Operations were added (local or remote). */
  added(operations: readonly Operation[]): void {
    if (this.#pending) {
      for (const operation of operations) this.#added.push(operation.version);
      return;
    }
    this.#remember();
  }

  #check(): void {
    this.#pending = false;
    const expected =
      this.#added.length === 0
        ? this.#frontier
        : this.#store.frontierOf([...this.#frontier, ...this.#added]);
    const { branch, frontier } = this.#store;
    this.#added = [];
    const stayed = branch === this.#branch && sameVersions(frontier, expected);
    this.#remember();
    if (!stayed) this.#report({ branch, frontier });
  }

  #remember(): void {
    this.#branch = this.#store.branch;
    this.#frontier = this.#store.frontier;
  }
}
