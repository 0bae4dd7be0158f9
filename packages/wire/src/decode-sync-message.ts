import { openMessageMap, rejectInvalidByteAt, requireByteArray } from './message-start.js';
// Decodes one sync message strictly, validating as it reads (see the README,
// "Sync messages (Vig extension)"). Never throws: failures come back as typed
// errors.

import { MAX_VALUE } from '@vig/crdt-core';
import type { WireDecodeError } from './decode-errors.js';
import {
  asDecodeError,
  InvalidUtf8Error,
  TrailingBytesError,
  TruncatedMessageError,
} from './decode-errors.js';
import type { DecodeOptions } from './decode-message.js';
import { describeItemAt } from './describe-item.js';
import { readWords } from './little-endian-words.js';
import { isVigProtocolVersion } from './message-layout.js';
import {
  readArrayHeader,
  readBinaryHeader,
  readNumber,
  readTextHeader,
  requireBytes,
  skipValue,
} from './msgpack-cursor.js';
import type { MsgpackCursor } from './msgpack-cursor.js';
import { InvalidSyncError, TooManySyncItemsError } from './sync-errors.js';
import {
  BUCKETS_FIELD_CODE,
  CLIENT_SYNC_FIELD_CODE,
  FROM_FIELD_CODE,
  HASHES_FIELD_CODE,
  KEYS_FIELD_CODE,
  KIND_FIELD_CODES,
  LEAVES_FIELD_CODE,
  MEMBERS_FIELD_CODE,
  PEERS_FIELD_CODE,
  REPLY_FIELD_CODE,
  SYNC_FIELD_CODE,
  TO_FIELD_CODE,
  VIG_SYNC_FIELD_CODE,
  isSyncFieldAt,
  syncFieldCodeAt,
  syncFieldPath,
  syncFieldOfCode,
  syncKindAt,
} from './sync-fields.js';
import { MAX_SYNC_ADDRESS_BYTES, MAX_SYNC_HASHES, MAX_SYNC_ITEMS } from './sync-message.js';
import type {
  SyncBucketDigest,
  SyncField,
  SyncKind,
  SyncLeafRange,
  SyncMemberEntry,
  SyncMessage,
  SyncPeerEntry,
} from './sync-message.js';
import { decodeUtf8 } from './utf8.js';
import { DEFAULT_MAX_DEPTH } from './wire-defaults.js';

/** What {@link decodeSyncMessage} returns: the sync message, or why it was dropped. */
export type SyncDecodeResult =
  | { readonly ok: true; readonly sync: SyncMessage }
  | { readonly ok: false; readonly error: WireDecodeError };

/**
 * Reads one sync message strictly, validating as it reads. Never throws: every
 * failure comes back as `{ ok: false, error }`, where `error` is a
 * {@link WireDecodeError} whose `reason` names it — `not-msgpack`,
 * `truncated`, `trailing-bytes`, `not-a-map`, `nesting-too-deep` (in a skipped
 * unknown field), `invalid-utf8` (a peer address, a `peers` message's range
 * bound `from` or `to`, or a member's address or status), `too-many-sync-items` (a
 * list of more than 4096 items or a bin of more than 16384 words), or
 * `invalid-sync` for everything else: a first field that is not the fixstr
 * `sync`, an unknown kind, a field of the wrong type or shape, a known field
 * sent twice, a required field missing.
 *
 * Fields the message's kind does not know are skipped (containers nested at
 * most `options.maxDepth` levels, default 32); no other option applies.
 * Hashes come back as fresh, aligned `Uint32Array`s that do not share memory
 * with `bytes`. A `client` is kept as sent (`false` included). A `peers`
 * message's `from` and `to` are present only when sent; a `from` above `to`
 * is not refused (receivers treat that range as empty).
 */
export function decodeSyncMessage(bytes: Uint8Array, options?: DecodeOptions): SyncDecodeResult {
  try {
    return { ok: true, sync: readSync(bytes, options?.maxDepth ?? DEFAULT_MAX_DEPTH) };
  } catch (error) {
    return { ok: false, error: asDecodeError(error) };
  } finally {
    // Let go of the caller's bytes.
    cursor.bytes = noBytes;
  }
}

const noBytes = new Uint8Array(0);
/** One cursor, reused: decoding never re-enters itself. */
const cursor: MsgpackCursor = { bytes: noBytes, position: 0, end: 0 };

