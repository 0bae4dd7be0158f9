// The byte layout of an encoded vignette message, shared by the encoder and
// the splitter: fields in the order key, vector, ttl, full (only when true),
// dense (only when used), vig and client (only when present), each written
// with its exact size known in advance.

import { isValidValue } from '@vig/crdt-core';
import type { RegisterArray } from '@vig/crdt-core';
import {
  binaryHeaderSize,
  containerHeaderSize,
  stringHeaderSize,
  unsignedIntegerSize,
} from './encoded-size.js';
import { InvalidMessageFieldError } from './encode-errors.js';
import { MAX_VIG_PROTOCOL_VERSION } from './message.js';
import type { VignetteMessage } from './message.js';
import {
  CLIENT_FIELD,
  DENSE_FIELD,
  FULL_FIELD_TRUE,
  KEY_FIELD,
  TTL_FIELD,
  VECTOR_FIELD,
  VIG_FIELD,
  writeFieldAt,
} from './message-fields.js';
import {
  writeArrayHeaderAt,
  writeBinaryHeaderAt,
  writeMapHeaderAt,
  writeStringHeaderAt,
  writeUnsignedAt,
} from './msgpack-writer.js';
import { utf8ByteLength, writeUtf8At } from './utf8.js';

/** Bytes per dense register: the narrowest width that holds every value. */
export type RegisterWidth = 1 | 2 | 4 | 8;

/**
 * Checks the fields other than the entries and returns the key's UTF-8 length.
 *
 * @throws {@link InvalidMessageFieldError}
 */
export function checkMessageFields(message: VignetteMessage, maxKeyBytes: number): number {
  const { key, ttl, full, vector } = message;
  if (typeof key !== 'string') {
    throw new InvalidMessageFieldError('key', `is ${typeof key}`, 'a string');
  }
  const keyByteLength = utf8ByteLength(key);
  if (keyByteLength < 0) {
    throw new InvalidMessageFieldError(
      'key',
      'holds a lone surrogate',
      'well-formed UTF-16 text (UTF-8 cannot carry lone surrogates)',
    );
  }
  if (keyByteLength > maxKeyBytes) {
    throw new InvalidMessageFieldError(
      'key',
      `is ${keyByteLength} bytes long in UTF-8`,
      `at most ${maxKeyBytes} bytes (maxKeyBytes)`,
    );
  }
  if (!isValidValue(ttl)) {
    throw new InvalidMessageFieldError('ttl', `is ${String(ttl)}`, 'an integer in 0..2^53-1');
  }
  if (typeof full !== 'boolean') {
    throw new InvalidMessageFieldError('full', `is ${typeof full}`, 'a boolean');
  }
  checkExtensionFields(message);
  checkVectorShape(vector);
  return keyByteLength;
}

/** Checks `vig` and `client` when present (`undefined` counts as absent). */
function checkExtensionFields(message: VignetteMessage): void {
  const { vig, client } = message;
  if (vig !== undefined && !isVigProtocolVersion(vig)) {
    throw new InvalidMessageFieldError(
      'vig',
      `is ${typeof vig === 'number' ? String(vig) : typeof vig}`,
      "an integer in 1..2^31 (the sender's Vig protocol version)",
    );
  }
  if (client !== undefined && typeof client !== 'boolean') {
    throw new InvalidMessageFieldError('client', `is ${typeof client}`, 'a boolean');
  }
}

/** Whether `value` is a valid `vig` field: an integer in 1..2^31. */
export function isVigProtocolVersion(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    value >= 1 &&
    value <= MAX_VIG_PROTOCOL_VERSION &&
    Math.floor(value) === value
  );
}

