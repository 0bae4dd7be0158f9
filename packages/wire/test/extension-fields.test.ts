import { EMPTY_ENTRIES, isVigError } from '@vig/crdt-core';
import { Decoder, encode } from '@msgpack/msgpack';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import {
  DatagramBudgetError,
  FieldTypeError,
  InvalidMessageFieldError,
  MAX_VIG_PROTOCOL_VERSION,
  VIG_PROTOCOL_VERSION,
  encodeMessage,
  splitMessage,
} from '@vig/wire';
import type { DenseMode, VignetteMessage } from '@vig/wire';
import {
  concat,
  decodeError,
  decodeOk,
  expectSameMessage,
  fields,
  hex,
  map,
  messageOf,
  seededRandom,
  sparse,
  str,
  uint,
} from './helpers.js';
import { fingerprint, plainEncodings } from './plain-golden.js';

/** `{key: "k", vector: {1: 2}, ttl: 5}` as the encoder writes it, without the map header. */
const plainBody = 'a36b6579 a16b a6766563746f72 81 01 02 a374746c 05';
const vigField = 'a3766967';
const clientField = 'a6636c69656e74';

/** The message with `vig` and `client` set when given, absent otherwise. */
function withExtensions(
  message: VignetteMessage,
  vig: number | undefined,
  client: boolean | undefined,
): VignetteMessage {
  return {
    ...message,
    ...(vig === undefined ? {} : { vig }),
    ...(client === undefined ? {} : { client }),
  };
}

