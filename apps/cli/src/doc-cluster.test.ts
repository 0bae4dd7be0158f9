/**
 * Versioned documents across five real `vig serve` processes, each on its own
 * loopback address and data directory: random concurrent writes through
 * clients while nodes are killed (SIGKILL or SIGTERM) and restarted, then
 * identical histories and values everywhere, every acknowledged write among
 * them; concurrent writes as siblings on every node, resolved by a write
 * naming them all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, versionKey } from '@vig/crdt-core';
import type { Operation, Sibling, Version } from '@vig/crdt-core';
import { createClient } from '@vig/node-udp';
import type { VigClient } from '@vig/node-udp';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonOfDocValue } from './doc-value-json.js';
import { freePort, killAll, startVig } from '../test/vig-process.js';
import type { VigProcess } from '../test/vig-process.js';

/** The seed of the writes and restarts; a failure names it. */
const SEED = 20_261_122;
const HOSTS = ['127.0.7.1', '127.0.7.2', '127.0.7.3', '127.0.7.4', '127.0.7.5'];
/** Few keys, so that writes to one key through different nodes are often concurrent. */
const KEYS = ['title', 'body', 'tags', 'owner'];
const WRITERS = 4;
/** Writes attempted at least, and at most, however long the restarts take. */
const MIN_WRITES = 200;
const MAX_WRITES = 3_000;
const RESTARTS = 4;
/** How long the nodes get to agree once the writes stop. */
const CONVERGE_WITHIN_MS = 60_000;
const CLIENT_TIMEOUT_MS = 600;

/** One node: where it listens and keeps its store, and its current process. */
interface Member {
  readonly address: string;
  readonly directory: string;
  vig: VigProcess;
}

/** A write a node acknowledged. */
interface Acknowledged {
  readonly version: Version;
  readonly key: string;
  readonly value: unknown;
}

const directories: string[] = [];
const clients: VigClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await killAll();
  await Promise.all(
    directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

/** Starts (or restarts) a node on `address` with its store in `directory`, joining `join`. */
async function serve(
  address: string,
  directory: string,
  join: readonly string[],
): Promise<VigProcess> {
  const vig = startVig([
    'serve',
    '--bind',
    address,
    '--data',
    directory,
    '--local',
    ...join.flatMap((seed) => ['--join', seed]),
  ]);
  await vig.waitForLog((line) => line.msg === 'started', 'started');
  return vig;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 250 ms until it holds; fails after `within` ms naming `what`. */
async function until(what: string, within: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + within;
  for (let round = 0; round < Math.ceil(within / 250) + 1; round++) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) break;
    await sleep(250);
  }
  throw new Error(`seed ${SEED}: ${what} not within ${within} ms`);
}

/** A node's whole history, paged through the client, sorted by version. */
async function history(client: VigClient): Promise<Operation[]> {
  const operations: Operation[] = [];
  let cursor: number | undefined;
  // Bounded: each page holds at least one operation, and the history is at most MAX_WRITES + a few.
  for (let page = 0; page < MAX_WRITES + 16; page++) {
    const answer = await client.docs.log(undefined, {
      limit: 256,
      ...(cursor === undefined ? {} : { cursor }),
    });
    operations.push(...answer.operations);
    cursor = answer.cursor;
    if (cursor === undefined) break;
  }
  return operations.sort((left, right) =>
    versionKey(left.version) < versionKey(right.version) ? -1 : 1,
  );
}

/** The versions of a history, in order: equal lists mean equal sets. */
function versionsOf(operations: readonly Operation[]): string {
  return operations.map((operation) => versionKey(operation.version)).join(' ');
}

/** Every node's siblings of `key`. */
function siblingsEverywhere(all: readonly VigClient[], key: string): Promise<Sibling[][]> {
  return Promise.all(all.map((client) => client.docs.get(key)));
}

