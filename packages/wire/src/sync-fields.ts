// The field names and kinds of a sync message, as the bytes the encoder writes
// (fixstr headers included) and as bit codes the decoder matches them to.

import { CLIENT_FIELD, VIG_FIELD } from './message-fields.js';
import { SYNC_KINDS } from './sync-message.js';
import type { SyncField, SyncKind } from './sync-message.js';

/** `"sync"` as a msgpack fixstr: the first field of every sync message. */
export const SYNC_FIELD = Uint8Array.of(0xa4, 0x73, 0x79, 0x6e, 0x63);
/** `"hashes"` as a msgpack fixstr. */
export const HASHES_FIELD = Uint8Array.of(0xa6, 0x68, 0x61, 0x73, 0x68, 0x65, 0x73);
/** `"keys"` as a msgpack fixstr. */
export const KEYS_FIELD = Uint8Array.of(0xa4, 0x6b, 0x65, 0x79, 0x73);
/** `"buckets"` as a msgpack fixstr. */
export const BUCKETS_FIELD = Uint8Array.of(0xa7, 0x62, 0x75, 0x63, 0x6b, 0x65, 0x74, 0x73);
/** `"leaves"` as a msgpack fixstr. */
export const LEAVES_FIELD = Uint8Array.of(0xa6, 0x6c, 0x65, 0x61, 0x76, 0x65, 0x73);
/** `"reply"` as a msgpack fixstr. */
export const REPLY_FIELD = Uint8Array.of(0xa5, 0x72, 0x65, 0x70, 0x6c, 0x79);
/** `"peers"` as a msgpack fixstr. */
export const PEERS_FIELD = Uint8Array.of(0xa5, 0x70, 0x65, 0x65, 0x72, 0x73);
/** `"from"` as a msgpack fixstr: the lower bound of a `peers` message's address range. */
export const FROM_FIELD = Uint8Array.of(0xa4, 0x66, 0x72, 0x6f, 0x6d);
/** `"to"` as a msgpack fixstr: the upper bound of a `peers` message's address range. */
export const TO_FIELD = Uint8Array.of(0xa2, 0x74, 0x6f);
/** `"members"` as a msgpack fixstr: the list of a `members` message. */
export const MEMBERS_FIELD = Uint8Array.of(0xa7, 0x6d, 0x65, 0x6d, 0x62, 0x65, 0x72, 0x73);

const textEncoder = new TextEncoder();

/** Each kind as a msgpack fixstr: the value of the `sync` field. */
export const KIND_VALUES: Readonly<Record<SyncKind, Uint8Array>> = {
  root: fixstr('root'),
  buckets: fixstr('buckets'),
  leaves: fixstr('leaves'),
  want: fixstr('want'),
  peers: fixstr('peers'),
  members: fixstr('members'),
};

function fixstr(text: string): Uint8Array {
  const bytes = textEncoder.encode(text);
  return Uint8Array.of(0xa0 | bytes.length, ...bytes);
}

/**
 * True when a field name `sync` (as the fixstr {@link SYNC_FIELD}, exactly)
 * starts at `position`. Reads only bytes that are there.
 */
export function isSyncFieldAt(bytes: Uint8Array, position: number): boolean {
  return (
    position + 5 <= bytes.length &&
    bytes[position] === 0xa4 &&
    bytes[position + 1] === 0x73 &&
    bytes[position + 2] === 0x79 &&
    bytes[position + 3] === 0x6e &&
    bytes[position + 4] === 0x63
  );
}

// Bit codes for the field names read from a sync message: a set of fields
// seen is their union, so duplicates are found with one `&`.
export const UNKNOWN_SYNC_FIELD = 0;
export const SYNC_FIELD_CODE = 1;
export const VIG_SYNC_FIELD_CODE = 2;
export const CLIENT_SYNC_FIELD_CODE = 4;
export const HASHES_FIELD_CODE = 8;
export const KEYS_FIELD_CODE = 16;
export const BUCKETS_FIELD_CODE = 32;
export const LEAVES_FIELD_CODE = 64;
export const REPLY_FIELD_CODE = 128;
export const PEERS_FIELD_CODE = 256;
export const FROM_FIELD_CODE = 512;
export const TO_FIELD_CODE = 1024;
export const MEMBERS_FIELD_CODE = 2048;

