/**
 * 30% loss on the simulated network of `@vig/gossip/testing`: N gossip nodes
 * in virtual time, every link losing 30% of datagrams, delaying each by 5 ms
 * plus up to 5 ms of jitter and holding 10% back by up to 50 ms more (so
 * later datagrams overtake them). Membership forms under the loss, then
 * random writes land on random nodes; every write must reach every node and
 * the nodes must end equal. Run twice from the same seed, both runs must
 * give the same figures to the millisecond. Once with the loopback timings
 * (`--local`, as the real-process scenarios use), once with the LAN defaults.
 */
import {
  LAN_GOSSIP,
  LAN_MEMBERSHIP,
  LOCAL_GOSSIP,
  LOCAL_MEMBERSHIP,
  seededRandom,
} from '@vig/gossip';
import type { GossipNode } from '@vig/gossip';
import { createSimulatedCluster } from '@vig/gossip/testing';
import type { LinkConditions, SimulatedCluster, SimulatedNodeOptions } from '@vig/gossip/testing';
import { medianAndMax, percent, seconds } from '../figure-format.js';
import { check, checkedResult, figure } from '../scenario.js';
import type { Check, Figure, Scenario, ScenarioOptions, ScenarioResult } from '../scenario.js';

/** The links: 30% loss, some delay, jitter and reordering. */
const LOSSY_LINKS: LinkConditions = Object.freeze({
  loss: 0.3,
  delay: 5,
  jitter: 5,
  reorder: 0.1,
  reorderDelay: 50,
});

/** The seed every run starts from. */
const SEED = 2026;

/** One profile of node settings. */
interface Profile {
  readonly name: string;
  readonly node: SimulatedNodeOptions;
  /** Virtual ms between two writes. */
  readonly writeSpacing: number;
}

const PROFILES: readonly Profile[] = [
  {
    name: 'loopback timings',
    node: { ...LOCAL_GOSSIP, membership: LOCAL_MEMBERSHIP },
    writeSpacing: 50,
  },
  { name: 'LAN defaults', node: { ...LAN_GOSSIP, membership: LAN_MEMBERSHIP }, writeSpacing: 250 },
];

/** The sizes of one run. */
interface SimulationSettings {
  readonly nodes: number;
  readonly writes: number;
  /** Keys the writes spread over (several writes meet in each key). */
  readonly keys: number;
}

const SHORT: SimulationSettings = { nodes: 8, writes: 40, keys: 10 };
const LONG: SimulationSettings = { nodes: 20, writes: 200, keys: 40 };

/** The most virtual ms for membership to form, and for the writes to converge. */
const FORM_BOUND = 120_000;
const CONVERGE_BOUND = 300_000;

/** One write being tracked: where it went and which nodes hold it. */
interface TrackedWrite {
  readonly key: string;
  readonly index: number;
  readonly value: number;
  readonly writtenAt: number;
  readonly holders: Set<number>;
  reachedAllAt: number | undefined;
}

/** What one run measured, in virtual ms and datagrams: equal for equal seeds. */
interface SimulationOutcome {
  readonly formedAfter: number | undefined;
  readonly reachedAll: readonly number[];
  readonly unreached: number;
  readonly convergedAfterLastWrite: number | undefined;
  readonly sent: number;
  readonly lost: number;
}

/** See the module comment. */
export const simulatedLoss: Scenario = {
  id: 'simulated-loss',
  title: '30% loss, simulated network',
  summary:
    'N gossip nodes in virtual time, every link losing 30% (with jitter and reordering); random writes on random nodes reach every node and the nodes converge; the same seed gives the same figures.',
  run: runSimulatedLoss,
};

function runSimulatedLoss(options: ScenarioOptions): Promise<ScenarioResult> {
  const settings = options.short ? SHORT : LONG;
  const checks: Check[] = [];
  const figures: Figure[] = [
    figure(
      'nodes, writes',
      `${settings.nodes} nodes, ${settings.writes} writes over ${settings.keys} keys, seed ${SEED}`,
    ),
  ];
  for (const profile of PROFILES) {
    const outcome = simulate(settings, profile);
    const replay = simulate(settings, profile);
    checks.push(
      check(
        `${profile.name}: membership forms under 30% loss`,
        outcome.formedAfter !== undefined,
        `not within ${FORM_BOUND / 1000} virtual s`,
      ),
      check(
        `${profile.name}: every write reaches every node`,
        outcome.unreached === 0,
        `${outcome.unreached} writes short of some node`,
      ),
      check(
        `${profile.name}: the nodes converge (equal vectors)`,
        outcome.convergedAfterLastWrite !== undefined,
        `not within ${CONVERGE_BOUND / 1000} virtual s`,
      ),
      check(
        `${profile.name}: the same seed replays the same figures`,
        JSON.stringify(outcome) === JSON.stringify(replay),
        `first ${outline(outcome)}, then ${outline(replay)}`,
      ),
    );
    figures.push(
      figure(`${profile.name}: membership formed (virtual)`, seconds(outcome.formedAfter)),
      figure(
        `${profile.name}: convergence time at 30% loss, per write (virtual)`,
        medianAndMax(outcome.reachedAll),
      ),
      figure(
        `${profile.name}: all equal after the last write (virtual)`,
        seconds(outcome.convergedAfterLastWrite),
      ),
      figure(
        `${profile.name}: datagrams sent, lost`,
        `${outcome.sent}, ${outcome.lost} (${percent(outcome.lost, outcome.sent)})`,
      ),
    );
  }
  return Promise.resolve(checkedResult(checks, figures));
}

