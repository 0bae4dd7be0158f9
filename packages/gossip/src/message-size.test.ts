import { EMPTY_ENTRIES, entriesFromRecord } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import { splitMessage } from '@vig/wire';
import { describe, expect, it } from 'vitest';
import { minimumMessageBytes } from './message-size.js';

function encodedBytes(key: string, vector: VectorEntries, dense: 'never' | 'always'): number {
  const datagrams = splitMessage({ key, vector, ttl: 0, full: true }, { budget: 1400, dense });
  return datagrams.reduce((sum, datagram) => sum + datagram.byteLength, 0);
}

describe('minimumMessageBytes', () => {
  it('is at most what the message encodes to, sparse or dense', () => {
    const registers = new Uint8Array(16_384).map((_, position) => (position % 3 === 0 ? 0 : 5));
    const cases: [string, VectorEntries][] = [
      ['hll', { kind: 'dense', offset: 0, registers }],
      ['views:é€😀', entriesFromRecord({ 0: 1, 1: 2, 700: 2 ** 40 })],
      ['q', EMPTY_ENTRIES],
    ];
    for (const [key, vector] of cases) {
      const bound = minimumMessageBytes({ key, vector, ttl: 0, full: true });
      expect(bound).toBeLessThanOrEqual(encodedBytes(key, vector, 'never'));
      expect(bound).toBeLessThanOrEqual(encodedBytes(key, vector, 'always'));
    }
    expect(
      minimumMessageBytes({
        key: 'hll',
        vector: cases[0]?.[1] ?? EMPTY_ENTRIES,
        ttl: 0,
        full: true,
      }),
    ).toBe(3 + 10_922);
  });
});
