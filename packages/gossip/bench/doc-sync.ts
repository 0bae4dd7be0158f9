/**
 * The versioned store's replication (issue 8): what an in-sync check costs
 * as the number of agents in the history grows (bytes on the wire and real
 * time, against the per-agent summary the seed's sync would send), and how
 * fast and at what cost in bytes operations replicate across 5 simulated
 * nodes.
 */
import { VersionedStore, agentId, sameHistoryDigest, seededRandom } from '@vig/crdt-core';
import type { Operation } from '@vig/crdt-core';
import { LOCAL_GOSSIP, LOCAL_MEMBERSHIP } from '@vig/gossip';
import type { DocReplica, DocSyncMetrics, GossipConfig } from '@vig/gossip';
import { createSimulatedCluster } from '@vig/gossip/testing';
import type { LinkConditions, SimulatedCluster } from '@vig/gossip/testing';
import {
  VIG_PROTOCOL_VERSION,
  decodeDatagram,
  encodeDocMessage,
  encodeOperations,
  encodeValue,
} from '@vig/wire';
import { median } from '@vig/bench-kit';
import { quick, realSeconds, table } from './bench-settings.js';

/** Agents in the history of the in-sync check. */
const AGENT_COUNTS = quick ? [10, 1_000, 10_000] : [10, 1_000, 100_000];

/** One history of `agents` operations, each by an agent of its own, then one merging them all. */
function historyOf(agents: number): Operation[] {
  const source = new VersionedStore({ agent: agentId('a000000'), random: seededRandom(agents) });
  for (let agent = 0; agent < agents; agent++) {
    source.switchAgent(agentId(`a${String(agent).padStart(6, '0')}`));
    source.put(`key-${agent % 64}`, agent);
  }
  source.switchAgent(agentId('final'));
  source.put('done', true);
  return Array.from({ length: source.size }, (_, position) =>
    source.operation(source.versionAt(position)),
  );
}

/** A cluster of `size` nodes with local timings, each replicating a store of its own. */
function docCluster(
  seed: number,
  size: number,
  links: LinkConditions,
  config: Partial<GossipConfig> = {},
): SimulatedCluster {
  const cluster = createSimulatedCluster({
    seed,
    size,
    links,
    node: { ...LOCAL_GOSSIP, membership: LOCAL_MEMBERSHIP, ...config },
    docs: (index) =>
      new VersionedStore({ agent: agentId(`node-${index}`), random: seededRandom(seed + index) }),
  });
  cluster.start();
  cluster.runUntil(() => cluster.allAlive(), 30_000, { checkEvery: 50 });
  return cluster;
}

function replicasOf(cluster: SimulatedCluster): DocReplica[] {
  return cluster.nodes.map((node) => node.docs as DocReplica);
}

function inSync(replicas: readonly DocReplica[]): boolean {
  const first = replicas[0]?.store.digest;
  return (
    first !== undefined && replicas.every(({ store }) => sameHistoryDigest(store.digest, first))
  );
}

/** What one in-sync check costs with `agents` agents in both histories. */
interface CheckCost {
  readonly agents: number;
  readonly bytes: number;
  readonly datagramsPerCheck: number;
  readonly microseconds: number;
  readonly summaryBytes: number;
  readonly summaryMicroseconds: number;
}

/**
 * Two nodes holding the same history of `agents` agents: the checks they
 * send each other for 2 virtual seconds (every doc datagram, its size), and
 * the real time of one check (the sender's digest message encoded, the
 * receiver's decode and comparison), against the per-agent summary.
 */
