import type { PeerAddress } from './transport.js';

/**
 * Where a member stands, as this node sees it:
 *
 * - `alive`: its heartbeat grew, or it was in direct contact, recently;
 * - `suspect`: no such evidence for a while; it still receives gossip;
 * - `dead`: no evidence for longer; it receives no gossip, only re-contacts;
 * - `left`: it said goodbye with the leave marker; only a later heartbeat
 *   brings it back.
 */
export type MemberStatus = 'alive' | 'suspect' | 'dead' | 'left';

/**
 * A change of a member's status: what the engine turns into events
 * (`member-up` when `to` is `alive`, `member-down` when `from` is `alive` or
 * `suspect` and `to` is `dead` or `left`).
 */
export interface MembershipTransition {
  /** The member. */
  readonly address: PeerAddress;
  /** Its status before, or undefined when the table had not known it. */
  readonly from: MemberStatus | undefined;
  /** Its status now. */
  readonly to: MemberStatus;
  /** The local time of the change, in milliseconds (the `now` passed in). */
  readonly at: number;
}

/** A snapshot of one member, as {@link MembershipTable.members} lists it. */
export interface Member {
  /** Where it listens; its peer key is `n:` + this. */
  readonly address: PeerAddress;
  /** Its status. */
  readonly status: MemberStatus;
  /** The local time its status last changed. */
  readonly statusSince: number;
  /** The largest heartbeat value seen (in the peer's own unit, never compared with local time). */
  readonly heartbeat: number;
  /** The largest leave marker seen; 0 if it never left. */
  readonly leaveMarker: number;
  /** The local time its heartbeat last grew (first sighting counts as growth). */
  readonly lastHeartbeatGrowthAt: number;
  /** The local time of the last datagram received from it, if any. */
  readonly lastContactAt: number | undefined;
  /**
   * The heartbeat period measured for it (the longest of the last few gaps
   * between growths), or undefined until its heartbeat has grown once.
   */
  readonly heartbeatPeriod: number | undefined;
}
