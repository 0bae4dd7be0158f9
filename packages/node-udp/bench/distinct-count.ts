/**
 * Distinct-count ingest: items counted per second by a Vig node's
 * HyperLogLog (`node.hll(key).add(item)`, redis profile, p = 14) beside
 * Redis's PFADD on the same items, in the same run, with the same final count.
 *
 * The items arrive in turns of 1000, as events reach a server: each item is
 * one call, `hll.add(item)` for Vig and one `PFADD key item` command for Redis
 * (the turn's commands pipelined in one write). The producer hands over a
 * turn, lets the event loop turn once, and goes on without waiting; the run
 * ends when everything is done: for Vig, when the node has merged every grown
 * register and its LMDB store has committed and fdatasync'ed it; for Redis,
 * when every reply is in (Redis keeps the data in memory). Two more rows:
 * Redis with each turn as one `PFADD key item×1000` command, the fastest
 * Redis ingests, and Vig waiting for each turn to be durable before the next
 * (one fdatasync per turn). Rounds interleave Vig and Redis on fresh keys;
 * each figure is the median.
 *
 * Needs the Redis of `VIG_REDIS_URL` (default redis://127.0.0.1:6390, which
 * `.ci/run` starts); without one it says so and measures Vig alone.
 *
 * Run alone: `pnpm exec tsx --conditions=@vig/source bench/distinct-count.ts`
 * in packages/node-udp (`VIG_BENCH_QUICK=1` for a smoke run).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatRate, median } from '@vig/bench-kit';
import type { RespClient } from '@vig/resp';
import { TEST_REDIS_URL, connectTestRedis } from '@vig/resp/testing';
import { createNode } from '../src/vig-node.js';
import type { VigNode } from '../src/vig-node.js';

const quick = process.env['VIG_BENCH_QUICK'] === '1';
const ITEM_COUNT = quick ? 100_000 : 1_000_000;
const ROUNDS = quick ? 1 : 3;
const ITEMS_PER_TURN = 1000;
/** The least Vig ÷ Redis (one PFADD per item) ratio the issue asks for. */
const TARGET_RATIO = 5;

/** One measured ingest: items per second and the final count. */
interface Ingest {
  readonly rate: number;
  readonly count: number;
}

/** `ITEM_COUNT` distinct items, as user ids arrive: a salt, a number. */
function makeItems(): string[] {
  const salt = randomBytes(4).toString('hex');
  return Array.from({ length: ITEM_COUNT }, (_, item) => `user:${salt}:${item}`);
}

