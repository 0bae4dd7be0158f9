// Encodes versioned-store operations as one compact msgpack batch: agent ids
// and repeated keys in tables, sequential operations in runs (see the README,
// "Operation batches").

import { MalformedOperationError, assertOperation } from '@vig/crdt-core';
import type { Operation, Version } from '@vig/crdt-core';
import { ValueEncodeError, encodeValue } from './msgpack-value.js';
import type { MsgpackValue } from './msgpack-value.js';
import {
  createOutputBuffer,
  reserve,
  writeArrayHeaderAt,
  writeUint32At,
  writeUnsignedAt,
} from './msgpack-writer.js';
import { OperationEncodeError } from './operation-batch-errors.js';
import { OPERATION_BATCH_FORMAT } from './operation-batch-format.js';
import { utf8ByteLength, writeUtf8At } from './utf8.js';
import { DEFAULT_MAX_KEY_BYTES } from './wire-defaults.js';

/** Options of {@link encodeOperations}. */
export interface EncodeOperationsOptions {
  /**
   * The longest key accepted, in UTF-8 bytes: a longer one throws, rather than
   * making a batch that peers refuse. Default {@link DEFAULT_MAX_KEY_BYTES}
   * (1024), as {@link decodeOperations}.
   */
  readonly maxKeyBytes?: number;
}

/** The operations being encoded, with their tables. */
interface BatchPlan {
  readonly operations: readonly Operation[];
  /** Agent id → its index in the agent table, in order of first appearance. */
  readonly agentIndices: Map<string, number>;
  /** Key → its index in the key table: keys written more than once, most written first. */
  readonly keyIndices: Map<string, number>;
  /** UTF-8 byte length of every agent id and key. */
  readonly byteLengths: Map<string, number>;
}

/** The encoder's output, reused between batches. */
const output = createOutputBuffer();
/** A buffer grown past this for one huge batch is dropped afterwards, not kept. */
const largestRetainedCapacity = 1024 * 1024;

/**
 * Encodes operations (typically from `VersionedStore.operationsMissingFrom` or
 * `operationsSince`) as one compact batch of plain msgpack; the README,
 * "Operation batches", describes it byte by byte. Each agent id is written
 * once, in a table; keys written more than once go through a table too; an
 * operation that follows the previous one by the same agent (next seq, that
 * operation as its only parent) costs only its writes. Values are written as
 * {@link encodeValue} writes them. The order of operations, parents and
 * replaced versions is kept, so {@link decodeOperations} returns equal
 * operations (values as {@link decodeValue} returns them).
 *
 * @returns a `Uint8Array` of its own (not a view of a shared buffer)
 * @throws {@link OperationEncodeError} naming the operation: its `cause` is
 *   crdt-core's `MalformedOperationError` for an operation `assertOperation`
 *   rejects, {@link ValueEncodeError} for a value outside the msgpack data
 *   model; also for a key or agent id holding a lone surrogate, or a key
 *   longer than `maxKeyBytes`.
 */
export function encodeOperations(
  operations: readonly Operation[],
  options?: EncodeOperationsOptions,
): Uint8Array {
  if (!Array.isArray(operations)) {
    throw new OperationEncodeError(undefined, 'they are not an array', {
      cause: new MalformedOperationError('operations is not an array'),
    });
  }
  const plan = planBatch(operations, options?.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES);
  try {
    writeBatch(plan);
    return output.bytes.slice(0, output.position);
  } finally {
    output.position = 0;
    if (output.bytes.length > largestRetainedCapacity) output.bytes = createOutputBuffer().bytes;
  }
}

