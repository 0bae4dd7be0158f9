/**
 * Versioned documents replicated across a 5-node cluster on loopback: real
 * nodes (`createNode`, LMDB stores in a temporary folder, real UDP sockets on
 * 127.0.6.1..5, one process), with the default gossip settings.
 *
 * - Throughput: every node writes its share of the documents at once (each
 *   put acknowledged once durable, 32 in flight per node); operations per
 *   second from the first put until every node holds every operation.
 * - Bytes on the wire: every doc datagram the nodes sent during that run
 *   (pushes, in-sync checks, answers), less what the same cluster sends idle
 *   in as long, per operation, against one copy of the operation per peer.
 * - Latency: writes at 200 a second through random nodes, from `put` until
 *   the 4 other nodes have emitted it (median, p99), and until the put
 *   resolves (durable on its node).
 *
 * The baseline in the same run: raw dgram sockets on the same addresses
 * sending each operation, encoded as Vig encodes it (`encodeOperations`),
 * from its writer to the 4 others, with no store and no protocol.
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
import { encodeOperations } from '@vig/wire';
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

const quick = process.env['VIG_BENCH_QUICK'] === '1';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A small JSON document, as an application would write one. */
function documentValue(node: number, write: number): unknown {
  return { title: `document ${write}`, by: node, revision: write, tags: ['bench', 'docs'] };
}

/** Bytes of doc datagrams a node has sent, every kind together. */
function docBytesSent(node: VigNode): number {
  const sent = node.metrics().docs?.sent ?? {};
  return Object.values(sent).reduce((sum, traffic) => sum + (traffic?.bytes ?? 0), 0);
}

function docDatagramsSent(node: VigNode): number {
  const sent = node.metrics().docs?.sent ?? {};
  return Object.values(sent).reduce((sum, traffic) => sum + (traffic?.datagrams ?? 0), 0);
}

function total(nodes: readonly VigNode[], of: (node: VigNode) => number): number {
  return nodes.reduce((sum, node) => sum + of(node), 0);
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
  readonly docBytes: number;
  readonly docDatagrams: number;
  /** Doc bytes the idle cluster sent in as long (the in-sync checks). */
  readonly idleBytes: number;
  /** The operations written, for the baseline to send the same. */
  readonly written: Operation[];
}

