/**
 * Versioned documents replicated across a 5-node cluster on loopback: real
 * nodes (`createNode`, LMDB stores in a temporary folder, real UDP sockets on
 * 127.0.6.1..5, one process), with the default gossip settings.
 *
 * - Throughput: every node writes its share of the documents at once (each
 *   put acknowledged once durable, 32 in flight per node); operations per
 *   second from the first put until every node holds every operation.
 * - Bytes on the wire: every datagram the nodes sent during that run (doc
 *   pushes, in-sync checks and answers, and membership gossip), less what the
 *   same cluster sends idle in as long afterwards, per operation, against one
 *   copy of the operation per peer; the doc share broken down by message kind.
 * - Latency: writes at 200 a second through each node in turn, from `put` until
 *   the 4 other nodes have emitted it (median, p99), and until the put
 *   resolves (durable on its node).
 *
 * The baseline in the same run: raw dgram sockets on the same addresses
 * sending each operation, encoded as Vig encodes it (`encodeOperations`),
 * from its writer to the 4 others, with no store and no protocol, each
 * arrival timed in the socket's `message` handler.
 *
 * Run alone: `pnpm exec tsx --conditions=@vig/source bench/doc-replication.ts`
 * in packages/node-udp (`VIG_BENCH_QUICK=1` for a smoke run).
 */
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatRate, quantile } from '@vig/bench-kit';
import type { Operation } from '@vig/crdt-core';
import { LOCAL_MEMBERSHIP } from '@vig/gossip';
import { DOC_KINDS, encodeOperations } from '@vig/wire';
import type { DocKind } from '@vig/wire';
import { createNode } from '../src/index.js';
import type { VigNode } from '../src/index.js';
import { clusterFormed } from './cluster-formed.js';

const HOSTS = ['127.0.6.1', '127.0.6.2', '127.0.6.3', '127.0.6.4', '127.0.6.5'];
const PEERS = HOSTS.length - 1;
/** Puts each node keeps in flight in the throughput run. */
const IN_FLIGHT = 32;
/** Distinct document keys the writes touch. */
const KEYS = 500;
/** Writes a second in the latency run. */
const LATENCY_RATE = 200;
/** The longest a run may wait for replication before it reports what it saw. */
const SETTLE_LIMIT_MS = 60_000;
/** The longest a raw datagram may take before the baseline counts it lost. */
const RAW_LOSS_MS = 100;

const quick = process.env['VIG_BENCH_QUICK'] === '1';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A small JSON document, as an application would write one. */
function documentValue(node: number, write: number): unknown {
  return { title: `document ${write}`, by: node, revision: write, tags: ['bench', 'docs'] };
}

/** Bytes and datagrams, of one kind of traffic or all. */
interface Traffic {
  bytes: number;
  datagrams: number;
}

/** What the nodes have sent, summed over all of them; every counter only grows. */
interface Sent {
  /** Every datagram the engines handed out (doc and membership alike). */
  readonly all: Traffic;
  /** Datagrams the sockets reported sent. */
  readonly socketDatagrams: number;
  /** Doc datagrams by kind. */
  readonly docs: Readonly<Record<DocKind, Traffic>>;
  /** Operations sent in `ops` messages, one per peer each went to. */
  readonly operationsSent: number;
  /** Operations received that the history already held. */
  readonly duplicateOperations: number;
}

/** What `nodes` have sent so far, from their metrics. */
function sentBy(nodes: readonly VigNode[]): Sent {
  const docs = Object.fromEntries(DOC_KINDS.map((kind) => [kind, { bytes: 0, datagrams: 0 }]));
  const sent = {
    all: { bytes: 0, datagrams: 0 },
    socketDatagrams: 0,
    docs: docs as Record<DocKind, Traffic>,
    operationsSent: 0,
    duplicateOperations: 0,
  };
  for (const node of nodes) {
    const metrics = node.metrics();
    sent.all.bytes += metrics.bytesOut;
    sent.all.datagrams += metrics.messagesOut;
    sent.socketDatagrams += metrics.transport.datagramsSent;
    sent.operationsSent += metrics.docs?.operationsSent ?? 0;
    sent.duplicateOperations += metrics.docs?.duplicateOperations ?? 0;
    for (const kind of DOC_KINDS) {
      const traffic = metrics.docs?.sent[kind];
      sent.docs[kind].bytes += traffic?.bytes ?? 0;
      sent.docs[kind].datagrams += traffic?.datagrams ?? 0;
    }
  }
  return sent;
}

