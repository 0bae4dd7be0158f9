/**
 * A node under a storm of 100k random and malformed datagrams: every one is
 * dropped and counted or applied, none crashes the node, memory stays
 * bounded, and the node keeps answering correctly.
 */
import { createSocket } from 'node:dgram';
import { seededRandom } from '@vig/crdt-core';
import { encodeMessage, encodeSyncMessage } from '@vig/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, createNode } from './index.js';
import type { VigNode } from './index.js';

const DATAGRAMS = 100_000;

/** The datagram number `index` of the storm: random bytes, or a valid message mutated. */
function stormDatagram(index: number, random: () => number): Uint8Array {
  const kind = index % 4;
  if (kind === 0) {
    return Uint8Array.from({ length: 1 + Math.floor(random() * 200) }, () =>
      Math.floor(random() * 256),
    );
  }
  const valid =
    kind === 3
      ? encodeSyncMessage({
          kind: 'root',
          hashes: new Uint32Array(64).fill(index),
          keys: 5,
          vig: 1,
        })
      : encodeMessage({
          key: `storm:${index % 97}`,
          vector: { kind: 'sparse', indices: [index % 13], values: [index] },
          ttl: 0,
          full: false,
        });
  const bytes = valid.slice();
  if (kind === 1) return bytes.subarray(0, Math.max(1, Math.floor(random() * bytes.length)));
  for (let flips = 0; flips < 3; flips++) {
    bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
  }
  return bytes;
}

let node: VigNode | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

describe('a node under 100k random and malformed datagrams', () => {
  it('drops and counts what it cannot read, stays bounded, and keeps answering', async () => {
    node = await createNode({ bind: '127.0.0.1:0', memory: true });
    node.start();
    await node.put('truth', { 0: 42 });
    const heapBefore = process.memoryUsage().heapUsed;
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.9', resolve));
    const [host, port] = [
      node.address.slice(0, node.address.lastIndexOf(':')),
      Number(node.address.slice(node.address.lastIndexOf(':') + 1)),
    ];
    const random = seededRandom(2026);

    for (let start = 0; start < DATAGRAMS; start += 250) {
      // Bounded batches, each awaited, so the sender never outruns its own socket.
      await Promise.all(
        Array.from(
          { length: 250 },
          (_, offset) =>
            new Promise<void>((resolve) =>
              socket.send(stormDatagram(start + offset, random), port, host, () => resolve()),
            ),
        ),
      );
      // Let the node read the batch (bounded): this test is about what it does with
      // bad datagrams, not about the kernel dropping what a flood overflows.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    socket.close();

    const metrics = node.metrics();
    const dropped = Object.values(metrics.drops).reduce((sum, count) => sum + (count ?? 0), 0);
    expect(metrics.messagesIn).toBeGreaterThan(DATAGRAMS / 2);
    expect(dropped).toBeGreaterThan(DATAGRAMS / 4);
    expect(node.get('truth')?.get(0)).toBe(42);
    // A mutated but still valid message is a write like any other (a byte flip
    // in its key makes a new key); at most one key per such datagram, a quarter of the storm.
    expect(node.search('%').length).toBeLessThan(DATAGRAMS / 4);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);

    const client = await createClient({ nodes: [node.address], timeout: 2_000 });
    try {
      expect((await client.get('truth')).toRecord()).toEqual({ 0: 42 });
    } finally {
      await client.close();
    }
  });
});