/** Checks that `vector` is sparse or dense entries, as far as a glance can tell. */
function checkVectorShape(vector: unknown): void {
  const shape = (typeof vector === 'object' && vector !== null ? vector : {}) as {
    kind?: unknown;
    indices?: { length?: unknown };
    values?: { length?: unknown };
    registers?: unknown;
  };
  if (shape.kind === 'sparse') {
    const indexCount = shape.indices?.length;
    if (typeof indexCount === 'number' && indexCount === shape.values?.length) return;
    throw new InvalidMessageFieldError(
      'vector',
      'has indices and values of different lengths',
      'sparse entries with parallel arrays of the same length',
    );
  }
  if (shape.kind === 'dense' && ArrayBuffer.isView(shape.registers)) return;
  throw new InvalidMessageFieldError(
    'vector',
    'is not vector entries',
    "sparse ({ kind: 'sparse', indices, values }) or dense ({ kind: 'dense', offset, registers }) entries",
  );
}

/** Bytes of everything but the vector map and the dense field (the extension fields included). */
export function messageOverhead(keyByteLength: number, message: VignetteMessage): number {
  const { ttl, full, vig, client } = message;
  return (
    1 +
    KEY_FIELD.length +
    stringHeaderSize(keyByteLength) +
    keyByteLength +
    VECTOR_FIELD.length +
    TTL_FIELD.length +
    unsignedIntegerSize(ttl) +
    (full ? FULL_FIELD_TRUE.length : 0) +
    (vig === undefined ? 0 : VIG_FIELD.length + unsignedIntegerSize(vig)) +
    (client === undefined ? 0 : CLIENT_FIELD.length + 1)
  );
}

/** Writes the map header, the key and the name of the vector field. */
export function writeHeadAt(
  bytes: Uint8Array,
  position: number,
  message: VignetteMessage,
  keyByteLength: number,
  withDense: boolean,
): number {
  const { full, vig, client } = message;
  bytes[position] =
    0x80 |
    (3 +
      (full ? 1 : 0) +
      (withDense ? 1 : 0) +
      (vig === undefined ? 0 : 1) +
      (client === undefined ? 0 : 1));
  position = writeFieldAt(bytes, position + 1, KEY_FIELD);
  position = writeStringHeaderAt(bytes, position, keyByteLength);
  position = writeUtf8At(bytes, position, message.key);
  return writeFieldAt(bytes, position, VECTOR_FIELD);
}

/** Writes `ttl`, and `full` when true (absent reads as false). */
export function writeTailAt(bytes: Uint8Array, position: number, message: VignetteMessage): number {
  position = writeUnsignedAt(bytes, writeFieldAt(bytes, position, TTL_FIELD), message.ttl);
  return message.full ? writeFieldAt(bytes, position, FULL_FIELD_TRUE) : position;
}

/**
 * Writes `vig` and `client` when present: the message's last fields, after
 * `dense`. A message without them ends where it did before they existed.
 */
export function writeExtensionsAt(
  bytes: Uint8Array,
  position: number,
  message: VignetteMessage,
): number {
  const { vig, client } = message;
  if (vig !== undefined)
    position = writeUnsignedAt(bytes, writeFieldAt(bytes, position, VIG_FIELD), vig);
  if (client !== undefined) {
    position = writeFieldAt(bytes, position, CLIENT_FIELD);
    bytes[position] = client ? 0xc3 : 0xc2;
    position += 1;
  }
  return position;
}

/** Bytes of the sorted entries `from..to` as a vector map. */
export function sparseVectorSize(
  indices: readonly number[],
  values: readonly number[],
  from: number,
  to: number,
): number {
  let size = containerHeaderSize(to - from);
  for (let i = from; i < to; i++) {
    size += unsignedIntegerSize(indices[i]) + unsignedIntegerSize(values[i]);
  }
  return size;
}

/** Writes the sorted entries `from..to` as a vector map. */
export function writeSparseVectorAt(
  bytes: Uint8Array,
  position: number,
  indices: readonly number[],
  values: readonly number[],
  from: number,
  to: number,
): number {
  position = writeMapHeaderAt(bytes, position, to - from);
  for (let i = from; i < to; i++) {
    position = writeUnsignedAt(bytes, position, indices[i]);
    position = writeUnsignedAt(bytes, position, values[i]);
  }
  return position;
}

