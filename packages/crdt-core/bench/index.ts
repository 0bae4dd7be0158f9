/**
 * Merge benchmarks for `MaxVector`, each against a hand-rolled baseline doing
 * the same work (merge and both outputs) in the same run.
 *
 * Every workload really changes the vector on every iteration: deltas are
 * raised in place, so entries grow each time, and some entries are stale so
 * that `larger` is never empty. The dense workloads keep one-byte values by
 * restoring their start state before a value would pass 255 (every 224
 * iterations) or 64 (every 4352); the restore is part of the timed work, for
 * the case and its baseline alike.
 *
 * Each workload also has a `MaxVector.mergeInto` case: the same merge on its
 * own copy of the state, writing both outputs into one reused `MergeOutput`
 * (the opt-in API for hot callers) instead of returning fresh arrays.
 *
 * Run: `pnpm --filter @vig/crdt-core bench` (`VIG_BENCH_QUICK=1` for a smoke run).
 */
import { runBenchmarks } from '@vig/bench-kit';
import { MaxVector, MergeOutput, seededRandom } from '@vig/crdt-core';
import type { DenseEntries, SparseEntries, VectorEntries } from '@vig/crdt-core';

/** Seeded, so every run measures the same data. */
const random = seededRandom(20_261_122);

function randomInteger(lowest: number, highest: number): number {
  return lowest + Math.floor(random() * (highest - lowest + 1));
}

/** What the baselines return: the same two outputs a merge returns. */
interface BaselineResult {
  readonly grew: VectorEntries;
  readonly larger: VectorEntries;
}

function sparseEntries(indices: number[], values: number[]): SparseEntries {
  return { kind: 'sparse', indices, values };
}

// ---------------------------------------------------------------------------
// 1. A 20-entry delta into a 2000-entry sparse vector.
//    Ten entries of the delta are raised by one every iteration (they grow);
//    ten are stale (the local value is larger, so they go back to the sender).

const SPARSE_VECTOR_ENTRIES = 2000;
const DELTA_ENTRIES = 20;

const sparseIndices = new Set<number>();
while (sparseIndices.size < SPARSE_VECTOR_ENTRIES) sparseIndices.add(randomInteger(0, 2 ** 32 - 1));
const sparseStart = [...sparseIndices].map((index) => [index, randomInteger(1000, 2000)] as const);

/** A delta over the vector's first 20 indices: even positions fresh, odd ones stale. */
function sparseDelta(): { indices: number[]; values: number[] } {
  const indices = sparseStart.slice(0, DELTA_ENTRIES).map(([index]) => index);
  const values = indices.map((_index, position) => (position % 2 === 0 ? 5000 : 1));
  return { indices, values };
}

function raiseFreshEntries(values: number[]): void {
  for (let position = 0; position < values.length; position += 2) values[position] += 1;
}

const sparseVector = MaxVector.fromEntries(
  sparseEntries(
    sparseStart.map(([index]) => index),
    sparseStart.map(([, value]) => value),
  ),
);
if (sparseVector.representation !== 'sparse') throw new Error('expected a sparse vector');
const sparseVectorDelta = sparseDelta();
const sparseVectorMessage = sparseEntries(sparseVectorDelta.indices, sparseVectorDelta.values);

const sparseIntoVector = sparseVector.clone();
const sparseIntoDelta = sparseDelta();
const sparseIntoMessage = sparseEntries(sparseIntoDelta.indices, sparseIntoDelta.values);
const sparseOutput = new MergeOutput();

const sparseMap = new Map<number, number>(sparseStart);
const sparseMapDelta = sparseDelta();

