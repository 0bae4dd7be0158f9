import { openMessageMap, rejectInvalidByteAt, requireByteArray } from './message-start.js';
import { EMPTY_ENTRIES, MAX_INDEX, MAX_VALUE } from '@vig/crdt-core';
import type { RegisterArray, VectorEntries } from '@vig/crdt-core';
import type { WireDecodeError } from './decode-errors.js';
import {
  asDecodeError,
  FieldTypeError,
  InvalidDenseError,
  InvalidUtf8Error,
  InvalidVectorIndexError,
  InvalidVectorValueError,
  KeyTooLongError,
  MissingFieldError,
  TooManyEntriesError,
  TrailingBytesError,
  TruncatedMessageError,
} from './decode-errors.js';
import { describeItemAt } from './describe-item.js';
import type { VignetteMessage } from './message.js';
import { isVigProtocolVersion } from './message-layout.js';
import {
  CLIENT_FIELD_CODE,
  DENSE_FIELD_CODE,
  FULL_FIELD_CODE,
  KEY_FIELD_CODE,
  TTL_FIELD_CODE,
  VECTOR_FIELD_CODE,
  VIG_FIELD_CODE,
  fieldCodeAt,
} from './message-fields.js';
import {
  readArrayHeader,
  readBinaryHeader,
  readMapHeader,
  readNumber,
  readTextHeader,
  requireBytes,
  skipValue,
} from './msgpack-cursor.js';
import type { MsgpackCursor } from './msgpack-cursor.js';
import { decodeUtf8 } from './utf8.js';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_KEY_BYTES,
  DEFAULT_TTL,
} from './wire-defaults.js';

/** Options of {@link decodeMessage}; every limit has a documented default. */
export interface DecodeOptions {
  /** The longest key accepted, in UTF-8 bytes. Default {@link DEFAULT_MAX_KEY_BYTES} (1024). */
  readonly maxKeyBytes?: number;
  /** The most entries (sparse entries plus dense registers). Default {@link DEFAULT_MAX_ENTRIES} (65536). */
  readonly maxEntries?: number;
  /** How deeply containers may nest in a skipped unknown field. Default {@link DEFAULT_MAX_DEPTH} (32). */
  readonly maxDepth?: number;
  /** The `ttl` of a message without one (Clojure peers send none). Default {@link DEFAULT_TTL} (50). */
  readonly defaultTtl?: number;
}

/** What {@link decodeMessage} returns: the message, or why it was dropped. */
export type DecodeResult =
  | { readonly ok: true; readonly message: VignetteMessage }
  | { readonly ok: false; readonly error: WireDecodeError };

/**
 * Reads one vignette message strictly, validating as it reads. Never throws:
 * every failure comes back as `{ ok: false, error }`, where `error` is a
 * {@link WireDecodeError} whose `reason` names the failure.
 *
 * Accepted beyond what Vig writes: every msgpack int type and integral floats
 * for indices, values and `ttl`; str8 and bin for the key and field names;
 * fields in any order (a repeated field: the last one wins); unknown fields of
 * any type, skipped. A missing `ttl` reads as `options.defaultTtl` (50), a
 * missing `full` as false. The extension fields `vig` (an integer in
 * 1..2^31; versions above `VIG_PROTOCOL_VERSION` included) and `client`
 * (a boolean) are read strictly, and are absent from the message unless sent. Sparse vectors come out as sparse entries in wire
 * order; a message with only a `dense` field comes out as dense entries, one
 * with both as sparse entries holding their union.
 */
export function decodeMessage(bytes: Uint8Array, options?: DecodeOptions): DecodeResult {
  try {
    return { ok: true, message: readMessage(bytes, options) };
  } catch (error) {
    return { ok: false, error: asDecodeError(error) };
  } finally {
    // Let go of the caller's bytes and of what was read.
    cursor.bytes = noBytes;
    sparseIndices = undefined;
    sparseValues = undefined;
    denseRead = undefined;
  }
}

