import type { MembershipConfig } from './membership-config.js';
import type { Member, MemberStatus } from './membership-status.js';
import type { PeerHeartbeat } from './peer-key.js';
import type { PeerAddress } from './transport.js';

/** How many gaps between heartbeat growths a member's period is measured over. */
export const HEARTBEAT_PERIOD_SAMPLES = 4;

/** The table's mutable record of one member (internal to the package). */
export interface MemberRecord {
  readonly address: PeerAddress;
  status: MemberStatus;
  statusSince: number;
  heartbeat: number;
  leaveMarker: number;
  lastGrowthAt: number;
  lastContactAt: number | undefined;
  /** The last gaps between growths, oldest overwritten first. */
  readonly gaps: number[];
  nextGap: number;
}

/** A record for a peer first seen at `now` with these values. */
export function newMemberRecord(
  address: PeerAddress,
  status: MemberStatus,
  values: PeerHeartbeat,
  now: number,
): MemberRecord {
  return {
    address,
    status,
    statusSince: now,
    heartbeat: values.heartbeat,
    leaveMarker: values.leaveMarker,
    lastGrowthAt: now,
    lastContactAt: undefined,
    gaps: [],
    nextGap: 0,
  };
}

/**
 * Raises the record's values to `values`; true when the heartbeat grew. A
 * growth records the gap since the previous one (gaps of 0, from one value
 * arriving by several paths at once, and gaps above `maxHeartbeatPeriod`,
 * which are outages rather than a period, are not samples).
 */
export function raiseValues(
  record: MemberRecord,
  values: PeerHeartbeat,
  now: number,
  config: MembershipConfig,
): boolean {
  record.leaveMarker = Math.max(record.leaveMarker, values.leaveMarker);
  if (values.heartbeat <= record.heartbeat) return false;
  record.heartbeat = values.heartbeat;
  const gap = now - record.lastGrowthAt;
  if (gap > 0 && gap <= config.maxHeartbeatPeriod) {
    record.gaps[record.nextGap] = gap;
    record.nextGap = (record.nextGap + 1) % HEARTBEAT_PERIOD_SAMPLES;
  }
  record.lastGrowthAt = Math.max(record.lastGrowthAt, now);
  return true;
}

/** The measured heartbeat period: the longest recent gap, or undefined before any. */
export function measuredPeriod(record: MemberRecord): number | undefined {
  return record.gaps.length === 0 ? undefined : Math.max(...record.gaps);
}

/** The latest evidence that the member lives: heartbeat growth or direct contact. */
export function lastEvidenceAt(record: MemberRecord): number {
  return Math.max(record.lastGrowthAt, record.lastContactAt ?? -Infinity);
}

/**
 * How long without evidence before the member is suspect:
 * `max(suspectAfter, missedHeartbeats × period)`, the period being the
 * measured one or, before any, `heartbeatInterval`.
 */
export function suspectTimeout(record: MemberRecord, config: MembershipConfig): number {
  const period = measuredPeriod(record) ?? config.heartbeatInterval;
  return Math.max(config.suspectAfter, config.missedHeartbeats * period);
}

/** How long without evidence before the member is dead: the suspect timeout plus the configured window. */
export function deadTimeout(record: MemberRecord, config: MembershipConfig): number {
  return suspectTimeout(record, config) + (config.deadAfter - config.suspectAfter);
}

/** A frozen snapshot of the record. */
export function memberSnapshot(record: MemberRecord): Member {
  return Object.freeze({
    address: record.address,
    status: record.status,
    statusSince: record.statusSince,
    heartbeat: record.heartbeat,
    leaveMarker: record.leaveMarker,
    lastHeartbeatGrowthAt: record.lastGrowthAt,
    lastContactAt: record.lastContactAt,
    heartbeatPeriod: measuredPeriod(record),
  });
}
