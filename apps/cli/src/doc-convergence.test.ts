/**
 * The acceptance test of versioned documents across real processes: five
 * `vig serve --local --data DIR` nodes on 127.0.5.1..5. Writers in this
 * process put random values to a few keys through random nodes (one client
 * per node), some on top of the siblings they just read, while nodes are
 * killed (SIGKILL and SIGTERM in turn) and restarted on the same address and
 * data directory, rejoining through a live node. Then every node holds the
 * same history (versions, parents, writes) and the same siblings of every
 * key, those the history says, with every acknowledged write in it; five
 * writes on one parent through the five nodes are siblings on every node,
 * and one write naming them all leaves one value everywhere.
 *
 * The seed (in the test's name) fixes the random choices; replay one with
 * VIG_DOC_SEED=SEED. The processes' timing still varies from run to run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVersionIds, seededRandom, versionKey } from '@vig/crdt-core';
import type { Operation, RandomSource, Sibling, Version } from '@vig/crdt-core';
import { DocumentRequestError, NoAnswerError, createClient } from '@vig/node-udp';
import type { VigClient } from '@vig/node-udp';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, killAll, startVig } from '../test/vig-process.js';
import type { ProcessExit, VigProcess } from '../test/vig-process.js';

const HOSTS = ['127.0.5.1', '127.0.5.2', '127.0.5.3', '127.0.5.4', '127.0.5.5'];
/** Few keys, so that writes to one key through different nodes are often concurrent. */
const KEYS = ['title', 'body', 'tags'];
/** The key of the deterministic siblings, written by no random writer. */
const SHARED = 'shared';
const WRITERS = 4;
/** Writes each writer attempts: at least, and at most however long the restarts take. */
const MIN_WRITES = 30;
const MAX_WRITES = 200;
const RESTARTS = 4;
/** How long each client waits for its node: a dead node costs a writer this much. */
const CLIENT_TIMEOUT_MS = 750;
/** How long the nodes get to agree once the random phase ends. */
const CONVERGE_WITHIN_MS = 45_000;
/** How long each step of the sibling phase gets to reach every node. */
const SPREAD_WITHIN_MS = 15_000;
const POLL_MS = 250;
/** The most operations a history page asks for (a node's own page size). */
const PAGE_LIMIT = 256;

const SEED = seedOf(process.env['VIG_DOC_SEED']);

/** The seed to replay, or a fresh one. */
function seedOf(text: string | undefined): number {
  if (text === undefined) return Math.floor(Math.random() * 2 ** 32);
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`VIG_DOC_SEED is ${JSON.stringify(text)}; expected an integer ≥ 0`);
  }
  return seed;
}

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
  readonly value: string;
  readonly node: number;
}

/** What one node holds: its history, sorted by version, and the siblings of each key. */
interface NodeView {
  readonly operations: Operation[];
  /** Each operation as text (version, parents, writes), in the order of `operations`. */
  readonly texts: string[];
  /** Each key's siblings as text, in the node's order. */
  readonly values: Map<string, string>;
}

let root: string | undefined;
const clients: VigClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await killAll();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
  root = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts (or restarts) `vig serve` on `address` with its store in `directory`, joining `seeds`; waits for its `started` line. */
async function serve(
  address: string,
  directory: string,
  seeds: readonly string[],
): Promise<VigProcess> {
  const vig = startVig([
    'serve',
    '--bind',
    address,
    '--data',
    directory,
    '--local',
    ...seeds.flatMap((seed) => ['--join', seed]),
  ]);
  await vig.waitForLog((line) => line.msg === 'started', `started on ${address}`);
  return vig;
}

/** Waits until `vig` has logged each of `addresses` up. */
function seesAll(vig: VigProcess, addresses: readonly string[]): Promise<unknown> {
  return Promise.all(
    addresses.map((address) =>
      vig.waitForLog(
        (line) => line.msg === 'member-up' && line.address === address,
        `member-up ${address}`,
      ),
    ),
  );
}

/** True for the failures of a request to a node that is down, stopping or starting. */
function nodeDown(error: unknown): boolean {
  return error instanceof NoAnswerError || error instanceof DocumentRequestError;
}

