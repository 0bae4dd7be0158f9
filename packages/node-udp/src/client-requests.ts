import { EMPTY_ENTRIES } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import { peerKeyOf } from '@vig/gossip';
import type { PeerAddress } from '@vig/gossip';
import {
  DEFAULT_DATAGRAM_BUDGET,
  DEFAULT_TTL,
  VIG_PROTOCOL_VERSION,
  encodeSyncMessage,
  splitMessage,
} from '@vig/wire';

/**
 * The ttl of a client's queries: 1, so the node answers (with ttl 0) and
 * nothing goes further.
 */
const QUERY_TTL = 1;

/** Every datagram a client sends says it is a Vig client: answer it, never make it a member. */
const clientMarkers = { vig: VIG_PROTOCOL_VERSION, client: true } as const;

/**
 * "Send me your whole vector of `key`" (or, for a pattern, every matching
 * key's, or their max): the empty vector, as SPEC §3 reads it.
 */
export function queryDatagrams(key: string): Uint8Array[] {
  return splitMessage(
    { key, vector: EMPTY_ENTRIES, ttl: QUERY_TTL, full: false, ...clientMarkers },
    { budget: DEFAULT_DATAGRAM_BUDGET },
  );
}

/**
 * A write: `entries` merged into `key` under max, then spread by the node as
 * its own growth (ttl {@link DEFAULT_TTL}, as a node's local write), in
 * datagrams of at most `budget` bytes (less than the default when they will
 * be sealed).
 *
 * @throws the wire's `InvalidMessageFieldError` for a key too long, crdt-core's
 *   `InvalidIndexError`/`InvalidValueError` for an entry out of range
 */
export function writeDatagrams(
  key: string,
  entries: VectorEntries,
  budget = DEFAULT_DATAGRAM_BUDGET,
): Uint8Array[] {
  return splitMessage(
    { key, vector: entries, ttl: DEFAULT_TTL, full: false, ...clientMarkers },
    { budget },
  );
}

/** "Send me your membership view": a `members` sync request. */
export function membersRequestDatagram(): Uint8Array {
  return encodeSyncMessage({ kind: 'members', reply: false, members: [], ...clientMarkers });
}

/**
 * The key of the query that closes every exchange with `node`: the node's
 * own peer key, which a running node always holds and so always answers.
 * Its answer comes after the answers to everything sent before it.
 */
export function closingKeyOf(node: PeerAddress): string {
  return peerKeyOf(node);
}
