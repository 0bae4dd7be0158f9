import { describe, expect, it } from 'vitest';
import { fuzzDecoder } from './decoder-fuzz.js';
import { mutateBytes } from './mutate-bytes.js';
import {
  decodeDatagram,
  decodeDocMessage,
  decodeMessage,
  encodeDocMessage,
  decodeSyncMessage,
  encodeMessage,
  encodeSyncMessage,
  isSyncDatagram,
} from '@vig/wire';
import type {
  DatagramDecodeResult,
  DecodeFailureReason,
  SyncMessage,
  VignetteMessage,
} from '@vig/wire';
import { array, bin, concat, hex, map, str, uint } from './helpers.js';
import { asWritten } from './sync-helpers.js';

const syncReasons: ReadonlySet<DecodeFailureReason> = new Set<DecodeFailureReason>([
  'not-msgpack',
  'truncated',
  'trailing-bytes',
  'not-a-map',
  'nesting-too-deep',
  'invalid-utf8',
  'invalid-sync',
  'too-many-sync-items',
]);

const messageReasons: readonly DecodeFailureReason[] = [
  'missing-field',
  'field-type',
  'key-too-long',
  'invalid-index',
  'invalid-value',
  'too-many-entries',
  'invalid-dense',
];

const interestingBytes = [
  0x00, 0x7f, 0x80, 0x81, 0x84, 0x8f, 0x90, 0x92, 0x93, 0x94, 0xa0, 0xa4, 0x73, 0xc0, 0xc1, 0xc2,
  0xc3, 0xc4, 0xc5, 0xc6, 0xca, 0xcb, 0xce, 0xcf, 0xd3, 0xd9, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff,
];
/** Half the random inputs start like a sync message: a map whose first key is "sync". */
const syncPrefix = hex('84 a4 73796e63');

const addresses = ['10.0.0.7:7946', '[::1]:7946', 'nœud:1', '🙂:2', '', 'x'.repeat(255)];

/** Valid sync messages of every kind and shape, ours and hand-built. */
function syncCorpus(random: () => number): Uint8Array[] {
  const integer = (max: number) =>
    random() < 0.7 ? Math.floor(random() * 300) : Math.floor(random() * (max + 1));
  const words = (count: number) => Uint32Array.from({ length: count }, () => integer(0xffff_ffff));
  const count = () => (random() < 0.8 ? Math.floor(random() * 6) : Math.floor(random() * 40));
  const envelope = () => ({
    vig: random() < 0.8 ? 1 : 1 + Math.floor(random() * 2 ** 31),
    ...(random() < 0.3 ? { client: true } : {}),
  });
  const messages: Uint8Array[] = [];
  for (let i = 0; i < 250; i++) {
    let message: SyncMessage;
    switch (i % 6) {
      case 0:
        message = {
          kind: 'root',
          hashes: words(random() < 0.5 ? 64 : count()),
          keys: integer(2 ** 53 - 1),
          ...envelope(),
        };
        break;
      case 1:
        message = {
          kind: 'buckets',
          buckets: Array.from({ length: count() }, () => ({
            bucket: integer(0xffff_ffff),
            hashes: words(count()),
          })),
          ...envelope(),
        };
        break;
      case 2:
        message = {
          kind: 'leaves',
          leaves: Array.from({ length: count() }, () => ({
            leaf: integer(0xffff_ffff),
            from: integer(0xffff_ffff),
            to: integer(0xffff_ffff),
            entries: words(count() * 2),
          })),
          ...envelope(),
        };
        break;
      case 3:
        message = { kind: 'want', hashes: words(count() * 3), ...envelope() };
        break;
      case 4:
        message = {
          kind: 'peers',
          reply: random() < 0.5,
          peers: Array.from({ length: count() }, () => ({
            address: addresses[Math.floor(random() * addresses.length)] ?? '',
            heartbeat: integer(2 ** 53 - 1),
            leave: integer(2 ** 53 - 1),
          })),
          ...(random() < 0.4
            ? { from: addresses[Math.floor(random() * addresses.length)] ?? '' }
            : {}),
          ...(random() < 0.4
            ? { to: addresses[Math.floor(random() * addresses.length)] ?? '' }
            : {}),
          ...envelope(),
        };
        break;
      default:
        message = {
          kind: 'members',
          reply: random() < 0.5,
          members: Array.from({ length: count() }, () => ({
            address: addresses[Math.floor(random() * addresses.length)] ?? '',
            status: ['alive', 'suspect', 'dead', 'left', ''][Math.floor(random() * 5)] ?? '',
          })),
          ...envelope(),
        };
    }
    messages.push(encodeSyncMessage(message));
  }
  messages.push(
    // map16 header, an unknown nested field, client false, integers in other encodings.
    concat(
      hex('de 0005'),
      str('sync'),
      str('peers'),
      str('later'),
      array(map([uint(1), bin(Uint8Array.of(1))]), hex('d6ff00000001')),
      str('peers'),
      array(array(hex('d9 03 613a31'), hex('d3 0000000000000005'), hex('cb 4000000000000000'))),
      str('reply'),
      hex('c2'),
      str('vig'),
      hex('cd 0001'),
    ),
    map(
      [str('sync'), str('want')],
      [str('client'), hex('c2')],
      [str('hashes'), bin(new Uint8Array(400).fill(0xab))],
      [str('vig'), uint(1)],
    ),
  );
  return messages;
}

