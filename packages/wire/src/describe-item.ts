// Names the msgpack item at a position for error messages ("-3", "a map",
// "nil"), with exact values for 64-bit integers. Only used on failure paths.

import { readUint32At } from './msgpack-cursor.js';

/** Describes the item starting at `position`; never throws. */
export function describeItemAt(bytes: Uint8Array, position: number): string {
  if (position >= bytes.length) return 'nothing (the message ends)';
  const token = bytes[position];
  if (token < 0x80) return String(token);
  if (token >= 0xe0) return String(token - 0x100);
  if (token < 0x90) return 'a map';
  if (token < 0xa0) return 'an array';
  if (token < 0xc0) return 'a string';
  const fits = (size: number) => position + size <= bytes.length;
  switch (token) {
    case 0xc0:
      return 'nil';
    case 0xc1:
      return 'the byte 0xc1, which is no msgpack type';
    case 0xc2:
      return 'false';
    case 0xc3:
      return 'true';
    case 0xc4:
    case 0xc5:
    case 0xc6:
      return 'binary data';
    case 0xc7:
    case 0xc8:
    case 0xc9:
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
      return 'an extension value';
    case 0xd9:
    case 0xda:
    case 0xdb:
      return 'a string';
    case 0xdc:
    case 0xdd:
      return 'an array';
    case 0xde:
    case 0xdf:
      return 'a map';
    case 0xca:
    case 0xcb:
      return fits(token === 0xca ? 5 : 9) ? describeFloat(bytes, position) : 'a truncated float';
    default:
      return fits(integerSize(token)) ? describeInteger(bytes, position) : 'a truncated integer';
  }
}

function integerSize(token: number): number {
  // 0xcc..0xcf are uint8..uint64 and 0xd0..0xd3 int8..int64: 1 + 2^(n & 3) bytes.
  return 1 + (1 << (token & 0x03));
}

function describeFloat(bytes: Uint8Array, position: number): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const value =
    bytes[position] === 0xca ? view.getFloat32(position + 1) : view.getFloat64(position + 1);
  return `the float ${String(value)}`;
}

function describeInteger(bytes: Uint8Array, position: number): string {
  const token = bytes[position];
  const at = position + 1;
  const signed = token >= 0xd0;
  switch (integerSize(token)) {
    case 2:
      return String(signed ? (bytes[at] << 24) >> 24 : bytes[at]);
    case 3: {
      const value = (bytes[at] << 8) | bytes[at + 1];
      return String(signed ? (value << 16) >> 16 : value);
    }
    case 5: {
      const value = readUint32At(bytes, at);
      return String(signed ? value | 0 : value);
    }
    default: {
      const value = (BigInt(readUint32At(bytes, at)) << 32n) | BigInt(readUint32At(bytes, at + 4));
      return String(signed ? BigInt.asIntN(64, value) : value);
    }
  }
}
