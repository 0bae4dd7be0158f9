import { InvalidIndexError, InvalidValueError, isVigError } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import {
  FieldTypeError,
  InvalidDenseError,
  InvalidUtf8Error,
  InvalidVectorIndexError,
  InvalidVectorValueError,
  KeyTooLongError,
  MissingFieldError,
  NestingTooDeepError,
  NotAMapError,
  NotMsgpackError,
  TooManyEntriesError,
  TrailingBytesError,
  TruncatedMessageError,
  WireDecodeError,
  decodeMessage,
  encodeMessage,
} from '@vig/wire';
import type { DecodeFailureReason } from '@vig/wire';
import {
  array,
  bin,
  concat,
  decodeError,
  fields,
  hex,
  map,
  messageOf,
  sparse,
  str,
  uint,
} from './helpers.js';

/** Asserts the failure's class, reason and message, and that it is a proper Vig error. */
function expectFailure(
  bytes: Uint8Array,
  errorClass: abstract new (...args: never[]) => WireDecodeError,
  reason: DecodeFailureReason,
  message: string | RegExp,
  options?: Parameters<typeof decodeMessage>[1],
): WireDecodeError {
  const error = decodeError(bytes, options);
  expect(error).toBeInstanceOf(errorClass);
  expect(error).toBeInstanceOf(WireDecodeError);
  expect(isVigError(error, errorClass.name)).toBe(true);
  expect(error.name).toBe(errorClass.name);
  expect(error.reason).toBe(reason);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
  return error;
}

const vectorOf = (...pairs: [Uint8Array, Uint8Array][]) =>
  map(...fields({ vector: map(...pairs) }));

