import { createSocket } from 'node:dgram';
import { isVigError } from '@vig/crdt-core';
import { peerAddress } from '@vig/gossip';
import type { PeerAddress } from '@vig/gossip';
import { runTransportTests } from '@vig/gossip/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelReceiveDrops } from './udp-kernel-drops.js';
import {
  MAX_UDP4_DATAGRAM_BYTES,
  MAX_UDP6_DATAGRAM_BYTES,
  SENDS_PER_TURN,
  createUdpTransport,
} from './udp-transport.js';
import type { UdpTransport, UdpTransportOptions } from './udp-transport.js';
import { settle } from '../test/settle.js';

/** A transport whose warnings are kept instead of printed. */
async function quietTransport(
  bind: string,
  options: Omit<UdpTransportOptions, 'bind'> = {},
): Promise<UdpTransport> {
  return createUdpTransport({ onWarning: () => undefined, ...options, bind });
}

/** What a test opened, closed after it whatever happened. */
const opened: UdpTransport[] = [];

/** Opens a quiet transport that is closed after the test. */
async function open(bind: string, options: Omit<UdpTransportOptions, 'bind'> = {}) {
  const transport = await quietTransport(bind, options);
  opened.push(transport);
  return transport;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((transport) => transport.close()));
});

/** Keeps what `transport` receives. */
function collect(transport: UdpTransport): { bytes: Uint8Array; from: PeerAddress }[] {
  const inbox: { bytes: Uint8Array; from: PeerAddress }[] = [];
  transport.onReceive((bytes, from) => inbox.push({ bytes, from }));
  return inbox;
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

/** Whether this host can bind a UDP socket on the IPv6 loopback. */
async function hasIpv6Loopback(): Promise<boolean> {
  const socket = createSocket({ type: 'udp6', ipv6Only: true });
  const bound = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind({ port: 0, address: '::1' }, () => resolve(true));
  });
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return bound;
}

runTransportTests('UdpTransport', async () => {
  const transports = await Promise.all(
    ['127.0.0.1:0', '127.0.0.2:0', '127.0.0.3:0'].map((bind) => quietTransport(bind)),
  );
  return {
    transports,
    settle,
    teardown: async () => void (await Promise.all(transports.map((end) => end.close()))),
  };
});

