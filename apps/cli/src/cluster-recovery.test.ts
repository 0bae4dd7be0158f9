/**
 * The test: a cluster of five `vig serve --local --data DIR`
 * processes on 127.0.0.1..5. A write on one is readable on all; one node is
 * killed with SIGKILL right after acknowledging a write; more is written
 * while it is down; restarted on the same data directory, it has kept what
 * it acknowledged (its own store loads every key it held, before any gossip)
 * and catches up on what it missed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, killAll, runVig, startVig } from '../test/vig-process.js';
import type { LogLine, VigProcess } from '../test/vig-process.js';
import { grown } from '../test/vig-serve.js';

const NODES = 5;
let dataRoot: string | undefined;

afterEach(async () => {
  await killAll();
  if (dataRoot !== undefined) await rm(dataRoot, { recursive: true, force: true });
  dataRoot = undefined;
});

/** One member of the test cluster: where it listens and where it keeps its store. */
interface Member {
  readonly address: string;
  readonly dataDir: string;
  readonly seeds: string[];
}

/** Starts `vig serve` for `member` (debug logs, so every grown key is logged) and waits until it has started. */
async function start(member: Member): Promise<{ vig: VigProcess; started: LogLine }> {
  const vig = startVig([
    'serve',
    '--local',
    '--log-level',
    'debug',
    '--bind',
    member.address,
    '--data',
    member.dataDir,
    ...member.seeds.flatMap((seed) => ['--join', seed]),
  ]);
  const started = await vig.waitForLog((line) => line.msg === 'started', 'started');
  return { vig, started };
}

/** `vig get KEY --json` through `member`, parsed. */
async function read(member: Member, key: string): Promise<unknown> {
  const run = await runVig(['get', key, '--json', '--node', member.address]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

/** How many keys, peer keys (`n:…`) aside, `member` holds, by `vig search % --json`. */
async function keysHeld(member: Member): Promise<number> {
  const run = await runVig(['search', '%', '--json', '--node', member.address]);
  expect(run.code).toBe(0);
  const found = JSON.parse(run.stdout) as { key: string }[];
  return found.filter(({ key }) => !key.startsWith('n:')).length;
}

/** `vig put KEY ENTRIES…` through `member`; resolves once the node acknowledged it. */
async function write(member: Member, key: string, entries: string[]): Promise<void> {
  const run = await runVig(['put', key, ...entries, '--node', member.address]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}

describe('a five-process cluster on 127.0.0.1..5', () => {
  it(
    'keeps what a killed node acknowledged and catches it up after a restart',
    { timeout: 120_000 },
    async () => {
      dataRoot = await mkdtemp(join(tmpdir(), 'vig-cli-cluster-'));
      const root = dataRoot;
      const hosts = Array.from({ length: NODES }, (_, index) => `127.0.0.${index + 1}`);
      const addresses = await Promise.all(
        hosts.map(async (host) => `${host}:${await freePort(host)}`),
      );
      const members: Member[] = addresses.map((address, index) => ({
        address,
        dataDir: join(root, `node-${index + 1}`),
        seeds: index === 0 ? [] : [addresses[0] ?? ''],
      }));
      const [first, , , , last] = members;
      if (first === undefined || last === undefined) throw new Error('five members expected');

      // Five processes; each sees the four others alive.
      const processes = (await Promise.all(members.map(start))).map(({ vig }) => vig);
      await Promise.all(
        processes.flatMap((vig, index) =>
          members
            .filter((_, other) => other !== index)
            .map(({ address }) =>
              vig.waitForLog(
                (line) => line.msg === 'member-up' && line.address === address,
                `member-up ${address}`,
              ),
            ),
        ),
      );

      // A put on one is readable on all.
      await write(first, 'views:home', ['0=5', '3=7']);
      await Promise.all(processes.slice(1).map((vig) => grown(vig, 'views:home')));
      for (const member of members) {
        expect(await read(member, 'views:home')).toEqual({
          key: 'views:home',
          vector: { 0: 5, 3: 7 },
        });
      }

      // The last node acknowledges a write of a new key, then dies at once with SIGKILL.
      const heldBeforeWrite = await keysHeld(last);
      await write(last, 'acknowledged:by-last', ['1=11']);
      const lastProcess = processes[NODES - 1];
      lastProcess?.kill('SIGKILL');
      expect((await lastProcess?.exited)?.signal).toBe('SIGKILL');

      // More writes while it is down, readable on the four others.
      await write(first, 'views:home', ['0=9']);
      await write(first, 'while:down', ['2=22']);
      await Promise.all(processes.slice(1, NODES - 1).map((vig) => grown(vig, 'while:down')));

      // Restarted on the same data directory: its own store loads every key it
      // held, the acknowledged one too (the `started` line counts them before
      // any gossip), and it catches up on what it missed.
      const restarted = await start(last);
      expect(restarted.started.keys).toBeGreaterThanOrEqual(heldBeforeWrite + 1);
      await grown(restarted.vig, 'while:down');
      await restarted.vig.waitForLog(
        (line) => line.msg === 'change' && line.key === 'views:home',
        'views:home raised to 0=9',
      );
      expect(await read(last, 'acknowledged:by-last')).toEqual({
        key: 'acknowledged:by-last',
        vector: { 1: 11 },
      });
      expect(await read(last, 'views:home')).toEqual({ key: 'views:home', vector: { 0: 9, 3: 7 } });
      expect(await read(last, 'while:down')).toEqual({ key: 'while:down', vector: { 2: 22 } });
      await grown(processes[0] ?? restarted.vig, 'acknowledged:by-last');
      expect(await read(first, 'acknowledged:by-last')).toEqual({
        key: 'acknowledged:by-last',
        vector: { 1: 11 },
      });

      // SIGTERM stops every node cleanly.
      const running = [...processes.slice(0, NODES - 1), restarted.vig];
      for (const vig of running) vig.kill('SIGTERM');
      for (const exit of await Promise.all(running.map((vig) => vig.exited))) {
        expect(exit).toEqual({ code: 0, signal: null });
      }
    },
  );
});
