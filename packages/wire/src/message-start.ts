// The first steps of every strict decoder in this package, and the checks
// they share: the input is bytes, the message is a map, no 0xc1 byte.

import { NotAMapError, NotMsgpackError } from './decode-errors.js';
import { describeItemAt } from './describe-item.js';
import { readMapHeader, requireBytes } from './msgpack-cursor.js';
import type { MsgpackCursor } from './msgpack-cursor.js';

/** What a value that should have been a `Uint8Array` is, for the error message. */
export function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (typeof input !== 'object') return typeof input;
  return Object.prototype.toString.call(input);
}

/** Throws {@link NotMsgpackError} unless `bytes` is a `Uint8Array`. */
export function requireByteArray(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new NotMsgpackError(`the input is ${describeInput(bytes)}: expected a Uint8Array`);
  }
}

/** Throws {@link NotMsgpackError} when the item at `position` starts with 0xc1, which is no msgpack type. */
export function rejectInvalidByteAt(bytes: Uint8Array, position: number): void {
  if (bytes[position] === 0xc1) {
    throw new NotMsgpackError(`byte 0xc1 at offset ${position} is not a msgpack type`);
  }
}

/**
 * Points `cursor` at `bytes` and reads the header of the map every message
 * is; returns its field count, with the cursor on the first field name.
 *
 * @throws {@link NotMsgpackError} or {@link NotAMapError} when it is no map,
 *   `TruncatedMessageError` when the bytes cannot hold that many fields
 */
export function openMessageMap(cursor: MsgpackCursor, bytes: Uint8Array): number {
  cursor.bytes = bytes;
  cursor.position = 0;
  cursor.end = bytes.length;
  const fieldCount = readMapHeader(cursor);
  if (fieldCount < 0) {
    rejectInvalidByteAt(bytes, 0);
    throw new NotAMapError(describeItemAt(bytes, 0));
  }
  // Every field takes two bytes at least: a count beyond that is a truncation.
  requireBytes(cursor, fieldCount * 2);
  return fieldCount;
}

/**
 * Where the first field name of a non-empty msgpack map (fixmap, map16 or
 * map32) starting `bytes` begins, or -1 when the bytes start with anything
 * else: how `decodeDatagram` tells sync and doc messages from vignette
 * messages with a few byte comparisons.
 */
export function firstFieldPosition(bytes: Uint8Array): number {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) return -1;
  const first = bytes[0];
  if (first > 0x80 && first <= 0x8f) return 1;
  if (first === 0xde) return bytes.length > 3 && (bytes[1] | bytes[2]) !== 0 ? 3 : -1;
  if (first === 0xdf) {
    return bytes.length > 5 && (bytes[1] | bytes[2] | bytes[3] | bytes[4]) !== 0 ? 5 : -1;
  }
  return -1;
}
