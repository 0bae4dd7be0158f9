import { MAX_VALUE, isAgentId } from '@vig/crdt-core';
import type { HistoryDigest, Sibling, Version } from '@vig/crdt-core';
import { InvalidDocFieldError } from './doc-errors.js';
import { DOC_FIELD, DOC_KIND_FIELDS } from './doc-fields.js';
import {
  DOC_DIGEST_BYTES,
  MAX_DOC_PARTS,
  MAX_DOC_SIBLINGS,
  MAX_DOC_TEXT_BYTES,
  MAX_DOC_VERSIONS,
} from './doc-message.js';
import type { DocMessage } from './doc-message.js';
import { isVigProtocolVersion } from './message-layout.js';
import { encodeValue } from './msgpack-value.js';
import type { MsgpackValue } from './msgpack-value.js';
import {
  createOutputBuffer,
  reserve,
  takeWritten,
  writeArrayHeaderAt,
  writeBinaryHeaderAt,
  writeMapHeaderAt,
  writeStringHeaderAt,
  writeUnsignedAt,
} from './msgpack-writer.js';
import { utf8ByteLength, writeUtf8At } from './utf8.js';
import { DEFAULT_MAX_KEY_BYTES } from './wire-defaults.js';

const output = createOutputBuffer();

/** One field to write: its name and a function writing its value. */
type FieldWriter = readonly [name: string, write: () => void];

/**
 * Encodes one doc message as plain msgpack: a map whose first field is `doc`
 * (the kind), then the kind's fields in the order the README lists them
 * (optional ones only when present), then `vig`, then `client` (only when
 * true). Values travel as {@link encodeValue} writes them; versions as flat
 * arrays `[agent, seq, agent, seq, …]`. Send it only to peers known to be Vig
 * nodes; {@link splitDocMessage} cuts one too large for a datagram.
 *
 * @throws {@link InvalidDocFieldError} naming the first field that cannot be
 *   encoded (with the `ValueEncodeError` as `cause` for a value outside msgpack)
 */
export function encodeDocMessage(message: DocMessage): Uint8Array {
  const fields = fieldWriters(message);
  output.position = 0;
  try {
    writeMapHeader(fields.length + 1);
    writeRaw(DOC_FIELD);
    writeText(message.kind);
    for (const [name, write] of fields) {
      writeText(name);
      write();
    }
    return takeWritten(output);
  } finally {
    output.position = 0;
  }
}

/** Every field of `message` but `doc`, checked, as writers in written order. */
function fieldWriters(message: DocMessage): FieldWriter[] {
  const fields: FieldWriter[] = [];
  const record = message as unknown as Readonly<Record<string, unknown>>;
  for (const spec of DOC_KIND_FIELDS[message.kind]) {
    const optional = spec.endsWith('?');
    const name = optional ? spec.slice(0, -1) : spec;
    const value = record[name];
    if (value === undefined) {
      if (optional) continue;
      throw new InvalidDocFieldError(name, `is missing: a "${message.kind}" message carries it`);
    }
    fields.push([name, checkedWriter(message.kind, name, value)]);
  }
  if (!isVigProtocolVersion(message.vig)) {
    throw new InvalidDocFieldError(
      'vig',
      `is ${String(message.vig)}: expected an integer in 1..2^31 (the sender's Vig protocol version)`,
    );
  }
  const vig = message.vig;
  fields.push(['vig', () => writeUint(vig)]);
  if (message.client !== undefined && typeof message.client !== 'boolean') {
    throw new InvalidDocFieldError('client', `is ${typeof message.client}: expected a boolean`);
  }
  if (message.client === true) fields.push(['client', () => writeBoolean(true)]);
  return fields;
}

