import { VigError } from '@vig/crdt-core';

/**
 * How one direction of a simulated link treats datagrams. Every random choice
 * comes from the network's seed. Fields left out take the network's defaults.
 */
export interface LinkConditions {
  /** Probability in 0..1 that a datagram is lost. */
  readonly loss?: number;
  /** Milliseconds every datagram takes, at least. */
  readonly delay?: number;
  /** Up to this many milliseconds more, uniformly at random, per copy. */
  readonly jitter?: number;
  /** Probability in 0..1 that a datagram that is not lost arrives twice (each copy with its own delay). */
  readonly duplicate?: number;
  /** Probability in 0..1 that a copy is held back by up to `reorderDelay` more milliseconds, so later datagrams overtake it. */
  readonly reorder?: number;
  /** The most a reordered copy is held back, in milliseconds (uniformly at random). */
  readonly reorderDelay?: number;
}

/** Link conditions with every field given. */
export type ResolvedLinkConditions = Required<LinkConditions>;

/**
 * What a link does unless told otherwise: nothing lost, duplicated or
 * reordered, 1 ms of delay (a LAN, roughly), and a 50 ms hold-back for
 * reordered copies (several gossip rounds' worth of overtaking at LAN delays).
 */
export const DEFAULT_LINK_CONDITIONS: ResolvedLinkConditions = Object.freeze({
  loss: 0,
  delay: 1,
  jitter: 0,
  duplicate: 0,
  reorder: 0,
  reorderDelay: 50,
});

/** A link condition out of range: a probability outside 0..1 or a negative or non-finite time. */
export class InvalidLinkConditionsError extends VigError {
  static override readonly name = 'InvalidLinkConditionsError';
  override readonly name = 'InvalidLinkConditionsError';
  /** The field that was wrong. */
  readonly field: keyof LinkConditions;
  /** What it held. */
  readonly value: number;

  constructor(
    field: keyof LinkConditions,
    value: number,
    expected: string,
    options?: ErrorOptions,
  ) {
    super(`link condition ${field} = ${value} is invalid: expected ${expected}`, options);
    this.field = field;
    this.value = value;
  }
}

const probabilities = ['loss', 'duplicate', 'reorder'] as const;
const durations = ['delay', 'jitter', 'reorderDelay'] as const;

/**
 * `conditions` over `base`, validated.
 *
 * @throws {@link InvalidLinkConditionsError}
 */
export function resolveLinkConditions(
  conditions: LinkConditions,
  base: ResolvedLinkConditions,
): ResolvedLinkConditions {
  const resolved = { ...base };
  for (const field of probabilities) {
    const value = conditions[field];
    if (value === undefined) continue;
    if (!(value >= 0 && value <= 1)) {
      throw new InvalidLinkConditionsError(field, value, 'a probability in 0..1');
    }
    resolved[field] = value;
  }
  for (const field of durations) {
    const value = conditions[field];
    if (value === undefined) continue;
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new InvalidLinkConditionsError(field, value, 'a finite number of milliseconds ≥ 0');
    }
    resolved[field] = value;
  }
  return resolved;
}