function checkCost(agents: number): CheckCost {
  const history = historyOf(agents);
  const cluster = docCluster(agents, 2, { delay: 1 });
  const [alice, bob] = replicasOf(cluster) as [DocReplica, DocReplica];
  for (const replica of [alice, bob]) replica.store.applyRemote(history);
  cluster.runFor(500);
  const before = [alice.metrics(), bob.metrics()];
  cluster.runFor(2_000);
  const after = [alice.metrics(), bob.metrics()];
  const sent = (
    metrics: DocSyncMetrics[],
  ): { messages: number; datagrams: number; bytes: number } =>
    metrics.reduce(
      (sum, { sent: bySent }) => {
        for (const traffic of Object.values(bySent)) {
          sum.messages += traffic.messages;
          sum.datagrams += traffic.datagrams;
          sum.bytes += traffic.bytes;
        }
        return sum;
      },
      { messages: 0, datagrams: 0, bytes: 0 },
    );
  const total = sent(after);
  const earlier = sent(before);
  const checks = after.reduce(
    (sum, metrics, index) => sum + metrics.inSyncChecks - (before[index]?.inSyncChecks ?? 0),
    0,
  );
  cluster.stop();

  const store = alice.store;
  const other = bob.store;
  /** One check: the sender's message encoded, the receiver's decode and comparison. */
  const oneCheck = (): boolean => {
    const bytes = encodeDocMessage({
      kind: 'digest',
      digest: store.digest,
      heads: store.heads,
      vig: VIG_PROTOCOL_VERSION,
    });
    const decoded = decodeDatagram(bytes);
    return (
      decoded.ok &&
      decoded.kind === 'doc' &&
      decoded.doc.kind === 'digest' &&
      sameHistoryDigest(decoded.doc.digest, other.digest)
    );
  };
  const microseconds = medianMicroseconds(oneCheck, quick ? 2_000 : 20_000);
  if (!oneCheck()) throw new Error('the stores were not in sync');

  let summaryBytes = 0;
  const summaryMicroseconds = medianMicroseconds(
    () => {
      const summary = store.summary().map(({ agent, ranges }) => [agent, ranges[0]?.[1] ?? 0]);
      summaryBytes = encodeValue(summary).length;
    },
    Math.max(3, Math.floor(200_000 / agents)),
  );
  return {
    agents,
    bytes: (total.bytes - earlier.bytes) / Math.max(1, checks),
    datagramsPerCheck: (total.datagrams - earlier.datagrams) / Math.max(1, checks),
    microseconds,
    summaryBytes,
    summaryMicroseconds,
  };
}

/** Microseconds per call of `work`: the median of 5 timed rounds of `count` calls, after one untimed. */
function medianMicroseconds(work: () => unknown, count: number): number {
  const rounds: number[] = [];
  for (let round = 0; round <= 5; round++) {
    const started = performance.now();
    for (let call = 0; call < count; call++) work();
    if (round > 0) rounds.push(((performance.now() - started) * 1000) / count);
  }
  return median(rounds);
}

/** How a run of writes replicated across the cluster. */
interface ReplicationRun {
  readonly name: string;
  readonly operations: number;
  readonly realSeconds: number;
  readonly settled: number | undefined;
  readonly bytes: number;
  readonly datagrams: number;
  readonly batchBytes: number;
  readonly duplicates: number;
}

const WRITES = quick ? 1_000 : 10_000;
/** Writes per virtual second, spread over random nodes. */
const WRITE_RATE = 1_000;

/**
 * `WRITES` writes at random nodes of 5, `WRITE_RATE` a second, then until
 * every node holds every operation: real time, doc bytes and datagrams on the
 * wire, against the operations' own encoded size (one batch of all of them).
 */
function replicate(
  name: string,
  links: LinkConditions,
  config: Partial<GossipConfig>,
): ReplicationRun {
  const cluster = docCluster(5, 5, links, config);
  const replicas = replicasOf(cluster);
  const random = seededRandom(5);
  const started = performance.now();
  const window = (WRITES / WRITE_RATE) * 1000;
  for (let write = 0; write < WRITES; write++) {
    cluster.network.scheduler.after((write / WRITES) * window, () => {
      const replica = replicas[Math.floor(random() * replicas.length)];
      replica.put(`key-${Math.floor(random() * 1000)}`, write);
    });
  }
  cluster.runFor(window);
  const settled = cluster.runUntil(() => inSync(replicas), 60_000, { checkEvery: 10 });
  const seconds = realSeconds(started);
  let bytes = 0;
  let datagrams = 0;
  let duplicates = 0;
  for (const replica of replicas) {
    const metrics = replica.metrics();
    duplicates += metrics.duplicateOperations;
    for (const traffic of Object.values(metrics.sent)) {
      bytes += traffic.bytes;
      datagrams += traffic.datagrams;
    }
  }
  const store = replicas[0]?.store;
  const all = Array.from({ length: store.size }, (_, position) =>
    store.operation(store.versionAt(position)),
  );
  cluster.stop();
  return {
    name,
    operations: WRITES,
    realSeconds: seconds,
    settled,
    bytes,
    datagrams,
    batchBytes: encodeOperations(all).length,
    duplicates,
  };
}

