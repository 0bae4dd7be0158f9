// The encoder's purpose-built msgpack writer: functions that write one item at
// a given position of a byte array and return the position after it. Callers
// reserve room first, once per message, so no write checks bounds.

/** A growable output buffer reused between encodes; results are copied out of it. */
export interface OutputBuffer {
  bytes: Uint8Array;
  position: number;
}

const initialCapacity = 2048;
/** A buffer grown past this for one huge message is dropped afterwards, not kept. */
const largestRetainedCapacity = 1024 * 1024;

/** A new, empty output buffer. */
export function createOutputBuffer(): OutputBuffer {
  return { bytes: new Uint8Array(initialCapacity), position: 0 };
}

/** Makes room for `byteCount` more bytes after the current position and returns the bytes. */
export function reserve(output: OutputBuffer, byteCount: number): Uint8Array {
  const needed = output.position + byteCount;
  if (needed <= output.bytes.length) return output.bytes;
  let capacity = output.bytes.length * 2;
  while (capacity < needed) capacity *= 2;
  const grown = new Uint8Array(capacity);
  grown.set(output.bytes.subarray(0, output.position));
  output.bytes = grown;
  return grown;
}

// Results are copied into slices of a shared slab rather than each into its
// own ArrayBuffer: allocating an ArrayBuffer per message cost more than
// everything else encoding does. A result's `buffer` may therefore hold other
// results too (as with Node's pooled Buffers): use its byteOffset/byteLength.
const slabSize = 16 * 1024;
/** Results above this (a datagram) get memory of their own. */
const largestPooledResult = 1500;
let slab = new Uint8Array(slabSize);
let slabOffset = 0;

/** Copies out everything written and resets the buffer for the next message. */
export function takeWritten(output: OutputBuffer): Uint8Array {
  const length = output.position;
  const written = output.bytes.subarray(0, length);
  let result: Uint8Array;
  if (length > largestPooledResult) {
    result = written.slice();
  } else {
    if (slabOffset + length > slabSize) {
      slab = new Uint8Array(slabSize);
      slabOffset = 0;
    }
    result = slab.subarray(slabOffset, slabOffset + length);
    result.set(written);
    slabOffset += length;
  }
  output.position = 0;
  if (output.bytes.length > largestRetainedCapacity) output.bytes = new Uint8Array(initialCapacity);
  return result;
}

/** Writes a non-negative integer below 2^64 in its smallest encoding. */
export function writeUnsignedAt(bytes: Uint8Array, position: number, value: number): number {
  if (value < 0x80) {
    bytes[position] = value;
    return position + 1;
  }
  if (value < 0x100) {
    bytes[position] = 0xcc;
    bytes[position + 1] = value;
    return position + 2;
  }
  if (value < 0x1_0000) {
    bytes[position] = 0xcd;
    bytes[position + 1] = value >>> 8;
    bytes[position + 2] = value;
    return position + 3;
  }
  if (value <= 0xffff_ffff) {
    bytes[position] = 0xce;
    return writeUint32At(bytes, position + 1, value);
  }
  bytes[position] = 0xcf;
  const low = value >>> 0;
  writeUint32At(bytes, position + 1, (value - low) / 0x1_0000_0000);
  return writeUint32At(bytes, position + 5, low);
}

/** Writes 4 big-endian bytes. */
export function writeUint32At(bytes: Uint8Array, position: number, value: number): number {
  bytes[position] = value >>> 24;
  bytes[position + 1] = value >>> 16;
  bytes[position + 2] = value >>> 8;
  bytes[position + 3] = value;
  return position + 4;
}

function writeSizedHeaderAt(
  bytes: Uint8Array,
  position: number,
  count: number,
  fixBase: number,
  fixLimit: number,
  code16: number,
): number {
  if (count < fixLimit) {
    bytes[position] = fixBase | count;
    return position + 1;
  }
  if (count < 0x1_0000) {
    bytes[position] = code16;
    bytes[position + 1] = count >>> 8;
    bytes[position + 2] = count;
    return position + 3;
  }
  bytes[position] = code16 + 1;
  return writeUint32At(bytes, position + 1, count);
}

/** Writes a map header (fixmap, map16 or map32) for `count` pairs. */
export function writeMapHeaderAt(bytes: Uint8Array, position: number, count: number): number {
  return writeSizedHeaderAt(bytes, position, count, 0x80, 0x10, 0xde);
}

/** Writes an array header (fixarray, array16 or array32). */
export function writeArrayHeaderAt(bytes: Uint8Array, position: number, count: number): number {
  return writeSizedHeaderAt(bytes, position, count, 0x90, 0x10, 0xdc);
}

/**
 * Writes a string header: fixstr, str16 or str32. str8 is never written,
 * because msgpack implementations from before the 2013 revision of the format
 * (the Ruby prototype's era) do not know it; every reader knows the others.
 */
export function writeStringHeaderAt(
  bytes: Uint8Array,
  position: number,
  byteLength: number,
): number {
  return writeSizedHeaderAt(bytes, position, byteLength, 0xa0, 0x20, 0xda);
}

/** Writes a bin header (bin8, bin16 or bin32). */
export function writeBinaryHeaderAt(
  bytes: Uint8Array,
  position: number,
  byteLength: number,
): number {
  if (byteLength < 0x100) {
    bytes[position] = 0xc4;
    bytes[position + 1] = byteLength;
    return position + 2;
  }
  if (byteLength < 0x1_0000) {
    bytes[position] = 0xc5;
    bytes[position + 1] = byteLength >>> 8;
    bytes[position + 2] = byteLength;
    return position + 3;
  }
  bytes[position] = 0xc6;
  return writeUint32At(bytes, position + 1, byteLength);
}
