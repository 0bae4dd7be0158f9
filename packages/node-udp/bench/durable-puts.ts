/**
 * Durable puts: vectors written per second by the LMDB store against the
 * memory store, which runs the same write path (key checks, one batch per
 * event-loop turn) without a disk. 1000 keys of 20 entries each are written
 * in turns of 1000, 100, 10 and 1 keys, awaiting each turn's batch before the
 * next turn, so every LMDB turn pays one committed and fdatasync'ed
 * transaction. Rounds interleave the two stores; each figure is the median.
 *
 * Run alone: `pnpm exec tsx --conditions=@vig/source bench/durable-puts.ts`
 * in packages/node-udp (`VIG_BENCH_QUICK=1` for a smoke run).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatRate, median } from '@vig/bench-kit';
import { MaxVector, seededRandom } from '@vig/crdt-core';
import type { DurableStore } from '../src/durable-store.js';
import { openLmdbStore } from '../src/lmdb-store.js';
import { openMemoryStore } from '../src/memory-store.js';

const KEY_COUNT = 1000;
const ENTRIES_PER_VECTOR = 20;
/** Keys written per event-loop turn, one row each. */
const KEYS_PER_TURN = [1000, 100, 10, 1] as const;
/** Writes per sample: the 1000 keys, five times over. */
const WRITES_PER_SAMPLE = 5 * KEY_COUNT;
/** The most turns one sample awaits, so that the one-key rows stay short on a slow disk. */
const MAX_TURNS_PER_SAMPLE = 200;

/** Options of {@link runDurablePutsBench}. */
export interface DurablePutsOptions {
  /** Interleaved rounds per row; the figure is their median. Default 5, or 1 when `VIG_BENCH_QUICK=1`. */
  readonly rounds?: number;
}

/** One row's medians. */
interface PutsRow {
  readonly keysPerTurn: number;
  readonly lmdb: number;
  readonly memory: number;
}

/** 1000 keys, each a sparse vector of 20 entries: indices in 0..16383, values 1..40. */
function workload(): [string, MaxVector][] {
  const random = seededRandom(20_261_122);
  const writes: [string, MaxVector][] = [];
  for (let key = 0; key < KEY_COUNT; key++) {
    const vector = new MaxVector();
    for (let entry = 0; entry < ENTRIES_PER_VECTOR; entry++) {
      vector.raise(Math.floor(random() * 16_384), 1 + Math.floor(random() * 40));
    }
    writes.push([`hll:page:${key}`, vector]);
  }
  return writes;
}

/**
 * Writes the workload over and over in turns of `keysPerTurn` (each turn
 * taking the next keys, round the 1000), awaiting each turn, for
 * {@link WRITES_PER_SAMPLE} writes or {@link MAX_TURNS_PER_SAMPLE} turns;
 * returns writes per second.
 */
async function measurePuts(
  store: DurableStore,
  writes: readonly [string, MaxVector][],
  keysPerTurn: number,
): Promise<number> {
  const turns = Math.min(Math.ceil(WRITES_PER_SAMPLE / keysPerTurn), MAX_TURNS_PER_SAMPLE);
  let written = 0;
  const start = process.hrtime.bigint();
  for (let turn = 0; turn < turns; turn++) {
    const turnWrites: Promise<void>[] = [];
    for (let slot = 0; slot < keysPerTurn; slot++) {
      const [key, vector] = writes[(written + slot) % writes.length];
      turnWrites.push(store.write(key, vector));
    }
    await Promise.all(turnWrites);
    written += keysPerTurn;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return written / seconds;
}

function formatTable(rows: readonly PutsRow[], rounds: number): string {
  const lines = [
    `### Durable puts (${KEY_COUNT} keys × ${ENTRIES_PER_VECTOR} entries, median of ${rounds} round${rounds === 1 ? '' : 's'})`,
    '',
    '| keys per turn | LMDB puts/s | LMDB batches/s | memory puts/s | LMDB ÷ memory |',
    '| ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { keysPerTurn, lmdb, memory } of rows) {
    const ratio = lmdb / memory;
    lines.push(
      `| ${keysPerTurn} | ${formatRate(lmdb)} | ${formatRate(lmdb / keysPerTurn)} | ` +
        `${formatRate(memory)} | ${ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)}× |`,
    );
  }
  lines.push(
    '',
    "Each LMDB batch is one transaction, committed and fdatasync'ed before its writes resolve.",
  );
  return lines.join('\n');
}

/**
 * Measures puts per second of the LMDB store (in a temporary directory,
 * removed afterwards) and of the memory store, and returns the markdown table.
 */
export async function runDurablePutsBench(options: DurablePutsOptions = {}): Promise<string> {
  const quick = process.env['VIG_BENCH_QUICK'] === '1';
  const rounds = options.rounds ?? (quick ? 1 : 5);
  const writes = workload();
  const directory = await mkdtemp(join(tmpdir(), 'vig-durable-puts-'));
  const lmdb = await openLmdbStore({ directory });
  const memory = openMemoryStore();
  try {
    // Unmeasured passes: the LMDB file grows to size and the code warms up.
    await measurePuts(lmdb, writes, KEY_COUNT);
    await measurePuts(memory, writes, KEY_COUNT);
    const rows: PutsRow[] = [];
    for (const keysPerTurn of KEYS_PER_TURN) {
      const lmdbRates: number[] = [];
      const memoryRates: number[] = [];
      for (let round = 0; round < rounds; round++) {
        lmdbRates.push(await measurePuts(lmdb, writes, keysPerTurn));
        memoryRates.push(await measurePuts(memory, writes, keysPerTurn));
      }
      rows.push({ keysPerTurn, lmdb: median(lmdbRates), memory: median(memoryRates) });
    }
    return formatTable(rows, rounds);
  } finally {
    await Promise.all([lmdb.close(), memory.close()]);
    await rm(directory, { recursive: true, force: true });
  }
}

const runDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) process.stdout.write(`${await runDurablePutsBench()}\n`);
