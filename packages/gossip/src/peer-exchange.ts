/**
 * The membership exchange between Vig nodes: instead of flooding every
 * heartbeat as its own message (N² datagrams a second), each node sends its
 * whole table of peer keys, a few dozen entries per datagram, to one random
 * peer per heartbeat interval, and the peer answers with the entries it holds
 * larger. A heartbeat so spreads like an epidemic, and each node sees each
 * peer's heartbeat grow about once per interval.
 */
import type { MaxStore, VectorEntries } from '@vig/crdt-core';
import type { SyncPeerEntry } from '@vig/wire';
import { HEARTBEAT_INDEX, LEAVE_INDEX, peerKeyOf, readPeerHeartbeat } from './peer-key.js';
import type { PeerKey } from './peer-key.js';
import { parsePeerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

/** The entry of one peer key as the store holds it. */
export function peerEntry(store: MaxStore, address: PeerAddress, key: PeerKey): SyncPeerEntry {
  const vector = store.get(key);
  const { heartbeat, leaveMarker } =
    vector === undefined ? { heartbeat: 0, leaveMarker: 0 } : readPeerHeartbeat(vector);
  return { address, heartbeat, leave: leaveMarker };
}

/** One peer key grown by {@link mergePeerEntries}. */
export interface GrownPeerKey {
  readonly address: PeerAddress;
  readonly key: PeerKey;
  readonly grew: VectorEntries;
}

/** What {@link mergePeerEntries} did. */
export interface PeerEntriesMerge {
  /** The peer keys that grew, for membership and events. */
  readonly grown: GrownPeerKey[];
  /** This store's entries that are larger than the ones received: the answer. */
  readonly larger: SyncPeerEntry[];
  /** Entries of peers new here that the store's key limit refused. */
  readonly refused: number;
}

/** The address range a `peers` message covers: [from, to), an absent bound unbounded. */
export interface AddressRange {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** `known` sorted by address, if the caller keeps it (else it is sorted here). */
  readonly sorted?: readonly (readonly [PeerAddress, PeerKey])[];
}

/**
 * Merges received peer entries into `store` as peer keys
 * (`{0: heartbeat, 1: leave}`), skipping entries whose address is not a
 * canonical `host:port` (they could not be a peer key). Returns the keys
 * that grew and the answer: the entries this store holds larger, and, when
 * `range` is given, the peers of `known` in that range the sender did not
 * list. Senders list their table sorted by address and each datagram names
 * the range it covers, so the answer fills exactly the sender's gaps: a
 * joining node learns every peer from its first exchange, not only from
 * pushes that happen to reach it. (Replies carry no meaningful range and are
 * merged with `range` undefined.)
 */
export function mergePeerEntries(
  store: MaxStore,
  entries: readonly SyncPeerEntry[],
  known: ReadonlyMap<PeerAddress, PeerKey> = new Map(),
  range?: AddressRange,
): PeerEntriesMerge {
  const grown: GrownPeerKey[] = [];
  const larger: SyncPeerEntry[] = [];
  let refused = 0;
  const listed = new Set<string>();
  for (const entry of entries) listed.add(entry.address);
  for (const entry of entries) {
    // Known addresses skip parsing: most of a table is peers already known.
    const key = known.get(entry.address as PeerAddress) ?? peerKeyFor(entry.address);
    if (key === undefined || (entry.heartbeat === 0 && entry.leave === 0)) continue;
    const address = entry.address as PeerAddress;
    const indices: number[] = [];
    const values: number[] = [];
    if (entry.heartbeat > 0) {
      indices.push(HEARTBEAT_INDEX);
      values.push(entry.heartbeat);
    }
    if (entry.leave > 0) {
      indices.push(LEAVE_INDEX);
      values.push(entry.leave);
    }
    const merged = store.merge(key, { kind: 'sparse', indices, values });
    if (merged.refused !== undefined) refused += 1;
    if (merged.grew.kind !== 'sparse' || merged.grew.indices.length > 0) {
      grown.push({ address, key, grew: merged.grew });
    }
    if (merged.larger.kind !== 'sparse' || merged.larger.indices.length > 0) {
      larger.push(peerEntry(store, address, key));
    }
  }
  if (range !== undefined) {
    const { from, to } = range;
    const sorted = range.sorted ?? sortPeerKeys(known);
    // Binary search to the range's start: a table arrives in N/60 datagrams,
    // and scanning the whole table for each would cost O(N²) per exchange.
    let low = 0;
    let high = sorted.length;
    while (from !== undefined && low < high) {
      const middle = (low + high) >>> 1;
      if ((sorted[middle]?.[0] ?? '') < from) low = middle + 1;
      else high = middle;
    }
    for (let position = low; position < sorted.length; position++) {
      const [address, key] = sorted[position] ?? [];
      if (address === undefined || key === undefined || (to !== undefined && address >= to)) break;
      if (!listed.has(address)) larger.push(peerEntry(store, address, key));
    }
  }
  return { grown, larger, refused };
}

/** The peer keys of `known` sorted by address: the order the exchange lists them in. */
export function sortPeerKeys(
  known: ReadonlyMap<PeerAddress, PeerKey>,
): readonly (readonly [PeerAddress, PeerKey])[] {
  return [...known].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
}

/** The entries of peer keys already sorted by address (see {@link sortPeerKeys}). */
export function peerTable(
  store: MaxStore,
  sorted: readonly (readonly [PeerAddress, PeerKey])[],
): SyncPeerEntry[] {
  return sorted.map(([address, key]) => peerEntry(store, address, key));
}

/** The peer key of `address` when it is canonical, else undefined. */
function peerKeyFor(address: string): PeerKey | undefined {
  if (parsePeerAddress(address) === undefined) return undefined;
  try {
    return peerKeyOf(address as PeerAddress);
  } catch {
    return undefined;
  }
}
