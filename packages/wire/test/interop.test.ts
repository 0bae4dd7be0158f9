import { Decoder, encode } from '@msgpack/msgpack';
import { Packr, Unpackr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TTL, decodeMessage, encodeMessage } from '@vig/wire';
import {
  array,
  bin,
  concat,
  decodeOk,
  expectSameMessage,
  fields,
  foldEntries,
  hex,
  map,
  messageOf,
  sparse,
  str,
  uint,
} from './helpers.js';

const entries: [number, number][] = [
  [0, 1],
  [127, 128],
  [16383, 20],
  [65536, 300],
  [0xffff_ffff, 2 ** 40],
];

/**
 * A message built with @msgpack/msgpack, an independent implementation. Its
 * encoder (3.1.3) writes a `Map` as an empty map (it has no `useMap`), so the
 * map headers are written here and every key and value is its encoding.
 */
function independentMessage(
  pairs: readonly [number, number][],
  options: { readonly forceIntegerToFloat?: boolean } = {},
  ttl: number | null = 7,
): Uint8Array {
  const parts = [
    encode('key'),
    encode('hll:visitors:2026-11-22'),
    encode('vector'),
    Uint8Array.of(0x80 | pairs.length),
    ...pairs.flatMap(([index, value]) => [
      encode<undefined>(index, options),
      encode<undefined>(value, options),
    ]),
  ];
  if (ttl !== null) parts.push(encode('ttl'), encode<undefined>(ttl, options));
  return concat(Uint8Array.of(0x80 | (ttl === null ? 2 : 3)), ...parts);
}

describe('interoperation with other msgpack implementations', () => {
  it('reads messages that @msgpack/msgpack encodes', () => {
    const message = decodeOk(independentMessage(entries));
    expect(message.key).toBe('hll:visitors:2026-11-22');
    expect(message.ttl).toBe(7);
    expect(foldEntries(message.vector)).toEqual(new Map(entries));
  });

  it('reads integers written as floats and as 64-bit ints (integral floats are accepted)', () => {
    const asFloats = decodeOk(independentMessage(entries, { forceIntegerToFloat: true }));
    expect(foldEntries(asFloats.vector)).toEqual(new Map(entries));
    expect(asFloats.ttl).toBe(7);
    const bigints = entries.map(([index, value]): [number, number] => [index, value]);
    const as64 = concat(
      hex('83'),
      encode('key'),
      encode('k'),
      encode('vector'),
      Uint8Array.of(0x80 | bigints.length),
      ...bigints.flatMap(([index, value]) => [
        encode(BigInt(index), { useBigInt64: true }),
        encode(BigInt(value), { useBigInt64: true }),
      ]),
      encode('ttl'),
      encode(7n, { useBigInt64: true }),
    );
    expect(foldEntries(decodeOk(as64).vector)).toEqual(new Map(entries));
  });

  it('reads every int type, float32 and -0.0 for indices and values', () => {
    const bytes = map(
      ...fields({
        vector: map(
          [hex('d0 05'), hex('d1 0006')],
          [hex('d2 00000007'), hex('d3 0000000000000008')],
          [hex('ca 41100000'), hex('cc 09')], // 9.0 as float32
          [hex('cb 8000000000000000'), hex('cd 000a')], // -0.0
          [hex('cf 000000000000000b'), hex('ce 0000000c')],
        ),
      }),
    );
    expect(foldEntries(decodeOk(bytes).vector)).toEqual(
      new Map([
        [0, 10],
        [5, 6],
        [7, 8],
        [9, 9],
        [11, 12],
      ]),
    );
    expect(Object.is(foldEntries(decodeOk(bytes).vector).keys().next().value, 0)).toBe(true);
  });

  it('writes messages that @msgpack/msgpack reads, with integer vector keys', () => {
    const bytes = encodeMessage(messageOf(sparse(...entries), { full: true }));
    const keyTypes: string[] = [];
    const decoded = new Decoder({
      mapKeyConverter: (key: unknown) => {
        keyTypes.push(typeof key);
        return key as string | number;
      },
    }).decode(bytes) as Record<string, unknown>;
    // The field names are strings; every vector key is a number.
    expect(keyTypes.slice(0, 2)).toEqual(['string', 'string']);
    expect(keyTypes.slice(2, 2 + entries.length)).toEqual(entries.map(() => 'number'));
    expect(decoded['key']).toBe('hll:visitors');
    expect(decoded['ttl']).toBe(5);
    expect(decoded['full']).toBe(true);
    expect(decoded['vector']).toEqual(
      Object.fromEntries(entries.map(([index, value]) => [String(index), value])),
    );
  });

  it('reads what msgpackr packs, and writes what msgpackr unpacks with integer keys', () => {
    const packr = new Packr({ useRecords: false });
    const packed = packr.pack({ key: 'k', vector: new Map(entries), ttl: 3, full: false });
    const message = decodeOk(packed);
    expect(foldEntries(message.vector)).toEqual(new Map(entries));
    expect(message.ttl).toBe(3);

    // msgpackr reads uint64 (here 2^40) as a bigint unless told otherwise.
    const unpacked = new Unpackr({
      useRecords: false,
      mapsAsObjects: false,
      int64AsType: 'number',
    }).unpack(encodeMessage(messageOf(sparse(...entries)))) as Map<string, unknown>;
    expect(unpacked.get('vector')).toEqual(new Map(entries));
    expect(unpacked.get('ttl')).toBe(5);
  });

  it('lets a plain decoder parse the dense field (which it may then ignore)', () => {
    const bytes = encodeMessage(
      messageOf({ kind: 'dense', offset: 4, registers: Uint8Array.of(1, 2, 3) }),
      { dense: 'always' },
    );
    const decoded = new Decoder().decode(bytes) as Record<string, unknown>;
    expect(decoded['vector']).toEqual({});
    expect(decoded['dense']).toEqual([4, 1, Uint8Array.of(1, 2, 3)]);
  });

  it('rejects a vector whose keys are strings (JSON style): indices travel as integers', () => {
    const jsonStyle = encode({ key: 'k', vector: { '5': 1 }, ttl: 1 });
    const result = decodeMessage(jsonStyle);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.reason).toBe('invalid-index');
  });
});