/** Checks every operation and builds the agent and key tables. */
function planBatch(operations: readonly Operation[], maxKeyBytes: number): BatchPlan {
  const agentIndices = new Map<string, number>();
  const byteLengths = new Map<string, number>();
  const keyCounts = new Map<string, number>();
  const addAgent = (position: number, version: Version) => {
    if (agentIndices.has(version.agent)) return;
    const byteLength = utf8ByteLength(version.agent);
    if (byteLength < 0) {
      throw new OperationEncodeError(
        position,
        `agent id ${JSON.stringify(version.agent)} holds a lone surrogate: expected text UTF-8 can carry`,
      );
    }
    agentIndices.set(version.agent, agentIndices.size);
    byteLengths.set(version.agent, byteLength);
  };
  for (let position = 0; position < operations.length; position++) {
    const operation = operations[position];
    try {
      assertOperation(operation);
    } catch (error) {
      if (!(error instanceof MalformedOperationError)) throw error;
      throw new OperationEncodeError(position, error.message, { cause: error });
    }
    addAgent(position, operation.version);
    for (const parent of operation.parents) addAgent(position, parent);
    for (const { key, replaces } of operation.writes) {
      for (const replaced of replaces) addAgent(position, replaced);
      const count = keyCounts.get(key);
      if (count !== undefined) {
        keyCounts.set(key, count + 1);
        continue;
      }
      const byteLength = utf8ByteLength(key);
      if (byteLength < 0 || byteLength > maxKeyBytes) {
        throw new OperationEncodeError(
          position,
          byteLength < 0
            ? `key ${JSON.stringify(key)} holds a lone surrogate: expected text UTF-8 can carry`
            : `key ${JSON.stringify(key.length > 32 ? `${key.slice(0, 32)}…` : key)} is ${byteLength} bytes long: expected at most ${maxKeyBytes} (maxKeyBytes)`,
        );
      }
      keyCounts.set(key, 1);
      byteLengths.set(key, byteLength);
    }
  }
  // Most written first, so the keys written most take one-byte indices; a
  // stable sort keeps keys written equally often in order of first appearance.
  const repeated = [...keyCounts].filter(([, count]) => count > 1);
  repeated.sort(([, left], [, right]) => right - left);
  const keyIndices = new Map(repeated.map(([key], index) => [key, index]));
  return { operations, agentIndices, keyIndices, byteLengths };
}

/** True when `operation` continues the run of `previous`: same agent, next seq, it as only parent. */
function continuesRun(previous: Operation, operation: Operation): boolean {
  const { version, parents } = operation;
  if (version.agent !== previous.version.agent || version.seq !== previous.version.seq + 1) {
    return false;
  }
  if (parents.length !== 1) return false;
  const [parent] = parents;
  return parent.agent === version.agent && parent.seq === previous.version.seq;
}

/** The end (exclusive) of every run, in order. */
function runEnds(operations: readonly Operation[]): number[] {
  const ends: number[] = [];
  for (let position = 1; position < operations.length; position++) {
    if (!continuesRun(operations[position - 1], operations[position])) ends.push(position);
  }
  if (operations.length > 0) ends.push(operations.length);
  return ends;
}

function writeBatch(plan: BatchPlan): void {
  const { operations, agentIndices, keyIndices, byteLengths } = plan;
  writeArrayHeader(4);
  writeUnsigned(OPERATION_BATCH_FORMAT);
  writeArrayHeader(agentIndices.size);
  for (const agent of agentIndices.keys()) writeText(agent, byteLengths.get(agent) ?? 0);
  writeArrayHeader(keyIndices.size);
  for (const key of keyIndices.keys()) writeText(key, byteLengths.get(key) ?? 0);
  const ends = runEnds(operations);
  writeArrayHeader(ends.length);
  let start = 0;
  for (const end of ends) {
    const first = operations[start];
    writeArrayHeader(3 + end - start);
    writeUnsigned(agentIndices.get(first.version.agent) ?? 0);
    writeUnsigned(first.version.seq);
    writeVersions(first.parents, agentIndices);
    for (let position = start; position < end; position++) {
      writeWrites(position, operations[position], plan);
    }
    start = end;
  }
}

/** Writes an operation's writes: `[key, value, replaces, key, value, replaces, …]`. */
function writeWrites(position: number, operation: Operation, plan: BatchPlan): void {
  const { writes } = operation;
  writeArrayHeader(writes.length * 3);
  for (const { key, value, replaces } of writes) {
    const index = plan.keyIndices.get(key);
    if (index === undefined) writeText(key, plan.byteLengths.get(key) ?? 0);
    else writeUnsigned(index);
    if (!writeScalar(value)) writeEncodedValue(position, key, value);
    writeVersions(replaces, plan.agentIndices);
  }
}

