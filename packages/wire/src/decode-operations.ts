import { rejectInvalidByteAt, requireByteArray } from './message-start.js';
// Decodes an operation batch strictly, validating as it reads (see the README,
// "Operation batches"), then checks every operation with crdt-core's
// assertOperation. Never throws: failures come back as typed errors.

import { MAX_VALUE, MalformedOperationError, assertOperation, isAgentId } from '@vig/crdt-core';
import type { AgentId, KeyWrite, Operation, Version } from '@vig/crdt-core';
import type { WireDecodeError } from './decode-errors.js';
import {
  asDecodeError,
  InvalidUtf8Error,
  KeyTooLongError,
  NestingTooDeepError,
  TrailingBytesError,
  TruncatedMessageError,
} from './decode-errors.js';
import { describeItemAt } from './describe-item.js';
import {
  readArrayHeader,
  readNumber,
  readTextHeader,
  requireBytes,
  skipValue,
} from './msgpack-cursor.js';
import type { MsgpackCursor } from './msgpack-cursor.js';
import { decodeValue } from './msgpack-value.js';
import {
  BatchTooLargeError,
  InvalidOperationsError,
  TooManyOperationsError,
} from './operation-batch-errors.js';
import { OPERATION_BATCH_FORMAT, VALUE_MAX_DEPTH } from './operation-batch-format.js';
import { decodeUtf8 } from './utf8.js';
import {
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_MAX_KEY_BYTES,
  DEFAULT_MAX_OPERATIONS,
} from './wire-defaults.js';

/** Options of {@link decodeOperations}; every limit has a documented default. */
export interface DecodeOperationsOptions {
  /** The most operations a batch may hold. Default {@link DEFAULT_MAX_OPERATIONS} (100 000). */
  readonly maxOperations?: number;
  /** The longest batch, in bytes, refused before reading. Default {@link DEFAULT_MAX_BATCH_BYTES} (16 MiB). */
  readonly maxBytes?: number;
  /** The longest key accepted, in UTF-8 bytes. Default {@link DEFAULT_MAX_KEY_BYTES} (1024). */
  readonly maxKeyBytes?: number;
}

/** What {@link decodeOperations} returns: the operations, or why the batch was refused. */
export type DecodeOperationsResult =
  | { readonly ok: true; readonly operations: Operation[] }
  | { readonly ok: false; readonly error: WireDecodeError };

/**
 * Reads one operation batch written by {@link encodeOperations} (or by any
 * msgpack implementation following the README's "Operation batches")
 * strictly. Never throws: every failure comes back as `{ ok: false, error }`,
 * where `error` is a {@link WireDecodeError} whose `reason` names it —
 * `not-msgpack`, `truncated`, `trailing-bytes`, `batch-too-large`,
 * `too-many-operations`, `key-too-long`, `invalid-utf8` (a key), or
 * `invalid-operations` for everything else: the wrong shape, an index outside
 * its table, a seq outside 0..2^53−1, an agent id not of 1..64 characters, a
 * value that is not plain msgpack, or an operation crdt-core's
 * `assertOperation` rejects (its `MalformedOperationError` is the `cause`).
 *
 * The operations come back in batch order, values as {@link decodeValue}
 * returns them (maps as `Map`s), ready for `VersionedStore.applyRemote`.
 * Every count is checked against the bytes left before anything is
 * allocated.
 */
export function decodeOperations(
  bytes: Uint8Array,
  options?: DecodeOperationsOptions,
): DecodeOperationsResult {
  try {
    return { ok: true, operations: readBatch(bytes, options) };
  } catch (error) {
    return { ok: false, error: asDecodeError(error) };
  }
}

/**
 * What an item is, for an error message: built only on failure, since most
 * labels name the operation and key.
 */
type Label = string | (() => string);

function labelText(label: Label): string {
  return typeof label === 'string' ? label : label();
}

/** The cursor and the tables read so far. */
interface BatchReader {
  readonly cursor: MsgpackCursor;
  readonly maxKeyBytes: number;
  agents: readonly AgentId[];
  keys: readonly string[];
}

const batchShape = 'an array of 4 items [format, agents, keys, runs]';
const versionsShape = 'a flat array of agent index, seq pairs';
/** 64 UTF-16 code units take at most 3 UTF-8 bytes each. */
const maxAgentIdBytes = 64 * 3;
const seqRange = 'an integer in 0..2^53-1';