/** What was sent between `before` and `after`, scaled by `scale`. */
function sentBetween(before: Sent, after: Sent, scale = 1): Sent {
  const between = (from: Traffic, to: Traffic): Traffic => ({
    bytes: (to.bytes - from.bytes) * scale,
    datagrams: (to.datagrams - from.datagrams) * scale,
  });
  return {
    all: between(before.all, after.all),
    socketDatagrams: (after.socketDatagrams - before.socketDatagrams) * scale,
    docs: Object.fromEntries(
      DOC_KINDS.map((kind) => [kind, between(before.docs[kind], after.docs[kind])]),
    ) as Record<DocKind, Traffic>,
    operationsSent: (after.operationsSent - before.operationsSent) * scale,
    duplicateOperations: (after.duplicateOperations - before.duplicateOperations) * scale,
  };
}

/** Doc traffic of every kind together. */
function docTotal(sent: Sent): Traffic {
  return Object.values(sent.docs).reduce(
    (sum, traffic) => ({
      bytes: sum.bytes + traffic.bytes,
      datagrams: sum.datagrams + traffic.datagrams,
    }),
    { bytes: 0, datagrams: 0 },
  );
}

/** Counts the operations each node holds as they arrive; `reached(n)` resolves once all hold n. */
function operationCounter(nodes: readonly VigNode[]): {
  readonly counts: number[];
  reached(count: number, within: number): Promise<boolean>;
  stop(): void;
} {
  const counts = nodes.map(() => 0);
  const stops = nodes.map((node, index) =>
    node.docs.on('change', (change) => {
      counts[index] = (counts[index] ?? 0) + change.operations.length;
    }),
  );
  return {
    counts,
    async reached(count, within) {
      const deadline = performance.now() + within;
      while (counts.some((held) => held < count)) {
        if (performance.now() > deadline) return false;
        await sleep(1);
      }
      return true;
    },
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}

/** What the throughput run measured. */
interface Throughput {
  readonly operations: number;
  readonly seconds: number;
  readonly settled: boolean;
  /** What the nodes sent during the run. */
  readonly sent: Sent;
  /** What the idle cluster sent afterwards, scaled to the run's length. */
  readonly idle: Sent;
  /** How long the idle window was, in seconds. */
  readonly idleSeconds: number;
  /** The operations written, for the baseline to send the same. */
  readonly written: Operation[];
}

async function throughput(nodes: readonly VigNode[], operations: number): Promise<Throughput> {
  const counter = operationCounter(nodes);
  const before = sentBy(nodes);
  const started = performance.now();
  const share = Math.ceil(operations / nodes.length);
  await Promise.all(
    nodes.map(async (node, index) => {
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < share) {
          const write = index * share + next;
          next += 1;
          await node.docs.put(`doc:${write % KEYS}`, documentValue(index, write));
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    }),
  );
  const all = share * nodes.length;
  const settled = await counter.reached(all, SETTLE_LIMIT_MS);
  const seconds = (performance.now() - started) / 1000;
  const after = sentBy(nodes);
  counter.stop();

  // The idle cost: what the settled cluster (in-sync checks with the same
  // heads, membership gossip) sends with nothing to say, in a window as long
  // as the run (at least 2 s, for a few checks per node), scaled to the run.
  const idleSeconds = Math.min(10, Math.max(quick ? 0.5 : 2, seconds));
  const idleStart = sentBy(nodes);
  await sleep(idleSeconds * 1000);
  const idle = sentBetween(idleStart, sentBy(nodes), seconds / idleSeconds);

  // Every operation of the run (the first writes of these stores), oldest first.
  const written = (nodes[0]?.docs.log(undefined, { limit: all }) ?? []).reverse();
  return {
    operations: all,
    seconds,
    settled,
    sent: sentBetween(before, after),
    idle,
    idleSeconds,
    written,
  };
}

/** What the latency run measured, in milliseconds. */
interface Latency {
  readonly visible: number[];
  readonly acknowledged: number[];
}

async function latency(nodes: readonly VigNode[], writes: number): Promise<Latency> {
  const pending = new Map<string, { readonly started: number; seen: number }>();
  const visible: number[] = [];
  const acknowledged: number[] = [];
  const stops = nodes.map((node) =>
    node.docs.on('change', (change) => {
      for (const key of change.keys) {
        const waiting = pending.get(key);
        if (waiting === undefined) continue;
        waiting.seen += 1;
        // The writer emits its own change within `put`, so all 5 means the 4 others too.
        if (waiting.seen === nodes.length) {
          visible.push(performance.now() - waiting.started);
          pending.delete(key);
        }
      }
    }),
  );
  const puts: Promise<void>[] = [];
  const started = performance.now();
  for (let write = 0; write < writes; write++) {
    // Paced from the start, so a slow put does not slow the rate.
    const due = started + (write * 1000) / LATENCY_RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const key = `latency:${write}`;
    const node = nodes[write % nodes.length];
    const begun = performance.now();
    pending.set(key, { started: begun, seen: 0 });
    puts.push(
      node.docs.put(key, documentValue(write % nodes.length, write)).then(() => {
        acknowledged.push(performance.now() - begun);
      }),
    );
  }
  await Promise.all(puts);
  const deadline = performance.now() + SETTLE_LIMIT_MS;
  while (pending.size > 0 && performance.now() < deadline) await sleep(5);
  for (const stop of stops) stop();
  // A write never seen everywhere counts as infinitely late.
  for (let missing = 0; missing < pending.size; missing++) visible.push(Number.POSITIVE_INFINITY);
  return { visible, acknowledged };
}

/** The raw-dgram baseline's figures. */
interface RawBaseline {
  readonly operationsPerSecond: number;
  readonly bytesPerOperation: number;
  readonly lost: number;
  readonly medianMs: number;
  readonly p99Ms: number;
}

/**
 * Five sockets on the cluster's addresses, counting what they receive
 * together; `until(total)` resolves with the time (`performance.now()`) the
 * datagram that brought the count to `total` arrived, or undefined after
 * {@link RAW_LOSS_MS}.
 */
interface RawCluster {
  readonly sockets: Socket[];
  received(): number;
  until(total: number): Promise<number | undefined>;
  close(): Promise<void>;
}

async function rawCluster(): Promise<RawCluster> {
  const sockets = HOSTS.map(() => createSocket({ type: 'udp4', recvBufferSize: 8 << 20 }));
  let received = 0;
  let waiter: { readonly total: number; readonly resolve: (at: number) => void } | undefined;
  await Promise.all(
    sockets.map(
      (socket, index) =>
        new Promise<void>((resolve) => socket.bind(0, HOSTS[index], () => resolve())),
    ),
  );
  for (const socket of sockets) {
    socket.on('message', () => {
      received += 1;
      if (waiter !== undefined && received >= waiter.total) {
        const { resolve } = waiter;
        waiter = undefined;
        resolve(performance.now());
      }
    });
  }
  return {
    sockets,
    received: () => received,
    until(total) {
      if (received >= total) return Promise.resolve(performance.now());
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          resolve(undefined);
        }, RAW_LOSS_MS);
        waiter = {
          total,
          resolve: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        };
      });
    },
    close: async () => {
      await Promise.all(
        sockets.map((socket) => new Promise<void>((resolve) => socket.close(resolve))),
      );
    },
  };
}