const noBytes = new Uint8Array(0);
/** One cursor, reused: decoding never re-enters itself. */
const cursor: MsgpackCursor = { bytes: noBytes, position: 0, end: 0 };

// The entries read so far (a repeated field overwrites them), kept here
// rather than in an object allocated per message.
let sparseIndices: number[] | undefined;
let sparseValues: number[] | undefined;
let denseRead: DenseRead | undefined;

interface DenseRead {
  readonly offset: number;
  readonly registers: RegisterArray;
}

function readMessage(bytes: Uint8Array, options: DecodeOptions | undefined): VignetteMessage {
  requireByteArray(bytes);
  const maxKeyBytes = options?.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES;
  const maxEntries = options?.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const fieldCount = openMessageMap(cursor, bytes);
  let key: string | undefined;
  let ttl = options?.defaultTtl ?? DEFAULT_TTL;
  let full = false;
  let vig: number | undefined;
  let client: boolean | undefined;
  for (let field = 0; field < fieldCount; field++) {
    const nameLength = readTextHeader(cursor);
    if (nameLength < 0) {
      // A field name that is no string cannot be one we know: skip name and value.
      skipValue(cursor, maxDepth);
      skipValue(cursor, maxDepth);
      continue;
    }
    requireBytes(cursor, nameLength);
    const nameStart = cursor.position;
    cursor.position = nameStart + nameLength;
    switch (fieldCodeAt(bytes, nameStart, nameLength)) {
      case KEY_FIELD_CODE:
        key = readKey(maxKeyBytes);
        break;
      case VECTOR_FIELD_CODE:
        readSparseVector(maxEntries);
        break;
      case TTL_FIELD_CODE:
        ttl = readTtl();
        break;
      case FULL_FIELD_CODE:
        full = readBoolean('full');
        break;
      case VIG_FIELD_CODE:
        vig = readVig();
        break;
      case CLIENT_FIELD_CODE:
        client = readBoolean('client');
        break;
      case DENSE_FIELD_CODE:
        denseRead = readDense(maxEntries);
        break;
      default:
        skipValue(cursor, maxDepth);
    }
  }
  if (cursor.position !== cursor.end) throw new TrailingBytesError(cursor.end, cursor.position);
  if (key === undefined) throw new MissingFieldError('key');
  const vector = combineVector(maxEntries);
  // Absent extension fields stay absent: no property holding undefined.
  if (vig === undefined) {
    return client === undefined ? { key, vector, ttl, full } : { key, vector, ttl, full, client };
  }
  return client === undefined
    ? { key, vector, ttl, full, vig }
    : { key, vector, ttl, full, vig, client };
}

function readKey(maxKeyBytes: number): string {
  const start = cursor.position;
  const length = readTextHeader(cursor);
  if (length < 0) {
    rejectInvalidByteAt(cursor.bytes, start);
    throw new FieldTypeError('key', describeItemAt(cursor.bytes, start), 'a string');
  }
  if (length > maxKeyBytes) throw new KeyTooLongError(length, maxKeyBytes);
  requireBytes(cursor, length);
  const textStart = cursor.position;
  cursor.position = textStart + length;
  const key = decodeUtf8(cursor.bytes, textStart, textStart + length);
  if (key === undefined) throw new InvalidUtf8Error('key', start);
  return key;
}

function readTtl(): number {
  const start = cursor.position;
  const ttl = readNumber(cursor);
  if (ttl >= 0 && ttl <= MAX_VALUE && Math.floor(ttl) === ttl) return ttl;
  rejectInvalidByteAt(cursor.bytes, start);
  throw new FieldTypeError('ttl', describeItemAt(cursor.bytes, start), 'an integer in 0..2^53-1');
}

