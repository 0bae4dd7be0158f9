/**
 * Benchmarks of the wire codec: `pnpm --filter @vig/wire bench`
 * (`VIG_BENCH_QUICK=1` for a smoke run). Every figure is compared with
 * baselines measured in the same run: JSON bytes to bytes, and raw msgpackr.
 */
import { runBenchmarks } from '@vig/bench-kit';
import type { BenchSuite } from '@vig/bench-kit';
import { VersionedStore, agentId, seededRandom } from '@vig/crdt-core';
import {
  VIG_PROTOCOL_VERSION,
  decodeMessage,
  decodeOperations,
  encodeMessage,
  encodeOperations,
  splitMessage,
} from '@vig/wire';
import type { VignetteMessage } from '@vig/wire';
import { Packr, Unpackr } from 'msgpackr';

/** A 20-entry HyperLogLog delta: distinct registers up to 16383, small ranks, in no order. */
const deltaRandom = seededRandom(20261122);
const chosen = new Set<number>();
while (chosen.size < 20) chosen.add(Math.floor(deltaRandom() * 16384));
const indices = [...chosen];
const values = indices.map(() => 1 + Math.floor(deltaRandom() * 20));
const message: VignetteMessage = {
  key: 'hll:visitors:2026-11-22',
  vector: { kind: 'sparse', indices, values },
  ttl: 50,
  full: false,
};
const encoded = encodeMessage(message);
// The same message as a Vig client marks it: `vig` and `client` (13 bytes more).
const markedMessage: VignetteMessage = { ...message, vig: VIG_PROTOCOL_VERSION, client: true };
const markedEncoded = encodeMessage(markedMessage);

// JSON: the same content, bytes to bytes.
const jsonContent = {
  key: message.key,
  vector: Object.fromEntries(indices.map((index, i) => [index, values[i]])),
  ttl: message.ttl,
};
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
const jsonBytes = textEncoder.encode(JSON.stringify(jsonContent));

// Raw msgpackr: plain msgpack, the vector as a Map so its keys stay integers.
const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: false });
const msgpackrContent = {
  key: message.key,
  vector: new Map(indices.map((index, i) => [index, values[i]])),
  ttl: message.ttl,
};
const msgpackrBytes = packr.pack(msgpackrContent);

// A whole HyperLogLog: 16384 one-byte registers, nearly all set.
const hllRandom = seededRandom(16384);
const hllRegisters = new Uint8Array(16384).map(() => Math.floor(hllRandom() * 12));
const hllMessage: VignetteMessage = {
  key: 'hll:visitors:2026-11',
  vector: { kind: 'dense', offset: 0, registers: hllRegisters },
  ttl: 50,
  full: true,
};
const denseEncoded = encodeMessage(hllMessage, { dense: 'always' });

const oneMillion = 1_000_000;

// 1000 operations from versioned stores: two writers on 100 shared keys,
// syncing every 25 writes each, so the batch has runs, merges and siblings.
// No targets: a batch takes a fraction of a millisecond, so a quick run's
// 5 ms samples hold a few batches and a collection pause decides the figure;
// the full run's ratios are in the README.
const storeRandom = seededRandom(1000);
const writers = [
  new VersionedStore({ agent: agentId('Qm3xT9wL2pVd8sKa'), random: storeRandom }),
  new VersionedStore({ agent: agentId('Zr7nB4cY1hJe6uFo'), random: storeRandom }),
];
for (let round = 0, written = 0; written < 1000; round++) {
  for (const writer of writers) {
    for (let i = 0; i < 25; i++, written++) {
      const key = `doc:${Math.floor(storeRandom() * 100)}`;
      writer.put(key, storeRandom() < 0.7 ? written : `value ${written}`);
    }
  }
  const [first, second] = writers;
  second.applyRemote(first.operationsMissingFrom(second.summary()));
  first.applyRemote(second.operationsMissingFrom(first.summary()));
}
const operations = writers[0].operationsMissingFrom([]);
const operationsEncoded = encodeOperations(operations);
const operationsJson = textEncoder.encode(JSON.stringify(operations));
const perOperation = (bytes: number) => (bytes / operations.length).toFixed(1);

