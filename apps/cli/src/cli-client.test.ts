/**
 * `vig serve` and the client commands as separate real processes on
 * loopback: the exact JSON shapes, the readable forms, a dead node, and a
 * clean stop on SIGTERM.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, killAll, runVig } from '../test/vig-process.js';
import { client, serve, serveTwo } from '../test/vig-serve.js';

afterEach(killAll);

describe('vig serve with the client commands', () => {
  it('writes and reads through separate processes, printing the documented JSON', async () => {
    const [first, second] = await serveTwo(['127.0.0.2', '127.0.0.3']);
    const node = ['--node', first.address];

    expect(await client(['put', 'foo', '0=5', '3=7', ...node])).toBe('put foo 0=5 3=7\n');
    await client(['put', 'fob', '1=2', ...node]);

    const [get, unknown, search, aggregate, members] = await Promise.all([
      client(['get', 'foo', '--json', ...node]),
      client(['get', 'nothing:here', '--json', ...node]),
      client(['search', 'fo%', '--json', ...node]),
      client(['agg', 'fo*', '--json', ...node]),
      client(['members', '--json', ...node]),
    ]);
    expect(get).toBe('{"key":"foo","vector":{"0":5,"3":7}}\n');
    expect(unknown).toBe('{"key":"nothing:here","vector":{}}\n');
    expect(search).toBe('[{"key":"fob","vector":{"1":2}},{"key":"foo","vector":{"0":5,"3":7}}]\n');
    expect(aggregate).toBe('{"key":"fo*","vector":{"0":5,"1":2,"3":7}}\n');
    const memberList = JSON.parse(members) as unknown[];
    expect(memberList).toContainEqual({ address: second.address, status: 'alive' });
    for (const member of memberList)
      expect(Object.keys(member as object).sort()).toEqual(['address', 'status']);
  });

  it('prints readable lines without --json', async () => {
    const { address } = await serve('127.0.0.4');
    const node = ['--node', address];
    await client(['put', 'views:home', '0=120', '2=4', ...node]);

    expect(await client(['get', 'views:home', ...node])).toBe('views:home  0=120 2=4\n');
    expect(await client(['search', 'views:%', ...node])).toBe('views:home  0=120 2=4\n');
    expect(await client(['agg', 'views:*', ...node])).toBe('views:*  0=120 2=4\n');
    expect(await client(['search', 'none:%', ...node])).toBe('no key matches none:%\n');
  });

  it('exits 1 with one line when no node answers', async () => {
    const address = `127.0.0.5:${await freePort('127.0.0.5')}`;
    const run = await runVig(['get', 'foo', '--node', address, '--timeout', '300']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^vig: [^\n]*no node answered[^\n]*\n$/);
    expect(run.stderr).toContain(address);
  });

  it('stops cleanly on SIGTERM and exits 0', async () => {
    const { vig } = await serve('127.0.0.6');
    vig.kill('SIGTERM');
    const exit = await vig.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(vig.logs().map((line) => line.msg)).toEqual(
      expect.arrayContaining(['started', 'stopping', 'stopped']),
    );
    expect(vig.stderr).toBe('');
  });
});