/** Checks one field's value now and returns the function that writes it. */
function checkedWriter(kind: string, name: string, value: unknown): () => void {
  switch (name) {
    case 'digest':
      return writerOfDigest(value);
    case 'heads':
    case 'versions':
    case 'parents':
    case 'frontier':
      return writerOfVersions(name, value);
    case 'version': {
      const version = checkVersion(name, value);
      return () => writeVersions([version]);
    }
    case 'reply':
    case 'complete':
      return writerOfBoolean(name, value);
    case 'batch':
    case 'bytes':
      return writerOfBinary(name, value);
    case 'ttl':
    case 'from':
    case 'next':
    case 'cursor':
      return writerOfInteger(name, value, 0, MAX_VALUE, '0..2^53-1');
    case 'request':
      return writerOfInteger(name, value, 0, 0xffff_ffff, '0..2^32-1');
    case 'limit':
      return writerOfInteger(name, value, 1, 0xffff_ffff, '1..2^32-1');
    case 'index':
      return writerOfInteger(name, value, 0, MAX_DOC_PARTS - 1, `0..${MAX_DOC_PARTS - 1}`);
    case 'count':
      return writerOfInteger(name, value, 2, MAX_DOC_PARTS, `2..${MAX_DOC_PARTS}`);
    case 'id':
      return writerOfId(value);
    case 'key':
      return writerOfText(name, value, DEFAULT_MAX_KEY_BYTES);
    case 'name':
    case 'branch':
    case 'code':
    case 'message':
      return writerOfText(name, value, MAX_DOC_TEXT_BYTES);
    case 'target':
      return typeof value === 'string'
        ? writerOfText(name, value, MAX_DOC_TEXT_BYTES)
        : writerOfVersions(name, value);
    case 'value': {
      const bytes = encodedValue(name, value);
      return () => writeRaw(bytes);
    }
    case 'siblings':
      return writerOfSiblings(value);
    default:
      throw new InvalidDocFieldError(name, `is not a field of a "${kind}" message`);
  }
}

function writerOfDigest(value: unknown): () => void {
  const digest = value as Partial<HistoryDigest> | null;
  const count = digest?.count;
  const low = digest?.low;
  const high = digest?.high;
  const isWord = (word: unknown): word is number => typeof word === 'number' && word >>> 0 === word;
  if (
    typeof count !== 'number' ||
    !Number.isSafeInteger(count) ||
    count < 0 ||
    !isWord(low) ||
    !isWord(high)
  ) {
    throw new InvalidDocFieldError(
      'digest',
      'is not a history digest: expected { count: 0..2^53-1, low: uint32, high: uint32 }',
    );
  }
  return () => {
    const bytes = new Uint8Array(DOC_DIGEST_BYTES);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, count >>> 0, true);
    view.setUint32(4, Math.floor(count / 0x1_0000_0000), true);
    view.setUint32(8, low, true);
    view.setUint32(12, high, true);
    writeBinary(bytes);
  };
}

function checkVersion(name: string, value: unknown, item = -1): Version {
  const version = value as Partial<Version> | null;
  const where = item < 0 ? '' : `[${item}]`;
  if (typeof version !== 'object' || version === null || !isAgentId(version.agent)) {
    throw new InvalidDocFieldError(
      `${name}${where}`,
      'is not a version: expected { agent: 1..64 characters, seq }',
    );
  }
  const seq = version.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new InvalidDocFieldError(`${name}${where}`, `has seq ${String(seq)}: expected 0..2^53-1`);
  }
  if (utf8ByteLength(version.agent) < 0) {
    throw new InvalidDocFieldError(`${name}${where}`, 'has an agent id holding a lone surrogate');
  }
  return { agent: version.agent, seq };
}

function writerOfVersions(name: string, value: unknown): () => void {
  if (!Array.isArray(value)) {
    throw new InvalidDocFieldError(name, `is ${typeof value}: expected an array of versions`);
  }
  if (value.length > MAX_DOC_VERSIONS) {
    throw new InvalidDocFieldError(
      name,
      `holds ${value.length} versions: expected at most ${MAX_DOC_VERSIONS}`,
    );
  }
  const versions = (value as unknown[]).map((version, item) => checkVersion(name, version, item));
  return () => writeVersions(versions);
}

function writeVersions(versions: readonly Version[]): void {
  writeArrayHeader(versions.length * 2);
  for (const { agent, seq } of versions) {
    writeText(agent);
    writeUint(seq);
  }
}