/** Reads `full` or `client`: `true` or `false`, nothing else. */
function readBoolean(field: 'full' | 'client'): boolean {
  requireBytes(cursor, 1);
  const token = cursor.bytes[cursor.position];
  if (token === 0xc2 || token === 0xc3) {
    cursor.position += 1;
    return token === 0xc3;
  }
  rejectInvalidByteAt(cursor.bytes, cursor.position);
  throw new FieldTypeError(field, describeItemAt(cursor.bytes, cursor.position), 'a boolean');
}

/** Reads `vig`: an integer in 1..2^31 in any int encoding, or an integral float. */
function readVig(): number {
  const start = cursor.position;
  const vig = readNumber(cursor);
  if (isVigProtocolVersion(vig)) return vig;
  rejectInvalidByteAt(cursor.bytes, start);
  throw new FieldTypeError(
    'vig',
    describeItemAt(cursor.bytes, start),
    "an integer in 1..2^31 (the sender's Vig protocol version)",
  );
}

/** Reads the `vector` map into preallocated arrays: the hot loop of decoding. */
function readSparseVector(maxEntries: number): void {
  const { bytes } = cursor;
  const start = cursor.position;
  const count = readMapHeader(cursor);
  if (count < 0) {
    rejectInvalidByteAt(cursor.bytes, start);
    throw new FieldTypeError(
      'vector',
      describeItemAt(bytes, start),
      'a map from integer indices to integer values',
    );
  }
  if (count > maxEntries) throw new TooManyEntriesError(count, maxEntries);
  // Every entry takes two bytes at least, so the arrays never outgrow the input.
  requireBytes(cursor, count * 2);
  const indices = new Array<number>(count);
  const values = new Array<number>(count);
  const end = cursor.end;
  let position = cursor.position;
  for (let i = 0; i < count; i++) {
    if (position >= end) throw new TruncatedMessageError(end, position, 1);
    let index = bytes[position];
    if (index < 0x80) position += 1;
    else {
      cursor.position = position;
      index = readIndexSlowly();
      position = cursor.position;
    }
    if (position >= end) throw new TruncatedMessageError(end, position, 1);
    let value = bytes[position];
    if (value < 0x80) position += 1;
    else {
      cursor.position = position;
      value = readValueSlowly(index);
      position = cursor.position;
    }
    indices[i] = index;
    values[i] = value;
  }
  cursor.position = position;
  sparseIndices = indices;
  sparseValues = values;
}

/** An index in any encoding other than a positive fixint. */
function readIndexSlowly(): number {
  const start = cursor.position;
  const index = readNumber(cursor);
  if (index >>> 0 === index) return index;
  rejectInvalidByteAt(cursor.bytes, start);
  const found = describeItemAt(cursor.bytes, start);
  throw new InvalidVectorIndexError(found, Number.isNaN(index) ? found : index);
}

/** A value in any encoding other than a positive fixint. */
function readValueSlowly(index: number): number {
  const start = cursor.position;
  const value = readNumber(cursor);
  if (value >= 0 && value <= MAX_VALUE && Math.floor(value) === value) return value;
  rejectInvalidByteAt(cursor.bytes, start);
  const found = describeItemAt(cursor.bytes, start);
  throw new InvalidVectorValueError(index, found, Number.isNaN(value) ? found : value);
}

const denseShape = 'an array [offset, width, registers as bin]';

