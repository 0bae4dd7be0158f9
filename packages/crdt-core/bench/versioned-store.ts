/**
 * Benchmarks of the version graph and the versioned store (issue 3). Run by
 * `pnpm bench` (with bench/index.ts), or alone:
 * `tsx --expose-gc --conditions=@vig/source bench/versioned-store.ts`.
 */
import { runBenchmarks } from '@vig/bench-kit';
import { CausalGraph } from '../src/causal-graph.js';
import { compareOrders, diffFrontiers, frontierContains } from '../src/graph-queries.js';
import { VersionedStore } from '../src/versioned-store.js';
import { seededRandom } from '../src/random-source.js';
import { runVersionedFuzz } from '../test/versioned-fuzz.js';
import { median } from '@vig/bench-kit';

const quick = process.env['VIG_BENCH_QUICK'] === '1';

/** The seed's own implementation, measured on this machine for the issue: ~16 s, checks off. */
const SEED_SECONDS_CHECKS_OFF = 16;

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

/** Runs the fuzz workload once; returns seconds and the time of each block of 100 iterations (ms). */
function timedFuzz(
  iterations: number,
  keys: number | undefined,
): { total: number; blocks: number[] } {
  const blocks: number[] = [];
  const start = performance.now();
  let last = start;
  runVersionedFuzz({
    seed: 2026,
    iterations,
    checks: 'none',
    sync: 'heads',
    ...(keys === undefined ? {} : { keys }),
    onIteration: (iteration) => {
      if ((iteration + 1) % 100 === 0) {
        const now = performance.now();
        blocks.push(now - last);
        last = now;
      }
    },
  });
  return { total: seconds(start), blocks };
}

/** Mean time of 100 iterations (ms) over the given blocks. */
function meanBlock(blocks: readonly number[]): number {
  return blocks.reduce((sum, value) => sum + value, 0) / Math.max(1, blocks.length);
}

/** The seed's fuzz workload: 3 peers × 2000 iterations × 10 ops, timed per 100 iterations. */
function fuzzWorkload(): void {
  const iterations = quick ? 200 : 2000;
  const runs = quick ? 1 : 3;
  const totals: number[] = [];
  let blocks: number[] = [];
  for (let run = 0; run < runs; run++) {
    const result = timedFuzz(iterations, undefined);
    totals.push(result.total);
    blocks = result.blocks;
  }
  const total = median(totals);
  const fixedKeys = timedFuzz(iterations, 44).blocks;
  const checkedStart = performance.now();
  runVersionedFuzz({ seed: 2026, iterations, checks: 'invariants', sync: 'heads' });
  const checked = seconds(checkedStart);
  const scale = 2000 / iterations;
  // Blocks 3–5 (after the engine has warmed up) against the last three.
  const early = (list: number[]): number => meanBlock(list.slice(2, 5));
  const late = (list: number[]): number => meanBlock(list.slice(-3));
  process.stdout.write(
    [
      '### The seed’s fuzz workload (3 peers × 2000 iterations × 10 ops)',
      '',
      `Every iteration: 10 writes on random peers (half by a brand-new agent), each peer undoes and redoes them (values compared), a random pair syncs by recent versions, both move to the old heads and the merged head. ${quick ? `Quick run: ${iterations} iterations, scaled ×${scale}: not comparable with the targets.` : `Median of ${runs} runs.`}`,
      '',
      '| case | seconds | × the seed (16 s, measured for the issue) | target |',
      '| --- | --- | --- | --- |',
      `| checks off | ${(total * scale).toFixed(2)} | ${(SEED_SECONDS_CHECKS_OFF / (total * scale)).toFixed(1)}× faster | ${total * scale < 0.8 ? '✓' : '✗'} < 0.8 s |`,
      `| invariant checker after every step | ${(checked * scale).toFixed(2)} | the seed did not finish in 10 min | ${checked * scale < 60 ? '✓' : '✗'} < 60 s |`,
      '',
      'Time per 100 iterations, iterations 300–500 against the last 300, as history grows from ~4k to 20k operations and ~10k agents:',
      '',
      '| key set | early (ms) | late (ms) | late ÷ early |',
      '| --- | --- | --- | --- |',
      `| the seed's, growing as √iteration (17 → 44 keys compared at every check) | ${early(blocks).toFixed(1)} | ${late(blocks).toFixed(1)} | ${(late(blocks) / early(blocks)).toFixed(2)} |`,
      `| fixed, 44 keys (the same work per iteration) | ${early(fixedKeys).toFixed(1)} | ${late(fixedKeys).toFixed(1)} | ${(late(fixedKeys) / early(fixedKeys)).toFixed(2)} |`,
      '',
    ].join('\n'),
  );
}

/**
 * A history of `size` operations by 10 agents taking turns in stretches, with
 * about 1% of operations concurrent: two agents write on the same parents and
 * the next operation merges them.
 */