/** The scenario: its markdown. */
export function docSync(): string {
  const checks = AGENT_COUNTS.map(checkCost);
  const checkRows = checks.map((cost) => [
    cost.agents.toLocaleString('en-US'),
    `${cost.bytes.toFixed(0)} B`,
    cost.datagramsPerCheck.toFixed(2),
    `${cost.microseconds.toFixed(2)} µs`,
    `${cost.summaryBytes.toLocaleString('en-US')} B`,
    `${cost.summaryMicroseconds.toFixed(0)} µs`,
  ]);
  const constant = new Set(checks.map((cost) => cost.bytes.toFixed(0))).size === 1;

  const runs = [
    replicate(
      'LAN (1 ms, no loss), direct push to the 4 peers (default)',
      { delay: 1, jitter: 1 },
      {},
    ),
    replicate(
      'LAN, epidemic push: fanout 3, ttl 1',
      { delay: 1, jitter: 1 },
      { docDirectPeers: 0 },
    ),
    replicate(
      'LAN, epidemic push, ttl 0 (no forwarding)',
      { delay: 1, jitter: 1 },
      { docDirectPeers: 0, docPushTtl: 0 },
    ),
    replicate(
      '20% loss, 20% reordered, 5 ± 5 ms',
      { loss: 0.2, reorder: 0.2, delay: 5, jitter: 5 },
      {},
    ),
  ];
  const runRows = runs.map((run) => [
    run.name,
    run.settled === undefined ? '✗ not in sync' : `${(run.settled / 1000).toFixed(2)} s`,
    `${(run.operations / run.realSeconds).toFixed(0)}`,
    (run.bytes / run.operations).toFixed(0),
    (run.bytes / run.operations / 4).toFixed(0),
    (run.datagrams / run.operations).toFixed(1),
    (run.batchBytes / run.operations).toFixed(1),
    (run.duplicates / run.operations).toFixed(2),
  ]);
  return [
    '### Doc replication',
    '',
    `#### In-sync check as the agents in the history grow (two nodes in sync, ${quick ? 'quick run' : 'full run'})`,
    '',
    'Each check is one `digest` datagram (a 16-byte digest and the one head) and nothing back. Real time: the sender encoding it, the receiver decoding and comparing it. The per-agent summary is what a seed-style sync would send instead (agent id and seq per agent, as msgpack).',
    '',
    table(
      [
        'agents',
        'bytes per check',
        'datagrams per check',
        'time per check',
        'per-agent summary',
        'summary: build + encode',
      ],
      checkRows,
    ),
    '',
    `${constant ? '✓' : '✗'} constant: the same bytes per check at every size.`,
    '',
    `#### Replication across 5 nodes (${WRITES.toLocaleString('en-US')} writes at random nodes, ${WRITE_RATE} a virtual second)`,
    '',
    'Settle: virtual time from the last write until every node holds every operation. ops/s: writes replicated to all 5 nodes per real second of the whole run (the simulation of 5 nodes, membership included, in one thread). Bytes: every doc datagram sent (pushes, forwards, checks, pulls, answers), per write and per copy delivered (4 per write); the batch column is the operations alone encoded as one batch.',
    '',
    table(
      [
        'network and settings',
        'settle',
        'ops/s (real)',
        'bytes per write',
        'bytes per copy',
        'datagrams per write',
        'batch bytes per op',
        'duplicates per write',
      ],
      runRows,
    ),
    '',
  ].join('\n');
}