/**
 * Each operation, encoded alone, sent by its writer's socket to the other 4:
 * throughput (windows of 32 per writer, as the nodes had), and one at a time
 * for latency until all 4 received it.
 */
async function rawBaseline(written: readonly Operation[], writes: number): Promise<RawBaseline> {
  const cluster = await rawCluster();
  const { sockets } = cluster;
  const payloads = written.map((operation) => encodeOperations([operation]));
  const sendToPeers = (from: number, bytes: Uint8Array): void => {
    sockets.forEach((socket, index) => {
      if (index !== from) sockets[from]?.send(bytes, socket.address().port, HOSTS[index]);
    });
  };
  let lost = 0;

  const started = performance.now();
  const perWindow = IN_FLIGHT * sockets.length;
  for (let first = 0; first < payloads.length; first += perWindow) {
    const window = payloads.slice(first, first + perWindow);
    const target = cluster.received() + window.length * PEERS;
    window.forEach((bytes, offset) => sendToPeers((first + offset) % sockets.length, bytes));
    // Loopback rarely loses; a lost datagram ends the wait after RAW_LOSS_MS.
    if ((await cluster.until(target)) === undefined) lost += target - cluster.received();
  }
  const seconds = (performance.now() - started) / 1000;

  const times: number[] = [];
  for (let write = 0; write < writes; write++) {
    const bytes = payloads[write % payloads.length] ?? new Uint8Array(1);
    const target = cluster.received() + PEERS;
    const begun = performance.now();
    sendToPeers(write % sockets.length, bytes);
    const arrived = await cluster.until(target);
    times.push(arrived === undefined ? Number.POSITIVE_INFINITY : arrived - begun);
    if (arrived === undefined) lost += target - cluster.received();
  }
  await cluster.close();
  const bytes = payloads.reduce((sum, payload) => sum + payload.length, 0);
  return {
    operationsPerSecond: payloads.length / seconds,
    bytesPerOperation: (bytes * PEERS) / payloads.length,
    lost,
    medianMs: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
  };
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'never');

