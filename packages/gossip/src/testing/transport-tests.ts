import { isVigError } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import type { PeerAddress, Transport } from '../transport.js';

/** What a {@link runTransportTests} setup gives each test. */
export interface TransportTestContext {
  /** At least three open transports at distinct addresses that can reach one another without loss. */
  readonly transports: readonly Transport[];
  /**
   * Lets time pass (virtual time advanced, or real time waited) until
   * `until()` holds; rejects if it does not within the setup's own bound.
   */
  readonly settle: (until: () => boolean) => Promise<void>;
  /** Releases everything the setup made; called after every test, even after a transport was closed. */
  readonly teardown: () => Promise<void>;
}

/** One datagram as a transport handed it over. */
interface Received {
  readonly bytes: Uint8Array;
  readonly from: PeerAddress;
}

/** The largest datagram the suite sends whole. */
const largestTestedDatagram = 60_000;

/**
 * The suite every {@link Transport} implementation passes, modelled on
 * automerge-repo's `runNetworkAdapterTests`: call it at the top level of a
 * test file, with a `setup` that makes fresh, lossless transports for each test.
 *
 * @example
 * ```ts
 * import { createSimulatedNetwork, runTransportTests } from '@vig/gossip/testing';
 *
 * runTransportTests('simulated network', async () => {
 *   const network = createSimulatedNetwork({ seed: 1 });
 *   const transports = ['127.0.0.1:1', '127.0.0.2:1', '127.0.0.3:1'].map((address) =>
 *     network.transport(address),
 *   );
 *   return {
 *     transports,
 *     settle: async (until) => void network.scheduler.runUntil(until, 10_000),
 *     teardown: async () => void (await Promise.all(transports.map((transport) => transport.close()))),
 *   };
 * });
 * ```
 */
