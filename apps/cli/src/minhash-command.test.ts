/** `vig minhash add` and `vig minhash similarity` against a real node. */
import { describe, expect, it } from 'vitest';
import { client, sharedNode } from '../test/vig-serve.js';

const node = sharedNode('127.0.0.9');

/** `count` items `user:N`, N counting up from `from`. */
function items(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, offset) => `user:${from + offset}`);
}

describe('vig minhash', () => {
  it('estimates the Jaccard similarity of two sets', async () => {
    // 100 shared of 300: J = 1/3; with 256 registers σ ≈ 0.03.
    const registers = ['--registers', '256'];
    expect(
      await client(['minhash', 'add', 'monday', ...items(0, 200), ...registers, ...node]),
    ).toBe('added 200 items to monday\n');
    await client(['minhash', 'add', 'tuesday', ...items(100, 200), ...registers, ...node]);
    const text = await client([
      'minhash',
      'similarity',
      'monday',
      'tuesday',
      ...registers,
      ...node,
    ]);
    expect(text).toMatch(/^0\.\d{4}\n$/);
    expect(Math.abs(Number(text) - 1 / 3)).toBeLessThan(0.12);
    const json = JSON.parse(
      await client(['minhash', 'similarity', 'monday', 'tuesday', '--json', ...registers, ...node]),
    ) as { keys: string[]; similarity: number };
    expect(json.keys).toEqual(['monday', 'tuesday']);
    expect(json.similarity.toFixed(4)).toBe(text.trim());
  });

  it('gives 1 for the same set and 0 against an unknown key', async () => {
    await client(['minhash', 'add', 'first', 'a', 'b', 'c', ...node]);
    await client(['minhash', 'add', 'second', 'c', 'b', 'a', ...node]);
    expect(await client(['minhash', 'similarity', 'first', 'second', ...node])).toBe('1.0000\n');
    expect(await client(['minhash', 'similarity', 'first', 'nothing', '--json', ...node])).toBe(
      '{"keys":["first","nothing"],"similarity":0}\n',
    );
  });
});