const kindNames = '"root", "buckets", "leaves", "want", "peers" or "members"';
const uint32Range = 'an integer in 0..2^32-1';
const safeRange = 'an integer in 0..2^53-1';
const bucketShape = 'an array [bucket, hashes as bin]';
const leafShape = 'an array [leaf, from, to, entries as bin]';
const peerShape = 'an array [address, heartbeat, leave]';
const memberShape = 'an array [address, status]';

function readSync(bytes: Uint8Array, maxDepth: number): SyncMessage {
  requireByteArray(bytes);
  if (bytes.length === 0) throw new TruncatedMessageError(0, 0, 1, 'a sync message');
  const fieldCount = openMessageMap(cursor, bytes);
  if (fieldCount === 0 || !isSyncFieldAt(bytes, cursor.position)) {
    const found =
      fieldCount === 0
        ? 'an empty map'
        : `a map whose first field at offset ${cursor.position} is not "sync"`;
    throw new InvalidSyncError(
      'sync',
      `found ${found}: expected the field "sync" first, as a fixstr`,
    );
  }
  cursor.position += 5;
  const kind = readKind();
  const known = KIND_FIELD_CODES[kind];
  let seen = SYNC_FIELD_CODE;
  let hashes: Uint32Array | undefined;
  let keys: number | undefined;
  let buckets: SyncBucketDigest[] | undefined;
  let leaves: SyncLeafRange[] | undefined;
  let reply: boolean | undefined;
  let peers: SyncPeerEntry[] | undefined;
  let members: SyncMemberEntry[] | undefined;
  let rangeFrom: string | undefined;
  let rangeTo: string | undefined;
  let vig: number | undefined;
  let client: boolean | undefined;
  for (let field = 1; field < fieldCount; field++) {
    const nameStart = cursor.position;
    const nameLength = readTextHeader(cursor);
    if (nameLength < 0) {
      // A field name that is no string cannot be one we know: skip name and value.
      skipValue(cursor, maxDepth);
      skipValue(cursor, maxDepth);
      continue;
    }
    requireBytes(cursor, nameLength);
    const code = syncFieldCodeAt(bytes, cursor.position, nameLength) & known;
    cursor.position += nameLength;
    if (code === 0) {
      skipValue(cursor, maxDepth);
      continue;
    }
    if ((seen & code) !== 0) {
      const name = syncFieldOfCode(code);
      throw new InvalidSyncError(
        name,
        `field "${name}" at offset ${nameStart} appears twice: expected each field once`,
      );
    }
    seen |= code;
    switch (code) {
      case HASHES_FIELD_CODE:
        hashes = readWordsField('hashes', -1, 1);
        break;
      case KEYS_FIELD_CODE:
        keys = readSafeInteger('keys', -1);
        break;
      case BUCKETS_FIELD_CODE:
        buckets = readBuckets();
        break;
      case LEAVES_FIELD_CODE:
        leaves = readLeaves();
        break;
      case REPLY_FIELD_CODE:
        reply = readBoolean('reply');
        break;
      case PEERS_FIELD_CODE:
        peers = readPeers();
        break;
      case MEMBERS_FIELD_CODE:
        members = readMembers();
        break;
      case FROM_FIELD_CODE:
        rangeFrom = readAddressText('from', -1);
        break;
      case TO_FIELD_CODE:
        rangeTo = readAddressText('to', -1);
        break;
      case VIG_SYNC_FIELD_CODE:
        vig = readVig();
        break;
      case CLIENT_SYNC_FIELD_CODE:
        client = readBoolean('client');
        break;
    }
  }
  if (cursor.position !== cursor.end) {
    throw new TrailingBytesError(cursor.end, cursor.position, 'exactly one sync message');
  }
  // Absent `client` stays absent: no property holding undefined.
  const envelope =
    client === undefined
      ? { vig: required(vig, 'vig', kind) }
      : { vig: required(vig, 'vig', kind), client };
  switch (kind) {
    case 'root':
      return {
        kind,
        hashes: required(hashes, 'hashes', kind),
        keys: required(keys, 'keys', kind),
        ...envelope,
      };
    case 'buckets':
      return { kind, buckets: required(buckets, 'buckets', kind), ...envelope };
    case 'leaves':
      return { kind, leaves: required(leaves, 'leaves', kind), ...envelope };
    case 'want':
      return { kind, hashes: required(hashes, 'hashes', kind), ...envelope };
    case 'peers':
      // Absent bounds stay absent, as `client` does.
      return {
        kind,
        reply: required(reply, 'reply', kind),
        peers: required(peers, 'peers', kind),
        ...(rangeFrom === undefined ? {} : { from: rangeFrom }),
        ...(rangeTo === undefined ? {} : { to: rangeTo }),
        ...envelope,
      };
    case 'members':
      return {
        kind,
        reply: required(reply, 'reply', kind),
        members: required(members, 'members', kind),
        ...envelope,
      };
  }
}

