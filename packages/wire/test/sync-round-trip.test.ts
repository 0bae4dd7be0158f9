import { MAX_VALUE } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import {
  MAX_SYNC_ADDRESS_BYTES,
  MAX_SYNC_HASHES,
  MAX_SYNC_ITEMS,
  MAX_VIG_PROTOCOL_VERSION,
  SYNC_KINDS,
  encodeSyncMessage,
} from '@vig/wire';
import type { SyncMessage } from '@vig/wire';
import { concat, hex } from './helpers.js';
import { asWritten, decodeSyncOk, expectRoundTrip } from './sync-helpers.js';

const top = 0xffff_ffff;
const syncField = 'a4 73796e63';
const vigOne = 'a3 766967 01';
const clientTrue = 'a6 636c69656e74 c3';

describe('encodeSyncMessage writes the documented bytes', () => {
  it('root: sync, hashes, keys, vig, client (only when true)', () => {
    const root: SyncMessage = {
      kind: 'root',
      hashes: Uint32Array.of(1, 0x0403_0201),
      keys: 300,
      vig: 1,
    };
    const body = `${syncField} a4 726f6f74 a6 686173686573 c4 08 01000000 01020304 a4 6b657973 cd 012c ${vigOne}`;
    expect(encodeSyncMessage(root)).toEqual(hex(`84 ${body}`));
    expect(encodeSyncMessage({ ...root, client: true })).toEqual(hex(`85 ${body} ${clientTrue}`));
    expect(encodeSyncMessage({ ...root, client: false })).toEqual(hex(`84 ${body}`));
  });

  it('buckets: an array of [bucket, bin]', () => {
    const message: SyncMessage = {
      kind: 'buckets',
      buckets: [
        { bucket: 3, hashes: Uint32Array.of(7) },
        { bucket: 200, hashes: new Uint32Array(0) },
      ],
      vig: 1,
    };
    expect(encodeSyncMessage(message)).toEqual(
      hex(
        `83 ${syncField} a7 6275636b657473 a7 6275636b657473 92 92 03 c4 04 07000000 92 cc c8 c4 00 ${vigOne}`,
      ),
    );
  });

  it('leaves: an array of [leaf, from, to, bin of pairs]', () => {
    const message: SyncMessage = {
      kind: 'leaves',
      leaves: [{ leaf: 5, from: 0, to: top, entries: Uint32Array.of(0xa, 0xb) }],
      vig: 1,
    };
    expect(encodeSyncMessage(message)).toEqual(
      hex(
        `83 ${syncField} a6 6c6561766573 a6 6c6561766573 91 94 05 00 ce ffffffff c4 08 0a000000 0b000000 ${vigOne}`,
      ),
    );
  });

  it('want: a bin of hashes', () => {
    expect(encodeSyncMessage({ kind: 'want', hashes: Uint32Array.of(top), vig: 2 })).toEqual(
      hex(`83 ${syncField} a4 77616e74 a6 686173686573 c4 04 ffffffff a3 766967 02`),
    );
  });

  it('peers: reply, then an array of [address, heartbeat, leave]', () => {
    const message: SyncMessage = {
      kind: 'peers',
      reply: true,
      peers: [{ address: 'a:1', heartbeat: 70_000, leave: 0 }],
      vig: 1,
      client: true,
    };
    expect(encodeSyncMessage(message)).toEqual(
      hex(
        `85 ${syncField} a5 7065657273 a5 7265706c79 c3 a5 7065657273 91 93 a3 613a31 ce 00011170 00 ${vigOne} ${clientTrue}`,
      ),
    );
  });

  it('peers with an address range, as the README shows it', () => {
    const message: SyncMessage = {
      kind: 'peers',
      reply: true,
      peers: [{ address: 'a:1', heartbeat: 70_000, leave: 0 }],
      from: 'a',
      to: 'b',
      vig: 1,
      client: true,
    };
    expect(encodeSyncMessage(message)).toEqual(
      hex(
        `87 ${syncField} a5 7065657273 a5 7265706c79 c3 a5 7065657273 91 93 a3 613a31 ce 00011170 00 a4 66726f6d a1 61 a2 746f a1 62 ${vigOne} ${clientTrue}`,
      ),
    );
  });

  it('peers with an address range: from, then to, after the list, each only when present', () => {
    const base: SyncMessage = {
      kind: 'peers',
      reply: false,
      peers: [{ address: 'a:1', heartbeat: 1, leave: 0 }],
      vig: 1,
    };
    const head = `${syncField} a5 7065657273 a5 7265706c79 c2 a5 7065657273 91 93 a3 613a31 01 00`;
    const from = 'a4 66726f6d a1 61';
    const to = 'a2 746f a3 623a30';
    expect(encodeSyncMessage(base)).toEqual(hex(`84 ${head} ${vigOne}`));
    expect(encodeSyncMessage({ ...base, from: 'a', to: 'b:0' })).toEqual(
      hex(`86 ${head} ${from} ${to} ${vigOne}`),
    );
    expect(encodeSyncMessage({ ...base, from: 'a' })).toEqual(hex(`85 ${head} ${from} ${vigOne}`));
    expect(encodeSyncMessage({ ...base, to: 'b:0', client: true })).toEqual(
      hex(`86 ${head} ${to} ${vigOne} ${clientTrue}`),
    );
    // Strings of 32 bytes and more take str16 (never str8), as addresses do.
    const long = 'r'.repeat(32);
    expect(encodeSyncMessage({ ...base, peers: [], to: long })).toEqual(
      hex(
        `85 ${syncField} a5 7065657273 a5 7265706c79 c2 a5 7065657273 90 a2 746f da 0020 ${'72'.repeat(32)} ${vigOne}`,
      ),
    );
  });
});