function writerOfSiblings(value: unknown): () => void {
  if (!Array.isArray(value)) {
    throw new InvalidDocFieldError('siblings', `is ${typeof value}: expected an array of siblings`);
  }
  if (value.length > MAX_DOC_SIBLINGS) {
    throw new InvalidDocFieldError(
      'siblings',
      `holds ${value.length} siblings: expected at most ${MAX_DOC_SIBLINGS}`,
    );
  }
  const siblings = (value as Partial<Sibling>[]).map((sibling, item) => ({
    version: checkVersion('siblings', sibling?.version, item),
    value: encodedValue(`siblings[${item}].value`, sibling?.value),
  }));
  return () => {
    writeArrayHeader(siblings.length * 3);
    for (const { version, value: bytes } of siblings) {
      writeText(version.agent);
      writeUint(version.seq);
      writeRaw(bytes);
    }
  };
}

function encodedValue(name: string, value: unknown): Uint8Array {
  try {
    return encodeValue(value as MsgpackValue);
  } catch (error) {
    throw new InvalidDocFieldError(name, 'is not a msgpack value', { cause: error });
  }
}

function writerOfBoolean(name: string, value: unknown): () => void {
  if (typeof value !== 'boolean') {
    throw new InvalidDocFieldError(name, `is ${typeof value}: expected a boolean`);
  }
  return () => writeBoolean(value);
}

function writerOfBinary(name: string, value: unknown): () => void {
  if (!(value instanceof Uint8Array)) {
    throw new InvalidDocFieldError(name, `is ${typeof value}: expected a Uint8Array`);
  }
  return () => writeBinary(value);
}

function writerOfInteger(
  name: string,
  value: unknown,
  minimum: number,
  maximum: number,
  range: string,
): () => void {
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < minimum ||
    value > maximum
  ) {
    throw new InvalidDocFieldError(name, `is ${String(value)}: expected an integer in ${range}`);
  }
  return () => writeUint(value);
}

function writerOfId(value: unknown): () => void {
  if (typeof value !== 'string' || !/^[0-9a-f]{16}$/.test(value)) {
    throw new InvalidDocFieldError('id', `is ${String(value)}: expected 16 lowercase hex digits`);
  }
  return () => {
    const bytes = new Uint8Array(8);
    for (let position = 0; position < 8; position++) {
      bytes[position] = parseInt(value.slice(position * 2, position * 2 + 2), 16);
    }
    writeBinary(bytes);
  };
}

function writerOfText(name: string, value: unknown, maxBytes: number): () => void {
  if (typeof value !== 'string') {
    throw new InvalidDocFieldError(name, `is ${typeof value}: expected a string`);
  }
  const byteLength = utf8ByteLength(value);
  if (byteLength < 0) throw new InvalidDocFieldError(name, 'holds a lone surrogate');
  if (byteLength > maxBytes) {
    throw new InvalidDocFieldError(
      name,
      `is ${byteLength} bytes long in UTF-8: expected at most ${maxBytes} bytes`,
    );
  }
  return () => writeText(value);
}

// The writer: each call makes room for its item and writes it.

function writeRaw(bytes: Uint8Array): void {
  const target = reserve(output, bytes.length);
  target.set(bytes, output.position);
  output.position += bytes.length;
}

function writeMapHeader(count: number): void {
  output.position = writeMapHeaderAt(reserve(output, 5), output.position, count);
}

function writeArrayHeader(count: number): void {
  output.position = writeArrayHeaderAt(reserve(output, 5), output.position, count);
}

function writeUint(value: number): void {
  output.position = writeUnsignedAt(reserve(output, 9), output.position, value);
}

function writeBoolean(value: boolean): void {
  reserve(output, 1)[output.position] = value ? 0xc3 : 0xc2;
  output.position += 1;
}

function writeText(text: string): void {
  const byteLength = utf8ByteLength(text);
  const bytes = reserve(output, 5 + byteLength);
  output.position = writeUtf8At(
    bytes,
    writeStringHeaderAt(bytes, output.position, byteLength),
    text,
  );
}

function writeBinary(value: Uint8Array): void {
  const bytes = reserve(output, 5 + value.length);
  const start = writeBinaryHeaderAt(bytes, output.position, value.length);
  bytes.set(value, start);
  output.position = start + value.length;
}