/** Reads the `dense` field: `[offset, width, registers]`, registers little-endian in a bin. */
function readDense(maxEntries: number): DenseRead {
  const { bytes } = cursor;
  const start = cursor.position;
  if (readArrayHeader(cursor) !== 3) {
    rejectInvalidByteAt(cursor.bytes, start);
    throw new FieldTypeError('dense', describeItemAt(bytes, start), denseShape);
  }
  const offsetStart = cursor.position;
  const offset = readNumber(cursor);
  if (offset >>> 0 !== offset) {
    rejectInvalidByteAt(cursor.bytes, offsetStart);
    const found = describeItemAt(bytes, offsetStart);
    throw new InvalidVectorIndexError(found, Number.isNaN(offset) ? found : offset);
  }
  const widthStart = cursor.position;
  const width = readNumber(cursor);
  if (width !== 1 && width !== 2 && width !== 4 && width !== 8) {
    rejectInvalidByteAt(cursor.bytes, widthStart);
    throw new InvalidDenseError(
      `register width ${describeItemAt(bytes, widthStart)}: expected 1, 2, 4 or 8 bytes`,
    );
  }
  const registersStart = cursor.position;
  const byteLength = readBinaryHeader(cursor);
  if (byteLength < 0) {
    rejectInvalidByteAt(cursor.bytes, registersStart);
    throw new FieldTypeError(
      'dense',
      `registers as ${describeItemAt(bytes, registersStart)}`,
      denseShape,
    );
  }
  if (byteLength % width !== 0) {
    throw new InvalidDenseError(
      `${byteLength} register bytes: expected a multiple of the width, ${width}`,
    );
  }
  const count = byteLength / width;
  if (count > maxEntries) throw new TooManyEntriesError(count, maxEntries);
  if (count > 0 && offset + count - 1 > MAX_INDEX) {
    const last = offset + count - 1;
    throw new InvalidVectorIndexError(String(last), last);
  }
  requireBytes(cursor, byteLength);
  const first = cursor.position;
  cursor.position = first + byteLength;
  return { offset, registers: readRegisters(bytes, first, count, width, offset) };
}

/** Copies little-endian registers out of the message into the narrowest typed array of the width. */
function readRegisters(
  bytes: Uint8Array,
  first: number,
  count: number,
  width: 1 | 2 | 4 | 8,
  offset: number,
): RegisterArray {
  if (width === 1) {
    // Copy explicitly: on a Node Buffer, slice() is a view of the caller's bytes.
    const registers = new Uint8Array(count);
    registers.set(bytes.subarray(first, first + count));
    return registers;
  }
  if (width === 2) {
    const registers = new Uint16Array(count);
    for (let i = 0, at = first; i < count; i++, at += 2)
      registers[i] = bytes[at] | (bytes[at + 1] << 8);
    return registers;
  }
  if (width === 4) {
    const registers = new Uint32Array(count);
    for (let i = 0, at = first; i < count; i++, at += 4) registers[i] = readLittleUint32(bytes, at);
    return registers;
  }
  const registers = new Float64Array(count);
  for (let i = 0, at = first; i < count; i++, at += 8) {
    const high = readLittleUint32(bytes, at + 4);
    const value = high * 0x1_0000_0000 + readLittleUint32(bytes, at);
    if (high > 0x1f_ffff) {
      const exact = (BigInt(high) << 32n) | BigInt(readLittleUint32(bytes, at));
      throw new InvalidVectorValueError(offset + i, String(exact), exact);
    }
    registers[i] = value;
  }
  return registers;
}

function readLittleUint32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x100_0000;
}

/** The message's entries: sparse, dense, or (both present) sparse holding their union. */
function combineVector(maxEntries: number): VectorEntries {
  const indices = sparseIndices;
  const values = sparseValues;
  const dense = denseRead;
  if (indices === undefined || values === undefined) throw new MissingFieldError('vector');
  if (dense === undefined) {
    return indices.length === 0 ? EMPTY_ENTRIES : { kind: 'sparse', indices, values };
  }
  if (indices.length === 0)
    return { kind: 'dense', offset: dense.offset, registers: dense.registers };
  const total = indices.length + dense.registers.length;
  if (total > maxEntries) throw new TooManyEntriesError(total, maxEntries);
  const { offset, registers } = dense;
  for (let i = 0; i < registers.length; i++) {
    if (registers[i] === 0) continue;
    indices.push(offset + i);
    values.push(registers[i]);
  }
  return { kind: 'sparse', indices, values };
}
