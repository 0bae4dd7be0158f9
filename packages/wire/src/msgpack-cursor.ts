// The decoder's purpose-built strict msgpack reader: a cursor over the bytes
// and functions that read one item and move it. Every read checks that its
// bytes are there, so nothing is ever read past the end.

import { NestingTooDeepError, NotMsgpackError, TruncatedMessageError } from './decode-errors.js';

/** A position in the bytes being read. */
export interface MsgpackCursor {
  bytes: Uint8Array;
  position: number;
  end: number;
}

/** Throws {@link TruncatedMessageError} unless `count` bytes remain from the position. */
export function requireBytes(cursor: MsgpackCursor, count: number): void {
  if (cursor.end - cursor.position < count) {
    throw new TruncatedMessageError(cursor.end, cursor.position, count);
  }
}

/** Reads a 4-byte big-endian unsigned integer at `position` (the caller checked the bytes). */
export function readUint32At(bytes: Uint8Array, position: number): number {
  return (
    bytes[position] * 0x100_0000 +
    ((bytes[position + 1] << 16) | (bytes[position + 2] << 8) | bytes[position + 3])
  );
}

function readUint16At(bytes: Uint8Array, position: number): number {
  return (bytes[position] << 8) | bytes[position + 1];
}

/**
 * Reads a container header whose fix form starts at `fixBase` and whose
 * 16-bit form is `code16` (32-bit is `code16 + 1`). Returns the element
 * count, or -1 without moving when the item is another type.
 */
function readContainerHeader(cursor: MsgpackCursor, fixBase: number, code16: number): number {
  requireBytes(cursor, 1);
  const { bytes, position } = cursor;
  const token = bytes[position];
  if ((token & 0xf0) === fixBase) {
    cursor.position = position + 1;
    return token & 0x0f;
  }
  if (token === code16) {
    requireBytes(cursor, 3);
    cursor.position = position + 3;
    return readUint16At(bytes, position + 1);
  }
  if (token === code16 + 1) {
    requireBytes(cursor, 5);
    cursor.position = position + 5;
    return readUint32At(bytes, position + 1);
  }
  return -1;
}

/** Reads a map header: the pair count, or -1 (not moving) when the item is not a map. */
export function readMapHeader(cursor: MsgpackCursor): number {
  return readContainerHeader(cursor, 0x80, 0xde);
}

/** Reads an array header: the element count, or -1 (not moving) when the item is not an array. */
export function readArrayHeader(cursor: MsgpackCursor): number {
  return readContainerHeader(cursor, 0x90, 0xdc);
}

/** Reads a bin header: the byte length, or -1 (not moving) when the item is not bin. */
export function readBinaryHeader(cursor: MsgpackCursor): number {
  requireBytes(cursor, 1);
  const { bytes, position } = cursor;
  const token = bytes[position];
  if (token === 0xc4) {
    requireBytes(cursor, 2);
    cursor.position = position + 2;
    return bytes[position + 1];
  }
  if (token === 0xc5) {
    requireBytes(cursor, 3);
    cursor.position = position + 3;
    return readUint16At(bytes, position + 1);
  }
  if (token === 0xc6) {
    requireBytes(cursor, 5);
    cursor.position = position + 5;
    return readUint32At(bytes, position + 1);
  }
  return -1;
}

/**
 * Reads a string header (str or bin: msgpack-ruby writes binary strings as
 * bin). Returns the byte length, with the cursor on the first byte (the
 * caller checks that the bytes are there), or -1 (not moving) for other types.
 */
export function readTextHeader(cursor: MsgpackCursor): number {
  requireBytes(cursor, 1);
  const { bytes, position } = cursor;
  const token = bytes[position];
  let length: number;
  if ((token & 0xe0) === 0xa0) {
    length = token & 0x1f;
    cursor.position = position + 1;
  } else if (token === 0xd9) {
    requireBytes(cursor, 2);
    length = bytes[position + 1];
    cursor.position = position + 2;
  } else if (token === 0xda) {
    requireBytes(cursor, 3);
    length = readUint16At(bytes, position + 1);
    cursor.position = position + 3;
  } else if (token === 0xdb) {
    requireBytes(cursor, 5);
    length = readUint32At(bytes, position + 1);
    cursor.position = position + 5;
  } else {
    length = readBinaryHeader(cursor);
  }
  return length;
}

const scratch = new DataView(new ArrayBuffer(8));

/** Reads a big-endian float of 4 or 8 bytes through a scratch view (no view per message). */
function readFloatAt(bytes: Uint8Array, position: number, size: 4 | 8): number {
  for (let i = 0; i < size; i++) scratch.setUint8(i, bytes[position + i]);
  return size === 4 ? scratch.getFloat32(0) : scratch.getFloat64(0);
}

/**
 * Reads any msgpack number: every int type and both float types. Returns its
 * value (64-bit integers beyond ±2^53 come out rounded, which is already out
 * of every range the message allows; -0 comes out as 0), or NaN without
 * moving when the item is not a number.
 */