/** One event-loop turn: I/O callbacks (the store's commits, the socket's writes) run. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function ingestVig(
  node: VigNode,
  key: string,
  items: readonly string[],
  awaitEachTurn: boolean,
): Promise<Ingest> {
  const hll = node.hll(key);
  const start = performance.now();
  for (let turn = 0; turn < items.length; turn += ITEMS_PER_TURN) {
    let written: Promise<void> | undefined;
    for (let item = turn; item < turn + ITEMS_PER_TURN; item++) written = hll.add(items[item]);
    await (awaitEachTurn ? written : nextTurn());
  }
  await hll.flush();
  const seconds = (performance.now() - start) / 1000;
  return { rate: items.length / seconds, count: await hll.count() };
}

async function ingestRedis(
  redis: RespClient,
  key: string,
  items: readonly string[],
  itemsPerCommand: number,
): Promise<Ingest> {
  const start = performance.now();
  const replies: Promise<unknown>[] = [];
  for (let turn = 0; turn < items.length; turn += ITEMS_PER_TURN) {
    const commands: string[][] = [];
    for (let item = turn; item < turn + ITEMS_PER_TURN; item += itemsPerCommand) {
      commands.push(['PFADD', key, ...items.slice(item, item + itemsPerCommand)]);
    }
    replies.push(redis.pipeline(commands));
    await nextTurn();
  }
  await Promise.all(replies);
  const seconds = (performance.now() - start) / 1000;
  const count = Number(await redis.command('PFCOUNT', key));
  await redis.command('DEL', key);
  return { rate: items.length / seconds, count };
}

function ratio(value: number, baseline: number | undefined): string {
  return baseline === undefined ? 'n/a' : `${(value / baseline).toFixed(2)}×`;
}

/** Runs the rounds and returns the markdown report. */
export async function distinctCount(): Promise<string> {
  const items = makeItems();
  const directory = await mkdtemp(join(tmpdir(), 'vig-distinct-count-'));
  const node = await createNode({ bind: '127.0.0.1:0', dataDir: directory, onWarning: () => {} });
  const redis = await connectTestRedis('the Redis rows of the distinct-count benchmark');
  const vig: Ingest[] = [];
  const vigAwaited: Ingest[] = [];
  const perItem: Ingest[] = [];
  const batched: Ingest[] = [];
  try {
    node.start();
    await ingestVig(node, 'warm-up', items.slice(0, 100_000), false);
    for (let round = 0; round < ROUNDS; round++) {
      vig.push(await ingestVig(node, `visitors:${round}`, items, false));
      vigAwaited.push(await ingestVig(node, `visitors:awaited:${round}`, items, true));
      if (redis === undefined) continue;
      const key = `vig-bench:${randomBytes(4).toString('hex')}`;
      perItem.push(await ingestRedis(redis, key, items, 1));
      batched.push(await ingestRedis(redis, key, items, ITEMS_PER_TURN));
    }
  } finally {
    redis?.close();
    await node.stop();
    await rm(directory, { recursive: true, force: true });
  }
  const vigRate = median(vig.map(({ rate }) => rate));
  const vigAwaitedRate = median(vigAwaited.map(({ rate }) => rate));
  const perItemRate = perItem.length === 0 ? undefined : median(perItem.map(({ rate }) => rate));
  const batchedRate = batched.length === 0 ? undefined : median(batched.map(({ rate }) => rate));
  const counts = [...vig, ...vigAwaited, ...perItem, ...batched].map(({ count }) => count);
  const sameCount = counts.every((count) => count === counts[0]);
  const met = perItemRate !== undefined && vigRate >= TARGET_RATIO * perItemRate && sameCount;
  const lines = [
    `### Distinct-count ingest (${ITEM_COUNT.toLocaleString('en')} distinct items in turns of ${ITEMS_PER_TURN}, median of ${ROUNDS} round${ROUNDS === 1 ? '' : 's'})`,
    '',
    '| ingest | items/s | × Redis PFADD per item | final count |',
    '| --- | ---: | ---: | ---: |',
    `| Vig node, \`node.hll(key).add(item)\` | ${formatRate(vigRate)} | ${ratio(vigRate, perItemRate)} | ${vig[0].count} |`,
    `| Vig node, waiting for each turn to be durable | ${formatRate(vigAwaitedRate)} | ${ratio(vigAwaitedRate, perItemRate)} | ${vigAwaited[0].count} |`,
  ];
  if (perItemRate !== undefined && batchedRate !== undefined) {
    lines.push(
      `| Redis \`PFADD key item\`, pipelined (baseline) | ${formatRate(perItemRate)} | 1.00× | ${perItem[0].count} |`,
      `| Redis \`PFADD key item×${ITEMS_PER_TURN}\`, one command per turn | ${formatRate(batchedRate)} | ${ratio(batchedRate, perItemRate)} | ${batched[0].count} |`,
    );
  } else {
    lines.push(`| Redis: not measured, no server at ${TEST_REDIS_URL} | | | |`);
  }
  lines.push(
    '',
    `Target: Vig ≥ ${TARGET_RATIO}× Redis PFADD per item, with the same final count: ${met ? '✓' : '✗'}` +
      (sameCount ? ' (every count equal)' : ` (counts differ: ${counts.join(', ')})`),
  );
  return lines.join('\n');
}

const runDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) process.stdout.write(`${await distinctCount()}\n`);