function mixedHistory(size: number): { graph: CausalGraph; heads: number[][] } {
  const random = seededRandom(7);
  const graph = new CausalGraph();
  let frontier: number[] = [];
  let writer = 0;
  const snapshots: number[][] = [];
  while (graph.size < size) {
    if (random() < 0.01) writer = Math.floor(random() * 10);
    if (random() < 0.005) {
      const other = (writer + 1 + Math.floor(random() * 9)) % 10;
      const left = graph.add(writer, graph.nextSeq(writer), frontier);
      const right = graph.add(other, graph.nextSeq(other), frontier);
      frontier = [left, right];
    } else {
      frontier = [graph.add(writer, graph.nextSeq(writer), frontier)];
    }
    if (graph.size % 1000 < 2) snapshots.push(frontier);
  }
  return { graph, heads: snapshots };
}

function graphQueries(): void {
  const size = quick ? 100_000 : 1_000_000;
  const buildStart = performance.now();
  const { graph, heads } = mixedHistory(size);
  const built = seconds(buildStart);
  const random = seededRandom(11);
  const count = 4096;
  // Fast path pairs: a version and one a little behind it (same run or same agent).
  const near: [number, number][] = [];
  const far: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const later = 1000 + Math.floor(random() * (size - 1000));
    near.push([later - 1 - Math.floor(random() * 50), later]);
    far.push([Math.floor(random() * (later - 100_000 > 0 ? later - 100_000 : 1)), later]);
  }
  const lookups = new Map<number, number>();
  for (let order = 0; order < size; order += 97) lookups.set(order, order);
  let position = 0;
  const next = (): number => (position = (position + 1) & (count - 1));
  const headPairs = heads
    .map((frontier, index) => [frontier, heads[index + 1]] as const)
    .filter((pair): pair is readonly [number[], number[]] => pair[1] !== undefined);
  let pair = 0;
  runBenchmarks([
    {
      title: `Queries on a ${size.toLocaleString('en')}-op history (10 agents, ~1% concurrent)`,
      unit: 'one query',
      baselines: [
        {
          name: 'two Map lookups (the least a compare by version can cost)',
          run: () => {
            const [a, b] = near[next()];
            return (lookups.get(a - (a % 97)) ?? 0) + (lookups.get(b - (b % 97)) ?? 0);
          },
        },
      ],
      cases: [
        {
          name: 'compare, a version just behind another (fast path)',
          run: () => {
            const [a, b] = near[next()];
            return compareOrders(graph, a, b);
          },
          minOpsPerSecond: 1_000_000,
        },
        {
          name: 'contains, far apart (walk, pruned by agent)',
          run: () => {
            const [a, b] = far[next()];
            return frontierContains(graph, [b], a);
          },
        },
        {
          name: 'diff of two heads ~1000 ops apart',
          run: () => {
            const [a, b] = headPairs[(pair = (pair + 1) % headPairs.length)];
            return diffFrontiers(graph, a, b);
          },
          minOpsPerSecond: 1000,
        },
      ],
    },
  ]);
  process.stdout.write(
    `(history built in ${built.toFixed(2)} s; a diff target of < 1 ms is ≥ 1000/s)\n\n`,
  );
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) {
    gc();
    gc();
  }
}

function metadataBytes(): void {
  const size = quick ? 100_000 : 1_000_000;
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const graph = new CausalGraph();
  let frontier: number[] = [];
  for (let i = 0; i < size; i++) frontier = [graph.add(0, i, frontier)];
  collectGarbage();
  const graphBytes = Math.max(0, process.memoryUsage().heapUsed - before);

  const store = new VersionedStore({ random: seededRandom(3) });
  collectGarbage();
  const storeBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < size; i++) store.put('counter', i);
  collectGarbage();
  const storeBytes = Math.max(0, process.memoryUsage().heapUsed - storeBefore);
  const measured = (globalThis as { gc?: unknown }).gc !== undefined;
  process.stdout.write(
    [
      `### Memory of a sequential ${size.toLocaleString('en')}-op history by one agent`,
      '',
      '| what | bytes per op | target |',
      '| --- | --- | --- |',
      `| version graph (runs, agent spans, heads) | ${(graphBytes / size).toFixed(2)} | ${graphBytes / size < 50 ? '✓' : '✗'} < 50 |`,
      `| whole store, one key rewritten each op (graph + each op's write: key, value, replaced versions) | ${(storeBytes / size).toFixed(1)} | (values aside: informative) |`,
      '',
      measured ? '' : '(run with --expose-gc for exact figures)\n',
    ].join('\n'),
  );
  if (store.size !== size || graph.size !== size) throw new Error('history incomplete');
}

fuzzWorkload();
graphQueries();
metadataBytes();
