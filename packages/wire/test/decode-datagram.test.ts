import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  decodeDatagram,
  decodeMessage,
  encodeMessage,
  encodeSyncMessage,
  isSyncDatagram,
  splitSyncMessage,
} from '@vig/wire';
import type { SyncMessage, VignetteMessage } from '@vig/wire';
import { array, concat, fields, hex, map, messageOf, sparse, str, uint } from './helpers.js';
import { fingerprint, plainEncodings } from './plain-golden.js';

const syncMessages: SyncMessage[] = [
  { kind: 'root', hashes: new Uint32Array(64).fill(7), keys: 12, vig: 1 },
  { kind: 'buckets', buckets: [{ bucket: 3, hashes: Uint32Array.of(1, 2) }], vig: 1 },
  { kind: 'leaves', leaves: [{ leaf: 1, from: 0, to: 9, entries: Uint32Array.of(1, 2) }], vig: 1 },
  { kind: 'want', hashes: Uint32Array.of(5), vig: 1, client: true },
  { kind: 'peers', reply: true, peers: [{ address: 'a:1', heartbeat: 4, leave: 0 }], vig: 1 },
];

/** Checks that decodeDatagram gives exactly what decodeMessage gives, as a `message`. */
function expectRoutedToMessage(bytes: Uint8Array): void {
  expect(isSyncDatagram(bytes)).toBe(false);
  const direct = decodeMessage(bytes);
  const routed = decodeDatagram(bytes);
  if (direct.ok) {
    // Compared by hand: toEqual on ten thousand messages takes seconds.
    const same =
      routed.ok &&
      routed.kind === 'message' &&
      Object.keys(routed).length === 3 &&
      sameMessage(routed.message, direct.message);
    if (!same) expect(routed).toEqual({ ok: true, kind: 'message', message: direct.message });
  } else {
    expect(routed.ok).toBe(false);
    if (!routed.ok) {
      expect(routed.error.constructor).toBe(direct.error.constructor);
      expect(routed.error.message).toBe(direct.error.message);
    }
  }
}

/** Whether two decoded messages hold the same fields and entries, in the same encoding. */
function sameMessage(left: VignetteMessage, right: VignetteMessage): boolean {
  const fieldsOf = ({ vector: _vector, ...rest }: VignetteMessage) => JSON.stringify(rest);
  if (fieldsOf(left) !== fieldsOf(right)) return false;
  const [a, b] = [left.vector, right.vector];
  if (a.kind === 'sparse' && b.kind === 'sparse') {
    return sameItems(a.indices, b.indices) && sameItems(a.values, b.values);
  }
  if (a.kind === 'dense' && b.kind === 'dense') {
    return (
      a.offset === b.offset &&
      a.registers.constructor === b.registers.constructor &&
      sameItems(a.registers, b.registers)
    );
  }
  return false;
}

function sameItems(left: ArrayLike<number>, right: ArrayLike<number>): boolean {
  if (left.length !== right.length) return false;
  for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
  return true;
}

describe('decodeDatagram', () => {
  it('routes every golden plain message to decodeMessage, unchanged', () => {
    const encodings = plainEncodings();
    expect(fingerprint(encodings)).toBe('10257 messages, 28610253 bytes, fnv1a e3c6733f');
    for (const bytes of encodings) expectRoutedToMessage(bytes);
  });

  it('routes messages of other implementations, and malformed ones, to decodeMessage', () => {
    const independent = concat(
      hex('83'),
      encode('key'),
      encode('k'),
      encode('vector'),
      hex('81 01 02'),
      encode('ttl'),
      encode(3),
    );
    for (const bytes of [
      independent,
      encodeMessage(messageOf(sparse([1, 2]), { vig: 1, client: true })),
      // Clojure style: no ttl, fields in another order; a field named "sync" not first.
      map([str('vector'), map([uint(1), uint(2)])], [str('key'), str('clojure')]),
      map(...fields({ sync: str('root') })),
      new Uint8Array(0),
      hex('c1'),
      hex('80'),
      hex('93 01 02 03'),
      // A map whose first key is "sync" as str8 is no sync message.
      map([hex('d9 04 73796e63'), str('want')], ...fields()),
      // A map16 holding no field, followed by what looks like one.
      hex('de 0000 a4 73796e63 a4 77616e74'),
      hex('81 a4 73796e'),
    ]) {
      expectRoutedToMessage(bytes);
    }
  });

  it('routes sync messages to decodeSyncMessage', () => {
    for (const message of syncMessages) {
      for (const bytes of splitSyncMessage(message)) {
        expect(isSyncDatagram(bytes)).toBe(true);
        expect(decodeDatagram(bytes)).toEqual({ ok: true, kind: 'sync', sync: message });
      }
    }
  });

  it('reports a malformed sync message with the sync decoder’s error', () => {
    const bytes = map([str('sync'), str('gossip')], [str('vig'), uint(1)]);
    expect(isSyncDatagram(bytes)).toBe(true);
    const routed = decodeDatagram(bytes);
    expect(routed.ok).toBe(false);
    if (!routed.ok) expect(routed.error.reason).toBe('invalid-sync');
    const truncated = encodeSyncMessage(syncMessages[0]).subarray(0, 40);
    const cut = decodeDatagram(truncated);
    expect(!cut.ok && cut.error.reason).toBe('truncated');
  });

  it('never throws on input that is not bytes', () => {
    for (const input of ['text', null, undefined, 42, [0x81], new ArrayBuffer(8)]) {
      expect(isSyncDatagram(input as unknown as Uint8Array)).toBe(false);
      const result = decodeDatagram(input as unknown as Uint8Array);
      expect(!result.ok && result.error.reason).toBe('not-msgpack');
    }
  });

  it('passes options on: maxDepth to both decoders, the others to decodeMessage', () => {
    const deepSync = map(
      [str('sync'), str('want')],
      [str('hashes'), hex('c4 00')],
      [str('deep'), array(array(array(uint(1))))],
      [str('vig'), uint(1)],
    );
    expect(decodeDatagram(deepSync, { maxDepth: 3 }).ok).toBe(true);
    const refused = decodeDatagram(deepSync, { maxDepth: 2 });
    expect(!refused.ok && refused.error.reason).toBe('nesting-too-deep');
    const routed = decodeDatagram(map(...fields({ ttl: undefined })), { defaultTtl: 9 });
    expect(routed.ok && routed.kind === 'message' && routed.message.ttl).toBe(9);
  });
});