/** The narrowest register width that holds `largest`. */
export function registerWidthFor(largest: number): RegisterWidth {
  if (largest <= 0xff) return 1;
  if (largest <= 0xffff) return 2;
  if (largest <= 0xffff_ffff) return 4;
  return 8;
}

/** Bytes of a dense field up to its bin header: the name, `[`, the offset and the width. */
export function denseFieldHeadSize(offset: number): number {
  return DENSE_FIELD.length + 1 + unsignedIntegerSize(offset) + 1;
}

/** Bytes of a dense field (its name included) holding `count` registers from `offset`. */
export function denseFieldSize(offset: number, count: number, width: RegisterWidth): number {
  const byteLength = count * width;
  return denseFieldHeadSize(offset) + binaryHeaderSize(byteLength) + byteLength;
}

/** The most registers of `width` bytes that fit in `available` bytes with their bin header. */
export function denseCapacity(available: number, width: RegisterWidth): number {
  let best = 0;
  for (const [headerSize, largestLength] of binaryHeaderLimits) {
    const count = Math.min(
      Math.floor((available - headerSize) / width),
      Math.floor(largestLength / width),
    );
    if (count > best) best = count;
  }
  return best;
}

const binaryHeaderLimits: readonly (readonly [number, number])[] = [
  [2, 0xff],
  [3, 0xffff],
  [5, 0xffff_ffff],
];

/** Writes the dense field's name, `[offset, width,` and the bin header; returns where registers start. */
function writeDenseHeadAt(
  bytes: Uint8Array,
  position: number,
  offset: number,
  count: number,
  width: RegisterWidth,
): number {
  position = writeArrayHeaderAt(bytes, writeFieldAt(bytes, position, DENSE_FIELD), 3);
  position = writeUnsignedAt(bytes, position, offset);
  position = writeUnsignedAt(bytes, position, width);
  return writeBinaryHeaderAt(bytes, position, count * width);
}

/** Writes one register, little-endian, in `width` bytes. */
function writeRegisterAt(
  bytes: Uint8Array,
  position: number,
  value: number,
  width: RegisterWidth,
): void {
  bytes[position] = value;
  if (width === 1) return;
  bytes[position + 1] = value >>> 8;
  if (width === 2) return;
  bytes[position + 2] = value >>> 16;
  bytes[position + 3] = value >>> 24;
  if (width === 4) return;
  const high = (value - (value >>> 0)) / 0x1_0000_0000;
  bytes[position + 4] = high;
  bytes[position + 5] = high >>> 8;
  bytes[position + 6] = high >>> 16;
  bytes[position + 7] = high >>> 24;
}

/** Writes the dense field for `registers[first .. first + count)`, whose first index is `offset`. */
export function writeDenseFromRegistersAt(
  bytes: Uint8Array,
  position: number,
  registers: RegisterArray,
  first: number,
  count: number,
  offset: number,
  width: RegisterWidth,
): number {
  position = writeDenseHeadAt(bytes, position, offset, count, width);
  if (width === 1 && registers instanceof Uint8Array) {
    bytes.set(registers.subarray(first, first + count), position);
    return position + count;
  }
  for (let i = 0; i < count; i++)
    writeRegisterAt(bytes, position + i * width, registers[first + i], width);
  return position + count * width;
}

/** Writes the dense field for the sorted entries `from..to`, starting at the first one's index. */
export function writeDenseFromSortedAt(
  bytes: Uint8Array,
  position: number,
  indices: readonly number[],
  values: readonly number[],
  from: number,
  to: number,
  width: RegisterWidth,
): number {
  const offset = indices[from];
  const count = indices[to - 1] - offset + 1;
  position = writeDenseHeadAt(bytes, position, offset, count, width);
  bytes.fill(0, position, position + count * width);
  for (let i = from; i < to; i++) {
    writeRegisterAt(bytes, position + (indices[i] - offset) * width, values[i], width);
  }
  return position + count * width;
}

/** The largest of the sorted values `from..to`. */
export function largestValue(values: readonly number[], from: number, to: number): number {
  let largest = 0;
  for (let i = from; i < to; i++) if (values[i] > largest) largest = values[i];
  return largest;
}
