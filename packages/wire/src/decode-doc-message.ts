// Decodes one doc message strictly, validating as it reads (see the README,
// "Doc messages"). Never throws: failures come back as typed errors.

import { MAX_VALUE, isAgentId } from '@vig/crdt-core';
import type { HistoryDigest, Sibling, Version } from '@vig/crdt-core';
import type { WireDecodeError } from './decode-errors.js';
import {
  KeyTooLongError,
  TrailingBytesError,
  TruncatedMessageError,
  asDecodeError,
} from './decode-errors.js';
import type { DecodeOptions } from './decode-message.js';
import { describeItemAt } from './describe-item.js';
import { InvalidDocError } from './doc-errors.js';
import { DOC_KIND_FIELDS, isDocFieldAt, isDocKind } from './doc-fields.js';
import {
  DOC_DIGEST_BYTES,
  MAX_DOC_PARTS,
  MAX_DOC_SIBLINGS,
  MAX_DOC_TEXT_BYTES,
  MAX_DOC_VERSIONS,
} from './doc-message.js';
import type { DocKind, DocMessage } from './doc-message.js';
import { isVigProtocolVersion } from './message-layout.js';
import {
  firstFieldPosition,
  openMessageMap,
  rejectInvalidByteAt,
  requireByteArray,
} from './message-start.js';
import {
  readArrayHeader,
  readBinaryHeader,
  readNumber,
  readTextHeader,
  requireBytes,
  skipValue,
} from './msgpack-cursor.js';
import type { MsgpackCursor } from './msgpack-cursor.js';
import { decodeValue } from './msgpack-value.js';
import { decodeUtf8 } from './utf8.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_KEY_BYTES } from './wire-defaults.js';

/** What {@link decodeDocMessage} returns: the doc message, or why it was dropped. */
export type DocDecodeResult =
  | { readonly ok: true; readonly doc: DocMessage }
  | { readonly ok: false; readonly error: WireDecodeError };

/** How deeply a value (`value`, a sibling's value) may nest: as {@link decodeValue} allows. */
const VALUE_MAX_DEPTH = 100;

/**
 * Whether `bytes` hold a doc message, judged from the first field name
 * alone: true when they start with a non-empty msgpack map (fixmap, map16 or
 * map32) whose first key is the fixstr `"doc"`. A few byte comparisons.
 */
export function isDocDatagram(bytes: Uint8Array): boolean {
  const position = firstFieldPosition(bytes);
  return position > 0 && isDocFieldAt(bytes, position);
}

/**
 * Reads one doc message strictly, validating as it reads. Never throws:
 * every failure comes back as `{ ok: false, error }`, whose `reason` is
 * `not-msgpack`, `truncated`, `trailing-bytes`, `not-a-map`,
 * `nesting-too-deep` (in a skipped unknown field), `key-too-long` (a `key`
 * over `options.maxKeyBytes`, default 1024), or `invalid-doc` for everything
 * else (see {@link InvalidDocError}).
 *
 * Fields the kind does not know are skipped (nested at most
 * `options.maxDepth` levels, default 32). Values come back as
 * {@link decodeValue} returns them (maps as `Map`); bins as fresh
 * `Uint8Array`s sharing no memory with `bytes`; optional fields and `client`
 * only when sent.
 */
export function decodeDocMessage(bytes: Uint8Array, options?: DecodeOptions): DocDecodeResult {
  try {
    return { ok: true, doc: readDoc(bytes, options) };
  } catch (error) {
    return { ok: false, error: asDecodeError(error) };
  } finally {
    cursor.bytes = noBytes;
  }
}

const noBytes = new Uint8Array(0);
/** One cursor, reused: decoding never re-enters itself. */
const cursor: MsgpackCursor = { bytes: noBytes, position: 0, end: 0 };

/** The fields of each kind, as sets of names (without the optional mark). */
const knownFields: Readonly<Record<DocKind, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries(DOC_KIND_FIELDS).map(([kind, fields]) => [
    kind,
    new Set(fields.map((field) => field.replace('?', ''))),
  ]),
) as unknown as Record<DocKind, ReadonlySet<string>>;