async function throughput(nodes: readonly VigNode[], operations: number): Promise<Throughput> {
  // The idle cost first: what the in-sync checks send with nothing to say.
  const idleStart = total(nodes, docBytesSent);
  const idleWindow = quick ? 500 : 2_000;
  await sleep(idleWindow);
  const idlePerMs = (total(nodes, docBytesSent) - idleStart) / idleWindow;

  const counter = operationCounter(nodes);
  const bytesBefore = total(nodes, docBytesSent);
  const datagramsBefore = total(nodes, docDatagramsSent);
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
  counter.stop();
  // Every operation of the run (the first writes of these stores), oldest first.
  const written = (nodes[0]?.docs.log(undefined, { limit: all }) ?? []).reverse();
  return {
    operations: all,
    seconds,
    settled,
    docBytes: total(nodes, docBytesSent) - bytesBefore,
    docDatagrams: total(nodes, docDatagramsSent) - datagramsBefore,
    idleBytes: idlePerMs * seconds * 1000,
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
        // The writer's own change counts too: all 5 hold it.
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
  readonly medianMs: number;
  readonly p99Ms: number;
}

/** Five sockets on the cluster's addresses; each counts what it receives. */
async function rawSockets(): Promise<{ readonly sockets: Socket[]; readonly received: number[] }> {
  const sockets = HOSTS.map(() => createSocket({ type: 'udp4', recvBufferSize: 8 << 20 }));
  const received = HOSTS.map(() => 0);
  await Promise.all(
    sockets.map(
      (socket, index) =>
        new Promise<void>((resolve) => socket.bind(0, HOSTS[index], () => resolve())),
    ),
  );
  sockets.forEach((socket, index) =>
    socket.on('message', () => {
      received[index] = (received[index] ?? 0) + 1;
    }),
  );
  return { sockets, received };
}

/**
 * Each operation, encoded alone, sent by its writer's socket to the other 4:
 * throughput (windows of 32 per writer, as the nodes had), and one at a time
 * for latency until all 4 received it.
 */
async function rawBaseline(written: readonly Operation[], writes: number): Promise<RawBaseline> {
  const { sockets, received } = await rawSockets();
  const payloads = written.map((operation) => encodeOperations([operation]));
  const sendToPeers = (from: number, bytes: Uint8Array): void => {
    sockets.forEach((socket, index) => {
      if (index !== from) sockets[from]?.send(bytes, socket.address().port, HOSTS[index]);
    });
  };
  const expected = (): number => received.reduce((sum, count) => sum + count, 0);

  const started = performance.now();
  const perWindow = IN_FLIGHT * sockets.length;
  for (let first = 0; first < payloads.length; first += perWindow) {
    const window = payloads.slice(first, first + perWindow);
    const target = expected() + window.length * PEERS;
    window.forEach((bytes, offset) => sendToPeers((first + offset) % sockets.length, bytes));
    // Loopback rarely loses; a lost datagram ends the wait after 100 ms.
    const deadline = performance.now() + 100;
    while (expected() < target && performance.now() < deadline) await sleep(0);
  }
  const seconds = (performance.now() - started) / 1000;

  const times: number[] = [];
  for (let write = 0; write < writes; write++) {
    const bytes = payloads[write % payloads.length] ?? new Uint8Array(1);
    const target = expected() + PEERS;
    const begun = performance.now();
    sendToPeers(write % sockets.length, bytes);
    const deadline = begun + 100;
    while (expected() < target && performance.now() < deadline) await sleep(0);
    times.push(expected() >= target ? performance.now() - begun : Number.POSITIVE_INFINITY);
  }
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(resolve))));
  const bytes = payloads.reduce((sum, payload) => sum + payload.length, 0);
  return {
    operationsPerSecond: payloads.length / seconds,
    bytesPerOperation: (bytes * PEERS) / payloads.length,
    medianMs: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
  };
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'never');

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
  const bytesPerOperation = (run.docBytes - run.idleBytes) / run.operations;
  const visibleMedian = quantile(delays.visible, 0.5);
  const visibleP99 = quantile(delays.visible, 0.99);
  return [
    `### Documents across ${HOSTS.length} nodes (loopback, LMDB stores, ${run.operations.toLocaleString('en-US')} writes)`,
    '',
    '| measure | Vig | raw dgram (baseline) | Vig ÷ raw |',
    '| --- | --- | --- | --- |',
    `| operations replicated to all ${HOSTS.length} nodes per second | ${formatRate(rate)}${run.settled ? '' : ' (not settled)'} | ${formatRate(raw.operationsPerSecond)} | ${(rate / raw.operationsPerSecond).toFixed(2)}× |`,
    `| doc bytes sent per operation (idle checks subtracted) | ${bytesPerOperation.toFixed(0)} B | ${raw.bytesPerOperation.toFixed(0)} B (one copy per peer) | ${(bytesPerOperation / raw.bytesPerOperation).toFixed(2)}× |`,
    `| doc datagrams sent per operation | ${(run.docDatagrams / run.operations).toFixed(2)} | ${PEERS} | ${(run.docDatagrams / run.operations / PEERS).toFixed(2)}× |`,
    `| write → visible on all nodes, median (${latencyWrites} writes at ${LATENCY_RATE}/s) | ${ms(visibleMedian)} | ${ms(raw.medianMs)} | ${(visibleMedian / raw.medianMs).toFixed(1)}× |`,
    `| write → visible on all nodes, p99 | ${ms(visibleP99)} | ${ms(raw.p99Ms)} | ${(visibleP99 / raw.p99Ms).toFixed(1)}× |`,
    `| put acknowledged (durable on its node), median / p99 | ${ms(quantile(delays.acknowledged, 0.5))} / ${ms(quantile(delays.acknowledged, 0.99))} | | |`,
    '',
    `Throughput runs from the first put until every node holds every operation, each node writing its share with ${IN_FLIGHT} puts in flight (a put resolves once its operation is durable). The baseline sends each operation, encoded alone, from its writer to the other ${PEERS} over raw sockets on the same addresses, with no store, batching or protocol; idle doc traffic (in-sync checks) was ${((run.idleBytes / run.seconds) | 0).toLocaleString('en-US')} B/s.`,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.stdout.write(await docReplication());
