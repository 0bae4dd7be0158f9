// The byte layout of an encoded sync message, shared by the encoder and the
// splitter: `sync` first, then the kind's fields (for `peers`: `reply`,
// `peers`, then the range bounds `from` and `to`, each only when present; for
// `members`: `reply`, then `members`), then
// `vig`, then `client` (only when true), each written with its exact size
// known in advance.
//
// Every kind has one "list" the splitter may cut: the items of `buckets`,
// `leaves`, `peers` and `members`, the hashes of `want`. A root's hashes are its list
// too, but a root is never cut. Sizes and writers take a range `from..to` of
// the list.

import {
  binaryHeaderSize,
  containerHeaderSize,
  stringHeaderSize,
  unsignedIntegerSize,
} from './encoded-size.js';
import { writeWordsAt } from './little-endian-words.js';
import { CLIENT_FIELD, VIG_FIELD, writeFieldAt } from './message-fields.js';
import {
  writeArrayHeaderAt,
  writeBinaryHeaderAt,
  writeStringHeaderAt,
  writeUnsignedAt,
} from './msgpack-writer.js';
import {
  BUCKETS_FIELD,
  FROM_FIELD,
  HASHES_FIELD,
  KEYS_FIELD,
  KIND_VALUES,
  LEAVES_FIELD,
  MEMBERS_FIELD,
  PEERS_FIELD,
  REPLY_FIELD,
  SYNC_FIELD,
  TO_FIELD,
} from './sync-fields.js';
import type {
  SyncBucketDigest,
  SyncLeafRange,
  SyncMemberEntry,
  SyncMessage,
  SyncPeerEntry,
} from './sync-message.js';
import { utf8ByteLength, writeUtf8At } from './utf8.js';

/** The length of the message's list: hashes for `root` and `want`, items otherwise. */
export function syncListLength(message: SyncMessage): number {
  switch (message.kind) {
    case 'root':
    case 'want':
      return message.hashes.length;
    case 'buckets':
      return message.buckets.length;
    case 'leaves':
      return message.leaves.length;
    case 'peers':
      return message.peers.length;
    case 'members':
      return message.members.length;
  }
}

/** Bytes of everything but the list's value: the map header, every field name, and the other fields' values. */
export function syncOverhead(message: SyncMessage): number {
  const envelope =
    1 +
    SYNC_FIELD.length +
    KIND_VALUES[message.kind].length +
    VIG_FIELD.length +
    unsignedIntegerSize(message.vig) +
    (message.client === true ? CLIENT_FIELD.length + 1 : 0);
  switch (message.kind) {
    case 'root':
      return envelope + HASHES_FIELD.length + KEYS_FIELD.length + unsignedIntegerSize(message.keys);
    case 'want':
      return envelope + HASHES_FIELD.length;
    case 'buckets':
      return envelope + BUCKETS_FIELD.length;
    case 'leaves':
      return envelope + LEAVES_FIELD.length;
    case 'peers':
      return envelope + REPLY_FIELD.length + 1 + PEERS_FIELD.length + syncRangeSize(message);
    case 'members':
      return envelope + REPLY_FIELD.length + 1 + MEMBERS_FIELD.length;
  }
}

/** Bytes of a `peers` message's range fields, `from` and `to` (names included); 0 for other kinds. */
export function syncRangeSize(message: SyncMessage): number {
  if (message.kind !== 'peers') return 0;
  return rangeBoundSize(FROM_FIELD, message.from) + rangeBoundSize(TO_FIELD, message.to);
}

/** Bytes of the range field `from` (or `to`, by `field`) holding `bound`: 0 when absent. */
export function rangeBoundSize(field: Uint8Array, bound: string | undefined): number {
  if (bound === undefined) return 0;
  const byteLength = utf8ByteLength(bound);
  return field.length + stringHeaderSize(byteLength) + byteLength;
}

/** Bytes of `count` hashes as a bin. */
export function hashesSize(count: number): number {
  return binaryHeaderSize(count * 4) + count * 4;
}

/** Bytes of one item of a `buckets`, `leaves`, `peers` or `members` list (its array header included). */
export function syncItemSize(message: SyncMessage, index: number): number {
  switch (message.kind) {
    case 'root':
    case 'want':
      return 4;
    case 'buckets': {
      const { bucket, hashes } = message.buckets[index];
      return 1 + unsignedIntegerSize(bucket) + hashesSize(hashes.length);
    }
    case 'leaves': {
      const { leaf, from, to, entries } = message.leaves[index];
      return (
        1 +
        unsignedIntegerSize(leaf) +
        unsignedIntegerSize(from) +
        unsignedIntegerSize(to) +
        hashesSize(entries.length)
      );
    }
    case 'peers': {
      const { address, heartbeat, leave } = message.peers[index];
      return 1 + stringSize(address) + unsignedIntegerSize(heartbeat) + unsignedIntegerSize(leave);
    }
    case 'members': {
      const { address, status } = message.members[index];
      return 1 + stringSize(address) + stringSize(status);
    }
  }
}

/** Bytes of `text` as a msgpack str, header included. */
function stringSize(text: string): number {
  const byteLength = utf8ByteLength(text);
  return stringHeaderSize(byteLength) + byteLength;
}

/** Bytes of the whole message with the list cut to `from..to`. */
export function syncMessageSize(message: SyncMessage, from: number, to: number): number {
  const overhead = syncOverhead(message);
  if (message.kind === 'root' || message.kind === 'want') return overhead + hashesSize(to - from);
  let size = overhead + containerHeaderSize(to - from);
  for (let i = from; i < to; i++) size += syncItemSize(message, i);
  return size;
}

