import { checkSyncMessage } from './check-sync-message.js';
import { containerHeaderSize } from './encoded-size.js';
import { DatagramBudgetError } from './encode-errors.js';
import { createOutputBuffer, reserve, takeWritten } from './msgpack-writer.js';
import { FROM_FIELD, TO_FIELD } from './sync-fields.js';
import {
  hashesSize,
  rangeBoundSize,
  syncItemSize,
  syncListLength,
  syncMessageSize,
  syncOverhead,
  syncRangeSize,
  writeSyncAt,
} from './sync-layout.js';
import { MAX_SYNC_HASHES, MAX_SYNC_ITEMS } from './sync-message.js';
import type {
  SyncBuckets,
  SyncLeaves,
  SyncMembers,
  SyncMessage,
  SyncPeers,
  SyncWant,
} from './sync-message.js';
import { DEFAULT_DATAGRAM_BUDGET } from './wire-defaults.js';

const output = createOutputBuffer();
const remedy = 'raise the budget';

/**
 * Encodes a sync message as one or more datagrams of at most `budget` bytes
 * each (default {@link DEFAULT_DATAGRAM_BUDGET}, 1400), filled to the byte
 * from exact encoded sizes. Every datagram has the same kind, `vig` and
 * `client` (and, for `peers`, the same `reply`):
 *
 * - `buckets`, `leaves`, `peers` and `members` are cut between items, which keep their
 *   order (and at most 4096 go in one datagram);
 * - `want` is cut between hashes (at most 16384 in one datagram);
 * - `root` is never cut.
 *
 * Decoding the datagrams and concatenating their lists gives back the
 * message's list. An empty list gives one datagram.
 *
 * A `peers` list is expected sorted by address (JavaScript string order, each
 * address once; this is not checked). Each datagram carries an address range
 * [`from`, `to`), and together they cover exactly the message's range: the
 * datagram holding items a..b−1 gets the message's `from` when a is 0 (else
 * the address of item a), and the message's `to` when it is the last (else
 * the address of item b, the next datagram's first), each written only when
 * defined. A message that fits one datagram is written as it is, so one
 * without `from` and `to` gets none. The range fields count towards the
 * budget.
 *
 * @throws {@link DatagramBudgetError} when a root, a single item, one hash or
 *   an empty list does not fit the budget; otherwise what
 *   {@link encodeSyncMessage} throws (except for the length of a list or of
 *   a want's hashes, which this cuts).
 */
export function splitSyncMessage(
  message: SyncMessage,
  budget: number = DEFAULT_DATAGRAM_BUDGET,
): Uint8Array[] {
  checkSyncMessage(message, false);
  switch (message.kind) {
    case 'root': {
      const size = syncMessageSize(message, 0, message.hashes.length);
      if (!(size <= budget)) {
        throw new DatagramBudgetError(budget, size, 'a sync "root" message (never split)', remedy);
      }
      return [encodeRange(message, 0, message.hashes.length)];
    }
    case 'want':
      return splitHashes(message, budget);
    case 'buckets':
    case 'leaves':
    case 'peers':
    case 'members':
      return splitItems(message, budget);
  }
}

/** Cuts a want's hashes into datagrams holding as many as fit. */
function splitHashes(message: SyncWant, budget: number): Uint8Array[] {
  const count = message.hashes.length;
  const overhead = syncOverhead(message);
  if (count === 0) {
    const size = overhead + hashesSize(0);
    if (!(size <= budget)) {
      throw new DatagramBudgetError(budget, size, 'an empty sync "want" message', remedy);
    }
    return [encodeRange(message, 0, 0)];
  }
  const capacity = hashCapacity(budget - overhead);
  if (capacity === 0) {
    const size = overhead + hashesSize(1);
    throw new DatagramBudgetError(budget, size, 'a sync "want" message holding one hash', remedy);
  }
  const datagrams: Uint8Array[] = [];
  for (let from = 0; from < count; from += capacity) {
    datagrams.push(encodeRange(message, from, Math.min(count, from + capacity)));
  }
  return datagrams;
}