function readDoc(bytes: Uint8Array, options: DecodeOptions | undefined): DocMessage {
  requireByteArray(bytes);
  if (bytes.length === 0) throw new TruncatedMessageError(0, 0, 1, 'a doc message');
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxKeyBytes = options?.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES;
  const fieldCount = openMessageMap(cursor, bytes);
  if (fieldCount === 0 || !isDocFieldAt(bytes, cursor.position)) {
    throw new InvalidDocError('doc', 'the first field is not "doc" (as a fixstr): expected it');
  }
  cursor.position += 4;
  const kind = readKind();
  const known = knownFields[kind];
  const fields = new Map<string, unknown>();
  for (let field = 1; field < fieldCount; field++) {
    const nameStart = cursor.position;
    const name = readFieldName();
    if (name === undefined || !(known.has(name) || name === 'vig' || name === 'client')) {
      skipValue(cursor, maxDepth);
      continue;
    }
    if (fields.has(name)) {
      throw new InvalidDocError(name, `field "${name}" at offset ${nameStart} appears twice`);
    }
    fields.set(name, readField(name, maxKeyBytes));
  }
  if (cursor.position !== cursor.end) {
    throw new TrailingBytesError(cursor.end, cursor.position, 'exactly one doc message');
  }
  if (!fields.has('vig')) throw missing('vig', kind);
  for (const spec of DOC_KIND_FIELDS[kind]) {
    if (!spec.endsWith('?') && !fields.has(spec)) throw missing(spec, kind);
  }
  return { kind, ...Object.fromEntries(fields) } as unknown as DocMessage;
}

function missing(field: string, kind: DocKind): InvalidDocError {
  return new InvalidDocError(field, `a "${kind}" message has no "${field}" field: expected it`);
}

/** Throws {@link InvalidDocError}: the item at `start` is not what `field` holds. */
function reject(field: string, start: number, expected: string): never {
  rejectInvalidByteAt(cursor.bytes, start);
  const found = describeItemAt(cursor.bytes, start);
  throw new InvalidDocError(
    field,
    `"${field}" at offset ${start} holds ${found}: expected ${expected}`,
  );
}

function readKind(): DocKind {
  const start = cursor.position;
  const text = readString('doc', 32);
  if (text !== undefined && isDocKind(text)) return text;
  return reject('doc', start, 'a doc kind ("digest", "recent", "ops", "part", "put", …)');
}

/** A field name: its text, or undefined for a name that is no string or too long to be known. */
function readFieldName(): string | undefined {
  const length = readTextHeader(cursor);
  if (length < 0) {
    skipValue(cursor, DEFAULT_MAX_DEPTH);
    return undefined;
  }
  requireBytes(cursor, length);
  cursor.position += length;
  return length <= 16
    ? decodeUtf8(cursor.bytes, cursor.position - length, cursor.position)
    : undefined;
}

/** Reads a str (not bin) of at most `maxBytes` bytes of strict UTF-8; undefined when it is no str. */
function readString(field: string, maxBytes: number): string | undefined {
  const start = cursor.position;
  requireBytes(cursor, 1);
  const token = cursor.bytes[start];
  if (token >= 0xc4 && token <= 0xc6) return undefined;
  const length = readTextHeader(cursor);
  if (length < 0) return undefined;
  if (length > maxBytes) {
    throw new InvalidDocError(
      field,
      `"${field}" at offset ${start} is ${length} bytes long: expected at most ${maxBytes} bytes`,
    );
  }
  requireBytes(cursor, length);
  const text = decodeUtf8(cursor.bytes, cursor.position, cursor.position + length);
  if (text === undefined) {
    throw new InvalidDocError(field, `"${field}" at offset ${start} is not valid UTF-8`);
  }
  cursor.position += length;
  return text;
}

function readText(field: string, maxBytes: number): string {
  const start = cursor.position;
  return readString(field, maxBytes) ?? reject(field, start, 'a string');
}

function readField(name: string, maxKeyBytes: number): unknown {
  switch (name) {
    case 'vig': {
      const start = cursor.position;
      const vig = readNumber(cursor);
      if (isVigProtocolVersion(vig)) return vig;
      return reject('vig', start, "an integer in 1..2^31 (the sender's Vig protocol version)");
    }
    case 'client':
    case 'reply':
    case 'complete':
      return readBoolean(name);
    case 'digest':
      return readDigest();
    case 'heads':
    case 'versions':
    case 'parents':
    case 'frontier':
      return readVersions(name);
    case 'version': {
      const start = cursor.position;
      const versions = readVersions(name);
      return versions.length === 1 ? versions[0] : reject(name, start, 'one version [agent, seq]');
    }
    case 'batch':
    case 'bytes':
      return readBinary(name);
    case 'ttl':
    case 'from':
    case 'next':
    case 'cursor':
      return readInteger(name, 0, MAX_VALUE, '0..2^53-1');
    case 'request':
      return readInteger(name, 0, 0xffff_ffff, '0..2^32-1');
    case 'limit':
      return readInteger(name, 1, 0xffff_ffff, '1..2^32-1');
    case 'index':
      return readInteger(name, 0, MAX_DOC_PARTS - 1, `0..${MAX_DOC_PARTS - 1}`);
    case 'count':
      return readInteger(name, 2, MAX_DOC_PARTS, `2..${MAX_DOC_PARTS}`);
    case 'id':
      return readId();
    case 'key':
      return readKey(maxKeyBytes);
    case 'target': {
      requireBytes(cursor, 1);
      const token = cursor.bytes[cursor.position];
      const isArray = (token & 0xf0) === 0x90 || token === 0xdc || token === 0xdd;
      return isArray ? readVersions(name) : readText(name, MAX_DOC_TEXT_BYTES);
    }
    case 'value':
      return readValue(name);
    case 'siblings':
      return readSiblings();
    default:
      // name, branch, code, message
      return readText(name, MAX_DOC_TEXT_BYTES);
  }
}

