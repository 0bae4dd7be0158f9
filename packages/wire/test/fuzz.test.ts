import { describe, expect, it } from 'vitest';
import { fuzzDecoder } from './decoder-fuzz.js';
import { mutateBytes } from './mutate-bytes.js';
import { decodeMessage, encodeMessage } from '@vig/wire';
import type { DecodeFailureReason, VignetteMessage } from '@vig/wire';
import { array, bin, foldEntries, hex, map, str, uint } from './helpers.js';

const reasons: ReadonlySet<DecodeFailureReason> = new Set<DecodeFailureReason>([
  'not-msgpack',
  'truncated',
  'trailing-bytes',
  'not-a-map',
  'missing-field',
  'field-type',
  'key-too-long',
  'invalid-utf8',
  'invalid-index',
  'invalid-value',
  'too-many-entries',
  'invalid-dense',
  'nesting-too-deep',
]);

const keys = ['hll:visitors:2026-11-22', 'n:10.0.0.7:7946', 'views:%', 'ключ', '🙂', '', 'k'];
const interestingBytes = [
  0x00, 0x7f, 0x80, 0x8f, 0x90, 0xa0, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xca, 0xcb, 0xcf, 0xd3, 0xd9,
  0xdc, 0xde, 0xdf, 0xe0, 0xff,
];

/** Valid messages of every shape the decoder reads, ours and foreign. */
function corpus(random: () => number): Uint8Array[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const messages: Uint8Array[] = [];
  for (let i = 0; i < 200; i++) {
    const count = Math.floor(random() * 40);
    const indices = Array.from({ length: count }, () =>
      random() < 0.8 ? Math.floor(random() * 16384) : Math.floor(random() * 2 ** 32),
    );
    const values = indices.map(() =>
      random() < 0.8 ? Math.floor(random() * 30) : Math.floor(random() * 2 ** 53),
    );
    const message: VignetteMessage = {
      key: pick(keys),
      vector: { kind: 'sparse', indices, values },
      ttl: Math.floor(random() * 60),
      full: random() < 0.5,
      // A third of the messages mark their sender as a Vig node, some as a client.
      ...(random() < 0.33 ? { vig: random() < 0.8 ? 1 : Math.floor(random() * 2 ** 31) + 1 } : {}),
      ...(random() < 0.2 ? { client: random() < 0.7 } : {}),
    };
    // 'always' only where the span fits one dense field.
    const spanFits = indices.every((index) => index < 16384);
    const mode = pick(
      spanFits ? (['never', 'auto', 'always'] as const) : (['never', 'auto'] as const),
    );
    messages.push(encodeMessage(message, { dense: mode }));
  }
  const registers = Uint16Array.from({ length: 64 }, () => Math.floor(random() * 700));
  messages.push(
    encodeMessage(
      { key: 'hll', vector: { kind: 'dense', offset: 100, registers }, ttl: 3, full: true },
      { dense: 'always' },
    ),
    map(
      [str('key'), str('clojure')],
      [str('vector'), map([uint(1), uint(2)])],
      [str('full'), hex('c2')],
    ),
    map(
      [str('extra'), array(map([uint(1), bin(Uint8Array.of(1, 2))]), hex('d6ff00000001'))],
      [str('key'), bin(new TextEncoder().encode('binary key'))],
      [str('vector'), map([hex('cb4014000000000000'), hex('d3000000000000000a')])],
      [str('dense'), array(uint(0), uint(8), bin(new Uint8Array(16).fill(1)))],
      [str('ttl'), hex('d0 05')],
    ),
  );
  return messages;
}

/** One fuzz input (see mutateBytes), from valid messages. */
function mutate(random: () => number, messages: readonly Uint8Array[]): Uint8Array {
  return mutateBytes(random, messages, { interestingBytes, maxRandomLength: 64, maxFlips: 4 });
}

describe('decodeMessage under fuzzing', () => {
  it('answers 100k seeded inputs with a valid message or a typed error, never a throw', () => {
    const { problems, seen } = fuzzDecoder({
      seed: 20261122,
      rounds: 100_000,
      corpus,
      mutate,
      reasons,
      decode: (input) => {
        const result = decodeMessage(input);
        return result.ok ? { ok: true, value: result.message } : result;
      },
      // A message that decodes re-encodes, and decodes again to the same thing.
      checkAccepted: (message) => {
        const again = decodeMessage(encodeMessage(message));
        const same =
          again.ok &&
          again.message.key === message.key &&
          again.message.ttl === message.ttl &&
          again.message.full === message.full &&
          again.message.vig === message.vig &&
          again.message.client === message.client &&
          'vig' in again.message === 'vig' in message &&
          'client' in again.message === 'client' in message &&
          sameEntries(foldEntries(again.message.vector), foldEntries(message.vector));
        return same ? undefined : 'did not round-trip';
      },
    });
    expect(problems).toEqual([]);
    // The inputs reached the decoder's every corner.
    expect(seen.get('ok')).toBeGreaterThan(10_000);
    for (const reason of [
      'not-msgpack',
      'truncated',
      'trailing-bytes',
      'not-a-map',
      'missing-field',
      'field-type',
      'invalid-utf8',
      'invalid-index',
      'invalid-value',
      'invalid-dense',
    ] as const) {
      expect(seen.get(reason), reason).toBeGreaterThan(0);
    }
  });
});

function sameEntries(left: Map<number, number>, right: Map<number, number>): boolean {
  if (left.size !== right.size) return false;
  for (const [index, value] of left) if (right.get(index) !== value) return false;
  return true;
}
