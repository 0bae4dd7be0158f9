/**
 * `vig counter incr` and `vig counter get` against a real two-node cluster:
 * increments through different nodes before gossip has carried the last
 * one, five concurrent increments by one user, an explicit `--writer`, the
 * writer id kept in the state folder, and a stale lock left by a dead run.
 */
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, runVig } from '../test/vig-process.js';
import { client, failure, serve, serveTwo } from '../test/vig-serve.js';

let first: string[];
let second: string[];
let stateRoot: string;
let folders = 0;

beforeAll(async () => {
  stateRoot = await mkdtemp(join(tmpdir(), 'vig-counter-test-'));
  const [one, two] = await serveTwo(['127.0.0.11', '127.0.0.12']);
  first = ['--node', one.address];
  second = ['--node', two.address];
});
afterAll(async () => {
  await killAll();
  await rm(stateRoot, { recursive: true, force: true });
});

/** A fresh, empty state folder, as `VIG_STATE_DIR` for the runs given it. */
function freshState(): { folder: string; env: NodeJS.ProcessEnv } {
  const folder = join(stateRoot, `state-${++folders}`);
  return { folder, env: { VIG_STATE_DIR: folder } };
}

/** `vig counter get KEY` through `node`, or what went wrong; for polling. */
async function total(key: string, node: string[]): Promise<string> {
  const run = await runVig(['counter', 'get', key, ...node]);
  return run.code === 0 ? run.stdout : `exit ${run.code}: ${run.stderr}`;
}

describe('vig counter', () => {
  it('adds up increments made through two nodes, one right after the other', async () => {
    const { folder, env } = freshState();
    expect(await client(['counter', 'incr', 'hits', ...first], env)).toBe('1\n');
    // The second node may not have heard of the first increment yet: the
    // count kept in the state folder carries it.
    expect(await client(['counter', 'incr', 'hits', '4', ...second], env)).toBe('5\n');
    expect(await client(['counter', 'get', 'hits', '--json', ...second])).toBe(
      '{"key":"hits","value":5}\n',
    );
    await expect.poll(() => total('hits', first), { timeout: 10_000, interval: 200 }).toBe('5\n');

    const writer = Number((await readFile(join(folder, 'writer-id'), 'utf8')).trim());
    expect(writer).toBeGreaterThanOrEqual(1);
    expect(await client(['get', 'hits', '--json', ...first])).toBe(
      `${JSON.stringify({ key: 'hits', vector: { [writer]: 5 } })}\n`,
    );

    // A node that has certainly never heard of this counter: the writer's
    // own count comes from the state folder alone.
    const lone = await serve('127.0.0.13');
    expect(await client(['counter', 'incr', 'hits', '--node', lone.address], env)).toBe('6\n');
  });

  it('gives the exact total for five concurrent increments by one user', async () => {
    const { env } = freshState();
    const runs = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        runVig(['counter', 'incr', 'concurrent', ...(index % 2 === 0 ? first : second)], env),
      ),
    );
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    // The lock makes them one after the other: each printed the total after its own write.
    expect(runs.map((run) => Number(run.stdout)).sort()).toEqual([1, 2, 3, 4, 5]);
    for (const node of [first, second]) {
      await expect
        .poll(() => total('concurrent', node), { timeout: 10_000, interval: 200 })
        .toBe('5\n');
    }
  });

  it('counts each --writer in its own entry', async () => {
    const { env } = freshState();
    expect(
      await client(['counter', 'incr', 'shared', '3', '--writer', '7', '--json', ...first], env),
    ).toBe('{"key":"shared","value":3}\n');
    expect(await client(['counter', 'incr', 'shared', '--writer', '8', ...first], env)).toBe('4\n');
    expect(await client(['counter', 'incr', 'shared', '2', '--writer', '7', ...first], env)).toBe(
      '6\n',
    );
    expect(await client(['get', 'shared', '--json', ...first])).toBe(
      '{"key":"shared","vector":{"7":5,"8":1}}\n',
    );
    expect(await client(['counter', 'get', 'unknown:counter', ...first])).toBe('0\n');
  });

  it('removes a stale lock left by a run that died, and refuses a bad writer-id file', async () => {
    const { folder, env } = freshState();
    await client(['counter', 'incr', 'locked', '--writer', '3', ...first], env);
    const lock = join(folder, 'counter.lock');
    await writeFile(lock, '999999\n');
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lock, longAgo, longAgo);
    expect(await client(['counter', 'incr', 'locked', '--writer', '3', ...first], env)).toBe('2\n');

    await writeFile(join(folder, 'writer-id'), 'not a number\n');
    await failure(
      ['counter', 'incr', 'locked', ...first],
      1,
      /writer-id holds "not a number": expected a writer id in 1\.\.4294967295/,
      env,
    );
  });
});