function readBoolean(field: string): boolean {
  requireBytes(cursor, 1);
  const token = cursor.bytes[cursor.position];
  if (token === 0xc2 || token === 0xc3) {
    cursor.position += 1;
    return token === 0xc3;
  }
  return reject(field, cursor.position, 'a boolean');
}

function readInteger(field: string, minimum: number, maximum: number, range: string): number {
  const start = cursor.position;
  const value = readNumber(cursor);
  if (value >= minimum && value <= maximum && Math.floor(value) === value) return value;
  return reject(field, start, `an integer in ${range}`);
}

function readBinary(field: string): Uint8Array {
  const start = cursor.position;
  const length = readBinaryHeader(cursor);
  if (length < 0) reject(field, start, 'binary data');
  requireBytes(cursor, length);
  const bytes = cursor.bytes.slice(cursor.position, cursor.position + length);
  cursor.position += length;
  // A Node Buffer's slice would be a view: copy into a plain array of its own.
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes);
}

function readDigest(): HistoryDigest {
  const start = cursor.position;
  const bytes = readBinary('digest');
  if (bytes.length !== DOC_DIGEST_BYTES) {
    reject('digest', start, `${DOC_DIGEST_BYTES} bytes: count, low and high, little-endian`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0, true) + view.getUint32(4, true) * 0x1_0000_0000;
  if (count > MAX_VALUE) reject('digest', start, 'a count in 0..2^53-1');
  return { count, low: view.getUint32(8, true), high: view.getUint32(12, true) };
}

function readId(): string {
  const start = cursor.position;
  const bytes = readBinary('id');
  if (bytes.length !== 8) reject('id', start, '8 bytes');
  let id = '';
  for (const byte of bytes) id += byte.toString(16).padStart(2, '0');
  return id;
}

function readKey(maxKeyBytes: number): string {
  const start = cursor.position;
  requireBytes(cursor, 1);
  const probe = { ...cursor };
  const length = readTextHeader(probe);
  if (length > maxKeyBytes) throw new KeyTooLongError(length, maxKeyBytes);
  return readString('key', maxKeyBytes) ?? reject('key', start, 'a string');
}

/** Reads a list header of `count × width` items, at most `limit` groups, each item at least a byte. */
function readGroups(field: string, width: number, limit: number, shape: string): number {
  const start = cursor.position;
  const length = readArrayHeader(cursor);
  if (length < 0 || length % width !== 0) reject(field, start, shape);
  const count = length / width;
  if (count > limit) {
    throw new InvalidDocError(
      field,
      `"${field}" at offset ${start} holds ${count} items: expected at most ${limit}`,
    );
  }
  requireBytes(cursor, length);
  return count;
}

function readVersion(field: string): Version {
  const start = cursor.position;
  const agent = readString(field, 256);
  if (agent === undefined || !isAgentId(agent)) {
    reject(field, start, 'an agent id: a string of 1..64 characters');
  }
  const seq = readInteger(field, 0, MAX_VALUE, '0..2^53-1');
  return { agent, seq };
}

function readVersions(field: string): Version[] {
  const shape = 'a flat array of versions [agent, seq, agent, seq, …]';
  const count = readGroups(field, 2, MAX_DOC_VERSIONS, shape);
  const versions = new Array<Version>(count);
  for (let item = 0; item < count; item++) versions[item] = readVersion(field);
  return versions;
}

function readValue(field: string): unknown {
  const start = cursor.position;
  skipValue(cursor, VALUE_MAX_DEPTH);
  const decoded = decodeValue(cursor.bytes.subarray(start, cursor.position));
  if (decoded.ok) return decoded.value;
  throw new InvalidDocError(field, `"${field}" at offset ${start} is no plain msgpack value`, {
    cause: decoded.error,
  });
}

function readSiblings(): Sibling[] {
  const shape = 'a flat array of siblings [agent, seq, value, …]';
  const count = readGroups('siblings', 3, MAX_DOC_SIBLINGS, shape);
  const siblings = new Array<Sibling>(count);
  for (let item = 0; item < count; item++) {
    const version = readVersion('siblings');
    siblings[item] = { version, value: readValue('siblings') };
  }
  return siblings;
}