/** Returns a field read, or throws when the message did not carry it. */
function required<Value>(value: Value | undefined, field: SyncField, kind: SyncKind): Value {
  if (value !== undefined) return value;
  throw new InvalidSyncError(field, `a "${kind}" message has no "${field}" field: expected it`);
}

/**
 * Throws {@link InvalidSyncError}: the item at `start` is not what `field`
 * (of list item `item` of `list`, or -1) holds.
 */
function rejectItem(
  field: SyncField,
  item: number,
  start: number,
  expected: string,
  list?: SyncField,
): never {
  rejectInvalidByteAt(cursor.bytes, start);
  const found = describeItemAt(cursor.bytes, start);
  throw new InvalidSyncError(
    field,
    `${syncFieldPath(field, item, list)} at offset ${start} holds ${found}: expected ${expected}`,
  );
}

/** Reads a str header (not bin): the byte length (the caller checks the bytes are there), or -1 for other types. */
function readStringHeader(): number {
  requireBytes(cursor, 1);
  const token = cursor.bytes[cursor.position];
  return token >= 0xc4 && token <= 0xc6 ? -1 : readTextHeader(cursor);
}

/** Reads the kind: the value of the `sync` field. */
function readKind(): SyncKind {
  const start = cursor.position;
  const length = readStringHeader();
  if (length < 0) rejectItem('sync', -1, start, `a string: ${kindNames}`);
  requireBytes(cursor, length);
  const textStart = cursor.position;
  cursor.position = textStart + length;
  const kind = syncKindAt(cursor.bytes, textStart, length);
  if (kind !== undefined) return kind;
  const text = length <= 32 ? decodeUtf8(cursor.bytes, textStart, textStart + length) : undefined;
  const found = text === undefined ? `a string of ${length} bytes` : JSON.stringify(text);
  throw new InvalidSyncError(
    'sync',
    `"sync" holds the unknown kind ${found}: expected ${kindNames}`,
  );
}

function readVig(): number {
  const start = cursor.position;
  const vig = readNumber(cursor);
  if (isVigProtocolVersion(vig)) return vig;
  return rejectItem('vig', -1, start, "an integer in 1..2^31 (the sender's Vig protocol version)");
}

/** Reads `reply` or `client`: `true` or `false`, nothing else. */
function readBoolean(field: 'reply' | 'client'): boolean {
  requireBytes(cursor, 1);
  const token = cursor.bytes[cursor.position];
  if (token === 0xc2 || token === 0xc3) {
    cursor.position += 1;
    return token === 0xc3;
  }
  return rejectItem(field, -1, cursor.position, 'a boolean');
}

/** An integer in 0..2^32−1, in any int encoding or as an integral float. */
function readUint32(field: SyncField, item: number): number {
  const start = cursor.position;
  const value = readNumber(cursor);
  if (value >>> 0 === value) return value;
  return rejectItem(field, item, start, uint32Range);
}

/** An integer in 0..2^53−1, in any int encoding or as an integral float. */
function readSafeInteger(field: SyncField, item: number): number {
  const start = cursor.position;
  const value = readNumber(cursor);
  if (value >= 0 && value <= MAX_VALUE && Math.floor(value) === value) return value;
  return rejectItem(field, item, start, safeRange);
}

/** Reads a bin of little-endian uint32 words, `wordsPerItem` per item (1: hashes, 2: leaf entries). */
function readWordsField(field: SyncField, item: number, wordsPerItem: 1 | 2): Uint32Array {
  const start = cursor.position;
  const what =
    wordsPerItem === 1
      ? 'little-endian uint32 hashes'
      : 'pairs of little-endian uint32: keyHash, contentHash';
  const byteLength = readBinaryHeader(cursor);
  if (byteLength < 0) rejectItem(field, item, start, `binary data: ${what}`);
  const unit = 4 * wordsPerItem;
  if (byteLength % unit !== 0) {
    throw new InvalidSyncError(
      field,
      `${syncFieldPath(field, item)} at offset ${start} holds ${byteLength} bytes: expected a multiple of ${unit} (${what})`,
    );
  }
  const count = byteLength / 4;
  if (count > MAX_SYNC_HASHES) {
    throw new TooManySyncItemsError(
      field,
      syncFieldPath(field, item),
      count,
      MAX_SYNC_HASHES,
      'uint32 words',
    );
  }
  requireBytes(cursor, byteLength);
  const words = readWords(cursor.bytes, cursor.position, count);
  cursor.position += byteLength;
  return words;
}

