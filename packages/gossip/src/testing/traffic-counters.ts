/**
 * Why the simulated network dropped a datagram (or one copy of it):
 * - `loss`: the link's random loss;
 * - `partition`: sender and receiver were in different groups, at send time or
 *   at delivery time;
 * - `crashed`: the receiver was crashed (or crashed and restarted while the
 *   datagram was in flight), or the sender's transport belongs to a crashed node;
 * - `closed`: the receiver's transport was closed;
 * - `unreachable`: no transport was ever opened at the receiver's address.
 */
export type DropReason = 'loss' | 'partition' | 'crashed' | 'closed' | 'unreachable';

/** Every {@link DropReason}, in a fixed order. */
export const DROP_REASONS: readonly DropReason[] = Object.freeze([
  'loss',
  'partition',
  'crashed',
  'closed',
  'unreachable',
]);

/** Dropped datagrams (or copies), by reason. */
export type DropCounts = Record<DropReason, number>;

/**
 * Traffic of one address, or of the whole network. Per address, `sent`,
 * `duplicated`, `delivered` and `dropped` count datagrams this address sent;
 * `received` counts copies delivered to it. For the whole network,
 * `sent + duplicated = delivered + (sum of dropped) + in flight`, and
 * `received = delivered`.
 */
export interface TrafficCounters {
  /** Datagrams handed to `send` (not counting sends that threw). */
  sent: number;
  /** Extra copies the links made. */
  duplicated: number;
  /** Copies that reached their receiver. */
  delivered: number;
  /** Copies delivered to this address. */
  received: number;
  /** Datagrams or copies dropped, by reason. */
  dropped: DropCounts;
}

/** Counters at zero. */
export function emptyTrafficCounters(): TrafficCounters {
  return {
    sent: 0,
    duplicated: 0,
    delivered: 0,
    received: 0,
    dropped: { loss: 0, partition: 0, crashed: 0, closed: 0, unreachable: 0 },
  };
}

/** A copy of `counters` that later traffic does not change. */
export function copyTrafficCounters(counters: TrafficCounters): TrafficCounters {
  return { ...counters, dropped: { ...counters.dropped } };
}

/** The sum of every drop reason. */
export function totalDropped(counters: TrafficCounters): number {
  let total = 0;
  for (const reason of DROP_REASONS) total += counters.dropped[reason];
  return total;
}