function mergeIntoMap(
  map: Map<number, number>,
  indices: number[],
  values: number[],
): BaselineResult {
  let grew: { indices: number[]; values: number[] } | undefined;
  let larger: { indices: number[]; values: number[] } | undefined;
  for (let position = 0; position < indices.length; position++) {
    const index = indices[position];
    const value = values[position];
    if (value === 0) continue;
    const current = map.get(index) ?? 0;
    if (value > current) {
      map.set(index, value);
      grew ??= { indices: [], values: [] };
      grew.indices.push(index);
      grew.values.push(value);
    } else if (value < current) {
      larger ??= { indices: [], values: [] };
      larger.indices.push(index);
      larger.values.push(current);
    }
  }
  return {
    grew: grew === undefined ? sparseEntries([], []) : sparseEntries(grew.indices, grew.values),
    larger:
      larger === undefined ? sparseEntries([], []) : sparseEntries(larger.indices, larger.values),
  };
}

// ---------------------------------------------------------------------------
// 2. A 20-entry delta into a dense HyperLogLog vector (16384 one-byte registers).
//    Ten registers spread over the array are raised by one every iteration
//    (they grow); ten stale ones are sent at 1 (the local value is larger).
//    Before a raised value would pass 255 (and need two-byte registers), the
//    start state is restored: every 224 iterations, timed.

const REGISTER_COUNT = 16_384;
const FIRST_FRESH_VALUE = 31;
const LAST_FRESH_VALUE = 255;

const hyperLogLogStart = new Uint8Array(REGISTER_COUNT).map(() => randomInteger(2, 30));

/** Even positions: fresh registers 1638 apart; odd positions: stale registers between them. */
function denseDelta(): { indices: number[]; values: number[] } {
  const indices: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < DELTA_ENTRIES / 2; j++) {
    indices.push(j * 1638, j * 1638 + 819);
    values.push(FIRST_FRESH_VALUE - 1, 1);
  }
  return { indices, values };
}

/** Raises the fresh entries; true when they are past one byte and the state must be restored. */
function raiseOrRestart(values: number[]): boolean {
  if (values[0] === LAST_FRESH_VALUE) {
    for (let position = 0; position < values.length; position += 2)
      values[position] = FIRST_FRESH_VALUE;
    return true;
  }
  raiseFreshEntries(values);
  return false;
}

const hyperLogLogDelta = denseDelta();
const hyperLogLogMessage = sparseEntries(hyperLogLogDelta.indices, hyperLogLogDelta.values);
const hyperLogLogStartVector = MaxVector.fromEntries({
  kind: 'dense',
  offset: 0,
  registers: hyperLogLogStart,
});
if (hyperLogLogStartVector.representation !== 'dense') throw new Error('expected a dense vector');
let hyperLogLogVector = hyperLogLogStartVector.clone();

const hyperLogLogIntoDelta = denseDelta();
const hyperLogLogIntoMessage = sparseEntries(
  hyperLogLogIntoDelta.indices,
  hyperLogLogIntoDelta.values,
);
let hyperLogLogIntoVector = hyperLogLogStartVector.clone();
const hyperLogLogOutput = new MergeOutput();

const plainRegisters = hyperLogLogStart.slice();
const plainDelta = denseDelta();

const bareRegisters = hyperLogLogStart.slice();
const bareDelta = denseDelta();

function raiseRegisters(registers: Uint8Array, indices: number[], values: number[]): number {
  let grew = 0;
  for (let position = 0; position < indices.length; position++) {
    const index = indices[position];
    const value = values[position];
    if (value > registers[index]) {
      registers[index] = value;
      grew++;
    }
  }
  return grew;
}

function mergeIntoRegisters(
  registers: Uint8Array,
  indices: number[],
  values: number[],
): BaselineResult {
  let grew: { indices: number[]; values: number[] } | undefined;
  let larger: { indices: number[]; values: number[] } | undefined;
  for (let position = 0; position < indices.length; position++) {
    const index = indices[position];
    const value = values[position];
    if (value === 0) continue;
    const current = registers[index];
    if (value > current) {
      registers[index] = value;
      grew ??= { indices: [], values: [] };
      grew.indices.push(index);
      grew.values.push(value);
    } else if (value < current) {
      larger ??= { indices: [], values: [] };
      larger.indices.push(index);
      larger.values.push(current);
    }
  }
  return {
    grew: grew === undefined ? sparseEntries([], []) : sparseEntries(grew.indices, grew.values),
    larger:
      larger === undefined ? sparseEntries([], []) : sparseEntries(larger.indices, larger.values),
  };
}

