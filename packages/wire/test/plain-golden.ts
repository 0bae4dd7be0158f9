import { encodeMessage, splitMessage } from '@vig/wire';
import type { DenseMode, VignetteMessage } from '@vig/wire';
import { seededRandom } from './helpers.js';

/**
 * Every encoding of 300 seeded plain messages (no `vig`, no `client`), under
 * each dense mode, whole and split: the bytes whose fingerprint the tests
 * compare with the one recorded before the extension fields existed.
 */
export function plainEncodings(): Uint8Array[] {
  const random = seededRandom(4);
  const keys = ['hll:visitors:2026-11-22', 'n:10.0.0.7:7946', 'views:%', 'ключ', '🙂', 'k'];
  const results: Uint8Array[] = [];
  for (let i = 0; i < 300; i++) {
    const count = Math.floor(random() * (i % 10 === 0 ? 900 : 40));
    const indices = Array.from({ length: count }, () => Math.floor(random() * 16384));
    const values = indices.map(() =>
      random() < 0.9 ? Math.floor(random() * 30) : Math.floor(random() * 2 ** 40),
    );
    const message: VignetteMessage = {
      key: keys[i % keys.length] ?? 'k',
      vector: { kind: 'sparse', indices, values },
      ttl: Math.floor(random() * 300),
      full: random() < 0.5,
    };
    for (const dense of ['never', 'auto', 'always'] as const satisfies readonly DenseMode[]) {
      results.push(encodeMessage(message, { dense }));
      results.push(...splitMessage(message, { dense, budget: 200 + (i % 7) * 200 }));
    }
  }
  const registers = Uint8Array.from({ length: 2000 }, () => Math.floor(random() * 12));
  const dense: VignetteMessage = {
    key: 'hll',
    vector: { kind: 'dense', offset: 7, registers },
    ttl: 3,
    full: true,
  };
  for (const mode of ['never', 'auto', 'always'] as const) {
    results.push(encodeMessage(dense, { dense: mode }), ...splitMessage(dense, { dense: mode }));
  }
  return results;
}

/** FNV-1a (32 bits) over every byte, with the count of messages and of bytes. */
export function fingerprint(encodings: readonly Uint8Array[]): string {
  let hash = 0x811c_9dc5;
  let total = 0;
  for (const bytes of encodings) {
    for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x0100_0193) >>> 0;
    hash = Math.imul(hash ^ 0xff, 0x0100_0193) >>> 0;
    total += bytes.length;
  }
  return `${encodings.length} messages, ${total} bytes, fnv1a ${hash.toString(16).padStart(8, '0')}`;
}