describe('versioned documents across 5 vig serve processes', () => {
  it(
    `converge under random concurrent writes and restarts (seed ${SEED}), siblings everywhere until a write names them all`,
    { timeout: 180_000 },
    async () => {
      const random = seededRandom(SEED);
      const pick = <T>(items: readonly T[]): T => {
        const item = items[Math.floor(random() * items.length)];
        if (item === undefined) throw new Error('nothing to pick from');
        return item;
      };

      // Five nodes, each joining the first.
      const members: Member[] = [];
      for (const host of HOSTS) {
        const address = `${host}:${await freePort(host)}`;
        const directory = await mkdtemp(join(tmpdir(), 'vig-doc-cluster-'));
        directories.push(directory);
        const seeds = members[0] === undefined ? [] : [members[0].address];
        members.push({ address, directory, vig: await serve(address, directory, seeds) });
      }
      for (const member of members) {
        clients.push(
          await createClient({
            nodes: [member.address],
            timeout: CLIENT_TIMEOUT_MS,
            onWarning: () => undefined,
          }),
        );
      }
      const all = [...clients];
      await until('every node sees the other four', 30_000, async () => {
        const views = await Promise.all(all.map((client) => client.members()));
        return views.every(
          (view) => view.filter((member) => member.status === 'alive').length === HOSTS.length,
        );
      });

      // Writers put random values through random nodes while nodes restart.
      const acknowledged: Acknowledged[] = [];
      let attempts = 0;
      let restarting = true;
      const writer = async (writerIndex: number): Promise<void> => {
        while ((restarting || attempts < MIN_WRITES) && attempts < MAX_WRITES) {
          attempts += 1;
          const node = Math.floor(random() * all.length);
          const key = pick(KEYS);
          const value = { writer: writerIndex, attempt: attempts, node };
          try {
            const version = await all[node].docs.put(key, value);
            acknowledged.push({ version, key, value });
          } catch {
            // The node was down: the write is not acknowledged, and may or may not exist.
          }
          await sleep(Math.floor(random() * 20));
        }
      };
      const restarts: string[] = [];
      const restarter = async (): Promise<void> => {
        try {
          for (let restart = 0; restart < RESTARTS; restart++) {
            await sleep(300 + Math.floor(random() * 700));
            const index = Math.floor(random() * members.length);
            const member = members[index];
            const signal = restart % 2 === 0 ? 'SIGKILL' : 'SIGTERM';
            restarts.push(`${signal} node ${index}`);
            member.vig.kill(signal);
            await member.vig.exited;
            await sleep(200 + Math.floor(random() * 300));
            const others = members.filter((other) => other !== member).map((m) => m.address);
            member.vig = await serve(member.address, member.directory, [pick(others)]);
          }
        } finally {
          restarting = false;
        }
      };
      await Promise.all([
        restarter(),
        ...Array.from({ length: WRITERS }, (_, index) => writer(index)),
      ]);
      expect(restarts).toHaveLength(RESTARTS);
      // Most writes found their node up.
      expect(acknowledged.length).toBeGreaterThan(MIN_WRITES / 2);

      // Identical histories everywhere, every acknowledged write among them.
      let histories: Operation[][] = [];
      await until('identical histories on all 5 nodes', CONVERGE_WITHIN_MS, async () => {
        histories = await Promise.all(all.map((client) => history(client)));
        return new Set(histories.map(versionsOf)).size === 1;
      });
      const [first = [], ...others] = histories;
      for (const other of others) expect(other).toEqual(first);
      const held = new Map(first.map((operation) => [versionKey(operation.version), operation]));
      const lost = acknowledged.filter(({ version, key, value }) => {
        const write = held.get(versionKey(version))?.writes.find((w) => w.key === key);
        return (
          write === undefined ||
          JSON.stringify(jsonOfDocValue(write.value)) !== JSON.stringify(value)
        );
      });
      expect(lost).toEqual([]);
      // Writes through different nodes were concurrent: many resolved siblings of their key.
      const merges = first.filter((operation) =>
        operation.writes.some((write) => write.replaces.length > 1),
      );
      expect(merges.length).toBeGreaterThan(0);
      // No version was acknowledged twice: a node killed with SIGKILL writes under a
      // fresh agent after its restart (SIGTERM keeps it), so it never reuses one.
      expect(new Set(acknowledged.map(({ version }) => versionKey(version))).size).toBe(
        acknowledged.length,
      );
      const killed = restarts.filter((restart) => restart.startsWith('SIGKILL')).length;
      const agents = new Set(first.map((operation) => operation.version.agent)).size;
      expect(agents).toBeGreaterThanOrEqual(HOSTS.length);
      expect(agents).toBeLessThanOrEqual(HOSTS.length + killed);
      for (const key of KEYS) {
        const views = await siblingsEverywhere(all, key);
        for (const view of views.slice(1)) expect(view).toEqual(views[0]);
      }

      // Deterministic siblings: five writes on the same parent, one through each node.
      const base = await all[0].docs.put('shared', 'base');
      await until('the base write on every node', 20_000, async () =>
        (await siblingsEverywhere(all, 'shared')).every(
          (view) => view.length === 1 && view[0]?.value === 'base',
        ),
      );
      const concurrent = await Promise.all(
        all.map((client, index) =>
          client.docs.put('shared', `by node ${index}`, { parents: [base] }),
        ),
      );
      const expected = concurrent.map(versionKey).sort();
      await until('5 siblings on every node', 20_000, async () =>
        (await siblingsEverywhere(all, 'shared')).every((view) => view.length === HOSTS.length),
      );
      const siblingViews = await siblingsEverywhere(all, 'shared');
      for (const view of siblingViews) {
        expect(view.map((sibling) => versionKey(sibling.version)).sort()).toEqual(expected);
        expect(view).toEqual(siblingViews[0]);
      }
      const resolved = await all[2].docs.put('shared', 'agreed', {
        parents: concurrent,
      });
      await until('one value on every node after the write naming all siblings', 20_000, async () =>
        (await siblingsEverywhere(all, 'shared')).every(
          (view) =>
            view.length === 1 &&
            view[0]?.value === 'agreed' &&
            versionKey(view[0].version) === versionKey(resolved),
        ),
      );
      // And the histories are still identical.
      await until('identical histories after the siblings', 20_000, async () => {
        const after = await Promise.all(all.map((client) => history(client)));
        return (
          new Set(after.map(versionsOf)).size === 1 && (after[0]?.length ?? 0) === first.length + 7
        );
      });
    },
  );
});