const envelopeCodes = SYNC_FIELD_CODE | VIG_SYNC_FIELD_CODE | CLIENT_SYNC_FIELD_CODE;

/** The fields each kind reads; other names are unknown fields for it, skipped. */
export const KIND_FIELD_CODES: Readonly<Record<SyncKind, number>> = {
  root: envelopeCodes | HASHES_FIELD_CODE | KEYS_FIELD_CODE,
  buckets: envelopeCodes | BUCKETS_FIELD_CODE,
  leaves: envelopeCodes | LEAVES_FIELD_CODE,
  want: envelopeCodes | HASHES_FIELD_CODE,
  peers: envelopeCodes | REPLY_FIELD_CODE | PEERS_FIELD_CODE | FROM_FIELD_CODE | TO_FIELD_CODE,
  members: envelopeCodes | REPLY_FIELD_CODE | MEMBERS_FIELD_CODE,
};

/** Each known field: its name, its name's bytes and its code. */
const namedCodes: readonly (readonly [SyncField, Uint8Array, number])[] = [
  ['sync', SYNC_FIELD, SYNC_FIELD_CODE],
  ['vig', VIG_FIELD, VIG_SYNC_FIELD_CODE],
  ['client', CLIENT_FIELD, CLIENT_SYNC_FIELD_CODE],
  ['hashes', HASHES_FIELD, HASHES_FIELD_CODE],
  ['keys', KEYS_FIELD, KEYS_FIELD_CODE],
  ['buckets', BUCKETS_FIELD, BUCKETS_FIELD_CODE],
  ['leaves', LEAVES_FIELD, LEAVES_FIELD_CODE],
  ['reply', REPLY_FIELD, REPLY_FIELD_CODE],
  ['peers', PEERS_FIELD, PEERS_FIELD_CODE],
  ['from', FROM_FIELD, FROM_FIELD_CODE],
  ['to', TO_FIELD, TO_FIELD_CODE],
  ['members', MEMBERS_FIELD, MEMBERS_FIELD_CODE],
];

/** Matches the name in `bytes[start .. start + length)` against the sync fields. */
export function syncFieldCodeAt(bytes: Uint8Array, start: number, length: number): number {
  for (const [, name, code] of namedCodes) {
    if (matchesName(bytes, start, length, name)) return code;
  }
  return UNKNOWN_SYNC_FIELD;
}

/** The kind whose name is `bytes[start .. start + length)`, or undefined. */
export function syncKindAt(bytes: Uint8Array, start: number, length: number): SyncKind | undefined {
  for (const kind of SYNC_KINDS) {
    if (matchesName(bytes, start, length, KIND_VALUES[kind])) return kind;
  }
  return undefined;
}

/** True when the name's bytes equal `fixstr`'s text (after its one-byte header). */
function matchesName(
  bytes: Uint8Array,
  start: number,
  length: number,
  fixstr: Uint8Array,
): boolean {
  if (length !== fixstr.length - 1) return false;
  for (let i = 0; i < length; i++) {
    if (bytes[start + i] !== fixstr[i + 1]) return false;
  }
  return true;
}

/** The field a code names (one bit set). */
export function syncFieldOfCode(code: number): SyncField {
  for (const [field, , fieldCode] of namedCodes) if (fieldCode === code) return field;
  return 'sync';
}

/**
 * Where a field is, for error messages: `"keys"` (or a `peers` message's
 * `"from"`) at the top level (`item` -1), or `"leaves[3].from"` for the member
 * of a list's item 3. `list` names the list when the member's name alone does
 * not (an `address` is in `peers`, unless `list` says `members`).
 */
export function syncFieldPath(
  field: SyncField,
  item: number,
  list: SyncField = listOfMember(field),
): string {
  return item < 0 ? `"${field}"` : `"${list}[${item}].${field}"`;
}

/** The list whose items hold a member field (a bucket's `hashes` included). */
function listOfMember(field: SyncField): SyncField {
  switch (field) {
    case 'bucket':
    case 'hashes':
      return 'buckets';
    case 'leaf':
    case 'from':
    case 'to':
    case 'entries':
      return 'leaves';
    case 'status':
      return 'members';
    default:
      return 'peers';
  }
}
