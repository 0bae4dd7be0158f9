/**
 * Ingest: how many vignette updates a node's apply path takes from the
 * network per second, against a raw dgram receiver fed by the same sender in
 * the same run. A forked process (`ingest-sender.ts`) sends 20-entry updates
 * (random keys from a pool of 1000, random indices and values) over loopback
 * as fast as its `UdpTransport` takes them. After a warm-up round, rounds of
 * one second rotate between three receivers in this process:
 *
 * - raw: a `node:dgram` socket that only counts datagrams (the baseline);
 * - transport: a `UdpTransport` whose handler only counts (its own cost);
 * - applied: a `UdpTransport` whose handler decodes each datagram with
 *   `decodeDatagram` and merges it into a `MaxStore` (a node's apply path,
 *   without the gossip rules yet; the store persists across rounds).
 *
 * Each figure is the median of its rounds. Received and applied rates count
 * what arrived while the sender was sending; loss counts what never arrived,
 * after the receiver drained. Target: applied ≥ 0.7 × raw received.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { formatRate, median } from '@vig/bench-kit';
import { MaxStore } from '@vig/crdt-core';
import { formatPeerAddress } from '@vig/gossip';
import { decodeDatagram } from '@vig/wire';
import { readKernelReceiveDrops } from '../src/udp-kernel-drops.js';
import { DEFAULT_RECEIVE_BUFFER_BYTES, createUdpTransport } from '../src/udp-transport.js';
import type { SenderReady, SenderReport, SenderRequest } from './ingest-sender.js';

const quick = process.env['VIG_BENCH_QUICK'] === '1';
/** Rounds per receiver: five seconds of sending each (one in a quick run). */
const ROUNDS = quick ? 1 : 5;
const ROUND_MILLISECONDS = 1_000;
/** A first round, not counted, while the sender's code is compiled. */
const WARM_UP_MILLISECONDS = 300;
/** The least applied/raw ratio we aim for. */
const TARGET_RATIO = 0.7;
/** Bounds on waiting for the sender and for a receiver to drain, in milliseconds. */
const SENDER_LIMIT_MILLISECONDS = 30_000;
const DRAIN_LIMIT_MILLISECONDS = 2_000;
const DRAIN_POLL_MILLISECONDS = 25;

/** One receiver under test. */
interface Receiver {
  readonly address: string;
  /** Datagrams that reached the process. */
  received(): number;
  /** Updates decoded and merged (the raw receiver applies nothing: it counts). */
  applied(): number;
  /** Buffer size the OS reports for the socket. */
  readonly receiveBufferBytes: number;
  close(): Promise<void>;
}

/** What one round measured. */
interface RoundFigures {
  readonly sentPerSecond: number;
  readonly receivedPerSecond: number;
  readonly appliedPerSecond: number;
  readonly sent: number;
  readonly receivedAfterDrain: number;
  readonly kernelDrops: number | undefined;
}

/** The receivers compared, in the order of the table. */
const RECEIVER_KINDS = ['raw', 'transport', 'applied'] as const;
type ReceiverKind = (typeof RECEIVER_KINDS)[number];