// ---------------------------------------------------------------------------
// 3. Dense into dense: 16384 one-byte registers each. Iteration k raises 64
//    even registers of the incoming array to 31 + pass (so 64 grow each time);
//    odd registers are never raised, so those where the local value started
//    higher come back in `larger` (about 4k of them). After 34 passes the
//    start state is restored (timed).

const RAISED_PER_MERGE = 64;
const DENSE_PASSES = 34;
const DENSE_PASS_ITERATIONS = REGISTER_COUNT / 2 / RAISED_PER_MERGE;

const incomingStart = new Uint8Array(REGISTER_COUNT).map(() => randomInteger(1, 30));

function raiseIncoming(registers: Uint8Array, iteration: number): void {
  const pass = Math.floor(iteration / DENSE_PASS_ITERATIONS);
  const first = (iteration % DENSE_PASS_ITERATIONS) * RAISED_PER_MERGE;
  for (let j = 0; j < RAISED_PER_MERGE; j++) registers[2 * (first + j)] = 31 + pass;
}

const staleLarger = incomingStart.filter(
  (value, position) => position % 2 === 1 && (hyperLogLogStart[position] ?? 0) > value,
).length;

const incomingRegisters = incomingStart.slice();
const incomingMessage: DenseEntries = { kind: 'dense', offset: 0, registers: incomingRegisters };
let denseLocal = hyperLogLogStartVector.clone();
let denseIteration = 0;

const intoIncomingRegisters = incomingStart.slice();
const intoIncomingMessage: DenseEntries = {
  kind: 'dense',
  offset: 0,
  registers: intoIncomingRegisters,
};
let denseIntoLocal = hyperLogLogStartVector.clone();
let denseIntoIteration = 0;
const denseOutput = new MergeOutput();

const plainLocal = hyperLogLogStart.slice();
const plainIncoming = incomingStart.slice();
let plainDenseIteration = 0;

function mergeRegisterArrays(local: Uint8Array, incoming: Uint8Array): BaselineResult {
  let grew: Uint8Array | undefined;
  let larger: Uint8Array | undefined;
  for (let position = 0; position < incoming.length; position++) {
    const value = incoming[position];
    if (value === 0) continue;
    const current = local[position];
    if (value > current) {
      local[position] = value;
      (grew ??= new Uint8Array(incoming.length))[position] = value;
    } else if (value < current) {
      (larger ??= new Uint8Array(incoming.length))[position] = current;
    }
  }
  return {
    grew: { kind: 'dense', offset: 0, registers: grew ?? new Uint8Array(0) },
    larger: { kind: 'dense', offset: 0, registers: larger ?? new Uint8Array(0) },
  };
}