/** A node's whole history, paged through its cursor until it is absent. */
async function history(client: VigClient): Promise<Operation[]> {
  const operations: Operation[] = [];
  let cursor: number | undefined;
  // Bounded: a page holds at least one operation, and there are at most this many.
  const pages = WRITERS * MAX_WRITES + 16;
  for (let page = 0; page < pages; page++) {
    const answer = await client.docs.log(undefined, {
      limit: PAGE_LIMIT,
      ...(cursor === undefined ? {} : { cursor }),
    });
    operations.push(...answer.operations);
    cursor = answer.cursor;
    if (cursor === undefined) return operations;
  }
  throw new Error(`a history of more than ${pages} pages`);
}

/** An operation as comparable text. */
function operationText({ version, parents, writes }: Operation): string {
  return JSON.stringify([
    versionKey(version),
    parents.map(versionKey),
    writes.map(({ key, value, replaces }) => [key, value, replaces.map(versionKey)]),
  ]);
}

/** Siblings as comparable text, in the order given. */
function siblingsText(siblings: readonly Sibling[]): string {
  return JSON.stringify(siblings.map(({ version, value }) => [versionKey(version), value]));
}

/** What `client`'s node holds: its history and the siblings of `keys`. */
async function viewOf(client: VigClient, keys: readonly string[]): Promise<NodeView> {
  const operations = (await history(client)).sort((left, right) =>
    compareVersionIds(left.version, right.version),
  );
  const values = new Map<string, string>();
  for (const key of keys) values.set(key, siblingsText(await client.docs.get(key)));
  return { operations, texts: operations.map(operationText), values };
}

/** Where the views differ: an empty list when they are identical. */
function differences(views: readonly NodeView[], keys: readonly string[]): string[] {
  const found: string[] = [];
  const union = new Set(views.flatMap((view) => view.texts));
  views.forEach((view, node) => {
    const held = new Set(view.texts);
    const missing = [...union].filter((text) => !held.has(text));
    if (missing.length > 0 || held.size !== view.texts.length) {
      found.push(
        `node ${node + 1} holds ${view.texts.length} operations, lacks ${missing.length} of ${union.size}: ${missing.slice(0, 3).join(' ')}`,
      );
    }
  });
  const first = views[0];
  for (const key of keys) {
    const texts = views.map((view) => view.values.get(key));
    if (new Set(texts).size > 1) found.push(`${key}: ${texts.join(' | ')}`);
  }
  if (first !== undefined && views.some((view) => view.texts.join() !== first.texts.join())) {
    if (found.length === 0) found.push('the same operations, in a different order');
  }
  return found;
}

/** The siblings the history says `key` has: its writes that no other write replaces, in version order. */
function siblingsInHistory(operations: readonly Operation[], key: string): Sibling[] {
  const writes = operations.flatMap(({ version, writes: all }) =>
    all.filter((write) => write.key === key).map((write) => ({ version, write })),
  );
  const replaced = new Set(
    writes.flatMap(({ write }) => write.replaces.map((version) => versionKey(version))),
  );
  return writes
    .filter(({ version }) => !replaced.has(versionKey(version)))
    .map(({ version, write }) => ({ version, value: write.value }))
    .sort((left, right) => compareVersionIds(left.version, right.version));
}

/** Polls the views of every node until `done` holds; fails after `within` ms, naming `what` and the last differences. */
async function viewsUntil(
  all: readonly VigClient[],
  keys: readonly string[],
  what: string,
  within: number,
  done: (views: NodeView[]) => string[],
): Promise<NodeView[]> {
  const deadline = Date.now() + within;
  let problems = ['no node answered'];
  for (let round = 0; round <= Math.ceil(within / POLL_MS); round++) {
    try {
      const views = await Promise.all(all.map((client) => viewOf(client, keys)));
      problems = done(views);
      if (problems.length === 0) return views;
    } catch (error) {
      if (!nodeDown(error)) throw error;
      problems = [`a read failed: ${String(error)}`];
    }
    if (Date.now() > deadline) break;
    await sleep(POLL_MS);
  }
  throw new Error(`seed ${SEED}: ${what} not within ${within} ms: ${problems.join('; ')}`);
}

/** Every node's siblings of `key`. */
function siblingsEverywhere(all: readonly VigClient[], key: string): Promise<Sibling[][]> {
  return Promise.all(all.map((client) => client.docs.get(key)));
}

