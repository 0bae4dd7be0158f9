import { VigError, isPeerKey } from '@vig/crdt-core';
import type { MaxVector, VectorEntries } from '@vig/crdt-core';
import { formatPeerAddress, parsePeerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

/**
 * A peer key, `n:host:port` (SPEC §4): the key under which a node gossips its
 * heartbeat. Only {@link peerKeyOf} and {@link peerKey} make one, so a value of
 * this type always names a valid, canonical address.
 */
export type PeerKey = string & { readonly __peerKey: true };

/** The prefix of every peer key. */
export const PEER_KEY_PREFIX = 'n:';

/**
 * The index of a peer key's vector that holds the heartbeat: a value its owner
 * raises periodically. The Ruby prototype writes the time in minutes, Vig
 * nodes write seconds; membership never compares it with local time, only
 * notices when it grows.
 */
export const HEARTBEAT_INDEX = 0;

/**
 * The index of a peer key's vector that holds the graceful leave marker. A
 * node leaving raises it to its current heartbeat; it is "left" while the
 * marker is at least the heartbeat, and back once a later heartbeat passes
 * it (see {@link isLeaveMarked}). The Ruby prototype never writes it, and
 * stores and forwards it like any other entry.
 */
export const LEAVE_INDEX = 1;

/** A peer key that is not `n:host:port` with a canonical address. */
export class InvalidPeerKeyError extends VigError {
  static override readonly name = 'InvalidPeerKeyError';
  override readonly name = 'InvalidPeerKeyError';
  readonly key: string;

  constructor(key: string, options?: ErrorOptions) {
    super(
      `peer key ${JSON.stringify(key)} is invalid: expected n:host:port (IPv6 as n:[host]:port) with a port in 1..65535 written without leading zeros, and no % or *`,
      options,
    );
    this.key = key;
  }
}

/**
 * The peer key of an address: `n:` followed by the address.
 *
 * @throws {@link InvalidPeerKeyError} when the address holds `%` or `*`
 * (the key would be a pattern) or is not in canonical form (a port with
 * leading zeros), since then it would not name the peer uniquely
 */
export function peerKeyOf(address: PeerAddress): PeerKey {
  const key = PEER_KEY_PREFIX + address;
  if (addressOfPeerKey(key) === undefined) throw new InvalidPeerKeyError(key);
  return key as PeerKey;
}

/**
 * The address a peer key names, or undefined when `key` is not a peer key
 * (no `n:` prefix, a `%`/`*` pattern) or its address is malformed or not
 * canonical (`n:127.0.0.1:07946` is rejected: it would be a second key for
 * `n:127.0.0.1:7946`).
 */
export function addressOfPeerKey(key: string): PeerAddress | undefined {
  if (!isPeerKey(key)) return undefined;
  const address = key.slice(PEER_KEY_PREFIX.length);
  const parsed = parsePeerAddress(address);
  if (parsed === undefined) return undefined;
  const canonical = formatPeerAddress(parsed.host, parsed.port);
  return canonical === address ? canonical : undefined;
}

/**
 * The string as a {@link PeerKey}.
 *
 * @throws {@link InvalidPeerKeyError} unless {@link addressOfPeerKey} accepts it
 */
export function peerKey(key: string): PeerKey {
  if (addressOfPeerKey(key) === undefined) throw new InvalidPeerKeyError(key);
  return key as PeerKey;
}

/** What membership reads from a peer key's vector (0 where an index is absent). */
export interface PeerHeartbeat {
  /** The value at {@link HEARTBEAT_INDEX}. */
  readonly heartbeat: number;
  /** The value at {@link LEAVE_INDEX}; 0 when the peer never left. */
  readonly leaveMarker: number;
}

/**
 * Reads the heartbeat and leave marker from a peer key's vector, or from
 * entries (such as the `grew` entries of a merge, where an index that did not
 * grow is absent and reads as 0).
 */
export function readPeerHeartbeat(vector: MaxVector | VectorEntries): PeerHeartbeat {
  if (!('kind' in vector)) {
    return { heartbeat: vector.get(HEARTBEAT_INDEX), leaveMarker: vector.get(LEAVE_INDEX) };
  }
  return {
    heartbeat: entryValue(vector, HEARTBEAT_INDEX),
    leaveMarker: entryValue(vector, LEAVE_INDEX),
  };
}

/** The largest value entries hold at `index`, 0 when absent. */
function entryValue(entries: VectorEntries, index: number): number {
  if (entries.kind === 'dense') return entries.registers[index - entries.offset] ?? 0;
  let value = 0;
  entries.indices.forEach((entryIndex, position) => {
    if (entryIndex === index) value = Math.max(value, entries.values[position] ?? 0);
  });
  return value;
}

/**
 * The leave rule: a peer has left gracefully while its leave marker is set
 * and at least its heartbeat. Both only ever grow (element-wise max), so a
 * replayed message can never undo a leave, and only a heartbeat written
 * after the leave, larger than the marker, ends it.
 */
export function isLeaveMarked({ heartbeat, leaveMarker }: PeerHeartbeat): boolean {
  return leaveMarker > 0 && leaveMarker >= heartbeat;
}

/**
 * The entries a node merges into its own peer key to leave gracefully: the
 * leave marker raised to its current heartbeat (at least 1), so that
 * {@link isLeaveMarked} holds until it writes a larger heartbeat.
 *
 * @example
 * ```ts
 * const own = store.get(peerKeyOf(self));
 * store.merge(peerKeyOf(self), leaveEntries(readPeerHeartbeat(own ?? new MaxVector())));
 * ```
 */
export function leaveEntries(current: PeerHeartbeat): VectorEntries {
  return {
    kind: 'sparse',
    indices: [LEAVE_INDEX],
    values: [Math.max(current.heartbeat, current.leaveMarker, 1)],
  };
}

/**
 * The next heartbeat a node writes to its own peer key: its clock reading
 * (seconds for Vig nodes), but always larger than its current heartbeat and
 * leave marker, so every heartbeat is growth peers notice and a heartbeat
 * after a leave ends it. A node that restarts without its old value should
 * learn its own peer key back from a peer (the `n:%` join query returns it)
 * or rely on its clock having passed the old value.
 */
export function nextHeartbeat(current: PeerHeartbeat, clockValue: number): number {
  return Math.max(Math.floor(clockValue), current.heartbeat + 1, current.leaveMarker + 1);
}
