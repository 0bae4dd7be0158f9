/**
 * `vig hll add` and `vig hll count` against a real node: exact small counts,
 * the union of a pattern, both profiles, and the one-line error for a vector
 * whose registers the profile cannot produce.
 */
import { describe, expect, it } from 'vitest';
import { client, failure, sharedNode } from '../test/vig-serve.js';

const node = sharedNode('127.0.0.7');

describe('vig hll add and count', () => {
  it('counts small sets exactly and prints the count after each add', async () => {
    expect(await client(['hll', 'add', 'visitors', 'a', 'b', 'c', 'd', 'e', ...node])).toBe('5\n');
    expect(await client(['hll', 'add', 'visitors', 'a', 'f', 'f', '--json', ...node])).toBe(
      '{"key":"visitors","count":6}\n',
    );
    expect(await client(['hll', 'count', 'visitors', ...node])).toBe('6\n');
    expect(await client(['hll', 'count', 'visitors', '--json', ...node])).toBe(
      '{"key":"visitors","count":6}\n',
    );
    expect(await client(['hll', 'count', 'nobody:here', ...node])).toBe('0\n');
  });

  it('counts the union of the keys a * or % pattern matches', async () => {
    await client(['hll', 'add', 'day:mon', 'alice', 'bob', 'carol', ...node]);
    await client(['hll', 'add', 'day:tue', 'carol', 'dave', ...node]);
    expect(await client(['hll', 'count', 'day:*', '--json', ...node])).toBe(
      '{"key":"day:*","count":4}\n',
    );
    expect(await client(['hll', 'count', 'day:%', ...node])).toBe('4\n');
  });

  it('keeps the profile and precision apart: vignette, and the redis profile at p = 10', async () => {
    const vignette = ['--profile', 'vignette'];
    expect(await client(['hll', 'add', 'ruby', 'x', 'y', 'z', ...vignette, ...node])).toBe('3\n');
    expect(await client(['hll', 'count', 'ruby', ...vignette, ...node])).toBe('3\n');
    const small = ['--precision', '10'];
    expect(await client(['hll', 'add', 'small', 'x', 'y', ...small, ...node])).toBe('2\n');
    expect(await client(['hll', 'count', 'small', ...small, '--json', ...node])).toBe(
      '{"key":"small","count":2}\n',
    );
  });

  it('refuses, in one line, a vector with registers the profile cannot produce', async () => {
    await client(['put', 'not-an-hll', '0=60', ...node]);
    await failure(['hll', 'count', 'not-an-hll', ...node], 1, /register 0 = 60 is out of range/);
    await failure(['hll', 'add', 'not-an-hll', 'a', ...node], 1, /register 0 = 60/);
    await client(['put', 'wide', '5000=1', ...node]);
    await failure(
      ['hll', 'count', 'wide', '--profile', 'vignette', ...node],
      1,
      /register 5000 = 1 is out of range: expected an index in 0..1023/,
    );
  });
});
