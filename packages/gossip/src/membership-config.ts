import { VigError } from '@vig/crdt-core';

/**
 * How a membership table judges liveness and re-contacts peers. Every
 * duration is in milliseconds of local time; heartbeat values themselves
 * carry no unit the table relies on. Start from {@link LAN_MEMBERSHIP} or
 * {@link LOCAL_MEMBERSHIP} and override single fields.
 */
export interface MembershipConfig {
  /**
   * How often a node raises its own heartbeat. The table also assumes this
   * period for a peer until it has measured the peer's own.
   */
  readonly heartbeatInterval: number;
  /** A peer with no liveness evidence for this long becomes suspect. */
  readonly suspectAfter: number;
  /** A peer with no liveness evidence for this long becomes dead (more than `suspectAfter`). */
  readonly deadAfter: number;
  /**
   * For a peer whose measured heartbeat period P is long (a Ruby peer writes
   * minutes), suspicion starts only after `max(suspectAfter, missedHeartbeats × P)`,
   * and death follows `deadAfter − suspectAfter` later.
   */
  readonly missedHeartbeats: number;
  /** The longest heartbeat period the table learns; longer gaps are outages, not a period. */
  readonly maxHeartbeatPeriod: number;
  /** The first wait before re-contacting a dead peer or an absent seed again. */
  readonly recontactInterval: number;
  /** The longest wait between re-contacts: the backoff doubles up to this. */
  readonly maxRecontactInterval: number;
  /**
   * The fraction (0..1) by which each wait is randomly shortened, when the table
   * has a random source, so that nodes do not re-contact in lockstep.
   */
  readonly recontactJitter: number;
  /** How long after death a peer is still re-contacted (seeds always are). */
  readonly recontactDeadFor: number;
}

/**
 * Defaults for a LAN or a data centre, where most peers are Vig nodes with
 * one-second heartbeats.
 */
export const LAN_MEMBERSHIP: MembershipConfig = Object.freeze({
  /** One a second: the resolution of a seconds-valued heartbeat, so each one is growth. */
  heartbeatInterval: 1_000,
  /**
   * Five missed heartbeats. A heartbeat reaches a peer by gossip over several
   * paths; five in a row lost is rare even at 30% loss, and direct contact
   * refreshes a peer too, so suspicion means something.
   */
  suspectAfter: 5_000,
  /**
   * Thirty seconds: a suspect has 25 s to show a heartbeat (through a GC pause
   * or a brief partition) before `member-down`, and gossip keeps reaching it
   * meanwhile (suspects stay live peers), so any heartbeat or reply refutes it.
   */
  deadAfter: 30_000,
  /**
   * Three periods: one lost heartbeat and a late one do not raise suspicion of
   * a slow peer. A Ruby peer (a heartbeat a minute) is suspect after 3 minutes.
   */
  missedHeartbeats: 3,
  /**
   * Two minutes: a minute-valued Ruby heartbeat seen late still counts as a
   * period; it bounds the slowest suspicion at 3 × 2 = 6 minutes.
   */
  maxHeartbeatPeriod: 120_000,
  /** One second: a false death is retried at once, while the peer is likely reachable. */
  recontactInterval: 1_000,
  /**
   * Ten seconds: a healed partition is noticed within about ten seconds, at the
   * cost of one datagram per dead peer per 5–10 s.
   */
  maxRecontactInterval: 10_000,
  /** Half: waits spread over 50–100% of the backoff, so nodes do not retry in lockstep. */
  recontactJitter: 0.5,
  /**
   * A day, as Serf's `ReconnectTimeout`: long enough to outlast any partition
   * worth healing, short enough that decommissioned nodes stop costing traffic.
   */
  recontactDeadFor: 86_400_000,
});

/**
 * Defaults for loopback tests and the simulated network: ten times faster than
 * {@link LAN_MEMBERSHIP}, so failure detection runs in a fraction of a second.
 */
export const LOCAL_MEMBERSHIP: MembershipConfig = Object.freeze({
  /** A tenth of a second: loopback delivers in microseconds, and tests want quick growth. */
  heartbeatInterval: 100,
  /** Five missed heartbeats, as on a LAN. */
  suspectAfter: 500,
  /** Three seconds: a suspect's window is long enough to refute, short enough for tests. */
  deadAfter: 3_000,
  /** Three periods, as on a LAN. */
  missedHeartbeats: 3,
  /** Ten seconds: slow test peers are still learnt; longer gaps are outages. */
  maxHeartbeatPeriod: 10_000,
  /** A tenth of a second: one heartbeat interval. */
  recontactInterval: 100,
  /** One second: partitions in tests heal within about a second. */
  maxRecontactInterval: 1_000,
  /** Half, as on a LAN. */
  recontactJitter: 0.5,
  /** Ten minutes: longer than any test, so dead peers in tests are always retried. */
  recontactDeadFor: 600_000,
});

/** A membership configuration whose values cannot work together. */
export class InvalidMembershipConfigError extends VigError {
  static override readonly name = 'InvalidMembershipConfigError';
  override readonly name = 'InvalidMembershipConfigError';
  readonly field: keyof MembershipConfig;

  constructor(field: keyof MembershipConfig, problem: string, options?: ErrorOptions) {
    super(`membership config ${field} ${problem}`, options);
    this.field = field;
  }
}

const positiveFields = [
  'heartbeatInterval',
  'suspectAfter',
  'deadAfter',
  'missedHeartbeats',
  'maxHeartbeatPeriod',
  'recontactInterval',
  'maxRecontactInterval',
  'recontactDeadFor',
] as const satisfies readonly (keyof MembershipConfig)[];

/**
 * `overrides` over {@link LAN_MEMBERSHIP}, checked and frozen.
 *
 * @throws {@link InvalidMembershipConfigError} naming the first field that is
 * not a positive finite number, a `deadAfter` not above `suspectAfter`, a
 * `maxRecontactInterval` below `recontactInterval`, or a `recontactJitter`
 * outside 0..1
 */
export function membershipConfig(overrides: Partial<MembershipConfig> = {}): MembershipConfig {
  const config: MembershipConfig = { ...LAN_MEMBERSHIP, ...overrides };
  for (const field of positiveFields) {
    const value = config[field];
    if (!Number.isFinite(value) || value <= 0) {
      throw new InvalidMembershipConfigError(field, `is ${value}: expected a positive number`);
    }
  }
  if (config.deadAfter <= config.suspectAfter) {
    throw new InvalidMembershipConfigError(
      'deadAfter',
      `is ${config.deadAfter}: expected more than suspectAfter (${config.suspectAfter})`,
    );
  }
  if (config.maxRecontactInterval < config.recontactInterval) {
    throw new InvalidMembershipConfigError(
      'maxRecontactInterval',
      `is ${config.maxRecontactInterval}: expected at least recontactInterval (${config.recontactInterval})`,
    );
  }
  const jitter = config.recontactJitter;
  if (!(jitter >= 0 && jitter <= 1)) {
    throw new InvalidMembershipConfigError(
      'recontactJitter',
      `is ${jitter}: expected a fraction in 0..1`,
    );
  }
  return Object.freeze(config);
}
