/**
 * HyperLogLog benchmarks (redis profile, p = 14), each against a baseline
 * measured in the same run:
 *
 * - add: one item hashed and its register raised in place (`hllAdd`), beside
 *   hashing the same item with node:crypto's MD5 and inserting it into a Map;
 *   `hllDelta` of 1000-item batches is reported per batch (5000 batches/s
 *   is 5M items/s).
 * - count: the count of a dense HLL holding 10^6 items (`hllCount`), beside a
 *   plain loop summing 2^−rank over the same 16384 registers.
 * - merge: two dense HLLs of 10^6 items each merged by element-wise max
 *   (`MaxVector.merge`, as a node merges a replica's registers, and
 *   `hllCountUnion`), beside a plain loop of Math.max over two byte arrays.
 *
 * Run: `pnpm --filter @vig/sketch bench` (`VIG_BENCH_QUICK=1` for a smoke run).
 */
import { createHash } from 'node:crypto';
import { runBenchmarks } from '@vig/bench-kit';
import { MaxVector } from '@vig/crdt-core';
import { hllAdd, hllCount, hllCountUnion, hllDelta } from '../src/hyperloglog.js';

const itemCount = 1 << 20;
const items = Array.from({ length: itemCount }, (_, item) => `user:${item * 7919}`);
const batchSize = 1000;
const batches = Array.from({ length: itemCount / batchSize }, (_, batch) =>
  items.slice(batch * batchSize, (batch + 1) * batchSize),
);

let next = 0;
/** The next item, cycling through a million distinct strings. */
function nextItem(): string {
  next = (next + 1) & (itemCount - 1);
  return items[next];
}

const registers = new Uint8Array(16384);
let seen = new Map<string, true>();
let batchNumber = 0;

const dense = new Uint8Array(16384);
for (const item of items) hllAdd(dense, item);
const denseEntries = { kind: 'dense' as const, offset: 0, registers: dense };
const other = new Uint8Array(16384);
for (const item of items) hllAdd(other, `${item}:other`);
const otherEntries = { kind: 'dense' as const, offset: 0, registers: other };
const target = new Uint8Array(16384);
const powers = Float64Array.from({ length: 64 }, (_, rank) => 2 ** -rank);

runBenchmarks([
  {
    title: 'HyperLogLog add (redis profile, p = 14)',
    unit: 'one item added',
    baselines: [
      {
        name: 'node:crypto md5 of the item',
        run: () => createHash('md5').update(nextItem()).digest(),
      },
      {
        name: 'Map insert of the item',
        run: () => {
          if (seen.size >= 1 << 18) seen = new Map();
          return seen.set(nextItem(), true);
        },
      },
    ],
    cases: [
      {
        name: 'hllAdd into dense registers',
        run: () => hllAdd(registers, nextItem()),
        minOpsPerSecond: 5_000_000,
        expect: [{ baseline: 'node:crypto md5 of the item', atLeast: 2 }],
      },
      {
        name: 'hllDelta of a 1000-item batch',
        run: () => {
          batchNumber = (batchNumber + 1) % batches.length;
          const delta = hllDelta(batches[batchNumber]);
          return delta;
        },
        // One run is a 1000-item batch: 5000 batches/s is 5M items/s.
        minOpsPerSecond: 5_000,
      },
    ],
  },
  {
    title: 'HyperLogLog count (redis profile, p = 14, dense, 10^6 items)',
    unit: 'one count of 16384 registers',
    baselines: [
      {
        name: 'plain loop summing 2^-rank',
        run: () => {
          let sum = 0;
          for (let index = 0; index < dense.length; index++) sum += powers[dense[index]];
          return sum;
        },
      },
    ],
    cases: [
      {
        name: 'hllCount (Ertl, as PFCOUNT)',
        run: () => hllCount(denseEntries),
        minOpsPerSecond: 50_000,
        expect: [{ baseline: 'plain loop summing 2^-rank', timeAtMost: 2 }],
      },
    ],
  },
  {
    title: 'HyperLogLog merge (redis profile, p = 14, two dense HLLs of 10^6 items)',
    unit: 'one merge of 16384 registers',
    baselines: [
      {
        name: 'plain loop of Math.max over two byte arrays',
        run: () => {
          target.set(dense);
          for (let index = 0; index < other.length; index++) {
            target[index] = Math.max(target[index], other[index]);
          }
          return target;
        },
      },
    ],
    cases: [
      {
        name: 'MaxVector.merge of the other HLL into a copy',
        // No target: the merge also validates every register and collects
        // what grew and what is larger (what a node forwards and replies).
        run: () => MaxVector.fromEntries(denseEntries).merge(otherEntries),
      },
      {
        name: 'hllCountUnion of both (PFCOUNT k1 k2)',
        run: () => hllCountUnion([denseEntries, otherEntries]),
      },
    ],
  },
]);
