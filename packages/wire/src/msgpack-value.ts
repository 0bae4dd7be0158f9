// Generic msgpack values, for what Vig stores besides max vectors (the
// versioned store's values). msgpackr is configured here, once, for plain
// msgpack that every implementation reads, and used nowhere else in Vig.

import { VigError } from '@vig/crdt-core';
import { Packr, Unpackr } from 'msgpackr';

/**
 * What {@link encodeValue} accepts: the msgpack data model in JavaScript.
 * Maps may have keys of any of these types (integer keys stay integers);
 * plain objects are maps with string keys. Dates travel as the standard
 * timestamp extension (-1), `Uint8Array`s as bin.
 */
export type MsgpackValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Date
  | readonly MsgpackValue[]
  | ReadonlyMap<MsgpackValue, MsgpackValue>
  | MsgpackRecord;

/** A plain object: a msgpack map with string keys. */
export interface MsgpackRecord {
  readonly [field: string]: MsgpackValue;
}

/**
 * What {@link decodeValue} returns. Every msgpack map comes back as a `Map`
 * (so integer keys stay integers, whatever the sender's language); 64-bit
 * integer encodings come back as `bigint`, every other integer and float as
 * `number`.
 */
export type DecodedValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Date
  | DecodedValue[]
  | Map<DecodedValue, DecodedValue>;

/** What {@link decodeValue} returns: the value, or why the bytes were not one. */
export type DecodeValueResult =
  | { readonly ok: true; readonly value: DecodedValue }
  | { readonly ok: false; readonly error: ValueDecodeError };

/** A value {@link encodeValue} cannot write as plain msgpack. */
export class ValueEncodeError extends VigError {
  static override readonly name = 'ValueEncodeError';
  override readonly name = 'ValueEncodeError';

  constructor(problem: string, options?: ErrorOptions) {
    super(`value cannot be encoded as msgpack: ${problem}`, options);
  }
}

/** Bytes {@link decodeValue} cannot read as one plain msgpack value. */
export class ValueDecodeError extends VigError {
  static override readonly name = 'ValueDecodeError';
  override readonly name = 'ValueDecodeError';

  constructor(problem: string, options?: ErrorOptions) {
    super(`bytes are not one plain msgpack value: ${problem}`, options);
  }
}

/** Nesting deeper than this is refused both ways (it also stops reference cycles). */
const maxNesting = 100;

// No records, no msgpackr-only extensions, no structured clone: what any
// implementation reads. Maps decode as Maps, so integer keys stay integers.
const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  structuredClone: false,
  variableMapSize: true,
});
const unpackr = new Unpackr({
  useRecords: false,
  mapsAsObjects: false,
  structuredClone: false,
  // Bin must not keep the caller's bytes alive or change with them.
  copyBuffers: true,
});

/**
 * Encodes a value as plain msgpack (smallest int, map and string encodings;
 * non-integer and above-2^32 numbers as float64; bigints as int64/uint64).
 *
 * @throws {@link ValueEncodeError} for anything outside {@link MsgpackValue}
 *   (undefined, functions, symbols, class instances, typed arrays other than
 *   `Uint8Array`, invalid dates, bigints beyond 64 bits) or nested deeper
 *   than 100 levels.
 */
