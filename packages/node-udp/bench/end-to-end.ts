/**
 * End to end: a put on one node of a 10-node cluster on loopback (real UDP
 * sockets on 127.0.0.1..10, memory stores, one process) until every node
 * holds it, timed by each node's `change` event. 100 writes at random nodes,
 * one at a time; median and p99 against the target p99 < 1 s. The baseline in
 * the same run is one raw dgram round trip between two sockets, the floor
 * any hop pays.
 */
import { createSocket } from 'node:dgram';
import { pathToFileURL } from 'node:url';
import { quantile } from '@vig/bench-kit';
import { LOCAL_MEMBERSHIP } from '@vig/gossip';
import { createNode } from '../src/index.js';
import { clusterFormed } from './cluster-formed.js';
import type { VigNode } from '../src/index.js';

const NODES = 10;

/** Milliseconds of one loopback round trip between two raw dgram sockets (median of 200). */
async function rawRoundTrip(): Promise<number> {
  const a = createSocket('udp4');
  const b = createSocket('udp4');
  await Promise.all([
    new Promise<void>((resolve) => a.bind(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => b.bind(0, '127.0.0.2', resolve)),
  ]);
  b.on('message', (bytes, from) => b.send(bytes, from.port, from.address));
  const times: number[] = [];
  for (let round = 0; round < 200; round++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      a.once('message', () => resolve());
      a.send(Uint8Array.of(round & 255), b.address().port, '127.0.0.2');
    });
    times.push(performance.now() - started);
  }
  a.close();
  b.close();
  return quantile(times, 0.5);
}

/** Runs the scenario and returns its markdown report. */
export async function endToEnd(): Promise<string> {
  const writes = process.env['VIG_BENCH_QUICK'] === '1' ? 20 : 100;
  const nodes: VigNode[] = [];
  for (let index = 0; index < NODES; index++) {
    const seeds = index === 0 ? [] : [nodes[0]?.address ?? ''];
    const node = await createNode({
      bind: `127.0.0.${index + 1}:0`,
      seeds,
      memory: true,
      membership: LOCAL_MEMBERSHIP,
    });
    node.start();
    nodes.push(node);
  }
  await clusterFormed(nodes);
  const latencies: number[] = [];
  for (let write = 0; write < writes; write++) {
    const key = `e2e:${write}`;
    const writer = nodes[Math.floor(Math.random() * NODES)];
    const holders = new Set<VigNode>();
    const started = performance.now();
    const everywhere = new Promise<void>((resolve) => {
      const stops = nodes.map((node) =>
        node.on('change', (change) => {
          if (change.key !== key) return;
          holders.add(node);
          if (holders.size === NODES) {
            for (const stop of stops) stop();
            resolve();
          }
        }),
      );
    });
    await writer?.put(key, { [write % 16]: write + 1 });
    await Promise.race([everywhere, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    latencies.push(holders.size === NODES ? performance.now() - started : Number.POSITIVE_INFINITY);
  }
  for (const node of nodes) await node.stop();
  const roundTrip = await rawRoundTrip();
  const median = quantile(latencies, 0.5);
  const p99 = quantile(latencies, 0.99);
  return [
    `### End to end: a put on one node, visible on all ${NODES} (loopback, ${writes} writes)`,
    '',
    '| median | p99 | p99 < 1 s | raw dgram round trip (baseline) | median ÷ round trip |',
    '| --- | --- | --- | --- | --- |',
    `| ${median.toFixed(2)} ms | ${p99.toFixed(2)} ms | ${p99 < 1_000 ? '✓' : '✗'} | ${roundTrip.toFixed(3)} ms | ${(median / roundTrip).toFixed(1)}× |`,
    '',
    "The put resolves once the write is durable on its node (memory store here); the time runs from the put to the last node's `change` event.",
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.stdout.write(await endToEnd());
