import { describe, expect, it } from 'vitest';
import {
  InvalidSyncError,
  InvalidUtf8Error,
  NestingTooDeepError,
  NotAMapError,
  NotMsgpackError,
  TooManySyncItemsError,
  TrailingBytesError,
  TruncatedMessageError,
  decodeDatagram,
  decodeSyncMessage,
  encodeSyncMessage,
} from '@vig/wire';
import type { DecodeFailureReason, SyncField, WireDecodeError } from '@vig/wire';
import { array, bin, concat, hex, map, str, uint } from './helpers.js';
import { decodeSyncError, decodeSyncOk } from './sync-helpers.js';

type ErrorClass = abstract new (...parameters: never[]) => WireDecodeError;

/** Checks that `bytes` fail with `errorClass` and `reason` (through both decoders), and returns the error. */
function expectFailure(
  bytes: Uint8Array,
  errorClass: ErrorClass,
  reason: DecodeFailureReason,
  text: RegExp,
): WireDecodeError {
  const error = decodeSyncError(bytes);
  expect(error).toBeInstanceOf(errorClass);
  expect(error.reason).toBe(reason);
  expect(error.message).toMatch(text);
  const routed = decodeDatagram(bytes);
  if (bytes[1] === 0xa4 && bytes[2] === 0x73) {
    expect(routed.ok).toBe(false);
    if (!routed.ok) expect(routed.error.reason).toBe(reason);
  }
  return error;
}

/** Checks an `invalid-sync` failure naming `field`. */
function expectInvalid(bytes: Uint8Array, field: SyncField, text: RegExp): void {
  const error = expectFailure(bytes, InvalidSyncError, 'invalid-sync', text);
  expect((error as InvalidSyncError).field).toBe(field);
}

const four = (value: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
};
const hashes = (...values: number[]) => bin(concat(...values.map(four)));
const vig = [str('vig'), uint(1)] as [Uint8Array, Uint8Array];

/** A sync message map: `sync: kind`, then the given fields (vig: 1 unless `withVig` is false). */
function sync(kind: string, fields: [Uint8Array, Uint8Array][], withVig = true): Uint8Array {
  return map([str('sync'), str(kind)], ...fields, ...(withVig ? [vig] : []));
}

const validRoot = () =>
  sync('root', [
    [str('hashes'), hashes(1, 2)],
    [str('keys'), uint(2)],
  ]);
const bucketsOf = (...items: Uint8Array[]) => sync('buckets', [[str('buckets'), array(...items)]]);
const leavesOf = (...items: Uint8Array[]) => sync('leaves', [[str('leaves'), array(...items)]]);
const peersOf = (...items: Uint8Array[]) =>
  sync('peers', [
    [str('reply'), hex('c2')],
    [str('peers'), array(...items)],
  ]);
const peer = (address: Uint8Array, heartbeat = uint(1), leave = uint(0)) =>
  array(address, heartbeat, leave);

