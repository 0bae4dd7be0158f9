import { decode as independentDecode, encode as independentEncode } from '@msgpack/msgpack';
import { isVigError } from '@vig/crdt-core';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { ValueDecodeError, ValueEncodeError, decodeValue, encodeValue } from '@vig/wire';
import type { DecodedValue, MsgpackValue } from '@vig/wire';
import { hex } from './helpers.js';

function roundTrip(value: MsgpackValue): DecodedValue {
  const result = decodeValue(encodeValue(value));
  if (!result.ok) throw result.error;
  return result.value;
}

describe('encodeValue and decodeValue', () => {
  it('round-trips the msgpack data model', () => {
    const values: MsgpackValue[] = [
      null,
      true,
      false,
      0,
      -1,
      127,
      -33,
      65536,
      2 ** 40,
      -(2 ** 40),
      1.5,
      Number.MAX_SAFE_INTEGER,
      'text',
      'ключ 🙂',
      'x'.repeat(300),
      5n,
      -(2n ** 63n),
      2n ** 64n - 1n,
      Uint8Array.of(1, 2, 3),
      new Date(1_700_000_000_123),
      [1, 'two', [3]],
    ];
    for (const value of values) expect(roundTrip(value)).toEqual(value);
  });

  it('keeps integer map keys integers: every map decodes as a Map', () => {
    expect(
      roundTrip(
        new Map([
          [1, 'one'],
          [2, 'two'],
        ]),
      ),
    ).toEqual(
      new Map([
        [1, 'one'],
        [2, 'two'],
      ]),
    );
    expect(roundTrip({ a: 1, b: [true] })).toEqual(
      new Map<DecodedValue, DecodedValue>([
        ['a', 1],
        ['b', [true]],
      ]),
    );
  });

  it('writes plain msgpack: smallest headers, no records, readable by @msgpack/msgpack', () => {
    expect(encodeValue({ a: 1 })).toEqual(hex('81 a161 01'));
    expect(encodeValue(new Map([[7, 'x']]))).toEqual(hex('81 07 a178'));
    const value = { list: [1, 2.5, 'three'], nested: { flag: true, none: null } };
    expect(independentDecode(encodeValue(value))).toEqual(value);
  });

  it('reads what @msgpack/msgpack writes', () => {
    const result = decodeValue(independentEncode({ a: [1, -2, 'x'], b: Uint8Array.of(9) }));
    expect(result.ok && result.value).toEqual(
      new Map<DecodedValue, DecodedValue>([
        ['a', [1, -2, 'x']],
        ['b', Uint8Array.of(9)],
      ]),
    );
  });

  it('returns a typed error, never a throw, for bytes that are not one plain value', () => {
    const failures: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /no bytes/],
      [hex('92 01'), /./],
      [hex('01 02'), /./],
      [hex('c1'), /./],
      [hex('d4 73 00'), /./], // msgpackr's Set extension, with nothing after it
      [hex('d4 07 00'), /./], // an extension nobody registered
      [new Packr({ useRecords: true }).pack({ a: 1 }), /extension only msgpackr writes|./],
      [hex('d4 00 00'), /undefined/],
    ];
    for (const [bytes, message] of failures) {
      const result = decodeValue(bytes);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(ValueDecodeError);
        expect(isVigError(result.error, 'ValueDecodeError')).toBe(true);
        expect(result.error.message).toMatch(/^bytes are not one plain msgpack value: /);
        expect(result.error.message).toMatch(message);
      }
    }
    expect(decodeValue('not bytes' as unknown as Uint8Array).ok).toBe(false);
  });

  it('throws ValueEncodeError, naming where, for what plain msgpack cannot carry', () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /^value cannot be encoded as msgpack: \$ is undefined/],
      [{ a: [1, () => 1] }, /\$\.a\[1\] is function/],
      [new Map([[1, Symbol('s')]]), /\$\.get\(1\) is symbol/],
      [Uint16Array.of(1), /\$ is \[object Uint16Array\]/],
      [new Set([1]), /\[object Set\]/],
      [new Date(Number.NaN), /invalid Date/],
      [2n ** 70n, /beyond 64 bits/],
    ];
    for (const [value, message] of cases) {
      expect(() => encodeValue(value as MsgpackValue)).toThrow(ValueEncodeError);
      expect(() => encodeValue(value as MsgpackValue)).toThrow(message);
    }
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(() => encodeValue(cycle as MsgpackValue)).toThrow(/nests deeper than 100 levels/);
  });
});
