import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@vig/crdt-core';
import { createClient } from '@vig/node-udp';
import type { NodeOptions, VigClient } from '@vig/node-udp';
import { decodeDatagram } from '@vig/wire';
import { datagramCorpus } from './datagram-corpus.js';
import { nextFuzzDatagram } from './datagram-mutator.js';
import type { FuzzKind } from './datagram-mutator.js';
import type { HostMetrics, HostReply, HostRequest } from './fuzz-host-protocol.js';

/** How to fuzz. */
export interface FuzzRunOptions {
  /** Seeds the corpus and every choice: the same seed sends the same datagrams. */
  readonly seed: number;
  /** Datagrams to send. */
  readonly datagrams: number;
  /** Options of the node under fuzz, as JSON (its `gossip` limits, say). */
  readonly nodeOptions?: Partial<NodeOptions>;
  /** Datagrams between pauses where the fuzzer lets the node drain and checks its reads; default 2000. */
  readonly checkEvery?: number;
  /** The node process's peak resident set must stay under this; default 256 MiB. */
  readonly memoryCeilingBytes?: number;
  /** Sending sockets, on 127.0.0.2, 127.0.0.3, …; default 4. */
  readonly sources?: number;
}

/** What a run saw. */
export interface FuzzRunReport {
  readonly seed: number;
  /** Datagrams sent, by how they were made. */
  readonly sent: Readonly<Record<FuzzKind, number>>;
  /** Datagrams the fuzzer's own decoder rejects, by reason: what the node must count. */
  readonly expectedRejects: Readonly<Record<string, number>>;
  /** The node's `metrics().drops`, by reason. */
  readonly nodeDrops: Readonly<Record<string, number>>;
  /** Datagrams the kernel dropped before the node saw them (its receive buffer was full). */
  readonly kernelDrops: number;
  /** Read checks made while fuzzing (every reference key each time), and those that failed. */
  readonly readChecks: number;
  readonly readFailures: readonly string[];
  readonly peakResidentBytes: number;
  readonly memoryCeilingBytes: number;
  readonly milliseconds: number;
  /** Every invariant that did not hold; empty when the run passed. */
  readonly problems: readonly string[];
}

/** Reference keys written before fuzzing and read back throughout; the corpus never writes `ref:…`. */
const REFERENCE: Readonly<Record<string, Readonly<Record<number, number>>>> = Object.fromEntries(
  Array.from({ length: 8 }, (_, key) => [`ref:${key}`, { [key]: key + 1, [100 + key]: 7 }]),
);

const HOST_START_LIMIT_MILLISECONDS = 30_000;
const REPLY_LIMIT_MILLISECONDS = 10_000;
const DRAIN_POLLS = 500;
/** Datagrams per burst between drains. */
const PACE_EVERY = 200;
const DRAIN_POLL_MILLISECONDS = 10;

/** The node host, and a way to ask it for its figures. */
interface Host {
  readonly child: ChildProcess;
  readonly address: string;
  metrics(): Promise<HostMetrics>;
  stop(): Promise<void>;
}

function waitForReply<T extends HostReply['type']>(
  child: ChildProcess,
  type: T,
  limit: number,
): Promise<Extract<HostReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`the fuzzed node did not send "${type}" within ${limit} ms`));
    }, limit);
    const onMessage = (reply: HostReply): void => {
      if (reply.type !== type) return;
      cleanup();
      resolve(reply as Extract<HostReply, { type: T }>);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(
        new Error(`the fuzzed node exited (code ${code}) while the fuzzer waited for "${type}"`),
      );
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function startHost(nodeOptions: Partial<NodeOptions>): Promise<Host> {
  const script = fileURLToPath(new URL('./fuzz-node-host.ts', import.meta.url));
  const child = fork(script, [JSON.stringify(nodeOptions)], {
    execArgv: ['--conditions=@vig/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { address } = await waitForReply(child, 'ready', HOST_START_LIMIT_MILLISECONDS);
  const request = (message: HostRequest): void => {
    child.send(message);
  };
  return {
    child,
    address,
    metrics: () => {
      const reply = waitForReply(child, 'metrics', REPLY_LIMIT_MILLISECONDS);
      request({ type: 'metrics' });
      return reply;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      request({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), REPLY_LIMIT_MILLISECONDS);
      await exited;
      clearTimeout(timer);
    },
  };
}

const pause = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Waits until the node has taken in everything sent: its received count stops moving (bounded). */
async function drain(host: Host): Promise<HostMetrics> {
  let last = await host.metrics();
  for (let poll = 0; poll < DRAIN_POLLS; poll++) {
    await pause(DRAIN_POLL_MILLISECONDS);
    const now = await host.metrics();
    const seen = (metrics: HostMetrics): number =>
      Number((metrics.metrics['messagesIn'] as number | undefined) ?? 0) + metrics.kernelDrops;
    if (seen(now) === seen(last)) return now;
    last = now;
  }
  return last;
}

/** Problems with the reference keys as the node answers them now. */
async function checkReads(client: VigClient): Promise<string[]> {
  const problems: string[] = [];
  for (const [key, expected] of Object.entries(REFERENCE)) {
    const vector = await client.get(key);
    for (const [index, value] of Object.entries(expected)) {
      const read = vector.get(Number(index));
      if (read < value) problems.push(`${key}[${index}] read ${read}, expected at least ${value}`);
    }
  }
  return problems;
}

async function openSources(count: number): Promise<Socket[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, source) => {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, `127.0.0.${2 + source}`, resolve));
      return socket;
    }),
  );
}