/** The most hashes whose bin (header included) fits in `available` bytes, at most 16384. */
function hashCapacity(available: number): number {
  let best = 0;
  for (const [headerSize, largest] of hashBinLimits) {
    const count = Math.min(Math.floor((available - headerSize) / 4), largest);
    if (count > best) best = count;
  }
  return best;
}

/** Bin header sizes and the most words each holds: bin8 (255 bytes), bin16, bin32. */
const hashBinLimits: readonly (readonly [number, number])[] = [
  [2, 63],
  [3, 16_383],
  [5, MAX_SYNC_HASHES],
];

/** The kinds whose list is cut between items. */
type ItemListMessage = SyncBuckets | SyncLeaves | SyncPeers | SyncMembers;

/**
 * Cuts a list of buckets, leaves, peers or members between items, filling
 * each datagram greedily in order (for `peers`, with the range fields each
 * datagram's items give it).
 */
function splitItems(message: ItemListMessage, budget: number): Uint8Array[] {
  const count = syncListLength(message);
  if (count === 0) {
    const size = syncMessageSize(message, 0, 0);
    if (!(size <= budget)) {
      throw new DatagramBudgetError(
        budget,
        size,
        `an empty sync "${message.kind}" message`,
        remedy,
      );
    }
    return [encodeRange(message, 0, 0)];
  }
  // Everything but the list and the range fields, which differ between datagrams.
  const overhead = syncOverhead(message) - syncRangeSize(message);
  const datagrams: Uint8Array[] = [];
  let from = 0;
  while (from < count) {
    const fixed = overhead + lowerBoundSize(message, from);
    let body = 0;
    let to = from;
    while (to < count && to - from < MAX_SYNC_ITEMS) {
      const item = syncItemSize(message, to);
      const size =
        fixed + upperBoundSize(message, to + 1) + containerHeaderSize(to - from + 1) + body + item;
      if (!(size <= budget)) break;
      body += item;
      to += 1;
    }
    if (to === from) {
      const size =
        fixed +
        upperBoundSize(message, from + 1) +
        containerHeaderSize(1) +
        syncItemSize(message, from);
      const subject = `a sync "${message.kind}" message holding only ${message.kind}[${from}]`;
      throw new DatagramBudgetError(budget, size, subject, remedy);
    }
    datagrams.push(encodeRange(withChunkRange(message, from, to), from, to));
    from = to;
  }
  return datagrams;
}

/** The `from` of the `peers` datagram whose items start at `first`: the message's for the first. */
function lowerBound(message: SyncPeers, first: number): string | undefined {
  return first === 0 ? message.from : message.peers[first].address;
}

/** The `to` of the `peers` datagram whose items end before `end`: the message's for the last. */
function upperBound(message: SyncPeers, end: number): string | undefined {
  return end === message.peers.length ? message.to : message.peers[end].address;
}

/** Bytes of the `from` field of the datagram whose items start at `first` (0 but for `peers`). */
function lowerBoundSize(message: ItemListMessage, first: number): number {
  return message.kind === 'peers' ? rangeBoundSize(FROM_FIELD, lowerBound(message, first)) : 0;
}

/** Bytes of the `to` field of the datagram whose items end before `end` (0 but for `peers`). */
function upperBoundSize(message: ItemListMessage, end: number): number {
  return message.kind === 'peers' ? rangeBoundSize(TO_FIELD, upperBound(message, end)) : 0;
}

/** The message as the datagram holding items `first..end` writes it: for `peers`, with that datagram's range. */
function withChunkRange(message: ItemListMessage, first: number, end: number): SyncMessage {
  if (message.kind !== 'peers') return message;
  return withRange(message, lowerBound(message, first), upperBound(message, end));
}

/** The `peers` message with the range `from`, `to` instead of its own (each bound only when defined). */
function withRange(
  { from: _from, to: _to, ...rest }: SyncPeers,
  from: string | undefined,
  to: string | undefined,
): SyncPeers {
  return { ...rest, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** Encodes the message with its list cut to `from..to`. */
function encodeRange(message: SyncMessage, from: number, to: number): Uint8Array {
  output.position = 0;
  const bytes = reserve(output, syncMessageSize(message, from, to));
  output.position = writeSyncAt(bytes, 0, message, from, to);
  return takeWritten(output);
}
