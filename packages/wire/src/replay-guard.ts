import { ReplayGuardOptionsError } from './envelope-errors.js';

/**
 * How far, in ms, a datagram's timestamp may fall behind what its sender's
 * clock must read by now: 30 000. Far above reordering and queueing (ms),
 * so honest traffic always passes; a captured datagram can be replayed
 * only until its sender has moved on 30 s.
 */
export const DEFAULT_REPLAY_WINDOW = 30_000;

/**
 * Milliseconds after which a sender's record, not raised since, is
 * forgotten: 60 000. A sender whose clock stepped back by more than the
 * window (a restart after a clock correction) is refused at most this long.
 */
export const DEFAULT_FORGET_AFTER = 60_000;

/**
 * How far a timestamp may be from the receiver's clock: three hours. Each
 * node's clock may be an hour off true time (a server set to local time
 * around a daylight-saving change), so two nodes may disagree by two hours;
 * the third hour is margin. A datagram captured longer ago than this is
 * refused everywhere.
 */
export const DEFAULT_MAX_CLOCK_SKEW = 3 * 60 * 60 * 1000;

/** The most senders a guard keeps a record of: 4096; the one not raised longest is forgotten first. */
export const DEFAULT_MAX_TRACKED_SENDERS = 4096;

/** Expired records dropped per check at most, so no check does unbounded work. */
const PURGE_PER_CHECK = 8;

/**
 * What {@link ReplayGuard.check} decides:
 *
 * - `fresh`: accept;
 * - `stale`: the timestamp is more than `window` ms behind what the sender's
 *   clock must read now (a replay, or a datagram held up that long);
 * - `clock-skew`: the timestamp is more than `maxClockSkew` ms from the
 *   receiver's clock (a sender whose clock is wrong, or an old replay).
 */
export type FreshnessVerdict = 'fresh' | 'stale' | 'clock-skew';

/** Options of {@link createReplayGuard}, all in ms but `maxSenders`. */
export interface ReplayGuardOptions {
  /** Default {@link DEFAULT_REPLAY_WINDOW}. */
  readonly window?: number;
  /** Default {@link DEFAULT_FORGET_AFTER}; at least `window`. */
  readonly forgetAfter?: number;
  /** Default {@link DEFAULT_MAX_CLOCK_SKEW}. */
  readonly maxClockSkew?: number;
  /** Default {@link DEFAULT_MAX_TRACKED_SENDERS}. */
  readonly maxSenders?: number;
}

/** The freshness rule for opened datagrams, one per receiver. */
export interface ReplayGuard {
  /** The options in force. */
  readonly options: Required<ReplayGuardOptions>;
  /** Senders with a record now. */
  readonly size: number;
  /**
   * Judges an authenticated datagram from `sender` (its source address)
   * sealed at `timestamp` (the sender's clock), received at `now` (this
   * node's clock, ms since 1970). Call it only for datagrams that opened:
   * a fresh one raises the sender's record.
   */
  check(sender: string, timestamp: number, now: number): FreshnessVerdict;
}

/** What the guard knows of one sender. */
interface SenderRecord {
  /** The highest timestamp accepted from it. */
  readonly highest: number;
  /** This node's clock when that was accepted. */
  readonly at: number;
}

/**
 * The freshness rule that makes replays of sealed datagrams short-lived,
 * whatever the clock skew between nodes. For each sender address it keeps
 * the highest timestamp accepted and when, and judges a datagram against
 * the sender's own clock, never this node's (but for the wide
 * `maxClockSkew` bound):
 *
 * 1. `clock-skew` when `|timestamp − now| > maxClockSkew`;
 * 2. `stale` when the sender has a record and
 *    `timestamp < highest + (now − at) − window`: the sender's clock has
 *    moved on since, as ours has, and the datagram is older than that by
 *    more than the window;
 * 3. otherwise `fresh`; a timestamp above `highest` raises the record.
 *
 * A record not raised for `forgetAfter` ms is forgotten (its sender's next
 * datagram starts a new one), and at most `maxSenders` are kept, the one
 * not raised longest forgotten first. Only authenticated datagrams reach
 * the guard, so only key holders, or replays of their datagrams, make
 * records.
 *
 * @throws {@link ReplayGuardOptionsError} for an option out of range
 */
export function createReplayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  return new Guard(checkOptions(options));
}

class Guard implements ReplayGuard {
  readonly options: Required<ReplayGuardOptions>;
  /** In order of the last raise, oldest first. */
  readonly #records = new Map<string, SenderRecord>();

  constructor(options: Required<ReplayGuardOptions>) {
    this.options = Object.freeze(options);
  }

  get size(): number {
    return this.#records.size;
  }

  check(sender: string, timestamp: number, now: number): FreshnessVerdict {
    const { window, forgetAfter, maxClockSkew } = this.options;
    if (!(Math.abs(timestamp - now) <= maxClockSkew)) return 'clock-skew';
    this.#purge(now);
    let record = this.#records.get(sender);
    if (record !== undefined && now - record.at > forgetAfter) record = undefined;
    if (record !== undefined) {
      const senderNow = record.highest + Math.max(0, now - record.at);
      if (timestamp < senderNow - window) return 'stale';
      if (timestamp <= record.highest) return 'fresh';
    }
    this.#records.delete(sender);
    this.#records.set(sender, { highest: timestamp, at: now });
    if (this.#records.size > this.options.maxSenders) this.#forgetOldest();
    return 'fresh';
  }

  /** Drops a few expired records from the front (the oldest raised). */
  #purge(now: number): void {
    for (let dropped = 0; dropped < PURGE_PER_CHECK; dropped++) {
      const oldest = this.#records.entries().next();
      if (oldest.done === true || now - oldest.value[1].at <= this.options.forgetAfter) return;
      this.#records.delete(oldest.value[0]);
    }
  }

  #forgetOldest(): void {
    const oldest = this.#records.keys().next();
    if (oldest.done !== true) this.#records.delete(oldest.value);
  }
}

/** The options with their defaults, checked. */
function checkOptions(options: ReplayGuardOptions): Required<ReplayGuardOptions> {
  const checked = {
    window: options.window ?? DEFAULT_REPLAY_WINDOW,
    forgetAfter: options.forgetAfter ?? DEFAULT_FORGET_AFTER,
    maxClockSkew: options.maxClockSkew ?? DEFAULT_MAX_CLOCK_SKEW,
    maxSenders: options.maxSenders ?? DEFAULT_MAX_TRACKED_SENDERS,
  };
  for (const [option, value] of Object.entries(checked)) {
    if (!Number.isSafeInteger(value) || value < (option === 'maxSenders' ? 1 : 0)) {
      throw new ReplayGuardOptionsError(
        option,
        value,
        option === 'maxSenders' ? 'an integer ≥ 1' : 'an integer number of ms ≥ 0',
      );
    }
  }
  if (checked.forgetAfter < checked.window) {
    throw new ReplayGuardOptionsError(
      'forgetAfter',
      checked.forgetAfter,
      `at least window (${checked.window} ms): a record must outlive the window it enforces`,
    );
  }
  return checked;
}