/** Writes the message with its list cut to `from..to`; returns the next position. */
export function writeSyncAt(
  bytes: Uint8Array,
  position: number,
  message: SyncMessage,
  from: number,
  to: number,
): number {
  const client = message.client === true;
  const kindFields =
    message.kind === 'root' || message.kind === 'members'
      ? 2
      : message.kind === 'peers'
        ? 2 + (message.from === undefined ? 0 : 1) + (message.to === undefined ? 0 : 1)
        : 1;
  bytes[position] = 0x80 | (2 + kindFields + (client ? 1 : 0));
  position = writeFieldAt(bytes, position + 1, SYNC_FIELD);
  position = writeFieldAt(bytes, position, KIND_VALUES[message.kind]);
  position = writeKindFieldsAt(bytes, position, message, from, to);
  position = writeUnsignedAt(bytes, writeFieldAt(bytes, position, VIG_FIELD), message.vig);
  if (!client) return position;
  position = writeFieldAt(bytes, position, CLIENT_FIELD);
  bytes[position] = 0xc3;
  return position + 1;
}

function writeKindFieldsAt(
  bytes: Uint8Array,
  position: number,
  message: SyncMessage,
  from: number,
  to: number,
): number {
  switch (message.kind) {
    case 'root':
      position = writeHashesAt(
        bytes,
        writeFieldAt(bytes, position, HASHES_FIELD),
        message.hashes,
        from,
        to,
      );
      return writeUnsignedAt(bytes, writeFieldAt(bytes, position, KEYS_FIELD), message.keys);
    case 'want':
      return writeHashesAt(
        bytes,
        writeFieldAt(bytes, position, HASHES_FIELD),
        message.hashes,
        from,
        to,
      );
    case 'buckets':
      position = writeArrayHeaderAt(bytes, writeFieldAt(bytes, position, BUCKETS_FIELD), to - from);
      for (let i = from; i < to; i++) position = writeBucketAt(bytes, position, message.buckets[i]);
      return position;
    case 'leaves':
      position = writeArrayHeaderAt(bytes, writeFieldAt(bytes, position, LEAVES_FIELD), to - from);
      for (let i = from; i < to; i++) position = writeLeafAt(bytes, position, message.leaves[i]);
      return position;
    case 'peers':
      position = writeFieldAt(bytes, position, REPLY_FIELD);
      bytes[position] = message.reply ? 0xc3 : 0xc2;
      position = writeArrayHeaderAt(
        bytes,
        writeFieldAt(bytes, position + 1, PEERS_FIELD),
        to - from,
      );
      for (let i = from; i < to; i++) position = writePeerAt(bytes, position, message.peers[i]);
      position = writeStringFieldAt(bytes, position, FROM_FIELD, message.from);
      return writeStringFieldAt(bytes, position, TO_FIELD, message.to);
    case 'members':
      position = writeFieldAt(bytes, position, REPLY_FIELD);
      bytes[position] = message.reply ? 0xc3 : 0xc2;
      position = writeArrayHeaderAt(
        bytes,
        writeFieldAt(bytes, position + 1, MEMBERS_FIELD),
        to - from,
      );
      for (let i = from; i < to; i++) position = writeMemberAt(bytes, position, message.members[i]);
      return position;
  }
}

/** Writes the field `name` holding the string `value`, or nothing when `value` is absent. */
function writeStringFieldAt(
  bytes: Uint8Array,
  position: number,
  name: Uint8Array,
  value: string | undefined,
): number {
  if (value === undefined) return position;
  position = writeFieldAt(bytes, position, name);
  position = writeStringHeaderAt(bytes, position, utf8ByteLength(value));
  return writeUtf8At(bytes, position, value);
}

/** Writes `words[from .. to)` as a bin of little-endian words. */
function writeHashesAt(
  bytes: Uint8Array,
  position: number,
  words: Uint32Array,
  from: number,
  to: number,
): number {
  position = writeBinaryHeaderAt(bytes, position, (to - from) * 4);
  return writeWordsAt(bytes, position, words, from, to);
}

function writeBucketAt(bytes: Uint8Array, position: number, digest: SyncBucketDigest): number {
  bytes[position] = 0x92;
  position = writeUnsignedAt(bytes, position + 1, digest.bucket);
  return writeHashesAt(bytes, position, digest.hashes, 0, digest.hashes.length);
}

function writeLeafAt(bytes: Uint8Array, position: number, range: SyncLeafRange): number {
  bytes[position] = 0x94;
  position = writeUnsignedAt(bytes, position + 1, range.leaf);
  position = writeUnsignedAt(bytes, position, range.from);
  position = writeUnsignedAt(bytes, position, range.to);
  return writeHashesAt(bytes, position, range.entries, 0, range.entries.length);
}

function writePeerAt(bytes: Uint8Array, position: number, peer: SyncPeerEntry): number {
  bytes[position] = 0x93;
  position = writeStringAt(bytes, position + 1, peer.address);
  position = writeUnsignedAt(bytes, position, peer.heartbeat);
  return writeUnsignedAt(bytes, position, peer.leave);
}

function writeMemberAt(bytes: Uint8Array, position: number, member: SyncMemberEntry): number {
  bytes[position] = 0x92;
  position = writeStringAt(bytes, position + 1, member.address);
  return writeStringAt(bytes, position, member.status);
}

/** Writes `text` as a msgpack str (fixstr, str16 or str32). */
function writeStringAt(bytes: Uint8Array, position: number, text: string): number {
  position = writeStringHeaderAt(bytes, position, utf8ByteLength(text));
  return writeUtf8At(bytes, position, text);
}