/** Reads a list's array header: at most 4096 items of `itemLength` elements, each at least a byte. */
function readListHeader(
  field: 'buckets' | 'leaves' | 'peers' | 'members',
  itemLength: number,
  shape: string,
): number {
  const start = cursor.position;
  const count = readArrayHeader(cursor);
  if (count < 0) rejectItem(field, -1, start, `an array of ${shape}`);
  if (count > MAX_SYNC_ITEMS) {
    throw new TooManySyncItemsError(field, `"${field}"`, count, MAX_SYNC_ITEMS, 'items');
  }
  requireBytes(cursor, count * (1 + itemLength));
  return count;
}

/** Reads an item's array header, which must hold exactly `length` elements. */
function readItemHeader(
  field: 'buckets' | 'leaves' | 'peers' | 'members',
  item: number,
  length: number,
  shape: string,
): void {
  const start = cursor.position;
  const count = readArrayHeader(cursor);
  if (count === length) return;
  rejectInvalidByteAt(cursor.bytes, start);
  const found = count < 0 ? describeItemAt(cursor.bytes, start) : `an array of ${count} items`;
  throw new InvalidSyncError(
    field,
    `"${field}[${item}]" at offset ${start} holds ${found}: expected ${shape}`,
  );
}

function readBuckets(): SyncBucketDigest[] {
  const count = readListHeader('buckets', 2, bucketShape);
  const buckets = new Array<SyncBucketDigest>(count);
  for (let item = 0; item < count; item++) {
    readItemHeader('buckets', item, 2, bucketShape);
    const bucket = readUint32('bucket', item);
    buckets[item] = { bucket, hashes: readWordsField('hashes', item, 1) };
  }
  return buckets;
}

function readLeaves(): SyncLeafRange[] {
  const count = readListHeader('leaves', 4, leafShape);
  const leaves = new Array<SyncLeafRange>(count);
  for (let item = 0; item < count; item++) {
    readItemHeader('leaves', item, 4, leafShape);
    const leaf = readUint32('leaf', item);
    const from = readUint32('from', item);
    const to = readUint32('to', item);
    leaves[item] = { leaf, from, to, entries: readWordsField('entries', item, 2) };
  }
  return leaves;
}

function readPeers(): SyncPeerEntry[] {
  const count = readListHeader('peers', 3, peerShape);
  const peers = new Array<SyncPeerEntry>(count);
  for (let item = 0; item < count; item++) {
    readItemHeader('peers', item, 3, peerShape);
    const address = readAddressText('address', item);
    const heartbeat = readSafeInteger('heartbeat', item);
    peers[item] = { address, heartbeat, leave: readSafeInteger('leave', item) };
  }
  return peers;
}

function readMembers(): SyncMemberEntry[] {
  const count = readListHeader('members', 2, memberShape);
  const members = new Array<SyncMemberEntry>(count);
  for (let item = 0; item < count; item++) {
    readItemHeader('members', item, 2, memberShape);
    const address = readAddressText('address', item, 'members');
    members[item] = { address, status: readAddressText('status', item, 'members') };
  }
  return members;
}

/**
 * A peer address (`field` `address` of list item `item`), a bound of a
 * `peers` message's address range (`from` or `to`, `item` -1), or a member's
 * address or status (`list` `members`): a str of at most 255 bytes of strict
 * UTF-8.
 */
function readAddressText(
  field: 'address' | 'from' | 'to' | 'status',
  item: number,
  list?: SyncField,
): string {
  const start = cursor.position;
  const length = readStringHeader();
  if (length < 0) rejectItem(field, item, start, 'a string', list);
  if (length > MAX_SYNC_ADDRESS_BYTES) {
    throw new InvalidSyncError(
      field,
      `${syncFieldPath(field, item, list)} at offset ${start} is ${length} bytes long: expected at most ${MAX_SYNC_ADDRESS_BYTES} bytes of UTF-8`,
    );
  }
  requireBytes(cursor, length);
  const textStart = cursor.position;
  cursor.position = textStart + length;
  const text = decodeUtf8(cursor.bytes, textStart, textStart + length);
  if (text === undefined) throw new InvalidUtf8Error(field, start);
  return text;
}