/** The doc kinds that carried traffic, with their bytes and datagrams per operation. */
function byKind(run: Throughput): string {
  const parts: string[] = [];
  for (const kind of DOC_KINDS) {
    const traffic = run.sent.docs[kind];
    const idle = run.idle.docs[kind];
    if (traffic.datagrams === 0) continue;
    const bytes = (traffic.bytes - idle.bytes) / run.operations;
    const datagrams = (traffic.datagrams - idle.datagrams) / run.operations;
    parts.push(`\`${kind}\` ${bytes.toFixed(1)} B in ${datagrams.toFixed(3)} datagrams`);
  }
  const docs = docTotal(run.sent);
  const idleDocs = docTotal(run.idle);
  const other = run.sent.all.bytes - docs.bytes - (run.idle.all.bytes - idleDocs.bytes);
  // Within the idle window's noise this is nothing: said so rather than a negative size.
  const otherPerOperation = other / run.operations;
  parts.push(
    `membership and other gossip ${Math.abs(otherPerOperation) < 1 ? 'under 1 B' : `${otherPerOperation.toFixed(1)} B`}`,
  );
  return parts.join(', ');
}

/** Runs the scenario and returns its markdown report. */
export async function docReplication(): Promise<string> {
  const operations = quick ? 500 : 5_000;
  const latencyWrites = quick ? 100 : 1_000;
  const folder = await mkdtemp(join(tmpdir(), 'vig-bench-docs-'));
  const nodes: VigNode[] = [];
  let measured: { readonly run: Throughput; readonly delays: Latency };
  try {
    for (const [index, host] of HOSTS.entries()) {
      const node = await createNode({
        bind: `${host}:0`,
        seeds: nodes[0] === undefined ? [] : [nodes[0].address],
        dataDir: join(folder, `node-${index}`),
        membership: LOCAL_MEMBERSHIP,
        onWarning: () => undefined,
      });
      node.start();
      nodes.push(node);
    }
    await clusterFormed(nodes);
    const run = await throughput(nodes, operations);
    const delays = await latency(nodes, latencyWrites);
    measured = { run, delays };
  } finally {
    for (const node of nodes) await node.stop();
    await rm(folder, { recursive: true, force: true });
  }
  const { run, delays } = measured;
  const raw = await rawBaseline(run.written, latencyWrites);

  const rate = run.operations / run.seconds;
  const perOperation = (sent: number, idle: number): number => (sent - idle) / run.operations;
  const bytes = perOperation(run.sent.all.bytes, run.idle.all.bytes);
  const datagrams = perOperation(run.sent.all.datagrams, run.idle.all.datagrams);
  const docs = docTotal(run.sent);
  const idleDocs = docTotal(run.idle);
  const docBytes = perOperation(docs.bytes, idleDocs.bytes);
  const docDatagrams = perOperation(docs.datagrams, idleDocs.datagrams);
  const socketDatagrams = perOperation(run.sent.socketDatagrams, run.idle.socketDatagrams);
  const visibleMedian = quantile(delays.visible, 0.5);
  const visibleP99 = quantile(delays.visible, 0.99);
  const times = (vig: number, baseline: number, digits = 2): string =>
    `${(vig / baseline).toFixed(digits)}×`;
  return [
    `### Documents across ${HOSTS.length} nodes (loopback, LMDB stores, ${run.operations.toLocaleString('en-US')} writes)`,
    '',
    '| measure | Vig | raw dgram (baseline) | Vig ÷ raw |',
    '| --- | --- | --- | --- |',
    `| operations replicated to all ${HOSTS.length} nodes per second | ${formatRate(rate)}${run.settled ? '' : ' (not settled)'} | ${formatRate(raw.operationsPerSecond)} | ${times(rate, raw.operationsPerSecond)} |`,
    `| UDP bytes sent per operation, all traffic (idle subtracted) | ${bytes.toFixed(0)} B | ${raw.bytesPerOperation.toFixed(0)} B (one copy per peer) | ${times(bytes, raw.bytesPerOperation)} |`,
    `| of which doc messages | ${docBytes.toFixed(0)} B | | ${times(docBytes, raw.bytesPerOperation)} |`,
    `| UDP datagrams sent per operation, all traffic (idle subtracted) | ${datagrams.toFixed(2)} (socket: ${socketDatagrams.toFixed(2)}) | ${PEERS} | ${times(datagrams, PEERS)} |`,
    `| of which doc messages | ${docDatagrams.toFixed(2)} | | ${times(docDatagrams, PEERS)} |`,
    `| operations sent per operation / duplicates received per operation | ${(run.sent.operationsSent / run.operations).toFixed(2)} / ${(run.sent.duplicateOperations / run.operations).toFixed(2)} | ${PEERS} / 0 | |`,
    `| write → visible on all nodes, median (${latencyWrites} writes at ${LATENCY_RATE}/s) | ${ms(visibleMedian)} | ${ms(raw.medianMs)} | ${times(visibleMedian, raw.medianMs, 1)} |`,
    `| write → visible on all nodes, p99 | ${ms(visibleP99)} | ${ms(raw.p99Ms)} | ${times(visibleP99, raw.p99Ms, 1)} |`,
    `| put acknowledged (durable on its node), median / p99 | ${ms(quantile(delays.acknowledged, 0.5))} / ${ms(quantile(delays.acknowledged, 0.99))} | | |`,
    '',
    `Doc traffic per operation by kind (idle subtracted): ${byKind(run)}.`,
    '',
    `Throughput runs from the first put until every node holds every operation, each node writing its share with ${IN_FLIGHT} puts in flight (a put resolves once its operation is durable). The baseline sends each operation, encoded alone, from its writer to the other ${PEERS} over raw sockets on the same addresses, with no store, batching or protocol, and times each arrival in the socket's \`message\` handler (${raw.lost} datagrams lost). The idle cluster sent ${((run.idle.all.bytes / run.seconds) | 0).toLocaleString('en-US')} B/s (${((docTotal(run.idle).bytes / run.seconds) | 0).toLocaleString('en-US')} B/s of in-sync checks), measured over ${run.idleSeconds.toFixed(1)} s after the run.`,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.stdout.write(await docReplication());