/**
 * Fuzzes a live node: starts one in a process of its own, writes reference
 * keys through the light client, sends `datagrams` seeded datagrams (valid,
 * mutated and random) from several loopback sources, pausing every
 * `checkEvery` to let the node drain and to read the reference keys back,
 * and checks the invariants: the node keeps answering, its reads stay
 * correct, its peak memory stays under the ceiling, and every datagram the
 * wire decoder rejects is counted by the node under the same reason.
 */
export async function fuzzLiveNode(options: FuzzRunOptions): Promise<FuzzRunReport> {
  const started = performance.now();
  const checkEvery = options.checkEvery ?? 2000;
  const memoryCeilingBytes = options.memoryCeilingBytes ?? 256 * 1024 * 1024;
  const random = seededRandom(options.seed);
  const corpus = datagramCorpus(options.seed);
  const host = await startHost(options.nodeOptions ?? {});
  const sources = await openSources(options.sources ?? 4);
  let client: VigClient | undefined;
  const sent: Record<FuzzKind, number> = { valid: 0, mutated: 0, random: 0 };
  const expectedRejects: Record<string, number> = {};
  const readFailures: string[] = [];
  let readChecks = 0;
  let sendErrors = 0;
  try {
    client = await createClient({ nodes: [host.address] });
    for (const [key, record] of Object.entries(REFERENCE)) await client.put(key, record);
    const separator = host.address.lastIndexOf(':');
    const hostName = host.address.slice(0, separator);
    const hostPort = Number(host.address.slice(separator + 1));
    for (let datagram = 0; datagram < options.datagrams; datagram++) {
      const { kind, bytes } = nextFuzzDatagram(random, corpus);
      const decoded = decodeDatagram(bytes);
      // Tallied once the kernel took the datagram: one it refuses never reaches the node.
      sources[datagram % sources.length].send(bytes, hostPort, hostName, (error) => {
        if (error !== null) {
          sendErrors++;
          return;
        }
        sent[kind]++;
        if (!decoded.ok) {
          expectedRejects[decoded.error.reason] = (expectedRejects[decoded.error.reason] ?? 0) + 1;
        }
      });
      // Small bursts, each drained, so the node's receive buffer never overflows.
      if ((datagram + 1) % PACE_EVERY === 0) await drain(host);
      if ((datagram + 1) % checkEvery !== 0 && datagram + 1 !== options.datagrams) continue;
      readFailures.push(...(await checkReads(client)));
      readChecks++;
    }
    const final = await drain(host);
    readFailures.push(...(await checkReads(client)));
    readChecks++;
    const nodeDrops = (final.metrics['drops'] ?? {}) as Record<string, number>;
    const problems = invariantProblems({
      expectedRejects,
      nodeDrops,
      kernelDrops: final.kernelDrops,
      readFailures,
      peakResidentBytes: final.peakResidentBytes,
      memoryCeilingBytes,
    });
    if (sendErrors > 0) problems.push(`${sendErrors} datagrams could not be sent`);
    return {
      seed: options.seed,
      sent,
      expectedRejects,
      nodeDrops,
      kernelDrops: final.kernelDrops,
      readChecks,
      readFailures,
      peakResidentBytes: final.peakResidentBytes,
      memoryCeilingBytes,
      milliseconds: performance.now() - started,
      problems,
    };
  } finally {
    await client?.close();
    for (const socket of sources) socket.close();
    await host.stop();
  }
}

/** Why a run failed: each invariant that did not hold, one line each. */
function invariantProblems(run: {
  readonly expectedRejects: Readonly<Record<string, number>>;
  readonly nodeDrops: Readonly<Record<string, number>>;
  readonly kernelDrops: number;
  readonly readFailures: readonly string[];
  readonly peakResidentBytes: number;
  readonly memoryCeilingBytes: number;
}): string[] {
  const problems: string[] = [];
  // With nothing lost on the way or limited before decoding, every reject must be counted exactly.
  const lostOrLimited = run.kernelDrops > 0 || (run.nodeDrops['rate-limited'] ?? 0) > 0;
  for (const [reason, expected] of Object.entries(run.expectedRejects)) {
    const counted = run.nodeDrops[reason] ?? 0;
    if (lostOrLimited ? counted > expected : counted !== expected) {
      problems.push(
        `the node counted ${counted} "${reason}" drops; the decoder rejects ${expected}`,
      );
    }
  }
  if (run.readFailures.length > 0) {
    problems.push(`${run.readFailures.length} reads were wrong, first: ${run.readFailures[0]}`);
  }
  if (run.peakResidentBytes > run.memoryCeilingBytes) {
    problems.push(
      `peak memory ${(run.peakResidentBytes / 2 ** 20).toFixed(0)} MiB is over the ceiling of ${(run.memoryCeilingBytes / 2 ** 20).toFixed(0)} MiB`,
    );
  }
  return problems;
}