describe('decodeSyncMessage refuses malformed sync messages', () => {
  it('reads the test builders as valid to begin with', () => {
    expect(decodeSyncOk(validRoot())).toEqual({
      kind: 'root',
      hashes: Uint32Array.of(1, 2),
      keys: 2,
      vig: 1,
    });
    expect(decodeSyncOk(bucketsOf(array(uint(1), hashes(5))))).toMatchObject({
      buckets: [{ bucket: 1, hashes: Uint32Array.of(5) }],
    });
    expect(decodeSyncOk(peersOf(peer(str('a:1'))))).toMatchObject({
      reply: false,
      peers: [{ address: 'a:1', heartbeat: 1, leave: 0 }],
    });
  });

  it('not-msgpack, truncated, not-a-map and trailing-bytes, as for vignette messages', () => {
    for (const input of ['text', null, undefined, 42, new ArrayBuffer(2)]) {
      const result = decodeSyncMessage(input as unknown as Uint8Array);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toBeInstanceOf(NotMsgpackError);
    }
    expectFailure(hex('c1'), NotMsgpackError, 'not-msgpack', /byte 0xc1 at offset 0/);
    expectFailure(new Uint8Array(0), TruncatedMessageError, 'truncated', /expected a sync message/);
    expectFailure(hex('93 01 02 03'), NotAMapError, 'not-a-map', /message is an array/);
    const whole = validRoot();
    for (let length = 1; length < whole.length; length++) {
      expectFailure(whole.subarray(0, length), TruncatedMessageError, 'truncated', /truncated/);
    }
    expectFailure(
      concat(whole, hex('00')),
      TrailingBytesError,
      'trailing-bytes',
      /1 more bytes follow: expected exactly one sync message/,
    );
    expectFailure(
      sync('want', [[str('hashes'), hex('c6 00010000')]]),
      TruncatedMessageError,
      'truncated',
      /65536 bytes expected/,
    );
    expectFailure(
      sync('peers', [[str('peers'), hex('dc 0fff')]]),
      TruncatedMessageError,
      'truncated',
      /truncated/,
    );
  });

  it('invalid-sync: no "sync" field first, or an unknown kind', () => {
    expectInvalid(hex('80'), 'sync', /found an empty map: expected the field "sync" first/);
    expectInvalid(
      map(vig, [str('sync'), str('want')], [str('hashes'), hashes()]),
      'sync',
      /first field at offset 1 is not "sync"/,
    );
    // "sync" as str8 is not the fixstr the format names.
    expectInvalid(
      map([hex('d9 04 73796e63'), str('want')], [str('hashes'), hashes()], vig),
      'sync',
      /is not "sync"/,
    );
    expectInvalid(sync('roots', []), 'sync', /unknown kind "roots": expected "root", "buckets"/);
    expectInvalid(sync('', []), 'sync', /unknown kind ""/);
    expectInvalid(map([str('sync'), uint(1)], vig), 'sync', /"sync" at offset 6 holds 1/);
    expectInvalid(
      map([str('sync'), bin(new TextEncoder().encode('want'))], vig),
      'sync',
      /holds binary data: expected a string/,
    );
  });

  it('invalid-sync: a missing field names it', () => {
    expectInvalid(
      sync('root', [[str('hashes'), hashes()]]),
      'keys',
      /"root" message has no "keys"/,
    );
    expectInvalid(sync('root', [[str('keys'), uint(1)]]), 'hashes', /no "hashes"/);
    expectInvalid(sync('want', [[str('hashes'), hashes()]], false), 'vig', /no "vig"/);
    expectInvalid(sync('buckets', []), 'buckets', /no "buckets"/);
    expectInvalid(sync('leaves', []), 'leaves', /no "leaves"/);
    expectInvalid(sync('peers', [[str('peers'), array()]]), 'reply', /no "reply"/);
    expectInvalid(sync('peers', [[str('reply'), hex('c3')]]), 'peers', /no "peers"/);
  });

  it('invalid-sync: a field sent twice', () => {
    expectInvalid(
      sync('want', [
        [str('hashes'), hashes(1)],
        [str('hashes'), hashes(2)],
      ]),
      'hashes',
      /field "hashes" at offset \d+ appears twice/,
    );
    expectInvalid(sync('want', [[str('hashes'), hashes()], vig]), 'vig', /"vig" .* appears twice/);
    expectInvalid(
      sync('want', [
        [str('hashes'), hashes()],
        [str('sync'), str('want')],
      ]),
      'sync',
      /appears twice/,
    );
  });

  it('invalid-sync: envelope fields of the wrong type', () => {
    for (const value of [
      uint(0),
      hex('ff'),
      uint(2 ** 31 + 1),
      hex('cb 3ff8000000000000'),
      str('1'),
    ]) {
      expectInvalid(
        map([str('sync'), str('want')], [str('hashes'), hashes()], [str('vig'), value]),
        'vig',
        /"vig" at offset \d+ holds .+: expected an integer in 1\.\.2\^31/,
      );
    }
    expectInvalid(
      sync('want', [
        [str('hashes'), hashes()],
        [str('client'), uint(1)],
      ]),
      'client',
      /"client" at offset \d+ holds 1: expected a boolean/,
    );
    expectInvalid(
      sync('peers', [
        [str('reply'), hex('c0')],
        [str('peers'), array()],
      ]),
      'reply',
      /"reply" at offset \d+ holds nil: expected a boolean/,
    );
  });

  it('invalid-sync: bins of the wrong type or length', () => {
    expectInvalid(
      sync('want', [[str('hashes'), array(uint(1))]]),
      'hashes',
      /"hashes" at offset \d+ holds an array: expected binary data/,
    );
    expectInvalid(
      sync('want', [[str('hashes'), str('abcd')]]),
      'hashes',
      /holds a string: expected binary data/,
    );
    expectInvalid(
      sync('root', [
        [str('hashes'), bin(Uint8Array.of(1, 2, 3))],
        [str('keys'), uint(0)],
      ]),
      'hashes',
      /"hashes" at offset \d+ holds 3 bytes: expected a multiple of 4/,
    );
    expectInvalid(
      leavesOf(array(uint(0), uint(0), uint(1), hashes(1, 2, 3))),
      'entries',
      /"leaves\[0\]\.entries" at offset \d+ holds 12 bytes: expected a multiple of 8/,
    );
    expectInvalid(
      bucketsOf(array(uint(1), bin(new Uint8Array(6)))),
      'hashes',
      /"buckets\[0\]\.hashes" .* holds 6 bytes/,
    );
  });

  it('invalid-sync: numbers out of range', () => {
    for (const value of [hex('ff'), uint(2 ** 32), hex('cb 3ff8000000000000'), hex('c0')]) {
      expectInvalid(
        bucketsOf(array(value, hashes())),
        'bucket',
        /"buckets\[0\]\.bucket" at offset \d+ holds .+: expected an integer in 0\.\.2\^32-1/,
      );
      expectInvalid(leavesOf(array(uint(1), uint(2), value, hashes())), 'to', /"leaves\[0\]\.to"/);
    }
    expectInvalid(leavesOf(array(hex('d0 ff'), uint(2), uint(3), hashes())), 'leaf', /holds -1/);
    expectInvalid(leavesOf(array(uint(1), str('2'), uint(3), hashes())), 'from', /holds a string/);
    expectInvalid(
      sync('root', [
        [str('hashes'), hashes()],
        [str('keys'), hex('cf 0020000000000000')],
      ]),
      'keys',
      /"keys" at offset \d+ holds 9007199254740992: expected an integer in 0\.\.2\^53-1/,
    );
    expectInvalid(
      peersOf(peer(str('a'), hex('cb 3ff8000000000000'))),
      'heartbeat',
      /"peers\[0\]\.heartbeat" .* holds the float 1\.5/,
    );
    expectInvalid(peersOf(peer(str('a'), uint(1), hex('d0 ff'))), 'leave', /"peers\[0\]\.leave"/);
  });

  it('reads integers in any int encoding, and integral floats, as vignette messages do', () => {
    const message = decodeSyncOk(
      peersOf(peer(str('a'), hex('d3 0000000000000005'), hex('cb 4000000000000000'))),
    );
    expect(message).toMatchObject({ peers: [{ heartbeat: 5, leave: 2 }] });
  });

  it('invalid-sync: list items that are not exactly the arrays of the format', () => {
    expectInvalid(
      sync('buckets', [[str('buckets'), map()]]),
      'buckets',
      /"buckets" at offset \d+ holds a map: expected an array of an array \[bucket, hashes as bin\]/,
    );
    expectInvalid(
      bucketsOf(array(uint(1))),
      'buckets',
      /"buckets\[0\]" at offset \d+ holds an array of 1 items: expected an array \[bucket, hashes as bin\]/,
    );
    expectInvalid(
      bucketsOf(array(uint(1), hashes(), uint(2))),
      'buckets',
      /holds an array of 3 items/,
    );
    expectInvalid(bucketsOf(uint(1)), 'buckets', /"buckets\[0\]" at offset \d+ holds 1/);
    expectInvalid(
      leavesOf(array(uint(1), uint(2), uint(3))),
      'leaves',
      /expected an array \[leaf, from, to, entries as bin\]/,
    );
    expectInvalid(
      peersOf(array(str('a'), uint(1))),
      'peers',
      /expected an array \[address, heartbeat, leave\]/,
    );
    expectInvalid(peersOf(map([str('address'), str('a')])), 'peers', /"peers\[0\]" .* holds a map/);
  });

  it('invalid-sync and invalid-utf8: peer addresses', () => {
    expectInvalid(
      peersOf(peer(bin(new TextEncoder().encode('a:1')))),
      'address',
      /"peers\[0\]\.address" at offset \d+ holds binary data: expected a string/,
    );
    expectInvalid(peersOf(peer(uint(7))), 'address', /holds 7: expected a string/);
    expectInvalid(
      peersOf(peer(str('x'.repeat(256)))),
      'address',
      /"peers\[0\]\.address" at offset \d+ is 256 bytes long: expected at most 255 bytes/,
    );
    expect(decodeSyncOk(peersOf(peer(str('x'.repeat(255)))))).toMatchObject({
      peers: [{ address: 'x'.repeat(255) }],
    });
    const error = expectFailure(
      peersOf(peer(hex('a2 c0 80'))),
      InvalidUtf8Error,
      'invalid-utf8',
      /field "address" at offset \d+ is not valid UTF-8/,
    );
    expect(error.name).toBe('InvalidUtf8Error');
  });

  it("reads a peers message's address range: from and to, strings, each optional", () => {
    const withRange = (...range: [Uint8Array, Uint8Array][]) =>
      sync('peers', [[str('reply'), hex('c3')], [str('peers'), array(peer(str('b')))], ...range]);
    expect(decodeSyncOk(withRange([str('from'), str('a')], [str('to'), str('c')]))).toEqual({
      kind: 'peers',
      reply: true,
      peers: [{ address: 'b', heartbeat: 1, leave: 0 }],
      from: 'a',
      to: 'c',
      vig: 1,
    });
    // In any order, before the list too, as str8 or str16, of 255 bytes at most.
    const decoded = decodeSyncOk(
      map(
        [str('sync'), str('peers')],
        [str('to'), hex(`d9 03 623a31`)],
        vig,
        [str('from'), str('x'.repeat(255))],
        [str('reply'), hex('c2')],
        [str('peers'), array()],
      ),
    );
    expect(decoded).toEqual({
      kind: 'peers',
      reply: false,
      peers: [],
      from: 'x'.repeat(255),
      to: 'b:1',
      vig: 1,
    });
    // Absent bounds stay absent; a from above to is read as sent.
    const plain = decodeSyncOk(withRange());
    expect('from' in plain || 'to' in plain).toBe(false);
    expect(decodeSyncOk(withRange([str('from'), str('z')], [str('to'), str('a')]))).toMatchObject({
      from: 'z',
      to: 'a',
    });
    // Other kinds do not have them: skipped, whatever they hold.
    expect(
      decodeSyncOk(
        sync('want', [
          [str('hashes'), hashes(4)],
          [str('from'), uint(7)],
          [str('to'), hex('c0')],
        ]),
      ),
    ).toEqual({ kind: 'want', hashes: Uint32Array.of(4), vig: 1 });
  });

  it("invalid-sync and invalid-utf8: a peers message's from and to", () => {
    const withRange = (...range: [Uint8Array, Uint8Array][]) =>
      sync('peers', [[str('reply'), hex('c2')], [str('peers'), array()], ...range]);
    for (const field of ['from', 'to'] as const) {
      expectInvalid(
        withRange([str(field), uint(7)]),
        field,
        new RegExp(`"${field}" at offset \\d+ holds 7: expected a string`),
      );
      expectInvalid(withRange([str(field), hex('c0')]), field, /holds nil: expected a string/);
      expectInvalid(
        withRange([str(field), bin(new TextEncoder().encode('a:1'))]),
        field,
        /holds binary data: expected a string/,
      );
      expectInvalid(
        withRange([str(field), str('x'.repeat(256))]),
        field,
        new RegExp(`"${field}" at offset \\d+ is 256 bytes long: expected at most 255 bytes`),
      );
      const error = expectFailure(
        withRange([str(field), hex('a3 61 ed a0')]),
        InvalidUtf8Error,
        'invalid-utf8',
        new RegExp(`field "${field}" at offset \\d+ is not valid UTF-8`),
      );
      expect(error.name).toBe('InvalidUtf8Error');
      expectInvalid(
        withRange([str(field), str('a')], [str(field), str('b')]),
        field,
        new RegExp(`field "${field}" at offset \\d+ appears twice: expected each field once`),
      );
      expectFailure(
        withRange([str(field), hex('da 0010 61')]),
        TruncatedMessageError,
        'truncated',
        /truncated/,
      );
    }
  });

  it('too-many-sync-items: more than 4096 items, or 16384 words in one bin', () => {
    const tooMany = expectFailure(
      sync('peers', [
        [str('reply'), hex('c3')],
        [str('peers'), hex('dc 1001')],
      ]),
      TooManySyncItemsError,
      'too-many-sync-items',
      /sync message field "peers" holds 4097 items: expected at most 4096/,
    ) as TooManySyncItemsError;
    expect([tooMany.field, tooMany.count, tooMany.limit]).toEqual(['peers', 4097, 4096]);
    expectFailure(
      bucketsOf(...Array.from({ length: 4097 }, () => array(uint(0), hashes()))),
      TooManySyncItemsError,
      'too-many-sync-items',
      /"buckets" holds 4097 items/,
    );
    expectFailure(
      sync('want', [[str('hashes'), hex('c6 00010004')]]),
      TooManySyncItemsError,
      'too-many-sync-items',
      /"hashes" holds 16385 uint32 words: expected at most 16384/,
    );
    expectFailure(
      leavesOf(array(uint(0), uint(0), uint(0), hex('c6 00010008'))),
      TooManySyncItemsError,
      'too-many-sync-items',
      /"leaves\[0\]\.entries" holds 16386 uint32 words/,
    );
  });

  it('skips unknown fields, and fields the kind does not have, of any type', () => {
    const bytes = map(
      [str('sync'), str('want')],
      [str('future'), array(map([uint(1), bin(Uint8Array.of(1))]), hex('d6ff00000001'))],
      [str('keys'), str('not a number: keys belong to a root')],
      [uint(5), uint(6)],
      [str('hashes'), hashes(9)],
      [str('peers'), hex('c0')],
      vig,
    );
    expect(decodeSyncOk(bytes)).toEqual({ kind: 'want', hashes: Uint32Array.of(9), vig: 1 });
  });

  it('nesting-too-deep and not-msgpack inside a skipped field', () => {
    const deep = sync('want', [
      [str('hashes'), hashes()],
      [str('deep'), hex('91 91 91 91 00')],
    ]);
    expect(decodeSyncOk(deep, { maxDepth: 4 }).kind).toBe('want');
    const error = decodeSyncError(deep, { maxDepth: 3 });
    expect(error).toBeInstanceOf(NestingTooDeepError);
    expect(error.reason).toBe('nesting-too-deep');
    expectFailure(
      sync('want', [
        [str('hashes'), hashes()],
        [str('odd'), hex('91 c1')],
      ]),
      NotMsgpackError,
      'not-msgpack',
      /0xc1/,
    );
    expectFailure(
      bucketsOf(array(hex('c1'), hashes())),
      NotMsgpackError,
      'not-msgpack',
      /byte 0xc1 at offset \d+/,
    );
  });

  it('decodes what encodeSyncMessage writes inside a longer map header (map16, map32)', () => {
    const fields = encodeSyncMessage({ kind: 'want', hashes: Uint32Array.of(3), vig: 1 }).subarray(
      1,
    );
    for (const header of [hex('de 0003'), hex('df 00000003')]) {
      const bytes = concat(header, fields);
      expect(decodeSyncOk(bytes)).toEqual({ kind: 'want', hashes: Uint32Array.of(3), vig: 1 });
      const routed = decodeDatagram(bytes);
      expect(routed.ok && routed.kind).toBe('sync');
    }
  });
});