function readBatch(bytes: Uint8Array, options: DecodeOperationsOptions | undefined): Operation[] {
  requireByteArray(bytes);
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BATCH_BYTES;
  if (bytes.length > maxBytes) throw new BatchTooLargeError(bytes.length, maxBytes);
  if (bytes.length === 0) throw new TruncatedMessageError(0, 0, 1, 'an operation batch');
  const cursor: MsgpackCursor = { bytes, position: 0, end: bytes.length };
  const reader: BatchReader = {
    cursor,
    maxKeyBytes: options?.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES,
    agents: [],
    keys: [],
  };
  const itemCount = readArrayHeader(cursor);
  if (itemCount !== 4) rejectItem(cursor, 0, 'the batch', batchShape, itemCount);
  const formatStart = cursor.position;
  if (readNumber(cursor) !== OPERATION_BATCH_FORMAT) {
    rejectItem(cursor, formatStart, 'the format', `${OPERATION_BATCH_FORMAT}, the only one known`);
  }
  reader.agents = readAgentTable(cursor);
  reader.keys = readKeyTable(reader);
  const operations = readRuns(reader, options?.maxOperations ?? DEFAULT_MAX_OPERATIONS);
  if (cursor.position !== cursor.end) {
    throw new TrailingBytesError(cursor.end, cursor.position, 'exactly one operation batch');
  }
  for (let position = 0; position < operations.length; position++) {
    try {
      assertOperation(operations[position]);
    } catch (error) {
      if (!(error instanceof MalformedOperationError)) throw error;
      throw new InvalidOperationsError(`operation ${position}: ${error.message}`, {
        cause: error,
      });
    }
  }
  return operations;
}

/**
 * Throws for the item at `start`: {@link NotMsgpackError} for the byte 0xc1,
 * else {@link InvalidOperationsError} saying what was found and expected
 * (`count`: the element count of an array found there, when known).
 */
function rejectItem(
  cursor: MsgpackCursor,
  start: number,
  what: Label,
  expected: string,
  count = -1,
): never {
  const { bytes } = cursor;
  rejectInvalidByteAt(bytes, start);
  const found = count >= 0 ? `an array of ${count} items` : describeItemAt(bytes, start);
  throw new InvalidOperationsError(
    `${labelText(what)} at offset ${start} is ${found}: expected ${expected}`,
  );
}

/** Reads an integer in 0..`max`: any int encoding, or an integral float. */
function readInteger(cursor: MsgpackCursor, what: Label, max: number, expected: string): number {
  const start = cursor.position;
  const value = readNumber(cursor);
  if (Number.isInteger(value) && value >= 0 && value <= max) return value;
  return rejectItem(cursor, start, what, expected);
}

/** Reads an array header: its count, which must be a multiple of `multiple` (at least `least`). */
function readArray(
  cursor: MsgpackCursor,
  what: Label,
  shape: string,
  multiple: number,
  least: number,
): number {
  const start = cursor.position;
  const count = readArrayHeader(cursor);
  if (count < 0) rejectItem(cursor, start, what, shape);
  if (count < least || count % multiple !== 0) rejectItem(cursor, start, what, shape, count);
  // Every element takes a byte at least: a count beyond the bytes left is a truncation.
  requireBytes(cursor, count);
  return count;
}

function readAgentTable(cursor: MsgpackCursor): AgentId[] {
  const shape = 'an array of distinct agent ids';
  const count = readArray(cursor, 'the agent table', shape, 1, 0);
  const { bytes } = cursor;
  const agents = new Array<AgentId>(count);
  const seen = new Set<string>();
  for (let index = 0; index < count; index++) {
    const start = cursor.position;
    const what = `agent ${index}`;
    const length = readTextHeader(cursor);
    if (length < 0) rejectItem(cursor, start, what, 'a string of 1..64 characters');
    if (length === 0 || length > maxAgentIdBytes) {
      throw new InvalidOperationsError(
        `${what} at offset ${start} is ${length} bytes long: expected an agent id of 1..64 characters`,
      );
    }
    requireBytes(cursor, length);
    const textStart = cursor.position;
    cursor.position = textStart + length;
    const agent = decodeUtf8(bytes, textStart, textStart + length);
    if (agent === undefined) {
      throw new InvalidOperationsError(`${what} at offset ${start} is not valid UTF-8`);
    }
    if (!isAgentId(agent)) {
      throw new InvalidOperationsError(
        `${what} at offset ${start} is ${agent.length} characters long: expected 1..64`,
      );
    }
    if (seen.has(agent)) {
      throw new InvalidOperationsError(
        `${what} at offset ${start}, ${quote(agent)}, is listed twice: expected each agent id once`,
      );
    }
    seen.add(agent);
    agents[index] = agent;
  }
  return agents;
}