/** A few of an outcome's figures, for a failure message. */
function outline(outcome: SimulationOutcome): string {
  const { formedAfter, convergedAfterLastWrite, sent, lost } = outcome;
  return JSON.stringify({ formedAfter, convergedAfterLastWrite, sent, lost });
}

/** One whole run: form, write, converge. */
function simulate(settings: SimulationSettings, profile: Profile): SimulationOutcome {
  const cluster = createSimulatedCluster({
    seed: SEED,
    size: settings.nodes,
    links: LOSSY_LINKS,
    node: profile.node,
  });
  const tracker = trackWrites(cluster);
  try {
    cluster.start({ spreadMilliseconds: 500 });
    const formedAfter = cluster.runUntil(() => cluster.allAlive(), FORM_BOUND, { checkEvery: 10 });
    writeRandomly(cluster, tracker, settings, profile.writeSpacing);
    const convergedAfterLastWrite = cluster.runUntil(
      () =>
        tracker.writes.every((write) => write.reachedAllAt !== undefined) && cluster.converged(),
      CONVERGE_BOUND,
      { checkEvery: 10 },
    );
    const totals = cluster.network.totals();
    return {
      formedAfter,
      reachedAll: tracker.writes.flatMap((write) =>
        write.reachedAllAt === undefined ? [] : [write.reachedAllAt - write.writtenAt],
      ),
      unreached: tracker.writes.filter((write) => write.reachedAllAt === undefined).length,
      convergedAfterLastWrite,
      sent: totals.sent,
      lost: totals.dropped.loss,
    };
  } finally {
    tracker.stop();
    cluster.stop();
  }
}

/** Follows writes to every node of a cluster, through the nodes' `change` events. */
interface WriteTracker {
  readonly writes: readonly TrackedWrite[];
  /** Writes `write` on node `nodeIndex` now and follows it. */
  write(nodeIndex: number, key: string, index: number, value: number): void;
  /** Stops listening. */
  stop(): void;
}

function trackWrites(cluster: SimulatedCluster): WriteTracker {
  const writes: TrackedWrite[] = [];
  const pendingByKey = new Map<string, TrackedWrite[]>();
  const stops = cluster.nodes.map((node, nodeIndex) =>
    node.on('change', ({ key }) => {
      for (const write of pendingByKey.get(key) ?? []) noteHolder(cluster, write, node, nodeIndex);
    }),
  );
  return {
    writes,
    write(nodeIndex, key, index, value) {
      const write: TrackedWrite = {
        key,
        index,
        value,
        writtenAt: cluster.network.scheduler.now(),
        holders: new Set(),
        reachedAllAt: undefined,
      };
      writes.push(write);
      const pending = pendingByKey.get(key) ?? [];
      pending.push(write);
      pendingByKey.set(key, pending);
      const node = cluster.nodes[nodeIndex];
      node?.put(key, { kind: 'sparse', indices: [index], values: [value] });
      if (node !== undefined) noteHolder(cluster, write, node, nodeIndex);
    },
    stop() {
      for (const stop of stops) stop();
    },
  };
}

/**
 * Makes `settings.writes` writes, one every `spacing` virtual ms, each on a
 * random node, raising a random index of a random key to the write's number.
 */
function writeRandomly(
  cluster: SimulatedCluster,
  tracker: WriteTracker,
  settings: SimulationSettings,
  spacing: number,
): void {
  const random = seededRandom(SEED + 1);
  for (let number = 1; number <= settings.writes; number++) {
    const nodeIndex = Math.floor(random() * settings.nodes);
    const key = `sim:${Math.floor(random() * settings.keys)}`;
    tracker.write(nodeIndex, key, Math.floor(random() * 64), number);
    if (number < settings.writes) cluster.runFor(spacing);
  }
}

/** Records that `node` holds `write`, if it does, and when every node does. */
function noteHolder(
  cluster: SimulatedCluster,
  write: TrackedWrite,
  node: GossipNode,
  nodeIndex: number,
): void {
  if (write.holders.has(nodeIndex)) return;
  if ((node.get(write.key)?.get(write.index) ?? 0) < write.value) return;
  write.holders.add(nodeIndex);
  if (write.holders.size === cluster.nodes.length) {
    write.reachedAllAt = cluster.network.scheduler.now();
  }
}
