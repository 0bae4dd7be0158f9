/**
 * A LAN cluster split in halves, written on both sides, then healed: how
 * long until every node holds the max of every write again.
 */
import { MaxVector } from '@vig/crdt-core';
import { seededRandom } from '@vig/gossip';
import type { SimulatedCluster } from '@vig/gossip/testing';
import {
  ANTI_ENTROPY_INTERVAL,
  everyoneKnowsEveryone,
  mark,
  quick,
  realBudget,
  runWithin,
  seconds,
  table,
} from './bench-settings.js';
import { describeForming, formCluster } from './formed-cluster.js';

const SIZE = 100;
const PARTITION = quick ? 20_000 : 60_000;
const KEYS_PER_SIDE = 20;
/** Keys written on both sides, so the heal has to merge, not only copy. */
const SHARED_KEYS = 4;

/** The element-wise max of the writes, per key. */
type Model = Map<string, Map<number, number>>;

function record(model: Model, key: string, index: number, value: number): void {
  const vector = model.get(key) ?? new Map<number, number>();
  vector.set(index, Math.max(vector.get(index) ?? 0, value));
  model.set(key, vector);
}

/** Every write of the partition, at random times and nodes of its side: [time, node, key, index, value]. */
function plannedWrites(seed: number): [number, number, string, number, number][] {
  const random = seededRandom(seed);
  const writes: [number, number, string, number, number][] = [];
  const half = SIZE / 2;
  for (const side of [0, 1]) {
    const keys = [
      ...Array.from({ length: KEYS_PER_SIDE }, (_, index) => `side-${side}:${index}`),
      ...Array.from({ length: SHARED_KEYS }, (_, index) => `both:${index}`),
    ];
    for (const key of keys) {
      const node = side * half + Math.floor(random() * half);
      const index = Math.floor(random() * 8);
      const value = 1 + Math.floor(random() * 1_000);
      writes.push([Math.floor(random() * PARTITION), node, key, index, value]);
    }
  }
  return writes.sort((left, right) => left[0] - right[0]);
}

/** True when every node holds exactly the model's vector for every key. */
function holdsModel(cluster: SimulatedCluster, expected: Map<string, MaxVector>): boolean {
  for (const node of cluster.nodes) {
    for (const [key, vector] of expected)
      if (!(node.get(key)?.equals(vector) ?? false)) return false;
  }
  return true;
}

/** Runs the scenario and returns its markdown. */
export function partitionHeal(): string {
  const entry = formCluster(SIZE, 30);
  const { cluster } = entry;
  const half = Array.from({ length: SIZE / 2 }, (_, index) => index);
  cluster.partition(
    half,
    half.map((index) => index + SIZE / 2),
  );
  const model: Model = new Map();
  let now = 0;
  for (const [at, node, key, index, value] of plannedWrites(7)) {
    cluster.runFor(at - now);
    now = at;
    cluster.nodes[node]?.put(key, { kind: 'sparse', indices: [index], values: [value] });
    record(model, key, index, value);
  }
  cluster.runFor(PARTITION - now);
  const expected = new Map(
    [...model].map(([key, vector]) => [key, MaxVector.from(Object.fromEntries(vector))]),
  );
  const splitBefore = holdsModel(cluster, expected);
  cluster.heal();
  let membershipBack: number | undefined;
  const start = cluster.network.scheduler.now();
  const outcome = runWithin(cluster, {
    maxMilliseconds: 120_000,
    checkEvery: 100,
    budget: realBudget(30),
    until: () => {
      if (membershipBack === undefined && everyoneKnowsEveryone(cluster)) {
        membershipBack = cluster.network.scheduler.now() - start;
      }
      return holdsModel(cluster, expected);
    },
  });
  cluster.stop();
  const target = 3 * ANTI_ENTROPY_INTERVAL;
  const converged = outcome.reached ? outcome.elapsed : undefined;
  return [
    `### Partition of ${SIZE} nodes in halves for ${PARTITION / 1000} s, then healed`,
    '',
    `${KEYS_PER_SIDE} keys written on each side and ${SHARED_KEYS} keys on both, at random nodes and times during the partition; LAN settings. Time from the heal until every node holds the max of every write.`,
    '',
    table(
      [
        'converged after the heal',
        `≤ 3 anti-entropy intervals (${seconds(target)})`,
        'membership whole again after',
      ],
      [
        [
          converged === undefined
            ? `not within ${seconds(outcome.elapsed)} (${outcome.outOfBudget ? 'real-time budget' : 'virtual bound'})`
            : seconds(converged),
          converged === undefined ? '✗' : mark(converged <= target),
          seconds(membershipBack),
        ],
      ],
    ),
    '',
    `- ${describeForming(entry)}; the halves ${splitBefore ? 'already agreed (no write crossed?)' : 'differed before the heal, as they should'}.`,
    '',
  ].join('\n');
}
