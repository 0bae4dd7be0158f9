/**
 * The sender of the ingest benchmark, in a process of its own (forked by
 * `ingest.ts`, so that it does not share the receiver's event loop or
 * core): on each {@link SenderRequest} it sends 20-entry vignette updates to
 * the receiver through a `UdpTransport`, as fast as the transport takes them,
 * for the time asked, then answers with a {@link SenderReport}. It exits when
 * its parent disconnects.
 */
import { seededRandom } from '@vig/crdt-core';
import type { RandomSource } from '@vig/crdt-core';
import { peerAddress } from '@vig/gossip';
import type { PeerAddress } from '@vig/gossip';
import { encodeMessage } from '@vig/wire';
import { SENDS_PER_TURN, createUdpTransport } from '../src/udp-transport.js';
import type { UdpTransport } from '../src/udp-transport.js';

/** What the parent asks: send to `to` for `milliseconds`, drawing updates from `seed`. */
export interface SenderRequest {
  readonly kind: 'run';
  readonly to: string;
  readonly milliseconds: number;
  readonly seed: number;
}

/** What the sender did: datagrams the socket reported sent, errors, and the time it took. */
export interface SenderReport {
  readonly kind: 'done';
  readonly sent: number;
  readonly sendErrors: number;
  readonly milliseconds: number;
}

/** The sender is ready for requests. */
export interface SenderReady {
  readonly kind: 'ready';
}

/** Keys updated, and entries per update. */
const KEY_POOL = 1000;
const ENTRIES_PER_UPDATE = 20;
/** Indices drawn from 0..INDEX_RANGE-1 (a HyperLogLog's registers, roughly). */
const INDEX_RANGE = 16_384;
/** The queue is kept topped up to this many datagrams: enough for two flushes. */
const QUEUE_TARGET = 2 * SENDS_PER_TURN;
/** The longest wait for the last datagrams to leave, in milliseconds. */
const DRAIN_LIMIT_MILLISECONDS = 5_000;

const keys = Array.from({ length: KEY_POOL }, (_, index) => `bench:ingest:${index}`);

/** Encodes one random update: a key from the pool, 20 random indices and values. */
function randomUpdate(random: RandomSource, indices: number[], values: number[]): Uint8Array {
  for (let entry = 0; entry < ENTRIES_PER_UPDATE; entry++) {
    indices[entry] = Math.floor(random() * INDEX_RANGE);
    values[entry] = 1 + Math.floor(random() * 1_000_000);
  }
  return encodeMessage({
    key: keys[Math.floor(random() * KEY_POOL)] ?? 'bench:ingest:0',
    vector: { kind: 'sparse', indices, values },
    ttl: 5,
    full: false,
    vig: 1,
  });
}

/**
 * Sends for `request.milliseconds`, keeping the transport's queue topped up,
 * waits until the socket has reported on every datagram, then reports.
 */
function run(transport: UdpTransport, request: SenderRequest): Promise<SenderReport> {
  const to: PeerAddress = peerAddress(request.to);
  const random = seededRandom(request.seed);
  const indices: number[] = [];
  const values: number[] = [];
  const before = transport.stats();
  const started = performance.now();
  const deadline = started + request.milliseconds;
  let handed = 0;
  return new Promise((resolve) => {
    const finish = (): void => {
      const stats = transport.stats();
      resolve({
        kind: 'done',
        sent: stats.datagramsSent - before.datagramsSent,
        sendErrors: stats.sendErrors - before.sendErrors,
        milliseconds: performance.now() - started,
      });
    };
    const drain = (): void => {
      const stats = transport.stats();
      const settled =
        stats.datagramsSent + stats.sendErrors - before.datagramsSent - before.sendErrors;
      const drained = settled >= handed;
      if (drained || performance.now() > deadline + DRAIN_LIMIT_MILLISECONDS) finish();
      else setImmediate(drain);
    };
    const turn = (): void => {
      if (performance.now() >= deadline) {
        drain();
        return;
      }
      const room = Math.max(0, QUEUE_TARGET - transport.pendingSends);
      for (let count = 0; count < room; count++) {
        transport.send(to, randomUpdate(random, indices, values));
      }
      handed += room;
      setImmediate(turn);
    };
    turn();
  });
}

const transport = await createUdpTransport({
  bind: '127.0.0.1:0',
  onWarning: (message) => process.stderr.write(`sender: ${message}\n`),
});
process.on('message', (request: SenderRequest) => {
  void run(transport, request).then((report) => process.send?.(report));
});
process.once('disconnect', () => void transport.close());
process.send?.({ kind: 'ready' } satisfies SenderReady);