export function runTransportTests(name: string, setup: () => Promise<TransportTestContext>): void {
  /** Runs `test` on a fresh setup, tearing it down whatever happens. */
  async function withTransports(
    test: (transports: Transport[], context: TransportTestContext) => Promise<void>,
  ): Promise<void> {
    const context = await setup();
    try {
      expect(context.transports.length).toBeGreaterThanOrEqual(3);
      expect(new Set(context.transports.map((transport) => transport.localAddress)).size).toBe(
        context.transports.length,
      );
      await test([...context.transports], context);
    } finally {
      await context.teardown();
    }
  }

  describe(`transport suite: ${name}`, () => {
    it('delivers a datagram with the sender’s localAddress, between every pair', async () => {
      await withTransports(async ([first, second, third], { settle }) => {
        const ends = [first, second, third];
        const inboxes = ends.map((end) => collect(end));
        ends.forEach((sender, senderIndex) => {
          ends.forEach((receiver, receiverIndex) => {
            if (senderIndex !== receiverIndex) {
              sender.send(receiver.localAddress, Uint8Array.of(senderIndex, receiverIndex));
            }
          });
        });
        await settle(() => inboxes.every((inbox) => inbox.length === 2));
        inboxes.forEach((inbox, receiverIndex) => {
          for (const { bytes, from } of inbox) {
            const senderIndex = bytes[0] ?? -1;
            expect(bytes[1]).toBe(receiverIndex);
            expect(from).toBe(ends[senderIndex]?.localAddress);
          }
        });
      });
    });

    it('delivers bytes intact at sizes 0, 1, 1400 and the largest datagram', async () => {
      await withTransports(async ([sender, receiver], { settle }) => {
        const largest = Math.min(sender.maxDatagramBytes, largestTestedDatagram);
        const sizes = [...new Set([0, 1, 1400, largest])].filter(
          (size) => size <= sender.maxDatagramBytes,
        );
        const inbox = collect(receiver);
        for (const size of sizes) sender.send(receiver.localAddress, pattern(size, size));
        await settle(() => inbox.length === sizes.length);
        const bySize = new Map(inbox.map(({ bytes }) => [bytes.byteLength, bytes]));
        for (const size of sizes) expectBytes(bySize.get(size), pattern(size, size));
      });
    });

    it('delivers 200 datagrams from two senders, each intact', async () => {
      await withTransports(async ([first, second, receiver], { settle }) => {
        const inbox = collect(receiver);
        const perSender = 100;
        for (let sequence = 0; sequence < perSender; sequence++) {
          first.send(receiver.localAddress, numbered(0, sequence));
          second.send(receiver.localAddress, numbered(1, sequence));
        }
        await settle(() => inbox.length >= 2 * perSender);
        expect(inbox).toHaveLength(2 * perSender);
        const seen = new Set<string>();
        for (const { bytes, from } of inbox) {
          const senderIndex = bytes[0] ?? -1;
          const sequence = (bytes[1] ?? 0) | ((bytes[2] ?? 0) << 8);
          expect(from).toBe([first, second][senderIndex]?.localAddress);
          expectBytes(bytes, numbered(senderIndex, sequence));
          seen.add(`${senderIndex}:${sequence}`);
        }
        expect(seen.size).toBe(2 * perSender);
      });
    });

    it('throws DatagramTooLargeError above maxDatagramBytes, and stays usable', async () => {
      await withTransports(async ([sender, receiver], { settle }) => {
        const inbox = collect(receiver);
        const tooLarge = new Uint8Array(sender.maxDatagramBytes + 1);
        const error = thrownBy(() => sender.send(receiver.localAddress, tooLarge));
        expect(isVigError(error, 'DatagramTooLargeError'), String(error)).toBe(true);
        sender.send(receiver.localAddress, Uint8Array.of(7));
        await settle(() => inbox.length === 1);
        expectBytes(inbox[0]?.bytes, Uint8Array.of(7));
      });
    });

    it('after close, send throws TransportClosedError and nothing more is received', async () => {
      await withTransports(async ([sender, closing, witness], { settle }) => {
        const closedInbox = collect(closing);
        const witnessInbox = collect(witness);
        await closing.close();
        const error = thrownBy(() => closing.send(sender.localAddress, Uint8Array.of(1)));
        expect(isVigError(error, 'TransportClosedError'), String(error)).toBe(true);
        sender.send(closing.localAddress, Uint8Array.of(2));
        // A datagram sent after the one to the closed end: once it arrives, the other had its chance.
        sender.send(witness.localAddress, Uint8Array.of(3));
        await settle(() => witnessInbox.length === 1);
        expect(closedInbox).toHaveLength(0);
      });
    });

    it('closes twice without harm', async () => {
      await withTransports(async ([transport]) => {
        await transport.close();
        await expect(transport.close()).resolves.toBeUndefined();
      });
    });

    it('routes datagrams to the handler set last', async () => {
      await withTransports(async ([sender, receiver], { settle }) => {
        const firstInbox = collect(receiver);
        sender.send(receiver.localAddress, Uint8Array.of(1));
        await settle(() => firstInbox.length === 1);
        const secondInbox = collect(receiver);
        sender.send(receiver.localAddress, Uint8Array.of(2));
        await settle(() => secondInbox.length === 1);
        expect(firstInbox.map(({ bytes }) => [...bytes])).toEqual([[1]]);
        expect(secondInbox.map(({ bytes }) => [...bytes])).toEqual([[2]]);
      });
    });

    it('hands over bytes not aliased to the sender’s buffer', async () => {
      await withTransports(async ([sender, receiver], { settle }) => {
        const inbox = collect(receiver);
        const sent = pattern(64, 9);
        sender.send(receiver.localAddress, sent);
        sent.fill(0);
        await settle(() => inbox.length === 1);
        const received = inbox[0].bytes;
        expectBytes(received, pattern(64, 9));
        expect(received.buffer).not.toBe(sent.buffer);
        received.fill(1);
        expect(sent.every((byte) => byte === 0)).toBe(true);
      });
    });
  });
}

/** Sets a handler on `transport` that keeps what it receives; returns that list. */
function collect(transport: Transport): Received[] {
  const inbox: Received[] = [];
  transport.onReceive((bytes, from) => inbox.push({ bytes, from }));
  return inbox;
}

/** `size` bytes in a pattern that depends on `seed`, so truncation or reordering shows. */
function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let position = 0; position < size; position++) {
    bytes[position] = (position * 31 + seed * 7 + (position >> 8)) & 0xff;
  }
  return bytes;
}

/** A 64-byte datagram naming its sender and sequence number. */
function numbered(senderIndex: number, sequence: number): Uint8Array {
  const bytes = pattern(64, senderIndex * 1000 + sequence);
  bytes[0] = senderIndex;
  bytes[1] = sequence & 0xff;
  bytes[2] = sequence >> 8;
  return bytes;
}

/** Fails unless `actual` holds exactly the bytes of `expected` (whatever its Uint8Array subclass). */
function expectBytes(actual: Uint8Array | undefined, expected: Uint8Array): void {
  expect(actual, `expected ${expected.byteLength} bytes`).toBeDefined();
  if (actual === undefined) return;
  expect(actual.byteLength).toBe(expected.byteLength);
  const first = actual.findIndex((byte, position) => byte !== expected[position]);
  expect(first, `first differing byte of ${expected.byteLength}`).toBe(-1);
}

/** What `action` throws, or undefined. */
function thrownBy(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
