/**
 * The tiny typed listener API of a gossip node: `on(event, listener)` returns
 * a function that removes the listener. No Node `EventEmitter`, so the engine
 * runs anywhere.
 */
import type { VectorEntries } from '@vig/crdt-core';
import type { MembershipTransition } from './membership-status.js';

/** A key that grew on this node, by a local write or a received message. */
export interface KeyChange {
  /** The key. */
  readonly key: string;
  /** The entries that grew, with their new values. */
  readonly grew: VectorEntries;
}

/** Each event's payload. */
export interface GossipNodeEvents {
  /** A member became `alive` (first sight, or revived from `suspect`, `dead` or `left`). */
  readonly 'member-up': MembershipTransition;
  /** A member became `dead` or `left`. */
  readonly 'member-down': MembershipTransition;
  /** A key grew. */
  readonly change: KeyChange;
}

/** The event names. */
export type GossipNodeEvent = keyof GossipNodeEvents;

/** A listener of `event`. */
export type GossipNodeListener<E extends GossipNodeEvent> = (payload: GossipNodeEvents[E]) => void;

/** Listeners per event; `emit` calls each, isolating any that throws. */
export class NodeEvents {
  readonly #listeners: {
    [E in GossipNodeEvent]: Set<GossipNodeListener<E>>;
  } = { 'member-up': new Set(), 'member-down': new Set(), change: new Set() };
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  /** Adds `listener`; the returned function removes it (calling it twice is harmless). */
  on<E extends GossipNodeEvent>(event: E, listener: GossipNodeListener<E>): () => void {
    const listeners = this.#listeners[event] as Set<GossipNodeListener<E>>;
    const wrapped: GossipNodeListener<E> = (payload) => listener(payload);
    listeners.add(wrapped);
    return () => {
      listeners.delete(wrapped);
    };
  }

  /** Whether anyone listens to `event` (so callers can skip building payloads). */
  has(event: GossipNodeEvent): boolean {
    return this.#listeners[event].size > 0;
  }

  /** Calls every listener of `event`; a listener that throws is reported, not rethrown. */
  emit<E extends GossipNodeEvent>(event: E, payload: GossipNodeEvents[E]): void {
    for (const listener of [...(this.#listeners[event] as Set<GossipNodeListener<E>>)]) {
      try {
        listener(payload);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