/** Polls every node's siblings of `key` until each shows `expected` (versions and values, in order). */
async function everywhere(
  all: readonly VigClient[],
  key: string,
  expected: readonly Sibling[],
  what: string,
): Promise<void> {
  const want = siblingsText(expected);
  let seen: string[] = [];
  const deadline = Date.now() + SPREAD_WITHIN_MS;
  for (let round = 0; round <= Math.ceil(SPREAD_WITHIN_MS / POLL_MS); round++) {
    try {
      seen = (await siblingsEverywhere(all, key)).map(siblingsText);
      if (seen.every((text) => text === want)) return;
    } catch (error) {
      if (!nodeDown(error)) throw error;
      seen = [`a read failed: ${String(error)}`];
    }
    if (Date.now() > deadline) break;
    await sleep(POLL_MS);
  }
  throw new Error(
    `seed ${SEED}: ${what} not on every node within ${SPREAD_WITHIN_MS} ms: expected ${want}, seen ${seen.join(' | ')}`,
  );
}

describe('versioned documents across 5 vig serve processes on 127.0.5.1..5', () => {
  it(
    `converge to identical histories and values under random concurrent writes and restarts (seed ${SEED}); concurrent writes are siblings on every node until a write names them all`,
    { timeout: 150_000 },
    async () => {
      const random: RandomSource = seededRandom(SEED);
      const pick = <T>(items: readonly T[]): T => {
        const item = items[Math.floor(random() * items.length)];
        if (item === undefined) throw new Error('nothing to pick from');
        return item;
      };
      const dataRoot = await mkdtemp(join(tmpdir(), 'vig-doc-convergence-'));
      root = dataRoot;

      // 1. Five nodes, the others joining the first; each sees the four others.
      const addresses = await Promise.all(
        HOSTS.map(async (host) => `${host}:${await freePort(host)}`),
      );
      const directories = HOSTS.map((_, index) => join(dataRoot, `node-${index + 1}`));
      const [firstAddress = '', ...otherAddresses] = addresses;
      const first = await serve(firstAddress, directories[0] ?? '', []);
      const others = await Promise.all(
        otherAddresses.map((address, index) =>
          serve(address, directories[index + 1] ?? '', [firstAddress]),
        ),
      );
      const members: Member[] = [first, ...others].map((vig, index) => ({
        address: addresses[index] ?? '',
        directory: directories[index] ?? '',
        vig,
      }));
      await Promise.all(
        members.map(({ vig, address }) =>
          seesAll(
            vig,
            addresses.filter((other) => other !== address),
          ),
        ),
      );
      for (const { address } of members) {
        clients.push(
          await createClient({
            nodes: [address],
            timeout: CLIENT_TIMEOUT_MS,
            onWarning: () => undefined,
          }),
        );
      }
      const all = [...clients];
      const clientOf = (node: number): VigClient => {
        const client = all[node];
        if (client === undefined) throw new Error(`no client ${node}`);
        return client;
      };

      // 2. Writers put random values through random nodes while nodes are killed and restarted.
      const acknowledged: Acknowledged[] = [];
      let unanswered = 0;
      let restarting = true;
      const writer = async (writerIndex: number): Promise<void> => {
        for (let count = 1; count <= MAX_WRITES && (restarting || count <= MIN_WRITES); count++) {
          const node = Math.floor(random() * all.length);
          const key = pick(KEYS);
          const value = `writer ${writerIndex} #${count}: ${Math.floor(random() * 1_000_000)}`;
          const onSiblingsRead = random() < 1 / 3;
          try {
            // A third of the writes name the siblings just read as their parents.
            const read = onSiblingsRead ? await clientOf(node).docs.get(key) : [];
            const options =
              read.length === 0 ? {} : { parents: read.map(({ version }) => version) };
            const version = await clientOf(node).docs.put(key, value, options);
            acknowledged.push({ version, key, value, node });
          } catch (error) {
            // The node was down: the write is not acknowledged, and may or may not exist.
            if (!nodeDown(error)) throw error;
            unanswered += 1;
          }
          await sleep(5 + Math.floor(random() * 25));
        }
      };
      const restarts: { node: number; signal: NodeJS.Signals; exit: ProcessExit }[] = [];
      const restarter = async (): Promise<void> => {
        try {
          for (let restart = 0; restart < RESTARTS; restart++) {
            await sleep(400 + Math.floor(random() * 800));
            const node = Math.floor(random() * members.length);
            const member = members[node];
            if (member === undefined) throw new Error(`no member ${node}`);
            const signal = restart % 2 === 0 ? 'SIGKILL' : 'SIGTERM';
            member.vig.kill(signal);
            restarts.push({ node, signal, exit: await member.vig.exited });
            await sleep(200 + Math.floor(random() * 400));
            const live = members.filter((other) => other !== member);
            member.vig = await serve(member.address, member.directory, [pick(live).address]);
          }
        } finally {
          restarting = false;
        }
      };
      await Promise.all([
        restarter(),
        ...Array.from({ length: WRITERS }, (_, index) => writer(index)),
      ]);
      const summary = `seed ${SEED}: ${acknowledged.length} writes acknowledged, ${unanswered} not, restarts ${JSON.stringify(restarts)}`;
      expect(restarts, summary).toHaveLength(RESTARTS);
      for (const { signal, exit } of restarts) {
        // SIGTERM stops a node cleanly, with exit code 0.
        expect(exit, summary).toEqual(
          signal === 'SIGKILL' ? { code: null, signal: 'SIGKILL' } : { code: 0, signal: null },
        );
      }
      expect(acknowledged.length, summary).toBeGreaterThanOrEqual(WRITERS * MIN_WRITES * 0.5);

      // 3. Identical histories and values on all five nodes.
      const converged = await viewsUntil(
        all,
        KEYS,
        `identical histories and values (${summary})`,
        CONVERGE_WITHIN_MS,
        (views) => differences(views, KEYS),
      );
      const [reference, ...rest] = converged;
      if (reference === undefined) throw new Error('no view');
      for (const view of rest) expect(view.texts, summary).toEqual(reference.texts);
      // Every node's siblings are those its history says, in version order.
      for (const key of KEYS) {
        expect(reference.values.get(key), `${summary}; key ${key}`).toBe(
          siblingsText(siblingsInHistory(reference.operations, key)),
        );
      }
      // Every acknowledged write is there, under the version its node answered, once.
      const held = new Map(
        reference.operations.map((operation) => [versionKey(operation.version), operation]),
      );
      const lost = acknowledged.filter(({ version, key, value }) => {
        const writes = held.get(versionKey(version))?.writes ?? [];
        return !writes.some((write) => write.key === key && write.value === value);
      });
      expect(lost, summary).toEqual([]);
      expect(new Set(acknowledged.map(({ version }) => versionKey(version))).size, summary).toBe(
        acknowledged.length,
      );
      // Writes through different nodes were concurrent: some write replaced
      // several siblings, or some key still has several.
      const merges = reference.operations.filter(({ writes }) =>
        writes.some(({ replaces }) => replaces.length > 1),
      );
      const open = KEYS.filter((key) => siblingsInHistory(reference.operations, key).length > 1);
      expect(merges.length + open.length, summary).toBeGreaterThan(0);

      // 4. Five writes on one parent, one through each node: siblings on every node.
      const base = await clientOf(0).docs.put(SHARED, 'base');
      await everywhere(all, SHARED, [{ version: base, value: 'base' }], 'the base write');
      const concurrent = await Promise.all(
        all.map((client, node) =>
          client.docs.put(SHARED, `through node ${node + 1}`, { parents: [base] }),
        ),
      );
      const siblings = concurrent
        .map((version, node) => ({ version, value: `through node ${node + 1}` }))
        .sort((left, right) => compareVersionIds(left.version, right.version));
      expect(new Set(concurrent.map(versionKey)).size).toBe(HOSTS.length);
      await everywhere(all, SHARED, siblings, '5 siblings');
      // One write naming all five leaves one value on every node.
      const resolver = Math.floor(random() * all.length);
      const resolved = await clientOf(resolver).docs.put(SHARED, 'agreed', {
        parents: concurrent,
      });
      await everywhere(all, SHARED, [{ version: resolved, value: 'agreed' }], 'the resolution');

      // And the histories are still identical: the random phase's and these seven.
      const keys = [...KEYS, SHARED];
      const after = await viewsUntil(
        all,
        keys,
        'identical histories after the siblings',
        SPREAD_WITHIN_MS,
        (views) => differences(views, keys),
      );
      const added = after[0]?.operations.filter(({ version }) => !held.has(versionKey(version)));
      expect(added?.length, `seed ${SEED}`).toBe(2 + HOSTS.length);
      const byVersion = new Map(
        added?.map((operation) => [versionKey(operation.version), operation]),
      );
      for (const version of concurrent) {
        expect(byVersion.get(versionKey(version))?.parents).toEqual([base]);
      }
      const resolution = byVersion.get(versionKey(resolved));
      expect(resolution?.writes.map(({ replaces }) => replaces.map(versionKey).sort())).toEqual([
        concurrent.map(versionKey).sort(),
      ]);
      expect(after[0]?.values.get(SHARED)).toBe(
        siblingsText([{ version: resolved, value: 'agreed' }]),
      );
    },
  );
});