/** Writes versions as one flat array of `agent index, seq` pairs. */
function writeVersions(versions: readonly Version[], agentIndices: Map<string, number>): void {
  writeArrayHeader(versions.length * 2);
  for (const { agent, seq } of versions) {
    writeUnsigned(agentIndices.get(agent) ?? 0);
    writeUnsigned(seq);
  }
}

/**
 * Writes null, a boolean, a number or a well-formed string directly, byte for
 * byte as {@link encodeValue} (msgpackr) writes it: the tests hold the two
 * together. Returns false, writing nothing, for any other value, which goes
 * through `encodeValue` itself.
 */
function writeScalar(value: unknown): boolean {
  switch (typeof value) {
    case 'number':
      writeNumber(value);
      return true;
    case 'string':
      return writeString(value);
    case 'boolean':
      writeByte(value ? 0xc3 : 0xc2);
      return true;
    default:
      if (value !== null) return false;
      writeByte(0xc0);
      return true;
  }
}

const floatView = new DataView(new ArrayBuffer(8));

/** Unsigned 32-bit integers as the smallest uint, negative 32-bit ones as the smallest int, the rest as float64. */
function writeNumber(value: number): void {
  if (value >>> 0 === value) {
    writeUnsigned(value);
    return;
  }
  const bytes = reserve(output, 9);
  let position = output.position;
  if (value >> 0 === value) {
    if (value >= -0x20) bytes[position++] = value + 0x100;
    else if (value >= -0x80) {
      bytes[position++] = 0xd0;
      bytes[position++] = value + 0x100;
    } else if (value >= -0x8000) {
      bytes[position++] = 0xd1;
      bytes[position++] = value >> 8;
      bytes[position++] = value;
    } else {
      bytes[position++] = 0xd2;
      position = writeUint32At(bytes, position, value >>> 0);
    }
  } else {
    bytes[position++] = 0xcb;
    floatView.setFloat64(0, value);
    for (let i = 0; i < 8; i++) bytes[position++] = floatView.getUint8(i);
  }
  output.position = position;
}

/**
 * A string in its smallest header (str8 included, as msgpackr writes values)
 * and UTF-8; false for a string with a lone surrogate, which `encodeValue`
 * writes its own way.
 */
function writeString(value: string): boolean {
  const byteLength = utf8ByteLength(value);
  if (byteLength < 0) return false;
  writeText(value, byteLength);
  return true;
}

/** Writes well-formed text of `byteLength` UTF-8 bytes with its smallest header (str8 included). */
function writeText(text: string, byteLength: number): void {
  const bytes = reserve(output, 5 + byteLength);
  let position = output.position;
  if (byteLength < 0x20) bytes[position++] = 0xa0 | byteLength;
  else if (byteLength < 0x100) {
    bytes[position++] = 0xd9;
    bytes[position++] = byteLength;
  } else if (byteLength < 0x1_0000) {
    bytes[position++] = 0xda;
    bytes[position++] = byteLength >>> 8;
    bytes[position++] = byteLength;
  } else {
    bytes[position++] = 0xdb;
    position = writeUint32At(bytes, position, byteLength);
  }
  output.position = writeUtf8At(bytes, position, text);
}

function writeByte(byte: number): void {
  const bytes = reserve(output, 1);
  bytes[output.position++] = byte;
}

function writeEncodedValue(position: number, key: string, value: unknown): void {
  let encoded: Uint8Array;
  try {
    // encodeValue checks the value at run time: anything outside the model throws.
    encoded = encodeValue(value as MsgpackValue);
  } catch (error) {
    if (!(error instanceof ValueEncodeError)) throw error;
    throw new OperationEncodeError(
      position,
      `the value of key ${JSON.stringify(key)}: ${error.message}`,
      { cause: error },
    );
  }
  const bytes = reserve(output, encoded.length);
  bytes.set(encoded, output.position);
  output.position += encoded.length;
}

function writeUnsigned(value: number): void {
  const bytes = reserve(output, 9);
  output.position = writeUnsignedAt(bytes, output.position, value);
}

function writeArrayHeader(count: number): void {
  const bytes = reserve(output, 5);
  output.position = writeArrayHeaderAt(bytes, output.position, count);
}
