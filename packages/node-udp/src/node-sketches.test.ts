import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bloomParameters, hllCount, hllDelta } from '@vig/sketch';
import { afterEach, describe, expect, it } from 'vitest';
import { settle } from '../test/settle.js';
import { testNodes } from '../test/test-nodes.js';
import { NodeOptionsError } from './node-errors.js';
import { WRITER_ID_FILE } from './node-writer-id.js';
import type { NodeOptions, VigNode } from './vig-node.js';

const testing = testNodes('vig-sketch-');
afterEach(() => testing.cleanup());

function openNode(options: Partial<NodeOptions> = {}): Promise<VigNode> {
  return testing.open(options);
}

const items = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, index) => `visitor:${from + index}`);

describe('sketches on a node', () => {
  it('counts a HyperLogLog written on two nodes the same on both, as one HLL of the union', async () => {
    const first = await openNode();
    const second = await openNode({ seeds: [first.address] });
    first.start();
    second.start();
    // Each node adds its items in one turn: one put of the registers that grew.
    void first.hll('visitors').addAll(items(0, 20_000));
    await second.hll('visitors').addAll(items(10_000, 30_000));
    await first.hll('visitors').flush();
    const expected = hllCount(hllDelta(items(0, 30_000)));
    await settle(async () => (await first.hll('visitors').count()) === expected);
    await settle(async () => (await second.hll('visitors').count()) === expected);
    expect(first.get('visitors')?.toRecord()).toEqual(second.get('visitors')?.toRecord());
    expect(first.metrics().storage).toBeDefined();
  });

  it('counts exactly with a G-Counter and a PN-Counter written on both nodes', async () => {
    const first = await openNode({ writerId: 1 });
    const second = await openNode({ writerId: 2, seeds: [first.address] });
    first.start();
    second.start();
    for (let turn = 0; turn < 50; turn++) void first.counter('visits').increment();
    await second.counter('visits').increment(7);
    await first.counter('visits').flush();
    await second.pnCounter('stock').decrement(3);
    await first.pnCounter('stock').increment(1);
    for (const node of [first, second]) {
      await settle(async () => (await node.counter('visits').value()) === 57);
      await settle(async () => (await node.pnCounter('stock').value()) === -2);
    }
    expect(first.get('visits')?.toRecord()).toEqual({ 1: 50, 2: 7 });
  });

  it('answers Bloom, Min-Hash and max-register questions from another node', async () => {
    const first = await openNode();
    const second = await openNode({ seeds: [first.address] });
    first.start();
    second.start();
    const parameters = bloomParameters(1000, 0.01);
    await first.bloom('seen', parameters).add('alice', 'bob');
    await first.minHash('likes:ann').add('red', 'green', 'blue');
    await first.minHash('likes:bob').add('red', 'green', 'blue');
    await first.maxRegister('high-water').set(42);
    await settle(async () => await second.bloom('seen', parameters).has('bob'));
    await settle(async () => (await second.minHash('likes:ann').similarity('likes:bob')) === 1);
    await settle(async () => (await second.maxRegister('high-water').value()) === 42);
    expect(await second.bloom('seen', parameters).has('carol')).toBe(false);
  });

  it('keeps its writer id across restarts in its data directory', async () => {
    const dataDir = await testing.directory();
    const node = await openNode({ dataDir });
    await node.counter('visits').increment(3);
    const writerId = node.writerId;
    expect(Number(await readFile(join(dataDir, WRITER_ID_FILE), 'utf8'))).toBe(writerId);
    await node.stop();
    const restarted = await openNode({ dataDir });
    expect(restarted.writerId).toBe(writerId);
    await restarted.counter('visits').increment(2);
    expect(restarted.get('visits')?.toRecord()).toEqual({ [writerId]: 5 });
  });

  it('rejects a writer id outside 0..2^32-1, given or stored', async () => {
    await expect(openNode({ writerId: -1 })).rejects.toThrow(NodeOptionsError);
    await expect(openNode({ writerId: 2 ** 32 })).rejects.toThrow(/writerId is 4294967296/);
    const dataDir = await testing.directory();
    await writeFile(join(dataDir, WRITER_ID_FILE), 'seven\n');
    await expect(openNode({ dataDir })).rejects.toThrow(/writer-id/);
  });
});
