import type { Operation, Version } from '@vig/crdt-core';

/** New operations a node holds, written here or received from a peer. */
export interface DocumentsChange {
  /** The operations, parents before children. */
  readonly operations: readonly Operation[];
  /** The keys they write, each once, in the order first written. */
  readonly keys: readonly string[];
}

/** Where the node's documents were moved by a checkout. */
export interface DocumentsCheckout {
  /** The branch checked out, or undefined for a bare version. */
  readonly branch: string | undefined;
  /** The checked-out version. */
  readonly frontier: readonly Version[];
}

/** Each event of a node's documents with its payload. */
export interface DocumentsEvents {
  /** New operations (the values read may have changed, if the store follows them). */
  readonly change: DocumentsChange;
  /** A checkout moved the store: every value read may have changed. */
  readonly checkout: DocumentsCheckout;
}

/** An event name of a node's documents. */
export type DocumentsEvent = keyof DocumentsEvents;

/** A listener of `event`. */
export type DocumentsListener<E extends DocumentsEvent> = (payload: DocumentsEvents[E]) => void;

/** Listeners per event; a listener that throws is reported, never rethrown into the node. */
export class DocumentEvents {
  readonly #listeners: { [E in DocumentsEvent]: Set<DocumentsListener<E>> } = {
    change: new Set(),
    checkout: new Set(),
  };
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  /** Adds `listener`; the returned function removes it (twice is harmless). */
  on<E extends DocumentsEvent>(event: E, listener: DocumentsListener<E>): () => void {
    const listeners = this.#listeners[event] as Set<DocumentsListener<E>>;
    const wrapped: DocumentsListener<E> = (payload) => listener(payload);
    listeners.add(wrapped);
    return () => {
      listeners.delete(wrapped);
    };
  }

  /** Calls every listener of `event` with `payload`. */
  emit<E extends DocumentsEvent>(event: E, payload: DocumentsEvents[E]): void {
    for (const listener of [...(this.#listeners[event] as Set<DocumentsListener<E>>)]) {
      try {
        listener(payload);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