/** Runs the ingest scenario and returns its markdown report. */
export async function ingest(): Promise<string> {
  const sender = fork(fileURLToPath(new URL('./ingest-sender.ts', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const warnings = new Set<string>();
  const store = new MaxStore();
  const figures: Record<ReceiverKind, RoundFigures[]> = { raw: [], transport: [], applied: [] };
  const buffers: Record<ReceiverKind, number> = { raw: 0, transport: 0, applied: 0 };
  try {
    await nextMessage<SenderReady>(sender, 'ready');
    await warmUp(sender);
    for (let round = 0; round < ROUNDS; round++) {
      // Rotated each round, so drift over the run hits every receiver alike.
      const order = RECEIVER_KINDS.map(
        (_, position) => RECEIVER_KINDS[(position + round) % RECEIVER_KINDS.length] ?? 'raw',
      );
      for (const kind of order) {
        const receiver = await openReceiver(kind, store, warnings);
        try {
          figures[kind].push(await measureRound(sender, receiver, round));
          buffers[kind] = receiver.receiveBufferBytes;
        } finally {
          await receiver.close();
        }
      }
    }
  } finally {
    await stopSender(sender);
  }
  return report(figures, { buffers, keys: store.size, warnings });
}

/** A short round whose figures are thrown away: the sender's code gets compiled first. */
async function warmUp(sender: ChildProcess): Promise<void> {
  const receiver = await rawReceiver();
  try {
    sender.send({
      kind: 'run',
      to: receiver.address,
      milliseconds: WARM_UP_MILLISECONDS,
      seed: 0,
    } satisfies SenderRequest);
    await nextMessage<SenderReport>(sender, 'done');
  } finally {
    await receiver.close();
  }
}

/** A fresh receiver of `kind`. */
function openReceiver(
  kind: ReceiverKind,
  store: MaxStore,
  warnings: Set<string>,
): Promise<Receiver> {
  switch (kind) {
    case 'raw':
      return rawReceiver();
    case 'transport':
      return transportReceiver(warnings, () => true);
    case 'applied':
      return transportReceiver(warnings, (bytes) => {
        const decoded = decodeDatagram(bytes);
        if (!decoded.ok || decoded.kind !== 'message') return false;
        store.merge(decoded.message.key, decoded.message.vector);
        return true;
      });
  }
}

/** One round: the sender sends for a second, then the receiver drains. */
async function measureRound(
  sender: ChildProcess,
  receiver: Receiver,
  round: number,
): Promise<RoundFigures> {
  const request: SenderRequest = {
    kind: 'run',
    to: receiver.address,
    milliseconds: ROUND_MILLISECONDS,
    seed: round + 1,
  };
  sender.send(request);
  const done = await nextMessage<SenderReport>(sender, 'done');
  const received = receiver.received();
  const applied = receiver.applied();
  await drain(receiver);
  const seconds = done.milliseconds / 1000;
  return {
    sentPerSecond: done.sent / seconds,
    receivedPerSecond: received / seconds,
    appliedPerSecond: applied / seconds,
    sent: done.sent,
    receivedAfterDrain: receiver.received(),
    kernelDrops: readKernelReceiveDrops(receiver.address),
  };
}

/** A dgram socket that only counts what arrives. */
async function rawReceiver(): Promise<Receiver> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port: 0, address: '127.0.0.1' }, () => resolve());
  });
  try {
    socket.setRecvBufferSize(DEFAULT_RECEIVE_BUFFER_BYTES);
  } catch {
    // Kept at the OS default; the table shows what the socket has.
  }
  let received = 0;
  socket.on('message', () => (received += 1));
  const bound = socket.address();
  return {
    address: formatPeerAddress(bound.address, bound.port),
    received: () => received,
    applied: () => 0,
    receiveBufferBytes: socket.getRecvBufferSize(),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** A UdpTransport whose handler runs `apply` on each datagram, counting those it applied. */
async function transportReceiver(
  warnings: Set<string>,
  apply: (bytes: Uint8Array) => boolean,
): Promise<Receiver> {
  const transport = await createUdpTransport({
    bind: '127.0.0.1:0',
    onWarning: (message) => warnings.add(message),
  });
  let applied = 0;
  transport.onReceive((bytes) => {
    if (apply(bytes)) applied += 1;
  });
  return {
    address: transport.localAddress,
    received: () => transport.stats().datagramsReceived,
    applied: () => applied,
    receiveBufferBytes: transport.receiveBufferBytes,
    close: () => transport.close(),
  };
}

/** Waits until the receiver's count stops growing (its socket buffer drained), within a bound. */
async function drain(receiver: Receiver): Promise<void> {
  let previous = -1;
  const polls = DRAIN_LIMIT_MILLISECONDS / DRAIN_POLL_MILLISECONDS;
  for (let poll = 0; poll < polls; poll++) {
    const received = receiver.received();
    if (received === previous) return;
    previous = received;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MILLISECONDS));
  }
}