const suites: BenchSuite[] = [
  {
    title: 'Encode a 20-entry delta message',
    unit: `one message to bytes (${encoded.length} bytes)`,
    baselines: [
      { name: 'JSON', run: () => textEncoder.encode(JSON.stringify(jsonContent)) },
      { name: 'msgpackr', run: () => packr.pack(msgpackrContent) },
    ],
    cases: [
      {
        name: 'encodeMessage',
        run: () => encodeMessage(message),
        minOpsPerSecond: oneMillion,
        expect: [
          { baseline: 'JSON', atLeast: 2 },
          { baseline: 'msgpackr', timeAtMost: 1.3 },
        ],
      },
      {
        name: `encodeMessage, with vig and client (${markedEncoded.length} bytes)`,
        run: () => encodeMessage(markedMessage),
        minOpsPerSecond: oneMillion,
        expect: [
          { baseline: 'JSON', atLeast: 2 },
          { baseline: 'msgpackr', timeAtMost: 1.3 },
        ],
      },
    ],
  },
  {
    title: 'Decode a 20-entry delta message',
    unit: `bytes (${encoded.length}) to one validated message`,
    baselines: [
      { name: 'JSON', run: () => JSON.parse(textDecoder.decode(jsonBytes)) as unknown },
      { name: 'msgpackr', run: () => unpackr.unpack(msgpackrBytes) as unknown },
    ],
    cases: [
      {
        name: 'decodeMessage',
        run: () => decodeMessage(encoded),
        minOpsPerSecond: oneMillion,
        expect: [
          { baseline: 'JSON', atLeast: 2 },
          { baseline: 'msgpackr', timeAtMost: 1.3 },
        ],
      },
      {
        name: `decodeMessage, with vig and client (${markedEncoded.length} bytes)`,
        run: () => decodeMessage(markedEncoded),
        minOpsPerSecond: oneMillion,
        expect: [
          { baseline: 'JSON', atLeast: 2 },
          { baseline: 'msgpackr', timeAtMost: 1.3 },
        ],
      },
    ],
  },
  {
    title: 'A 16384-register HyperLogLog',
    unit: 'one whole vector',
    baselines: [{ name: 'split sparse (1400 B)', run: () => splitMessage(hllMessage) }],
    cases: [
      {
        name: 'split dense: auto (1400 B)',
        run: () => splitMessage(hllMessage, { dense: 'auto' }),
      },
      { name: 'encode dense', run: () => encodeMessage(hllMessage, { dense: 'always' }) },
      { name: 'decode dense', run: () => decodeMessage(denseEncoded) },
    ],
  },
  {
    title: `Encode ${operations.length} operations from versioned stores`,
    unit: `one batch to bytes (${operationsEncoded.length} bytes, ${perOperation(operationsEncoded.length)} per operation)`,
    baselines: [{ name: 'JSON', run: () => textEncoder.encode(JSON.stringify(operations)) }],
    cases: [
      {
        name: 'encodeOperations',
        run: () => encodeOperations(operations),
      },
    ],
  },
  {
    title: `Decode ${operations.length} operations`,
    unit: `bytes to one validated batch (JSON not validated)`,
    baselines: [
      { name: 'JSON', run: () => JSON.parse(textDecoder.decode(operationsJson)) as unknown },
    ],
    cases: [
      {
        name: 'decodeOperations',
        run: () => decodeOperations(operationsEncoded),
      },
    ],
  },
];

process.stdout.write(
  `Node ${process.version}; delta ${encoded.length} B (msgpackr ${msgpackrBytes.length} B, JSON ${jsonBytes.length} B); ` +
    `HLL as ${splitMessage(hllMessage).length} sparse or ${splitMessage(hllMessage, { dense: 'auto' }).length} dense datagrams, ${denseEncoded.length} B dense in one message.\n` +
    `${operations.length} operations: ${operationsEncoded.length} B as a batch (${perOperation(operationsEncoded.length)} B/op), ` +
    `${operationsJson.length} B as JSON (${perOperation(operationsJson.length)} B/op).\n\n`,
);
// Every task, baselines included, runs a while first, so that even a quick run
// measures optimised code rather than the JIT warming up. The operation batch
// suites warm up first: their garbage is then collected while the message
// tasks warm up, rather than in the middle of a message sample.
for (const suite of [...suites].reverse()) {
  for (const task of [...suite.baselines, ...suite.cases]) {
    const until = performance.now() + 60;
    while (performance.now() < until) task.run();
  }
}
runBenchmarks(suites);