describe('sync messages round-trip', () => {
  it('every kind, with boundary values', () => {
    const messages: SyncMessage[] = [
      { kind: 'root', hashes: Uint32Array.of(0, 1, 127, 128, top), keys: 0, vig: 1 },
      {
        kind: 'root',
        hashes: new Uint32Array(64).map((_, i) => i * 0x0101_0101),
        keys: MAX_VALUE,
        vig: MAX_VIG_PROTOCOL_VERSION,
        client: true,
      },
      { kind: 'root', hashes: new Uint32Array(0), keys: 2 ** 32, vig: 1, client: false },
      {
        kind: 'buckets',
        buckets: [
          { bucket: 0, hashes: Uint32Array.of(top, 0) },
          { bucket: top, hashes: new Uint32Array(0) },
          { bucket: 63, hashes: new Uint32Array(MAX_SYNC_HASHES).fill(0x1234_5678) },
        ],
        vig: 1,
      },
      { kind: 'buckets', buckets: [], vig: 1, client: true },
      {
        kind: 'leaves',
        leaves: [
          { leaf: 0, from: 0, to: top, entries: Uint32Array.of(1, 2, top, 0) },
          { leaf: top, from: top, to: 0, entries: new Uint32Array(0) },
        ],
        vig: 1,
      },
      { kind: 'leaves', leaves: [], vig: 3 },
      { kind: 'want', hashes: Uint32Array.of(0, top, 42), vig: 1 },
      { kind: 'want', hashes: new Uint32Array(0), vig: 1, client: true },
      {
        kind: 'peers',
        reply: false,
        peers: [
          { address: '127.0.0.1:7946', heartbeat: 0, leave: 0 },
          { address: '[::1]:7946', heartbeat: MAX_VALUE, leave: MAX_VALUE },
          { address: 'nœud-ключ-🙂:1', heartbeat: 1, leave: 2 ** 32 },
          { address: '', heartbeat: 128, leave: 255 },
          { address: 'é'.repeat(127), heartbeat: 65_535, leave: 65_536 },
        ],
        vig: 1,
      },
      { kind: 'peers', reply: true, peers: [], vig: 1, client: true },
    ];
    for (const message of messages) expectRoundTrip(message);
  });

  it('peers with and without an address range', () => {
    const peers = [
      { address: '10.0.0.1:7946', heartbeat: 3, leave: 0 },
      { address: '10.0.0.2:7946', heartbeat: 4, leave: 1 },
    ];
    const ranges: { from?: string; to?: string }[] = [
      {},
      { from: '10.0.0.1:7946' },
      { to: '10.0.0.3:7946' },
      { from: '', to: '10.0.0.3:7946' },
      { from: '10.0.0.0', to: '\u{10ffff}' },
      // An empty string is a bound (the lowest), not an absent one.
      { from: '', to: '' },
      // from above to is sent and read as it is: receivers treat the range as empty.
      { from: 'z', to: 'a' },
      { from: 'x'.repeat(MAX_SYNC_ADDRESS_BYTES), to: 'é'.repeat(127) },
      { from: 'nœud-ключ-🙂:1' },
    ];
    for (const range of ranges) {
      for (const list of [peers, []]) {
        const message: SyncMessage = { kind: 'peers', reply: true, peers: list, ...range, vig: 1 };
        const decoded = decodeSyncOk(expectRoundTrip(message));
        // Absent bounds stay absent: no property holding undefined.
        expect('from' in decoded).toBe(range.from !== undefined);
        expect('to' in decoded).toBe(range.to !== undefined);
        if (decoded.kind !== 'peers') throw new Error('expected peers');
        expect(decoded.from).toBe(range.from);
        expect(decoded.to).toBe(range.to);
      }
    }
  });

  it('lists at their limits: 4096 items, 16384 words, 255-byte addresses', () => {
    expectRoundTrip({
      kind: 'peers',
      reply: true,
      peers: Array.from({ length: MAX_SYNC_ITEMS }, (_, i) => ({
        address: i === 0 ? 'x'.repeat(MAX_SYNC_ADDRESS_BYTES) : `10.0.${i >> 8}.${i & 255}:7946`,
        heartbeat: i,
        leave: 0,
      })),
      vig: 1,
    });
    expectRoundTrip({
      kind: 'leaves',
      leaves: [{ leaf: 1, from: 2, to: 3, entries: new Uint32Array(MAX_SYNC_HASHES).fill(top) }],
      vig: 1,
    });
    expectRoundTrip({ kind: 'want', hashes: new Uint32Array(MAX_SYNC_HASHES).fill(9), vig: 1 });
  });

  it('decodes hashes into fresh, aligned arrays, whatever the input buffer', () => {
    const message: SyncMessage = {
      kind: 'buckets',
      buckets: [{ bucket: 1, hashes: Uint32Array.of(1, 2, 3) }],
      vig: 1,
    };
    // The message at an odd offset of a Node Buffer (whose slice is a view).
    const padded = Buffer.from(concat(hex('00 00 00'), encodeSyncMessage(message)));
    const decoded = decodeSyncOk(padded.subarray(3));
    expect(decoded).toEqual(message);
    if (decoded.kind !== 'buckets') throw new Error('expected buckets');
    const { hashes } = decoded.buckets[0];
    expect(hashes.buffer).not.toBe(padded.buffer);
    expect(hashes.byteOffset).toBe(0);
    expect(hashes.buffer.byteLength).toBe(12);
    padded.fill(0);
    expect([...hashes]).toEqual([1, 2, 3]);
  });

  it('encodes hashes held in a view at any offset', () => {
    const backing = new Uint32Array([9, 8, 7, 6]);
    const hashes = backing.subarray(1, 3);
    expect(decodeSyncOk(encodeSyncMessage({ kind: 'want', hashes, vig: 1 }))).toEqual({
      kind: 'want',
      hashes: Uint32Array.of(8, 7),
      vig: 1,
    });
  });

  it('reads fields in any order after "sync", and keeps client: false when sent', () => {
    // {sync: "want", vig: 1, client: false, hashes: bin(4)}
    const bytes = hex(
      `84 ${syncField} a4 77616e74 ${vigOne} a6 636c69656e74 c2 a6 686173686573 c4 04 01000000`,
    );
    expect(decodeSyncOk(bytes)).toEqual({
      kind: 'want',
      hashes: Uint32Array.of(1),
      vig: 1,
      client: false,
    });
    expect(asWritten(decodeSyncOk(bytes))).toEqual({
      kind: 'want',
      hashes: Uint32Array.of(1),
      vig: 1,
    });
  });

  it('lists every kind', () => {
    expect(SYNC_KINDS).toEqual(['root', 'buckets', 'leaves', 'want', 'peers', 'members']);
  });
});