describe('the extension fields vig and client', () => {
  it('leaves plain messages byte for byte as they were before the fields existed', () => {
    // Recorded with the encoder as it was before `vig` and `client` existed:
    // 300 seeded messages under every dense mode, whole and split.
    expect(fingerprint(plainEncodings())).toBe('10257 messages, 28610253 bytes, fnv1a e3c6733f');
    expect(encodeMessage({ key: 'k', vector: sparse([1, 2]), ttl: 5, full: false })).toEqual(
      hex(`83 ${plainBody}`),
    );
  });

  it('writes vig, then client, after every other field', () => {
    const message = messageOf(sparse([1, 2]), { key: 'k', vig: 1 });
    expect(encodeMessage(message)).toEqual(hex(`84 ${plainBody} ${vigField} 01`));
    expect(encodeMessage({ ...message, client: true })).toEqual(
      hex(`85 ${plainBody} ${vigField} 01 ${clientField} c3`),
    );
    expect(encodeMessage({ ...message, full: true, client: false, vig: 300 })).toEqual(
      hex(`86 ${plainBody} a466756c6c c3 ${vigField} cd012c ${clientField} c2`),
    );
    // After the dense field too.
    const dense = messageOf(
      { kind: 'dense', offset: 11, registers: Uint8Array.of(1, 2, 3) },
      { key: 'k', vig: VIG_PROTOCOL_VERSION, client: true },
    );
    expect(encodeMessage(dense, { dense: 'always' })).toEqual(
      hex(
        `86 a36b6579 a16b a6766563746f72 80 a374746c 05 a564656e7365 93 0b 01 c403010203 ${vigField} 01 ${clientField} c3`,
      ),
    );
  });

  it('round-trips every combination, and leaves absent fields absent', () => {
    const versions = [undefined, 1, 2, 127, 128, 65_535, 65_536, MAX_VIG_PROTOCOL_VERSION];
    const vectors = [
      sparse([1, 2], [900, 7]),
      EMPTY_ENTRIES,
      { kind: 'dense', offset: 4, registers: Uint16Array.of(0, 300, 2) } as const,
    ];
    for (const vig of versions) {
      for (const client of [undefined, true, false]) {
        for (const vector of vectors) {
          for (const dense of ['never', 'auto', 'always'] as const) {
            const message = withExtensions(messageOf(vector, { full: true }), vig, client);
            const decoded = decodeOk(encodeMessage(message, { dense }));
            expectSameMessage(decoded, message);
            expect(Object.keys(decoded).sort()).toEqual(Object.keys(message).sort());
          }
        }
      }
    }
    const plain = decodeOk(encodeMessage(messageOf(sparse([1, 1]))));
    expect('vig' in plain).toBe(false);
    expect('client' in plain).toBe(false);
  });

  it('treats a vig or client holding undefined (from plain JavaScript) as absent', () => {
    const plain = messageOf(sparse([1, 2]));
    const holdingUndefined = { ...plain, vig: undefined, client: undefined } as unknown;
    expect(encodeMessage(holdingUndefined as VignetteMessage)).toEqual(encodeMessage(plain));
  });

  it('costs 5 bytes for vig 1 and 8 for client', () => {
    const plain = encodeMessage(messageOf(sparse([1, 2]))).length;
    expect(encodeMessage(messageOf(sparse([1, 2]), { vig: 1 })).length).toBe(plain + 5);
    expect(encodeMessage(messageOf(sparse([1, 2]), { client: true })).length).toBe(plain + 8);
  });

  it('reads them in any order, in any int encoding; a repeated field: the last one wins', () => {
    const first = map(
      [str('client'), hex('c3')],
      [str('vig'), hex('cb 4000000000000000')], // 2.0 as float64
      ...fields(),
    );
    expect(decodeOk(first)).toStrictEqual({
      key: 'k',
      vector: EMPTY_ENTRIES,
      ttl: 5,
      full: false,
      vig: 2,
      client: true,
    });
    for (const encoded of ['cc 07', 'cd 0007', 'ce 00000007', 'cf 0000000000000007', 'd0 07']) {
      expect(decodeOk(map(...fields({ vig: hex(encoded) }))).vig).toBe(7);
    }
    const repeated = map(
      [str('vig'), uint(9)],
      [str('client'), hex('c3')],
      ...fields(),
      [str('vig'), uint(3)],
      [str('client'), hex('c2')],
    );
    const message = decodeOk(repeated);
    expect(message.vig).toBe(3);
    expect(message.client).toBe(false);
  });

  it('accepts versions above its own, up to 2^31: the number is information', () => {
    expect(VIG_PROTOCOL_VERSION).toBe(1);
    expect(MAX_VIG_PROTOCOL_VERSION).toBe(2 ** 31);
    for (const vig of [2, 99, 2 ** 31]) {
      expect(decodeOk(map(...fields({ vig: uint(vig) }))).vig).toBe(vig);
    }
  });

  it('rejects a vig that is not an integer in 1..2^31, as field-type', () => {
    const invalid: [string, string][] = [
      ['00', '0'],
      ['ff', '-1'],
      ['ce 80000001', '2147483649'],
      ['cf ffffffffffffffff', '18446744073709551615'],
      ['cb 3ff8000000000000', 'the float 1.5'],
      ['cb 7ff8000000000000', 'the float NaN'],
      ['a1 31', 'a string'],
      ['c0', 'nil'],
      ['c3', 'true'],
      ['90', 'an array'],
    ];
    for (const [bytes, found] of invalid) {
      const error = decodeError(map(...fields({ vig: hex(bytes) })));
      expect(error).toBeInstanceOf(FieldTypeError);
      expect(error.reason).toBe('field-type');
      expect((error as FieldTypeError).field).toBe('vig');
      expect(error.message).toBe(
        `field "vig" holds ${found}: expected an integer in 1..2^31 (the sender's Vig protocol version)`,
      );
    }
  });

  it('rejects a client that is not a boolean, as field-type', () => {
    for (const bytes of ['01', '00', 'c0', 'a4 74727565', '80']) {
      const error = decodeError(map(...fields({ client: hex(bytes) })));
      expect(error).toBeInstanceOf(FieldTypeError);
      expect(error.reason).toBe('field-type');
      expect((error as FieldTypeError).field).toBe('client');
      expect(error.message).toMatch(/^field "client" holds .+: expected a boolean$/);
    }
  });

  it('reports a truncated or invalid extension field by its own reason', () => {
    const whole = encodeMessage(messageOf(sparse([1, 2]), { vig: 300, client: true }));
    expect(decodeError(whole.subarray(0, whole.length - 1)).reason).toBe('truncated');
    expect(decodeError(whole.subarray(0, whole.length - 9)).reason).toBe('truncated');
    expect(decodeError(map(...fields({ vig: hex('c1') }))).reason).toBe('not-msgpack');
    expect(decodeError(map(...fields({ client: hex('c1') }))).reason).toBe('not-msgpack');
  });

  it('refuses to encode a vig or client of the wrong type', () => {
    const invalidVersions: unknown[] = [0, -1, 1.5, Number.NaN, Infinity, 2 ** 31 + 1, '1', null];
    for (const vig of invalidVersions) {
      const message = { ...messageOf(sparse([1, 1])), vig } as unknown as VignetteMessage;
      let caught: unknown;
      try {
        encodeMessage(message);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidMessageFieldError);
      expect(isVigError(caught, 'InvalidMessageFieldError')).toBe(true);
      expect((caught as InvalidMessageFieldError).field).toBe('vig');
      expect((caught as Error).message).toMatch(
        /^message field "vig" is .+: expected an integer in 1\.\.2\^31 \(the sender's Vig protocol version\)$/,
      );
      expect(() => splitMessage(message)).toThrow(InvalidMessageFieldError);
    }
    for (const client of [1, 'true', null]) {
      const message = { ...messageOf(sparse([1, 1])), client } as unknown as VignetteMessage;
      expect(() => encodeMessage(message)).toThrow(
        `message field "client" is ${typeof client}: expected a boolean`,
      );
    }
  });
});

describe('the extension fields with other msgpack implementations', () => {
  it('writes fields that @msgpack/msgpack reads as a plain map', () => {
    const bytes = encodeMessage(
      messageOf(sparse([5, 6]), { full: true, vig: VIG_PROTOCOL_VERSION, client: true }),
      { dense: 'always' },
    );
    const decoded = new Decoder().decode(bytes) as Record<string, unknown>;
    expect(decoded['key']).toBe('hll:visitors');
    expect(decoded['ttl']).toBe(5);
    expect(decoded['vig']).toBe(1);
    expect(decoded['client']).toBe(true);
    expect(Object.keys(decoded)).toEqual([
      'key',
      'vector',
      'ttl',
      'full',
      'dense',
      'vig',
      'client',
    ]);
  });

  it('reads the fields as @msgpack/msgpack and msgpackr write them', () => {
    const independent = concat(
      hex('85'),
      encode('client'),
      encode(false),
      encode('key'),
      encode('k'),
      encode('vector'),
      hex('81 01 02'),
      encode('ttl'),
      encode(4),
      encode('vig'),
      encode(2, { forceIntegerToFloat: true }),
    );
    expect(decodeOk(independent)).toStrictEqual({
      key: 'k',
      vector: { kind: 'sparse', indices: [1], values: [2] },
      ttl: 4,
      full: false,
      vig: 2,
      client: false,
    });
    const packed = new Packr({ useRecords: false }).pack({
      key: 'k',
      vector: new Map([[1, 2]]),
      ttl: 3,
      vig: 1,
      client: true,
    });
    const message = decodeOk(packed);
    expect(message.vig).toBe(1);
    expect(message.client).toBe(true);
  });
});

describe('splitMessage with the extension fields', () => {
  it('carries vig and client on every chunk, within the budget', () => {
    const random = seededRandom(7);
    const indices = Array.from({ length: 3000 }, (_, i) => i * 5);
    const values = indices.map(() => 1 + Math.floor(random() * 40));
    for (const dense of ['never', 'auto', 'always'] satisfies DenseMode[]) {
      for (const [vig, client] of [
        [1, true],
        [MAX_VIG_PROTOCOL_VERSION, false],
        [undefined, true],
        [7, undefined],
      ] as const) {
        const message = withExtensions(
          messageOf({ kind: 'sparse', indices, values }, { full: true }),
          vig,
          client,
        );
        const chunks = splitMessage(message, { dense, budget: 500 });
        expect(chunks.length).toBeGreaterThan(1);
        for (const chunk of chunks) {
          expect(chunk.length).toBeLessThanOrEqual(500);
          const part = decodeOk(chunk);
          expect(part.vig).toBe(vig);
          expect(part.client).toBe(client);
          expect('vig' in part).toBe(vig !== undefined);
          expect('client' in part).toBe(client !== undefined);
        }
      }
    }
  });

  it('counts their bytes against the budget', () => {
    // A message that exactly fills the budget without them needs two chunks with them.
    const message = messageOf(
      sparse(...Array.from({ length: 40 }, (_, i): [number, number] => [i, 1])),
    );
    const budget = encodeMessage(message).length;
    expect(splitMessage(message, { budget })).toHaveLength(1);
    const marked = { ...message, vig: 1, client: true };
    const chunks = splitMessage(marked, { budget });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(budget);
    // And the smallest message the error reports includes them.
    const empty = messageOf(EMPTY_ENTRIES, { vig: 1, client: true });
    const emptySize = encodeMessage(empty).length;
    expect(splitMessage(empty, { budget: emptySize })).toHaveLength(1);
    expect(() => splitMessage(empty, { budget: emptySize - 1 })).toThrow(DatagramBudgetError);
    expect(() => splitMessage(empty, { budget: emptySize - 1 })).toThrow(
      `needs at least ${emptySize} bytes`,
    );
  });
});
