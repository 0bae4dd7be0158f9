import type { MembershipConfig } from './membership-config.js';
import type { RandomSource } from './scheduler.js';
import type { PeerAddress } from './transport.js';

/** When an address is next due for a re-contact, and how many came before. */
interface RecontactState {
  dueAt: number;
  attempts: number;
}

/**
 * Re-contact times with exponential backoff (internal to the package): an
 * address is due at once when scheduled, then after `recontactInterval`,
 * twice that, and so on up to `maxRecontactInterval`, each wait shortened by
 * up to `recontactJitter` of itself when a random source is given.
 */
export class RecontactSchedule {
  readonly #config: MembershipConfig;
  readonly #random: RandomSource | undefined;
  readonly #states = new Map<PeerAddress, RecontactState>();

  constructor(config: MembershipConfig, random: RandomSource | undefined) {
    this.#config = config;
    this.#random = random;
  }

  /** Makes `address` due at `now`, with the backoff reset. */
  restart(address: PeerAddress, now: number): void {
    this.#states.set(address, { dueAt: now, attempts: 0 });
  }

  /** Makes `address` due at `now` unless it is already scheduled. */
  ensure(address: PeerAddress, now: number): void {
    if (!this.#states.has(address)) this.restart(address, now);
  }

  /** Stops re-contacting `address`. */
  cancel(address: PeerAddress): void {
    this.#states.delete(address);
  }

  /**
   * The scheduled addresses due at `now` that `eligible` accepts; each one
   * returned counts as an attempt and is scheduled again after its backoff.
   */
  takeDue(now: number, eligible: (address: PeerAddress) => boolean): PeerAddress[] {
    const due: PeerAddress[] = [];
    for (const [address, state] of this.#states) {
      if (state.dueAt > now || !eligible(address)) continue;
      state.attempts += 1;
      state.dueAt = now + this.#wait(state.attempts);
      due.push(address);
    }
    return due;
  }

  /** The wait after the `attempts`-th attempt. */
  #wait(attempts: number): number {
    const { recontactInterval, maxRecontactInterval, recontactJitter } = this.#config;
    const backoff = Math.min(maxRecontactInterval, recontactInterval * 2 ** (attempts - 1));
    const shortening = this.#random === undefined ? 0 : recontactJitter * this.#random();
    return backoff * (1 - shortening);
  }
}