runBenchmarks([
  {
    title: 'Sparse delta into a sparse vector',
    unit: 'one merge of a 20-entry delta (10 grow, 10 stale) into a 2000-entry sparse vector, both outputs',
    baselines: [
      {
        name: 'Map<number, number> loop',
        run: () => {
          raiseFreshEntries(sparseMapDelta.values);
          return mergeIntoMap(sparseMap, sparseMapDelta.indices, sparseMapDelta.values);
        },
      },
    ],
    cases: [
      {
        name: 'MaxVector.merge',
        run: () => {
          raiseFreshEntries(sparseVectorDelta.values);
          return sparseVector.merge(sparseVectorMessage);
        },
        minOpsPerSecond: 5e6,
        expect: [{ baseline: 'Map<number, number> loop', atLeast: 1 }],
      },
      {
        name: 'MaxVector.mergeInto, reused MergeOutput',
        run: () => {
          raiseFreshEntries(sparseIntoDelta.values);
          return sparseIntoVector.mergeInto(sparseIntoMessage, sparseOutput);
        },
      },
    ],
  },
  {
    title: 'Sparse delta into a dense HyperLogLog vector',
    unit: 'one merge of a 20-entry delta (10 grow, 10 stale) into 16384 one-byte registers, both outputs',
    baselines: [
      {
        name: 'Uint8Array loop',
        run: () => {
          if (raiseOrRestart(plainDelta.values)) plainRegisters.set(hyperLogLogStart);
          return mergeIntoRegisters(plainRegisters, plainDelta.indices, plainDelta.values);
        },
      },
      {
        // Not a competitor: the bare max loop with no outputs and no checks, the
        // ceiling of any merge on this machine.
        name: 'bare max loop, no outputs',
        run: () => {
          if (raiseOrRestart(bareDelta.values)) bareRegisters.set(hyperLogLogStart);
          return raiseRegisters(bareRegisters, bareDelta.indices, bareDelta.values);
        },
      },
    ],
    cases: [
      {
        name: 'MaxVector.merge',
        run: () => {
          if (raiseOrRestart(hyperLogLogDelta.values)) {
            hyperLogLogVector = hyperLogLogStartVector.clone();
          }
          return hyperLogLogVector.merge(hyperLogLogMessage);
        },
        minOpsPerSecond: 20e6,
        // It validates every entry and decides the representation first, which the loop does not.
        expect: [{ baseline: 'Uint8Array loop', timeAtMost: 3 }],
      },
      {
        name: 'MaxVector.mergeInto, reused MergeOutput',
        run: () => {
          if (raiseOrRestart(hyperLogLogIntoDelta.values)) {
            hyperLogLogIntoVector = hyperLogLogStartVector.clone();
          }
          return hyperLogLogIntoVector.mergeInto(hyperLogLogIntoMessage, hyperLogLogOutput);
        },
        minOpsPerSecond: 20e6,
      },
    ],
  },
  {
    title: 'Dense into dense',
    unit: `one merge of 16384 one-byte registers (64 grow, ${staleLarger} larger) into 16384, both outputs`,
    baselines: [
      {
        name: 'two Uint8Arrays loop',
        run: () => {
          if (plainDenseIteration === DENSE_PASS_ITERATIONS * DENSE_PASSES) {
            plainLocal.set(hyperLogLogStart);
            plainIncoming.set(incomingStart);
            plainDenseIteration = 0;
          }
          raiseIncoming(plainIncoming, plainDenseIteration++);
          return mergeRegisterArrays(plainLocal, plainIncoming);
        },
      },
    ],
    cases: [
      {
        name: 'MaxVector.merge',
        run: () => {
          if (denseIteration === DENSE_PASS_ITERATIONS * DENSE_PASSES) {
            denseLocal = hyperLogLogStartVector.clone();
            incomingRegisters.set(incomingStart);
            denseIteration = 0;
          }
          raiseIncoming(incomingRegisters, denseIteration++);
          return denseLocal.merge(incomingMessage);
        },
        minOpsPerSecond: 60e3,
        expect: [{ baseline: 'two Uint8Arrays loop', atLeast: 1.25 }],
      },
      {
        name: 'MaxVector.mergeInto, reused MergeOutput',
        run: () => {
          if (denseIntoIteration === DENSE_PASS_ITERATIONS * DENSE_PASSES) {
            denseIntoLocal = hyperLogLogStartVector.clone();
            intoIncomingRegisters.set(incomingStart);
            denseIntoIteration = 0;
          }
          raiseIncoming(intoIncomingRegisters, denseIntoIteration++);
          return denseIntoLocal.mergeInto(intoIncomingMessage, denseOutput);
        },
      },
    ],
  },
]);