function vignetteCorpus(random: () => number): Uint8Array[] {
  const messages: Uint8Array[] = [];
  for (let i = 0; i < 60; i++) {
    const indices = Array.from({ length: Math.floor(random() * 20) }, () =>
      Math.floor(random() * 16384),
    );
    const message: VignetteMessage = {
      key: ['hll:visitors', 'n:10.0.0.7:7946', 'sync', 'ключ'][i % 4] ?? 'k',
      vector: { kind: 'sparse', indices, values: indices.map(() => 1 + Math.floor(random() * 30)) },
      ttl: Math.floor(random() * 60),
      full: random() < 0.5,
      ...(random() < 0.5 ? { vig: 1 } : {}),
    };
    messages.push(encodeMessage(message, { dense: random() < 0.5 ? 'never' : 'auto' }));
  }
  return messages;
}

function mutate(random: () => number, corpus: readonly Uint8Array[]): Uint8Array {
  return mutateBytes(random, corpus, {
    interestingBytes,
    maxRandomLength: 64,
    maxFlips: 4,
    randomPrefix: syncPrefix,
  });
}

/** What decodeDatagram accepted, or a marker for a route that disagrees with isSyncDatagram. */
type RoutedDatagram = Extract<DatagramDecodeResult, { ok: true }> | { readonly kind: 'misrouted' };

/** A sync message as comparable text: Uint32Arrays as plain arrays. */
function syncText(message: SyncMessage): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    value instanceof Uint32Array ? [...value] : value,
  );
}

/** A decoded sync message re-encodes and decodes again to itself (as written). */
function checkSyncRoundTrip(message: SyncMessage): string | undefined {
  const again = decodeSyncMessage(encodeSyncMessage(message));
  if (!again.ok) return `re-encoded message failed: ${again.error.message}`;
  return syncText(again.sync) === syncText(asWritten(message)) ? undefined : 'did not round-trip';
}

describe('sync decoding under fuzzing', () => {
  it('decodeSyncMessage answers 60k seeded inputs with a sync message or a typed error, never a throw', () => {
    const { problems, seen } = fuzzDecoder({
      seed: 20261123,
      rounds: 60_000,
      corpus: syncCorpus,
      mutate,
      reasons: syncReasons,
      decode: (input) => {
        const result = decodeSyncMessage(input);
        return result.ok ? { ok: true, value: result.sync } : result;
      },
      checkAccepted: checkSyncRoundTrip,
    });
    expect(problems).toEqual([]);
    expect(seen.get('ok')).toBeGreaterThan(5_000);
    for (const reason of [
      'not-msgpack',
      'truncated',
      'trailing-bytes',
      'not-a-map',
      'invalid-sync',
      'invalid-utf8',
      'too-many-sync-items',
    ] as const) {
      expect(seen.get(reason), reason).toBeGreaterThan(0);
    }
  });

  it('decodeDatagram answers 40k seeded inputs, sync and vignette, routed by their first key, never a throw', () => {
    const { problems, seen } = fuzzDecoder<RoutedDatagram>({
      seed: 20261124,
      rounds: 40_000,
      corpus: (random) => [...syncCorpus(random), ...vignetteCorpus(random)],
      mutate,
      reasons: new Set<string>([...syncReasons, ...messageReasons, 'invalid-doc']),
      decode: (input) => {
        const result = decodeDatagram(input);
        if (!result.ok) return result;
        // The route must agree with the cheap check on the same bytes.
        if (isSyncDatagram(input) !== (result.kind === 'sync')) {
          return { ok: true, value: { kind: 'misrouted' } };
        }
        return { ok: true, value: result };
      },
      checkAccepted: (value) => {
        if (value.kind === 'misrouted') return 'routed against isSyncDatagram';
        if (value.kind === 'sync') return checkSyncRoundTrip(value.sync);
        // A mutation may, rarely, make a doc message: it must re-encode.
        if (value.kind === 'doc') {
          return decodeDocMessage(encodeDocMessage(value.doc)).ok ? undefined : 'did not re-encode';
        }
        return decodeMessage(encodeMessage(value.message)).ok ? undefined : 'did not re-encode';
      },
    });
    expect(problems).toEqual([]);
    expect(seen.get('ok')).toBeGreaterThan(5_000);
    expect(seen.get('invalid-sync')).toBeGreaterThan(0);
    expect(seen.get('missing-field')).toBeGreaterThan(0);
  });
});
