// Checks a sync message before it is encoded or split, so that nothing
// invalid is ever written: every field, every list item, and (for a whole
// message) the limits a decoder enforces.

import { isValidIndex, isValidValue } from '@vig/crdt-core';
import { isVigProtocolVersion } from './message-layout.js';
import { InvalidSyncFieldError } from './sync-errors.js';
import { syncFieldPath } from './sync-fields.js';
import {
  MAX_SYNC_ADDRESS_BYTES,
  MAX_SYNC_HASHES,
  MAX_SYNC_ITEMS,
  SYNC_KINDS,
} from './sync-message.js';
import type {
  SyncBucketDigest,
  SyncField,
  SyncLeafRange,
  SyncMemberEntry,
  SyncMessage,
  SyncPeerEntry,
} from './sync-message.js';
import { utf8ByteLength } from './utf8.js';

const uint32Range = 'an integer in 0..2^32-1';
const safeRange = 'an integer in 0..2^53-1';

/**
 * Checks every field of `message` and every item of its list. With
 * `wholeMessage`, also that its lists fit one message (at most 4096 items, or
 * 16384 hashes for `want`); the splitter cuts longer ones.
 *
 * @throws {@link InvalidSyncFieldError}
 */
export function checkSyncMessage(message: SyncMessage, wholeMessage: boolean): void {
  if (typeof message !== 'object' || message === null) {
    throw new InvalidSyncFieldError(
      'sync',
      undefined,
      'message',
      `is ${describe(message)}`,
      'an object',
    );
  }
  if (!(SYNC_KINDS as readonly unknown[]).includes(message.kind)) {
    const kinds = SYNC_KINDS.map((kind) => `'${kind}'`).join(', ');
    reject('sync', -1, message.kind, `one of ${kinds} (the property "kind")`);
  }
  if (!isVigProtocolVersion(message.vig)) {
    reject('vig', -1, message.vig, "an integer in 1..2^31 (the sender's Vig protocol version)");
  }
  if (message.client !== undefined && typeof message.client !== 'boolean') {
    reject('client', -1, message.client, 'a boolean');
  }
  switch (message.kind) {
    case 'root':
      checkWords(message.hashes, 'hashes', -1, 1, true);
      if (!isValidValue(message.keys)) reject('keys', -1, message.keys, safeRange);
      return;
    case 'want':
      checkWords(message.hashes, 'hashes', -1, 1, wholeMessage);
      return;
    case 'buckets':
      checkList(message.buckets, 'buckets', wholeMessage);
      message.buckets.forEach(checkBucket);
      return;
    case 'leaves':
      checkList(message.leaves, 'leaves', wholeMessage);
      message.leaves.forEach(checkLeaf);
      return;
    case 'peers':
      if (typeof message.reply !== 'boolean') reject('reply', -1, message.reply, 'a boolean');
      checkList(message.peers, 'peers', wholeMessage);
      message.peers.forEach(checkPeer);
      // An absent bound (or one holding undefined) is no bound, and is not written.
      if (message.from !== undefined) checkAddressText(message.from, 'from', -1);
      if (message.to !== undefined) checkAddressText(message.to, 'to', -1);
      return;
    case 'members':
      if (typeof message.reply !== 'boolean') reject('reply', -1, message.reply, 'a boolean');
      checkList(message.members, 'members', wholeMessage);
      message.members.forEach(checkMember);
      return;
  }
}

/** A value, for an error message: numbers and strings shown, other types named. */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 32));
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * Throws {@link InvalidSyncFieldError}: `field` (of list item `item` of
 * `list`, or -1) holds `value`.
 */
function reject(
  field: SyncField,
  item: number,
  value: unknown,
  expected: string,
  list?: SyncField,
): never {
  throw new InvalidSyncFieldError(
    field,
    item < 0 ? undefined : item,
    syncFieldPath(field, item, list),
    `is ${describe(value)}`,
    expected,
  );
}

function checkList(list: readonly unknown[], field: SyncField, wholeMessage: boolean): void {
  if (!Array.isArray(list)) reject(field, -1, list, 'an array');
  if (wholeMessage && list.length > MAX_SYNC_ITEMS) {
    throw new InvalidSyncFieldError(
      field,
      undefined,
      `"${field}"`,
      `holds ${list.length} items`,
      `at most ${MAX_SYNC_ITEMS} in one message (use splitSyncMessage)`,
    );
  }
}