function readKeyTable(reader: BatchReader): string[] {
  const { cursor } = reader;
  const count = readArray(cursor, 'the key table', 'an array of distinct keys', 1, 0);
  const keys = new Array<string>(count);
  const seen = new Set<string>();
  for (let index = 0; index < count; index++) {
    const start = cursor.position;
    const length = readTextHeader(cursor);
    if (length < 0) rejectItem(cursor, start, `key ${index} of the key table`, 'a string');
    const key = readKeyText(reader, start, length);
    if (seen.has(key)) {
      throw new InvalidOperationsError(
        `key ${index} of the key table at offset ${start}, ${quote(key)}, is listed twice: expected each key once`,
      );
    }
    seen.add(key);
    keys[index] = key;
  }
  return keys;
}

/** Reads the `length` bytes of a key's text (its header, at `start`, is read). */
function readKeyText(reader: BatchReader, start: number, length: number): string {
  const { cursor } = reader;
  if (length > reader.maxKeyBytes) throw new KeyTooLongError(length, reader.maxKeyBytes);
  requireBytes(cursor, length);
  const textStart = cursor.position;
  cursor.position = textStart + length;
  const key = decodeUtf8(cursor.bytes, textStart, textStart + length);
  if (key === undefined) throw new InvalidUtf8Error('key', start);
  return key;
}

function readRuns(reader: BatchReader, maxOperations: number): Operation[] {
  const { cursor } = reader;
  const start = cursor.position;
  const runCount = readArrayHeader(cursor);
  if (runCount < 0) rejectItem(cursor, start, 'the run list', 'an array of runs');
  // Every run holds an operation at least.
  if (runCount > maxOperations) throw new TooManyOperationsError(runCount, maxOperations);
  requireBytes(cursor, runCount);
  const operations: Operation[] = [];
  for (let run = 0; run < runCount; run++) readRun(reader, run, operations, maxOperations);
  return operations;
}

/** Reads run `run`, `[agent, seq, parents, writes…]`, adding its operations to `operations`. */
function readRun(
  reader: BatchReader,
  run: number,
  operations: Operation[],
  maxOperations: number,
): void {
  const { cursor } = reader;
  const what = `run ${run}`;
  const start = cursor.position;
  const itemCount = readArrayHeader(cursor);
  if (itemCount < 4) {
    rejectItem(
      cursor,
      start,
      what,
      'an array [agent, seq, parents, writes…] with the writes of one operation at least',
      itemCount,
    );
  }
  const count = itemCount - 3;
  if (operations.length + count > maxOperations) {
    throw new TooManyOperationsError(operations.length + count, maxOperations);
  }
  requireBytes(cursor, itemCount);
  const agent = readAgentIndex(reader, () => `the agent of ${what}`);
  const seqStart = cursor.position;
  const firstSeq = readInteger(cursor, () => `the first seq of ${what}`, MAX_VALUE, seqRange);
  // Written so that no sum rounds: firstSeq + count may pass 2^53.
  if (count - 1 > MAX_VALUE - firstSeq) {
    throw new InvalidOperationsError(
      `${what}: its ${count} operations from seq ${firstSeq} (at offset ${seqStart}) go past 2^53-1`,
    );
  }
  const parents = readVersions(reader, () => `the parents of ${what}`);
  for (let index = 0; index < count; index++) {
    const seq = firstSeq + index;
    const version: Version = { agent, seq };
    const writes = readWrites(reader, version);
    operations.push({
      version,
      parents: index === 0 ? parents : [{ agent, seq: seq - 1 }],
      writes,
    });
  }
}

/** Reads an index into the agent table and returns the agent id. */
function readAgentIndex(reader: BatchReader, what: Label): AgentId {
  const count = reader.agents.length;
  const index = readInteger(
    reader.cursor,
    what,
    count - 1,
    count === 0
      ? 'an index into the agent table, which is empty'
      : `an index into the agent table (0..${count - 1})`,
  );
  return reader.agents[index];
}

/** Reads versions: a flat array of agent index, seq pairs. */
function readVersions(reader: BatchReader, what: Label): Version[] {
  const { cursor } = reader;
  const count = readArray(cursor, what, versionsShape, 2, 0) / 2;
  const versions = new Array<Version>(count);
  for (let index = 0; index < count; index++) {
    const agent = readAgentIndex(reader, () => `an agent in ${labelText(what)}`);
    const seq = readInteger(cursor, () => `a seq in ${labelText(what)}`, MAX_VALUE, seqRange);
    versions[index] = { agent, seq };
  }
  return versions;
}