export function readNumber(cursor: MsgpackCursor): number {
  requireBytes(cursor, 1);
  const { bytes, position } = cursor;
  const token = bytes[position];
  if (token < 0x80) {
    cursor.position = position + 1;
    return token;
  }
  if (token >= 0xe0) {
    cursor.position = position + 1;
    return token - 0x100;
  }
  const size = numberSize(token);
  if (size === 0) return Number.NaN;
  requireBytes(cursor, size);
  cursor.position = position + size;
  const at = position + 1;
  switch (token) {
    case 0xcc:
      return bytes[at];
    case 0xcd:
      return readUint16At(bytes, at);
    case 0xce:
      return readUint32At(bytes, at);
    case 0xcf:
      return readUint32At(bytes, at) * 0x1_0000_0000 + readUint32At(bytes, at + 4);
    case 0xd0:
      return (bytes[at] << 24) >> 24;
    case 0xd1:
      return (readUint16At(bytes, at) << 16) >> 16;
    case 0xd2:
      return readUint32At(bytes, at) | 0;
    case 0xd3:
      return (readUint32At(bytes, at) | 0) * 0x1_0000_0000 + readUint32At(bytes, at + 4);
    case 0xca:
      return readFloatAt(bytes, at, 4) + 0;
    default:
      return readFloatAt(bytes, at, 8) + 0;
  }
}

/** Bytes of a number item by its first byte (0xca..0xd3), or 0 for other types. */
function numberSize(token: number): number {
  switch (token) {
    case 0xcc:
    case 0xd0:
      return 2;
    case 0xcd:
    case 0xd1:
      return 3;
    case 0xca:
    case 0xce:
    case 0xd2:
      return 5;
    case 0xcb:
    case 0xcf:
    case 0xd3:
      return 9;
    default:
      return 0;
  }
}

/** Values still to skip at each open container level; grows as needed, reused. */
const pendingByLevel: number[] = [];

/**
 * Skips one item of any type, however nested, without recursion: containers
 * may nest at most `maxDepth` levels (the item itself is level 1). Every
 * element takes at least one byte, so the work is bounded by the bytes.
 */
export function skipValue(cursor: MsgpackCursor, maxDepth: number): void {
  const { bytes } = cursor;
  let pending = 1;
  let depth = 0;
  for (;;) {
    while (pending === 0) {
      if (depth === 0) return;
      depth -= 1;
      pending = pendingByLevel[depth];
    }
    pending -= 1;
    requireBytes(cursor, 1);
    const position = cursor.position;
    const token = bytes[position];
    let children = -1;
    if (token < 0x80 || token >= 0xe0) {
      cursor.position = position + 1;
    } else if (token < 0x90) {
      children = (token & 0x0f) * 2;
      cursor.position = position + 1;
    } else if (token < 0xa0) {
      children = token & 0x0f;
      cursor.position = position + 1;
    } else if (token < 0xc0) {
      skipBytes(cursor, 1, token & 0x1f);
    } else {
      children = skipTypedItem(cursor, token);
    }
    if (children < 0) continue;
    if (depth >= maxDepth) throw new NestingTooDeepError(position, maxDepth);
    // Each element needs a byte at least: a count beyond the bytes left is a truncation.
    requireBytes(cursor, children);
    if (depth === pendingByLevel.length) pendingByLevel.push(0);
    pendingByLevel[depth] = pending;
    depth += 1;
    pending = children;
  }
}

/** Moves past a header of `headerSize` bytes and the `length` bytes after it. */
function skipBytes(cursor: MsgpackCursor, headerSize: number, length: number): void {
  requireBytes(cursor, headerSize + length);
  cursor.position += headerSize + length;
}

/**
 * Skips an item whose first byte is 0xc0..0xdf. Returns the count of
 * elements that follow for a map16/32 (keys and values) or array16/32, else -1.
 */
function skipTypedItem(cursor: MsgpackCursor, token: number): number {
  const { bytes, position } = cursor;
  switch (token) {
    case 0xc0:
    case 0xc2:
    case 0xc3:
      cursor.position = position + 1;
      return -1;
    case 0xc1:
      throw new NotMsgpackError(`byte 0xc1 at offset ${position} is not a msgpack type`);
    case 0xc4:
    case 0xd9:
      requireBytes(cursor, 2);
      skipBytes(cursor, 2, bytes[position + 1]);
      return -1;
    case 0xc5:
    case 0xda:
      requireBytes(cursor, 3);
      skipBytes(cursor, 3, readUint16At(bytes, position + 1));
      return -1;
    case 0xc6:
    case 0xdb:
      requireBytes(cursor, 5);
      skipBytes(cursor, 5, readUint32At(bytes, position + 1));
      return -1;
    case 0xc7:
      requireBytes(cursor, 2);
      skipBytes(cursor, 3, bytes[position + 1]);
      return -1;
    case 0xc8:
      requireBytes(cursor, 3);
      skipBytes(cursor, 4, readUint16At(bytes, position + 1));
      return -1;
    case 0xc9:
      requireBytes(cursor, 5);
      skipBytes(cursor, 6, readUint32At(bytes, position + 1));
      return -1;
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
      // fixext 1, 2, 4, 8, 16: a type byte and 2^(token - 0xd4) data bytes.
      skipBytes(cursor, 2, 1 << (token - 0xd4));
      return -1;
    case 0xdc:
      requireBytes(cursor, 3);
      cursor.position = position + 3;
      return readUint16At(bytes, position + 1);
    case 0xdd:
      requireBytes(cursor, 5);
      cursor.position = position + 5;
      return readUint32At(bytes, position + 1);
    case 0xde:
      requireBytes(cursor, 3);
      cursor.position = position + 3;
      return readUint16At(bytes, position + 1) * 2;
    case 0xdf:
      requireBytes(cursor, 5);
      cursor.position = position + 5;
      return readUint32At(bytes, position + 1) * 2;
    default:
      skipBytes(cursor, 1, numberSize(token) - 1);
      return -1;
  }
}