/**
 * Checks hashes or leaf entries: a Uint32Array, of at most 16384 words when
 * `limited`, whose length is a multiple of `wordsPerItem`.
 */
function checkWords(
  words: Uint32Array,
  field: SyncField,
  item: number,
  wordsPerItem: 1 | 2,
  limited: boolean,
): void {
  if (!(words instanceof Uint32Array)) reject(field, item, words, 'a Uint32Array');
  if (words.length % wordsPerItem !== 0) {
    rejectLength(field, item, words, 'an even number: (keyHash, contentHash) pairs');
  }
  if (limited && words.length > MAX_SYNC_HASHES) {
    const advice = item < 0 && field === 'hashes' ? ' (use splitSyncMessage for a want)' : '';
    rejectLength(field, item, words, `at most ${MAX_SYNC_HASHES} in one message${advice}`);
  }
}

function rejectLength(field: SyncField, item: number, words: Uint32Array, expected: string): never {
  const path = syncFieldPath(field, item);
  const problem = `holds ${words.length} words`;
  throw new InvalidSyncFieldError(field, item < 0 ? undefined : item, path, problem, expected);
}

/** Checks that list item `item` is an object (its members are checked next). */
function checkItemObject(value: unknown, list: SyncField, item: number, shape: string): void {
  if (typeof value === 'object' && value !== null) return;
  throw new InvalidSyncFieldError(list, item, `"${list}[${item}]"`, `is ${describe(value)}`, shape);
}

function checkUint32(value: unknown, field: SyncField, item: number): void {
  if (!isValidIndex(value)) reject(field, item, value, uint32Range);
}

function checkBucket(digest: SyncBucketDigest, item: number): void {
  checkItemObject(digest, 'buckets', item, 'a { bucket, hashes } object');
  checkUint32(digest.bucket, 'bucket', item);
  checkWords(digest.hashes, 'hashes', item, 1, true);
}

function checkLeaf(range: SyncLeafRange, item: number): void {
  checkItemObject(range, 'leaves', item, 'a { leaf, from, to, entries } object');
  checkUint32(range.leaf, 'leaf', item);
  checkUint32(range.from, 'from', item);
  checkUint32(range.to, 'to', item);
  checkWords(range.entries, 'entries', item, 2, true);
}

function checkPeer(peer: SyncPeerEntry, item: number): void {
  checkItemObject(peer, 'peers', item, 'an { address, heartbeat, leave } object');
  checkAddressText(peer.address, 'address', item);
  if (!isValidValue(peer.heartbeat)) reject('heartbeat', item, peer.heartbeat, safeRange);
  if (!isValidValue(peer.leave)) reject('leave', item, peer.leave, safeRange);
}

function checkMember(member: SyncMemberEntry, item: number): void {
  checkItemObject(member, 'members', item, 'an { address, status } object');
  checkAddressText(member.address, 'address', item, 'members');
  checkAddressText(member.status, 'status', item, 'members');
}

/**
 * Checks a peer address, a bound of a `peers` message's address range
 * (`from`, `to`, at `item` -1), or a member's address or status (`list`
 * `members`): a well-formed string of at most 255 UTF-8 bytes.
 */
function checkAddressText(text: unknown, field: SyncField, item: number, list?: SyncField): void {
  if (typeof text !== 'string') reject(field, item, text, 'a string', list);
  const byteLength = utf8ByteLength(text);
  const path = syncFieldPath(field, item, list);
  const index = item < 0 ? undefined : item;
  if (byteLength < 0) {
    const expected = 'well-formed UTF-16 text (UTF-8 cannot carry lone surrogates)';
    throw new InvalidSyncFieldError(field, index, path, 'holds a lone surrogate', expected);
  }
  if (byteLength > MAX_SYNC_ADDRESS_BYTES) {
    const problem = `is ${byteLength} bytes long in UTF-8`;
    const expected = `at most ${MAX_SYNC_ADDRESS_BYTES} bytes`;
    throw new InvalidSyncFieldError(field, index, path, problem, expected);
  }
}