export function encodeValue(value: MsgpackValue): Uint8Array {
  checkEncodable(value);
  try {
    // A plain Uint8Array of its own, whatever msgpackr returns (a Node Buffer
    // viewing its shared buffer, in Node).
    return new Uint8Array(packr.pack(value));
  } catch (error) {
    throw new ValueEncodeError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

/**
 * Decodes exactly one plain msgpack value. Never throws: bytes that are not
 * msgpack, that end early or carry more, or that hold msgpackr's own
 * extensions (records, sets, errors...) or any extension but the timestamp,
 * come back as `{ ok: false, error }`.
 */
export function decodeValue(bytes: Uint8Array): DecodeValueResult {
  let decoded: unknown;
  try {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('expected a Uint8Array');
    if (bytes.length === 0) throw new RangeError('no bytes');
    decoded = unpackr.unpack(bytes);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return { ok: false, error: new ValueDecodeError(problem, { cause: error }) };
  }
  const problem = findUndecodable(decoded, 0);
  if (problem !== undefined) {
    return { ok: false, error: new ValueDecodeError(`$${problem.path} ${problem.what}`) };
  }
  return { ok: true, value: asPlainBytes(decoded) as DecodedValue };
}

/** Where in a value something is wrong, and what. Built on the way up, so success costs no strings. */
interface Problem {
  path: string;
  readonly what: string;
}

const expectedTypes =
  'expected null, a boolean, number, bigint, string, Uint8Array, Date, array, Map or plain object';

function checkEncodable(value: unknown): void {
  const problem = findUnencodable(value, 0);
  if (problem !== undefined) throw new ValueEncodeError(`$${problem.path} ${problem.what}`);
}

function within(problem: Problem | undefined, segment: string): Problem | undefined {
  if (problem !== undefined) problem.path = segment + problem.path;
  return problem;
}

/** The first part of `value` outside {@link MsgpackValue}, or undefined. */
function findUnencodable(value: unknown, depth: number): Problem | undefined {
  if (value === null) return undefined;
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
      return undefined;
    case 'bigint':
      return BigInt.asIntN(64, value) === value || BigInt.asUintN(64, value) === value
        ? undefined
        : { path: '', what: 'is a bigint beyond 64 bits' };
    case 'object':
      break;
    default:
      return { path: '', what: `is ${typeof value}: ${expectedTypes}` };
  }
  if (depth >= maxNesting) return { path: '', what: `nests deeper than ${maxNesting} levels` };
  if (value instanceof Uint8Array) return undefined;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? { path: '', what: 'is an invalid Date' } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = within(findUnencodable(value[i], depth + 1), `[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (value instanceof Map) {
    for (const [key, entry] of value as Map<unknown, unknown>) {
      const problem =
        within(findUnencodable(key, depth + 1), ' (a key)') ??
        within(findUnencodable(entry, depth + 1), `.get(${describeKey(key)})`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    return { path: '', what: `is ${Object.prototype.toString.call(value)}: ${expectedTypes}` };
  }
  for (const [field, entry] of Object.entries(value)) {
    const problem = within(findUnencodable(entry, depth + 1), `.${field}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function describeKey(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : String(key);
}

/** Bin comes back from msgpackr as a Node Buffer in Node: made a plain Uint8Array everywhere. */
function asPlainBytes(value: unknown): unknown {
  return value instanceof Uint8Array && value.constructor !== Uint8Array
    ? new Uint8Array(value)
    : value;
}

/**
 * The first decoded part outside {@link DecodedValue} (msgpackr's own
 * extensions), or undefined; on the way, replaces Buffers inside arrays and
 * map values with plain Uint8Arrays.
 */
function findUndecodable(value: unknown, depth: number): Problem | undefined {
  if (value === null) return undefined;
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
    case 'bigint':
      return undefined;
    case 'object':
      break;
    default:
      return { path: '', what: `decoded to ${typeof value}, which plain msgpack has no type for` };
  }
  if (depth >= maxNesting) return { path: '', what: `nests deeper than ${maxNesting} levels` };
  if (value instanceof Uint8Array || value instanceof Date) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = within(findUndecodable(value[i], depth + 1), `[${i}]`);
      if (problem !== undefined) return problem;
      value[i] = asPlainBytes(value[i]);
    }
    return undefined;
  }
  if (value instanceof Map) {
    const map = value as Map<unknown, unknown>;
    for (const [key, entry] of map) {
      const problem =
        within(findUndecodable(key, depth + 1), ' (a key)') ??
        within(findUndecodable(entry, depth + 1), ' (a value)');
      if (problem !== undefined) return problem;
      // Replacing the value of a key already present does not disturb iteration.
      if (asPlainBytes(entry) !== entry) map.set(key, asPlainBytes(entry));
    }
    return undefined;
  }
  return {
    path: '',
    what: `is ${Object.prototype.toString.call(value)}, from an extension only msgpackr writes`,
  };
}