/** The next message of `kind` from the sender; rejects if it exits or is silent too long. */
function nextMessage<T extends { readonly kind: string }>(
  sender: ChildProcess,
  kind: T['kind'],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      sender.off('message', received);
      sender.off('exit', exited);
    };
    const received = (message: unknown): void => {
      if ((message as { kind?: unknown } | null)?.kind !== kind) return;
      cleanup();
      resolve(message as T);
    };
    const exited = (code: number | null): void => {
      cleanup();
      reject(new Error(`the ingest sender exited (code ${code}) before sending "${kind}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(`the ingest sender sent no "${kind}" within ${SENDER_LIMIT_MILLISECONDS} ms`),
      );
    }, SENDER_LIMIT_MILLISECONDS);
    sender.on('message', received);
    sender.once('exit', exited);
  });
}

/** Disconnects the sender (it closes and exits) and waits for it, killing it past the bound. */
async function stopSender(sender: ChildProcess): Promise<void> {
  if (sender.exitCode !== null || sender.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => sender.once('exit', () => resolve()));
  if (sender.connected) sender.disconnect();
  const timer = setTimeout(() => sender.kill(), SENDER_LIMIT_MILLISECONDS);
  await exited;
  clearTimeout(timer);
}

/** The markdown table and its notes. */
function report(
  figures: Record<ReceiverKind, readonly RoundFigures[]>,
  context: { buffers: Record<ReceiverKind, number>; keys: number; warnings: Set<string> },
): string {
  const rawReceived = median(figures.raw.map((round) => round.receivedPerSecond));
  const row = (name: string, rounds: readonly RoundFigures[], applied?: 'target'): string => {
    const rate = median(rounds.map((round) => round.appliedPerSecond));
    const ratio = rate / rawReceived;
    const target = ` ${ratio >= TARGET_RATIO ? '✓' : '✗'} (target ≥ ${TARGET_RATIO})`;
    const cells = [
      name,
      formatRate(median(rounds.map((round) => round.sentPerSecond))),
      formatRate(median(rounds.map((round) => round.receivedPerSecond))),
      rounds === figures.raw ? '—' : formatRate(rate),
      rounds === figures.raw ? '—' : `${ratio.toFixed(2)}${applied === 'target' ? target : ''}`,
      lossCell(rounds),
    ];
    return `| ${cells.join(' | ')} |`;
  };
  return [
    `### Ingest: 20-entry vignette updates from another process over loopback UDP${quick ? ' (quick run)' : ''}`,
    '',
    '| receiver | datagrams sent/s | received/s | applied/s | ratio applied/raw | loss % |',
    '| --- | --- | --- | --- | --- | --- |',
    row('raw dgram, counting (baseline)', figures.raw),
    row('UdpTransport, counting', figures.transport),
    row('UdpTransport + decodeDatagram + MaxStore.merge', figures.applied, 'target'),
    '',
    `Medians of ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} of ${ROUND_MILLISECONDS / 1000} s per receiver, ` +
      'rotating. Received/s and applied/s count what arrived while the sender sent (applied: ' +
      'decoded and merged; counting: handed to the handler); loss is what never arrived ' +
      '(dropped by the kernel at a full receive buffer), over all rounds. ' +
      `SO_RCVBUF as reported: raw ${context.buffers.raw}, transport ${context.buffers.applied} ` +
      `(asked ${DEFAULT_RECEIVE_BUFFER_BYTES}; Linux reports twice the grant). ` +
      `Keys in the store at the end: ${context.keys}.` +
      (lossOf(figures.raw) < 0.01
        ? ' The raw receiver lost (almost) nothing: it ran at the sender’s pace, so its rate is ' +
          'the sender’s and the ratio understates what the raw socket could take.'
        : ''),
    ...[...context.warnings].map((warning) => `\n> ${warning}`),
    '',
  ].join('\n');
}

/** The share of datagrams sent over all rounds that never arrived. */
function lossOf(rounds: readonly RoundFigures[]): number {
  const sent = rounds.reduce((total, figures) => total + figures.sent, 0);
  const received = rounds.reduce((total, figures) => total + figures.receivedAfterDrain, 0);
  return sent === 0 ? 0 : (sent - received) / sent;
}

/** Loss over all rounds, with the kernel's own drop count where it has one. */
function lossCell(rounds: readonly RoundFigures[]): string {
  const loss = 100 * lossOf(rounds);
  const drops = rounds.map((figures) => figures.kernelDrops);
  const counted = drops.every((value) => value !== undefined)
    ? ` (kernel counted ${drops.reduce<number>((total, value) => total + (value ?? 0), 0)})`
    : '';
  return `${loss.toFixed(1)} %${counted}`;
}
