import { forEachEntry } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import { expect } from 'vitest';
import { decodeMessage } from '@vig/wire';
import type { DecodeOptions, VignetteMessage, WireDecodeError } from '@vig/wire';

/** Seeded, so every failure replays from its seed (the same generator everywhere in Vig). */
export { seededRandom } from '@vig/crdt-core';

/** Folds entries into index → value with max, dropping zeros: what a max vector would hold. */
export function foldEntries(...all: VectorEntries[]): Map<number, number> {
  const folded = new Map<number, number>();
  for (const entries of all) {
    forEachEntry(entries, (index, value) => {
      folded.set(index, Math.max(folded.get(index) ?? 0, value));
    });
  }
  return new Map([...folded].sort(([left], [right]) => left - right));
}

/** Sparse entries from `[index, value]` pairs. */
export function sparse(...pairs: [number, number][]): VectorEntries {
  return {
    kind: 'sparse',
    indices: pairs.map(([index]) => index),
    values: pairs.map(([, value]) => value),
  };
}

/** A message with defaults for what a test does not care about. */
export function messageOf(
  vector: VectorEntries,
  overrides: Partial<Omit<VignetteMessage, 'vector'>> = {},
): VignetteMessage {
  return { key: 'hll:visitors', vector, ttl: 5, full: false, ...overrides };
}

/** Decodes bytes that must decode, and returns the message. */
export function decodeOk(bytes: Uint8Array, options?: DecodeOptions): VignetteMessage {
  const result = decodeMessage(bytes, options);
  if (!result.ok)
    throw new Error(`expected a message, got ${result.error.name}: ${result.error.message}`);
  return result.message;
}

/** Decodes bytes that must fail, and returns the error. */
export function decodeError(bytes: Uint8Array, options?: DecodeOptions): WireDecodeError {
  const result = decodeMessage(bytes, options);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.message)}`);
  return result.error;
}

/** Asserts that two messages carry the same key, ttl, full, extension fields and entries (under max). */
export function expectSameMessage(actual: VignetteMessage, expected: VignetteMessage): void {
  expect(actual.key).toBe(expected.key);
  expect(actual.ttl).toBe(expected.ttl);
  expect(actual.full).toBe(expected.full);
  expect('vig' in actual ? actual.vig : 'absent').toBe('vig' in expected ? expected.vig : 'absent');
  expect('client' in actual ? actual.client : 'absent').toBe(
    'client' in expected ? expected.client : 'absent',
  );
  expect(foldEntries(actual.vector)).toEqual(foldEntries(expected.vector));
}

/** Bytes from hex, spaces allowed: `hex('81 a3 6b 65 79')`. */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '');
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

const textEncoder = new TextEncoder();

/** A msgpack string with the smallest header (str8 included, unlike our writer). */
export function str(text: string): Uint8Array {
  const bytes = textEncoder.encode(text);
  return concat(headerFor(bytes.length, 0xa0, 0x20, [0xd9, 0xda, 0xdb]), bytes);
}

/** A msgpack non-negative integer in its smallest encoding. */
export function uint(value: number): Uint8Array {
  if (value < 0x80) return Uint8Array.of(value);
  if (value < 0x100) return Uint8Array.of(0xcc, value);
  if (value < 0x10000) return Uint8Array.of(0xcd, value >> 8, value & 0xff);
  if (value <= 0xffff_ffff) {
    return Uint8Array.of(
      0xce,
      value >>> 24,
      (value >>> 16) & 0xff,
      (value >>> 8) & 0xff,
      value & 0xff,
    );
  }
  const view = new DataView(new ArrayBuffer(9));
  view.setUint8(0, 0xcf);
  view.setBigUint64(1, BigInt(value));
  return new Uint8Array(view.buffer);
}

/** A msgpack map from already encoded keys and values. */
export function map(...pairs: [Uint8Array, Uint8Array][]): Uint8Array {
  return concat(headerFor(pairs.length, 0x80, 0x10, [-1, 0xde, 0xdf]), ...pairs.flat());
}

/** A msgpack array of already encoded items. */
export function array(...items: Uint8Array[]): Uint8Array {
  return concat(headerFor(items.length, 0x90, 0x10, [-1, 0xdc, 0xdd]), ...items);
}

/** A msgpack bin. */
export function bin(bytes: Uint8Array): Uint8Array {
  const header =
    bytes.length < 0x100
      ? Uint8Array.of(0xc4, bytes.length)
      : Uint8Array.of(0xc5, bytes.length >> 8, bytes.length & 0xff);
  return concat(header, bytes);
}

function headerFor(count: number, fixBase: number, fixLimit: number, codes: number[]): Uint8Array {
  if (count < fixLimit) return Uint8Array.of(fixBase | count);
  if (count < 0x100 && codes[0] !== -1) return Uint8Array.of(codes[0] ?? 0, count);
  if (count < 0x10000) return Uint8Array.of(codes[1] ?? 0, count >> 8, count & 0xff);
  return Uint8Array.of(
    codes[2] ?? 0,
    count >>> 24,
    (count >>> 16) & 0xff,
    (count >>> 8) & 0xff,
    count & 0xff,
  );
}

/** The fields of a message as encoded pairs: `{key: "k", vector: {}, ttl: 5}` unless replaced. */
export function fields(
  overrides: Record<string, Uint8Array | undefined> = {},
): [Uint8Array, Uint8Array][] {
  const base: Record<string, Uint8Array | undefined> = {
    key: str('k'),
    vector: map(),
    ttl: uint(5),
    ...overrides,
  };
  return Object.entries(base)
    .filter((entry): entry is [string, Uint8Array] => entry[1] !== undefined)
    .map(([name, value]) => [str(name), value]);
}