/** Reads an operation's writes: a flat array of key, value, replaces triples, one at least. */
function readWrites(reader: BatchReader, version: Version): KeyWrite[] {
  const { cursor } = reader;
  const count =
    readArray(
      cursor,
      () => `the writes of ${operationName(version)}`,
      'a flat array of key, value, replaces triples, one at least',
      3,
      3,
    ) / 3;
  const writes = new Array<KeyWrite>(count);
  for (let index = 0; index < count; index++) {
    const key = readKey(reader, version);
    const value = readValue(cursor, version, key);
    const replaces = readVersions(
      reader,
      () => `the versions key ${quote(key)} of ${operationName(version)} replaces`,
    );
    writes[index] = { key, value, replaces };
  }
  return writes;
}

/** Reads a key: an index into the key table, or the key's text. */
function readKey(reader: BatchReader, version: Version): string {
  const { cursor, keys } = reader;
  const start = cursor.position;
  requireBytes(cursor, 1);
  const token = cursor.bytes[start];
  if (token < 0x80 && token < keys.length) {
    cursor.position = start + 1;
    return keys[token];
  }
  const length = readTextHeader(cursor);
  if (length >= 0) return readKeyText(reader, start, length);
  const index = readNumber(cursor);
  if (Number.isInteger(index) && index >= 0 && index < keys.length) return keys[index];
  return rejectItem(
    cursor,
    start,
    () => `a key of ${operationName(version)}`,
    keys.length === 0
      ? 'a string (the key table is empty)'
      : `a string or an index into the key table (0..${keys.length - 1})`,
  );
}

/**
 * Reads a value as {@link decodeValue} does: null, booleans, integers up to 32
 * bits, float64 and strings of well-formed UTF-8 directly (what msgpackr
 * returns for them; the tests hold the two together), anything else through
 * `decodeValue` itself.
 */
function readValue(cursor: MsgpackCursor, version: Version, key: string): unknown {
  const start = cursor.position;
  requireBytes(cursor, 1);
  const { bytes } = cursor;
  const token = bytes[start];
  if (token < 0x80 || token >= 0xe0) {
    cursor.position = start + 1;
    return token < 0x80 ? token : token - 0x100;
  }
  switch (token) {
    case 0xc0:
      cursor.position = start + 1;
      return null;
    case 0xc2:
    case 0xc3:
      cursor.position = start + 1;
      return token === 0xc3;
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xd0:
    case 0xd1:
    case 0xd2:
      return readNumber(cursor);
    case 0xcb:
      requireBytes(cursor, 9);
      cursor.position = start + 9;
      // As msgpackr reads it: -0 stays -0.
      for (let i = 0; i < 8; i++) floatView.setUint8(i, bytes[start + 1 + i]);
      return floatView.getFloat64(0);
    default:
      break;
  }
  if ((token & 0xe0) === 0xa0 || (token >= 0xd9 && token <= 0xdb)) {
    const length = readTextHeader(cursor);
    requireBytes(cursor, length);
    const text = decodeUtf8(bytes, cursor.position, cursor.position + length);
    if (text !== undefined) {
      cursor.position += length;
      return text;
    }
    // Not UTF-8: decodeValue reads it its own way.
    cursor.position = start;
  }
  const what = `the value of key ${quote(key)} in ${operationName(version)} at offset ${start}`;
  try {
    skipValue(cursor, VALUE_MAX_DEPTH);
  } catch (error) {
    if (!(error instanceof NestingTooDeepError)) throw error;
    throw new InvalidOperationsError(
      `${what} nests containers more than ${VALUE_MAX_DEPTH} levels deep: expected at most ${VALUE_MAX_DEPTH}, as encodeValue writes`,
      { cause: error },
    );
  }
  const decoded = decodeValue(bytes.subarray(start, cursor.position));
  if (!decoded.ok) {
    throw new InvalidOperationsError(
      `${what} is not a plain msgpack value (${decoded.error.message})`,
      {
        cause: decoded.error,
      },
    );
  }
  return decoded.value;
}

function operationName(version: Version): string {
  return `operation ${version.agent}:${version.seq}`;
}

const floatView = new DataView(new ArrayBuffer(8));

/** A string for an error message, shortened past 40 characters. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