describe('decodeMessage failures: one class and reason each, never a throw', () => {
  it('not-msgpack: the byte 0xc1, anywhere', () => {
    expectFailure(
      hex('c1'),
      NotMsgpackError,
      'not-msgpack',
      'message is not msgpack: byte 0xc1 at offset 0 is not a msgpack type',
    );
    expectFailure(
      map(...fields({ extra: hex('91 c1') })),
      NotMsgpackError,
      'not-msgpack',
      /byte 0xc1 at offset \d+/,
    );
    expectFailure(vectorOf([uint(1), hex('c1')]), NotMsgpackError, 'not-msgpack', /0xc1/);
    expectFailure(map(...fields({ ttl: hex('c1') })), NotMsgpackError, 'not-msgpack', /0xc1/);
  });

  it('not-msgpack: input that is not bytes', () => {
    for (const input of ['text', null, undefined, 42, [0x80], new ArrayBuffer(2)]) {
      const result = decodeMessage(input as unknown as Uint8Array);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(NotMsgpackError);
        expect(result.error.message).toMatch(/expected a Uint8Array/);
      }
    }
  });

  it('truncated: no bytes, or bytes ending inside a value', () => {
    expectFailure(
      new Uint8Array(0),
      TruncatedMessageError,
      'truncated',
      'message is empty: expected a msgpack map',
    );
    const whole = encodeMessage(messageOf(sparse([1000, 70000], [5, 1])));
    for (let length = 1; length < whole.length; length++) {
      expectFailure(
        whole.subarray(0, length),
        TruncatedMessageError,
        'truncated',
        /truncated: \d+ bytes expected at offset \d+, \d+ left/,
      );
    }
    const error = expectFailure(hex('84'), TruncatedMessageError, 'truncated', /./);
    expect((error as TruncatedMessageError).offset).toBe(1);
  });

  it('truncated: counts and lengths larger than the bytes left', () => {
    expectFailure(hex('df ffffffff'), TruncatedMessageError, 'truncated', /./);
    expectFailure(
      map(...fields({ vector: hex('de ffff 01 01') })),
      TruncatedMessageError,
      'truncated',
      /131070 bytes expected/,
    );
    expectFailure(
      map(...fields({ key: hex('db 7fffffff 6b') })),
      KeyTooLongError,
      'key-too-long',
      /2147483647 bytes/,
    );
    expectFailure(
      map(...fields({ extra: hex('dd 7fffffff 01') })),
      TruncatedMessageError,
      'truncated',
      /./,
    );
    expectFailure(
      map(...fields({ extra: hex('c9 0000ffff 01 02') })),
      TruncatedMessageError,
      'truncated',
      /./,
    );
  });

  it('trailing-bytes: anything after the message map', () => {
    const bytes = concat(encodeMessage(messageOf(sparse([1, 1]))), hex('00 01'));
    const error = expectFailure(
      bytes,
      TrailingBytesError,
      'trailing-bytes',
      /but 2 more bytes follow: expected exactly one msgpack map/,
    );
    expect((error as TrailingBytesError).offset).toBe(bytes.length - 2);
  });

  it('not-a-map: any other top-level value', () => {
    expectFailure(
      array(str('k')),
      NotAMapError,
      'not-a-map',
      'message is an array: expected a msgpack map with string field names',
    );
    expectFailure(
      hex('c0'),
      NotAMapError,
      'not-a-map',
      'message is nil: expected a msgpack map with string field names',
    );
    expectFailure(str('key'), NotAMapError, 'not-a-map', /message is a string/);
    expectFailure(hex('cd 0102'), NotAMapError, 'not-a-map', /message is 258:/);
  });

  it('missing-field: no key or no vector', () => {
    let error = expectFailure(
      map(...fields({ key: undefined })),
      MissingFieldError,
      'missing-field',
      'message has no "key" field: expected the fields "key" and "vector"',
    );
    expect((error as MissingFieldError).field).toBe('key');
    error = expectFailure(
      map(...fields({ vector: undefined })),
      MissingFieldError,
      'missing-field',
      /no "vector" field/,
    );
    expect((error as MissingFieldError).field).toBe('vector');
    expectFailure(map(), MissingFieldError, 'missing-field', /no "key" field/);
  });

  it('field-type: key not a string', () => {
    expectFailure(
      map(...fields({ key: uint(7) })),
      FieldTypeError,
      'field-type',
      'field "key" holds 7: expected a string',
    );
    expectFailure(
      map(...fields({ key: hex('c0') })),
      FieldTypeError,
      'field-type',
      'field "key" holds nil: expected a string',
    );
    expectFailure(map(...fields({ key: array() })), FieldTypeError, 'field-type', /holds an array/);
  });

  it('field-type: vector not a map', () => {
    const error = expectFailure(
      map(...fields({ vector: array(uint(1), uint(2)) })),
      FieldTypeError,
      'field-type',
      'field "vector" holds an array: expected a map from integer indices to integer values',
    );
    expect((error as FieldTypeError).field).toBe('vector');
    expectFailure(map(...fields({ vector: hex('c0') })), FieldTypeError, 'field-type', /holds nil/);
  });

  it('field-type: ttl not a non-negative integer', () => {
    expectFailure(
      map(...fields({ ttl: hex('ff') })),
      FieldTypeError,
      'field-type',
      'field "ttl" holds -1: expected an integer in 0..2^53-1',
    );
    expectFailure(
      map(...fields({ ttl: hex('cb 3ff8000000000000') })),
      FieldTypeError,
      'field-type',
      'field "ttl" holds the float 1.5: expected an integer in 0..2^53-1',
    );
    expectFailure(
      map(...fields({ ttl: str('5') })),
      FieldTypeError,
      'field-type',
      /holds a string/,
    );
    expectFailure(map(...fields({ ttl: hex('c0') })), FieldTypeError, 'field-type', /holds nil/);
    expectFailure(
      map(...fields({ ttl: hex('cf 0020000000000000') })),
      FieldTypeError,
      'field-type',
      /holds 9007199254740992/,
    );
    expectFailure(
      map(...fields({ ttl: hex('d3 ffffffffffffffff') })),
      FieldTypeError,
      'field-type',
      /holds -1:/,
    );
  });

  it('field-type: full not a boolean', () => {
    expectFailure(
      map(...fields({ full: uint(1) })),
      FieldTypeError,
      'field-type',
      'field "full" holds 1: expected a boolean',
    );
    expectFailure(
      map(...fields({ full: hex('c0') })),
      FieldTypeError,
      'field-type',
      /"full" holds nil/,
    );
  });

  it('field-type: dense not [offset, width, registers as bin]', () => {
    const expected = /expected an array \[offset, width, registers as bin\]/;
    expectFailure(map(...fields({ dense: map() })), FieldTypeError, 'field-type', expected);
    expectFailure(
      map(...fields({ dense: array(uint(0), uint(1)) })),
      FieldTypeError,
      'field-type',
      expected,
    );
    expectFailure(
      map(...fields({ dense: array(uint(0), uint(1), str('ab')) })),
      FieldTypeError,
      'field-type',
      /registers as a string/,
    );
  });

  it('key-too-long: over maxKeyBytes (1024 by default)', () => {
    const longKey = map(...fields({ key: str('k'.repeat(1025)) }));
    const error = expectFailure(
      longKey,
      KeyTooLongError,
      'key-too-long',
      'key is 1025 bytes long: expected at most 1024 bytes (maxKeyBytes)',
    );
    expect((error as KeyTooLongError).limit).toBe(1024);
    expect(decodeMessage(longKey, { maxKeyBytes: 2048 }).ok).toBe(true);
    expectFailure(
      map(...fields({ key: str('abcd') })),
      KeyTooLongError,
      'key-too-long',
      /4 bytes long: expected at most 3 bytes/,
      { maxKeyBytes: 3 },
    );
  });

  it('invalid-utf8: overlong forms, surrogates, truncated sequences, beyond U+10FFFF', () => {
    const cases = [
      'c0 af',
      'e0 80 af',
      'ed a0 80',
      'ed bf bf',
      'e6 97',
      'f4 90 80 80',
      '80',
      'fe',
      'c3 28',
    ];
    for (const bad of cases) {
      const keyBytes = hex(`61 ${bad}`);
      const bytes = map(
        ...fields({ key: concat(Uint8Array.of(0xa0 | keyBytes.length), keyBytes) }),
      );
      expectFailure(
        bytes,
        InvalidUtf8Error,
        'invalid-utf8',
        /field "key" at offset 5 is not valid UTF-8: expected well-formed UTF-8/,
      );
    }
    // The same bytes, made long enough for the TextDecoder path.
    const long = concat(new Uint8Array(80).fill(0x61), hex('ed a0 80'));
    expectFailure(
      map(...fields({ key: concat(hex('d9'), Uint8Array.of(long.length), long) })),
      InvalidUtf8Error,
      'invalid-utf8',
      /./,
    );
  });

  it('invalid-index: negative, above 2^32-1, fractional, or not a number', () => {
    const expectIndex = (key: Uint8Array, shown: string) => {
      const error = expectFailure(
        vectorOf([key, uint(1)]),
        InvalidVectorIndexError,
        'invalid-index',
        `vector index ${shown} is out of range: expected an integer in 0..2^32-1`,
      );
      expect(error.cause).toBeInstanceOf(InvalidIndexError);
    };
    expectIndex(hex('ff'), '-1');
    expectIndex(hex('d2 80000000'), '-2147483648');
    expectIndex(uint(2 ** 32), '4294967296');
    expectIndex(hex('cf ffffffffffffffff'), '18446744073709551615');
    expectIndex(hex('d3 8000000000000000'), '-9223372036854775808');
    expectIndex(hex('cb 3ff8000000000000'), 'the float 1.5');
    expectIndex(hex('ca 7fc00000'), 'the float NaN');
    expectIndex(str('5'), 'a string');
    expectIndex(hex('c0'), 'nil');
    expectIndex(hex('c3'), 'true');
    expectIndex(map(), 'a map');
    expectIndex(bin(Uint8Array.of(1)), 'binary data');
    expectIndex(hex('d4 01 00'), 'an extension value');
  });

  it('invalid-value: negative, above 2^53-1, fractional, or not a number', () => {
    const expectValue = (value: Uint8Array, shown: string) => {
      const error = expectFailure(
        vectorOf([uint(300), value]),
        InvalidVectorValueError,
        'invalid-value',
        `vector value ${shown} at index 300 is out of range: expected an integer in 0..2^53-1`,
      );
      expect(error.cause).toBeInstanceOf(InvalidValueError);
      expect((error as InvalidVectorValueError).index).toBe(300);
    };
    expectValue(hex('e0'), '-32');
    expectValue(hex('d0 80'), '-128');
    expectValue(hex('cf 0020000000000000'), '9007199254740992');
    expectValue(hex('cb 3fe0000000000000'), 'the float 0.5');
    expectValue(hex('cb 7ff0000000000000'), 'the float Infinity');
    expectValue(str('x'), 'a string');
    expectValue(array(), 'an array');
  });

  it('too-many-entries: over maxEntries (65536 by default), sparse, dense or both', () => {
    const pairs = Array.from({ length: 5 }, (_, i): [Uint8Array, Uint8Array] => [uint(i), uint(1)]);
    const error = expectFailure(
      vectorOf(...pairs),
      TooManyEntriesError,
      'too-many-entries',
      'message carries 5 entries: expected at most 4 (maxEntries)',
      { maxEntries: 4 },
    );
    expect((error as TooManyEntriesError).limit).toBe(4);
    expectFailure(
      hex('83 a3 6b6579 a1 6b a6 766563746f72 df 00010001'),
      TooManyEntriesError,
      'too-many-entries',
      /65537 entries: expected at most 65536/,
    );
    const dense = array(uint(0), uint(1), bin(new Uint8Array(5).fill(1)));
    expectFailure(map(...fields({ dense })), TooManyEntriesError, 'too-many-entries', /5 entries/, {
      maxEntries: 4,
    });
    const both = map(
      ...fields({
        vector: map([uint(100), uint(1)]),
        dense: array(uint(0), uint(1), bin(new Uint8Array(4).fill(1))),
      }),
    );
    expectFailure(both, TooManyEntriesError, 'too-many-entries', /5 entries/, { maxEntries: 4 });
  });

  it('invalid-dense: a width other than 1, 2, 4, 8, or bytes not a multiple of it', () => {
    expectFailure(
      map(...fields({ dense: array(uint(0), uint(3), bin(new Uint8Array(6))) })),
      InvalidDenseError,
      'invalid-dense',
      'field "dense" is invalid: register width 3: expected 1, 2, 4 or 8 bytes',
    );
    expectFailure(
      map(...fields({ dense: array(uint(0), str('1'), bin(new Uint8Array(6))) })),
      InvalidDenseError,
      'invalid-dense',
      /register width a string/,
    );
    expectFailure(
      map(...fields({ dense: array(uint(0), uint(4), bin(new Uint8Array(6))) })),
      InvalidDenseError,
      'invalid-dense',
      'field "dense" is invalid: 6 register bytes: expected a multiple of the width, 4',
    );
  });

  it('invalid-index and invalid-value inside the dense field', () => {
    expectFailure(
      map(...fields({ dense: array(hex('ff'), uint(1), bin(Uint8Array.of(1))) })),
      InvalidVectorIndexError,
      'invalid-index',
      /vector index -1/,
    );
    expectFailure(
      map(...fields({ dense: array(uint(0xffff_ffff), uint(1), bin(Uint8Array.of(1, 1))) })),
      InvalidVectorIndexError,
      'invalid-index',
      /vector index 4294967296/,
    );
    const tooLarge = hex('0000000000002000'); // 2^53, little-endian
    expectFailure(
      map(...fields({ dense: array(uint(7), uint(8), bin(tooLarge)) })),
      InvalidVectorValueError,
      'invalid-value',
      'vector value 9007199254740992 at index 7 is out of range: expected an integer in 0..2^53-1',
    );
  });

  it('nesting-too-deep: unknown fields nested past maxDepth (32), without recursion', () => {
    const nested = (depth: number) => concat(new Uint8Array(depth).fill(0x91), uint(1));
    expect(decodeMessage(map(...fields({ extra: nested(32) }))).ok).toBe(true);
    const error = expectFailure(
      map(...fields({ extra: nested(33) })),
      NestingTooDeepError,
      'nesting-too-deep',
      /nests more than 32 levels deep in an unknown field: expected at most 32 \(maxDepth\)/,
    );
    expect((error as NestingTooDeepError).limit).toBe(32);
    expectFailure(
      map(...fields({ extra: nested(3) })),
      NestingTooDeepError,
      'nesting-too-deep',
      /more than 2 levels/,
      { maxDepth: 2 },
    );
    // A million levels with no limit: the skip is iterative, so no stack overflow.
    expect(
      decodeMessage(map(...fields({ extra: nested(1_000_000) })), { maxDepth: Infinity }).ok,
    ).toBe(true);
    expect(decodeMessage(map(...fields({ extra: nested(1_000_000) }))).ok).toBe(false);
  });
});