describe('the peers’ message shapes', () => {
  it('reads the Ruby shape {key, vector, ttl}', () => {
    const bytes = map(
      [str('key'), str('n:10.0.0.7:7946')],
      [str('vector'), map([uint(0), uint(29_000_000)])],
      [str('ttl'), uint(50)],
    );
    const message = decodeOk(bytes);
    expect(message).toEqual({
      key: 'n:10.0.0.7:7946',
      vector: { kind: 'sparse', indices: [0], values: [29_000_000] },
      ttl: 50,
      full: false,
    });
  });

  it('reads the Clojure shape {key, vector, full}, without ttl, at the default ttl', () => {
    const bytes = map(
      [str('key'), str('views:home')],
      [str('vector'), map([uint(2), uint(9)])],
      [str('full'), hex('c3')],
    );
    const message = decodeOk(bytes);
    expect(message.ttl).toBe(DEFAULT_TTL);
    expect(DEFAULT_TTL).toBe(50);
    expect(message.full).toBe(true);
    expect(decodeOk(bytes, { defaultTtl: 3 }).ttl).toBe(3);
    expect(decodeOk(independentMessage([[1, 1]], {}, null)).ttl).toBe(50);
  });

  it('always writes ttl, so the Ruby peer can read every Vig message', () => {
    const bytes = encodeMessage(messageOf(sparse([1, 1]), { ttl: 0 }));
    const decoded = new Decoder().decode(bytes) as Record<string, unknown>;
    expect(decoded['ttl']).toBe(0);
  });

  it('reads fields in any order; a repeated field: the last one wins', () => {
    const bytes = map(
      [str('ttl'), uint(1)],
      [str('vector'), map([uint(1), uint(1)])],
      [str('key'), str('first')],
      [str('vector'), map([uint(2), uint(2)])],
      [str('key'), str('second')],
      [str('ttl'), uint(9)],
    );
    const message = decodeOk(bytes);
    expect(message.key).toBe('second');
    expect(message.ttl).toBe(9);
    expect(foldEntries(message.vector)).toEqual(new Map([[2, 2]]));
  });

  it('skips unknown fields of every type', () => {
    const unknown: [Uint8Array, Uint8Array][] = [
      [str('auth'), bin(new Uint8Array(300).fill(7))],
      [str('agent'), map([uint(1), array(str('x'), hex('c0'), hex('cb 4000000000000000'))])],
      [str('stamp'), hex('d6 ff 00000001')],
      [str('ext8'), hex('c7 03 05 010203')],
      [str('ext16'), hex('c8 0002 05 0102')],
      [str('fixext16'), concat(hex('d8 01'), new Uint8Array(16))],
      [str('big'), hex('cf ffffffffffffffff')],
      [str('s8'), concat(hex('d9 20'), new Uint8Array(32).fill(0x61))],
      [str('deep'), array(array(array(map([str('a'), array()]))))],
      [uint(7), str('a field named by an integer')],
      [map(), str('a field named by a map')],
      [bin(Uint8Array.of(0x6b, 0x65, 0x78)), hex('c2')],
    ];
    const bytes = map(...unknown.slice(0, 6), ...fields(), ...unknown.slice(6));
    expectSameMessage(decodeOk(bytes), messageOf(sparse(), { key: 'k', ttl: 5 }));
  });

  it('matches field names exactly: near misses are unknown fields', () => {
    const nearMisses = [
      ...['kez', 'KEY', 'ttm', 'vectos', 'Vector', 'fulk', 'densf', 'keys', 'ke'],
      ...['vih', 'Vig', 'vigs', 'clienu', 'Client', 'clients', 'vectoR'],
    ];
    const bytes = map(
      ...nearMisses.map((name): [Uint8Array, Uint8Array] => [str(name), hex('c0')]),
      ...fields(),
    );
    expectSameMessage(decodeOk(bytes), messageOf(sparse(), { key: 'k', ttl: 5 }));
  });

  it('reads str8 and bin keys and field names (msgpack-ruby writes binary strings as bin)', () => {
    const bytes = map(
      [concat(hex('d9 03'), str('key').subarray(1)), bin(new TextEncoder().encode('ключ'))],
      [bin(new TextEncoder().encode('vector')), map()],
    );
    const message = decodeOk(bytes);
    expect(message.key).toBe('ключ');
    expect(message.ttl).toBe(50);
  });

  it('keeps repeated indices and zeros a foreign encoder sent, in wire order', () => {
    const bytes = map(
      ...fields({
        vector: map([uint(5), uint(9)], [uint(5), uint(2)], [uint(6), uint(0)]),
      }),
    );
    expect(decodeOk(bytes).vector).toEqual({
      kind: 'sparse',
      indices: [5, 5, 6],
      values: [9, 2, 0],
    });
    expect(foldEntries(decodeOk(bytes).vector)).toEqual(new Map([[5, 9]]));
  });
});
