/** `vig bloom add` and `vig bloom has` against a real node. */
import { describe, expect, it } from 'vitest';
import { client, failure, sharedNode } from '../test/vig-serve.js';

const node = sharedNode('127.0.0.8');

describe('vig bloom', () => {
  it('adds items and answers one line per item', async () => {
    expect(await client(['bloom', 'add', 'fruit', 'apple', 'pear', ...node])).toBe(
      'added 2 items to fruit\n',
    );
    expect(await client(['bloom', 'has', 'fruit', 'apple', 'kiwi', 'pear', ...node])).toBe(
      'apple\tyes\nkiwi\tno\npear\tyes\n',
    );
    expect(await client(['bloom', 'has', 'fruit', 'apple', 'kiwi', '--json', ...node])).toBe(
      '{"key":"fruit","item":"apple","present":true}\n' +
        '{"key":"fruit","item":"kiwi","present":false}\n',
    );
    expect(await client(['bloom', 'has', 'nothing', 'apple', ...node])).toBe('apple\tno\n');
  });

  it('takes --capacity and --error-rate, and refuses a filter written with larger ones', async () => {
    const shape = ['--capacity', '100', '--error-rate', '0.001'];
    await client(['bloom', 'add', 'small', 'a', ...shape, ...node]);
    expect(await client(['bloom', 'has', 'small', 'a', 'b', ...shape, ...node])).toBe(
      'a\tyes\nb\tno\n',
    );
    await client(['bloom', 'add', 'large', 'a', 'b', 'c', 'd', ...node]);
    await failure(
      ['bloom', 'has', 'large', 'a', '--capacity', '10', ...node],
      2,
      /past the \d+ bits of --capacity 10 --error-rate 0.01: expected the --capacity and --error-rate/,
    );
  });
});