describe('createUdpTransport', () => {
  it('reports the address bound, with the real port for port 0, and the IPv4 datagram limit', async () => {
    const transport = await open('127.0.0.1:0');
    expect(transport.localAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(transport.localAddress).not.toBe('127.0.0.1:0');
    expect(transport.maxDatagramBytes).toBe(MAX_UDP4_DATAGRAM_BYTES);
    expect(transport.pendingSends).toBe(0);
    expect(transport.receiveBufferBytes).toBeGreaterThan(0);
  });

  it('round-trips between two ends on the IPv6 loopback, with bracketed addresses', async (context) => {
    if (!(await hasIpv6Loopback())) {
      context.skip('this host has no IPv6 loopback (::1 cannot be bound)');
    }
    const first = await open('[::1]:0');
    const second = await open('[::1]:0');
    expect(first.localAddress).toMatch(/^\[::1\]:\d+$/);
    expect(first.maxDatagramBytes).toBe(MAX_UDP6_DATAGRAM_BYTES);
    const inbox = collect(second);
    const replies = collect(first);
    first.send(second.localAddress, Uint8Array.of(6, 6));
    await settle(() => inbox.length === 1);
    expect(inbox[0]?.from).toBe(first.localAddress);
    expect([...(inbox[0]?.bytes ?? [])]).toEqual([6, 6]);
    second.send(inbox[0]?.from ?? first.localAddress, new Uint8Array(MAX_UDP6_DATAGRAM_BYTES));
    await settle(() => replies.length === 1);
    expect(replies[0]?.bytes.byteLength).toBe(MAX_UDP6_DATAGRAM_BYTES);
  });

  it('warns once, with the numbers and the sysctl, when the OS grants a smaller receive buffer', async () => {
    const warnings: string[] = [];
    const asked = 1024 ** 3;
    const transport = await open('127.0.0.1:0', {
      receiveBufferBytes: asked,
      sendBufferBytes: 64 * 1024,
      onWarning: (message) => warnings.push(message),
    });
    const granted =
      process.platform === 'linux'
        ? transport.receiveBufferBytes / 2
        : transport.receiveBufferBytes;
    if (granted >= asked) {
      expect(warnings).toEqual([]); // A host with a huge cap grants it all.
      return;
    }
    expect(warnings).toHaveLength(1);
    const [warning = ''] = warnings;
    expect(warning).not.toContain('\n');
    expect(warning).toContain(`asked for ${asked} bytes`);
    expect(warning).toContain(`granted ${granted}`);
    if (process.platform === 'linux') {
      expect(warning).toContain(`Linux reports ${transport.receiveBufferBytes}`);
      expect(warning).toContain(`sysctl -w net.core.rmem_max=${asked}`);
    }
  });

  it('queues a synchronous burst of 20 000 datagrams, keeps the event loop turning, and accounts for each', async () => {
    const sender = await open('127.0.0.1:0');
    const receiver = await open('127.0.0.2:0');
    const burst = 20_000;
    const seen = new Set<number>();
    let received = 0;
    receiver.onReceive((bytes) => {
      received += 1;
      seen.add(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0));
    });
    let pendingWhenTimerFired = -1;
    setTimeout(() => (pendingWhenTimerFired = sender.pendingSends), 0);
    const datagram = new Uint8Array(32);
    const view = new DataView(datagram.buffer);
    for (let sequence = 0; sequence < burst; sequence++) {
      view.setUint32(0, sequence);
      sender.send(receiver.localAddress, datagram); // the same array each time: send copies
    }
    expect(sender.pendingSends).toBe(burst);
    const kernelDrops = () => readKernelReceiveDrops(receiver.localAddress);
    await settle(() => {
      const { datagramsSent, sendErrors } = sender.stats();
      if (datagramsSent + sendErrors < burst) return false;
      const drops = kernelDrops();
      return drops === undefined ? received === datagramsSent : received + drops === datagramsSent;
    }).catch(() => undefined); // Off Linux, datagrams the kernel drops are not counted anywhere.
    // The timer set before the burst ran while it was still being handed to the socket.
    expect(pendingWhenTimerFired).toBeGreaterThan(0);
    expect(pendingWhenTimerFired).toBeLessThan(burst);
    const stats = sender.stats();
    expect(stats.datagramsSent + stats.sendErrors).toBe(burst);
    expect(stats.droppedQueueFull).toBe(0);
    expect(sender.pendingSends).toBe(0);
    expect(seen.size).toBe(received);
    const drops = kernelDrops();
    if (drops !== undefined) expect(received + drops).toBe(stats.datagramsSent);
    else expect(received).toBeLessThanOrEqual(stats.datagramsSent);
    expect(receiver.stats().datagramsReceived).toBe(received);
  });

  it('hands the first batch to the socket in the same turn, the rest on later turns', async () => {
    const sender = await open('127.0.0.1:0');
    const receiver = await open('127.0.0.2:0');
    for (let count = 0; count < SENDS_PER_TURN + 10; count++) {
      sender.send(receiver.localAddress, Uint8Array.of(1));
    }
    await Promise.resolve(); // The batch runs as a microtask after the caller's code.
    expect(sender.pendingSends).toBe(10);
    await settle(() => sender.pendingSends === 0);
  });

  it('counts, never throws, sends to a closed port, and stays usable', async () => {
    const sender = await open('127.0.0.1:0');
    const gone = await quietTransport('127.0.0.2:0');
    await gone.close();
    const witness = await open('127.0.0.3:0');
    const inbox = collect(witness);
    for (let count = 0; count < 5; count++) sender.send(gone.localAddress, Uint8Array.of(count));
    sender.send(witness.localAddress, Uint8Array.of(9));
    await settle(() => inbox.length === 1);
    await settle(() => sender.stats().datagramsSent + sender.stats().sendErrors === 6);
    expect(sender.stats().socketErrors).toBe(0);
    sender.send(witness.localAddress, Uint8Array.of(10));
    await settle(() => inbox.length === 2);
  });

  it('counts a send the socket refuses under its error code, without throwing', async () => {
    const sender = await open('127.0.0.1:0');
    sender.send(peerAddress('[::1]:9'), Uint8Array.of(1)); // an IPv6 peer, from an IPv4 socket
    await settle(() => sender.stats().sendErrors === 1);
    expect(sender.stats().sendErrorsByCode).toEqual({ EAFNOSUPPORT: 1 });
    expect(sender.stats().datagramsSent).toBe(0);
  });

  it('throws InvalidPeerAddressError for an address that is not host:port', async () => {
    const sender = await open('127.0.0.1:0');
    for (const address of ['127.0.0.1', '127.0.0.1:0', 'nowhere', '[::1]']) {
      const error = thrownBy(() => sender.send(address as PeerAddress, Uint8Array.of(1)));
      expect(isVigError(error, 'InvalidPeerAddressError'), address).toBe(true);
    }
    expect(sender.pendingSends).toBe(0);
  });

  it('drops and counts datagrams beyond maxPendingSends', async () => {
    const sender = await open('127.0.0.1:0', { maxPendingSends: 10 });
    const receiver = await open('127.0.0.2:0');
    const inbox = collect(receiver);
    for (let count = 0; count < 15; count++)
      sender.send(receiver.localAddress, Uint8Array.of(count));
    expect(sender.pendingSends).toBe(10);
    expect(sender.stats().droppedQueueFull).toBe(5);
    await settle(() => inbox.length === 10);
    expect(inbox.map(({ bytes }) => bytes[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('drops and counts what is still queued at close', async () => {
    const sender = await open('127.0.0.1:0');
    for (let count = 0; count < 7; count++)
      sender.send(peerAddress('127.0.0.2:9'), Uint8Array.of(1));
    await sender.close();
    expect(sender.pendingSends).toBe(0);
    expect(sender.stats().droppedAtClose).toBe(7);
    expect(sender.stats().datagramsSent).toBe(0);
  });

  it('hands over plain Uint8Array views, never Buffers', async () => {
    const sender = await open('127.0.0.1:0');
    const receiver = await open('127.0.0.2:0');
    const inbox = collect(receiver);
    sender.send(receiver.localAddress, Uint8Array.of(1, 2, 3));
    await settle(() => inbox.length === 1);
    const bytes = inbox[0]?.bytes;
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect([...(bytes ?? [])]).toEqual([1, 2, 3]);
  });

  it('catches, counts and reports once a receive handler that throws', async () => {
    const warnings: string[] = [];
    const sender = await open('127.0.0.1:0');
    const receiver = await open('127.0.0.2:0', { onWarning: (message) => warnings.push(message) });
    let calls = 0;
    receiver.onReceive(() => {
      calls += 1;
      throw new Error('handler bug');
    });
    for (let count = 0; count < 3; count++) sender.send(receiver.localAddress, Uint8Array.of(1));
    await settle(() => calls === 3);
    expect(receiver.stats().handlerErrors).toBe(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('handler bug');
  });

  it('rejects a bad bind address, a port in use and out-of-range options with typed errors', async () => {
    for (const bind of ['127.0.0.1', '127.0.0.1:70000', '[127.0.0.1]:1', '::1:0', '']) {
      const error = await quietTransport(bind).catch((caught: unknown) => caught);
      expect(isVigError(error, 'InvalidBindAddressError'), bind).toBe(true);
    }
    const taken = await open('127.0.0.1:0');
    const inUse = await quietTransport(taken.localAddress).catch((caught: unknown) => caught);
    expect(isVigError(inUse, 'UdpBindError'), String(inUse)).toBe(true);
    expect((inUse as Error).cause).toBeInstanceOf(Error);
    for (const options of [
      { receiveBufferBytes: 0 },
      { sendBufferBytes: 2 ** 31 },
      { receiveBufferBytes: 1.5 },
      { maxPendingSends: 0 },
    ]) {
      const error = await quietTransport('127.0.0.1:0', options).catch((caught: unknown) => caught);
      expect(isVigError(error, 'InvalidUdpOptionError'), JSON.stringify(options)).toBe(true);
    }
  });
});
