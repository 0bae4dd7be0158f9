import { isVigError } from '@vig/crdt-core';
import type { PeerAddress, Transport } from '@vig/gossip';
import { runTransportTests } from '@vig/gossip/testing';
import {
  DEFAULT_MAX_CLOCK_SKEW,
  createKeyring,
  encodeMessage,
  generateClusterKey,
} from '@vig/wire';
import type { Keyring } from '@vig/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeEnvelopeCrypto } from './node-envelope-crypto.js';
import { createSealedTransport } from './sealed-transport.js';
import type { SealedTransport, SealedTransportOptions } from './sealed-transport.js';
import { MAX_UDP4_DATAGRAM_BYTES, createUdpTransport } from './udp-transport.js';
import type { UdpTransport } from './udp-transport.js';
import { settle } from '../test/settle.js';

const keyA = generateClusterKey(nodeEnvelopeCrypto);
const keyB = generateClusterKey(nodeEnvelopeCrypto);

function keyring(primary: string, accepted: string[] = [], label?: string): Keyring {
  return createKeyring({
    primary,
    accepted,
    crypto: nodeEnvelopeCrypto,
    ...(label === undefined ? {} : { label }),
  });
}

/** What a test opened, closed after it whatever happened. */
const opened: Transport[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((transport) => transport.close()));
});

async function udp(bind = '127.0.0.1:0'): Promise<UdpTransport> {
  const transport = await createUdpTransport({ bind, onWarning: () => undefined });
  opened.push(transport);
  return transport;
}

async function sealed(
  ring: Keyring,
  options: SealedTransportOptions = {},
  bind = '127.0.0.1:0',
): Promise<SealedTransport> {
  const transport = createSealedTransport(await udp(bind), ring, options);
  opened.push(transport);
  return transport;
}

/** Keeps what `transport` receives. */
function collect(transport: Transport): { bytes: Uint8Array; from: PeerAddress }[] {
  const inbox: { bytes: Uint8Array; from: PeerAddress }[] = [];
  transport.onReceive((bytes, from) => inbox.push({ bytes, from }));
  return inbox;
}

runTransportTests('SealedTransport over UDP', async () => {
  const ring = keyring(keyA);
  const transports = await Promise.all(
    ['127.0.0.1:0', '127.0.0.2:0', '127.0.0.3:0'].map(async (bind) =>
      createSealedTransport(
        await createUdpTransport({ bind, onWarning: () => undefined }),
        keyring(keyA),
      ),
    ),
  );
  expect(ring.keyIds).toEqual(transports[0]?.keyring.keyIds);
  return {
    transports,
    settle,
    teardown: async () => void (await Promise.all(transports.map((end) => end.close()))),
  };
});

describe('createSealedTransport', () => {
  it('carries 40 bytes less than the socket, and seals what it sends', async () => {
    const sender = await sealed(keyring(keyA));
    const raw = await udp();
    const inbox = collect(raw);
    expect(sender.maxDatagramBytes).toBe(MAX_UDP4_DATAGRAM_BYTES - 40);
    sender.send(raw.localAddress, Uint8Array.of(1, 2, 3));
    await settle(() => inbox.length === 1);
    expect(inbox[0]?.bytes.byteLength).toBe(43);
    expect(inbox[0]?.bytes[0]).toBe(0xc1);
    expect(sender.stats()).toMatchObject({ datagramsSealed: 1, label: 'vig' });
    let thrown: unknown;
    try {
      sender.send(raw.localAddress, new Uint8Array(sender.maxDatagramBytes + 1));
    } catch (error) {
      thrown = error;
    }
    expect(isVigError(thrown, 'DatagramTooLargeError')).toBe(true);
  });

  it('drops, answering nothing, what is unsealed or sealed for another key or label, counting each', async () => {
    const receiver = await sealed(keyring(keyA, [], 'prod'));
    const inbox = collect(receiver);
    const plain = await udp();
    const otherKey = await sealed(keyring(keyB, [], 'prod'));
    const otherLabel = await sealed(keyring(keyA, [], 'staging'));
    const friend = await sealed(keyring(keyA, [], 'prod'));
    plain.send(receiver.localAddress, encodeMessage(query));
    plain.send(receiver.localAddress, new Uint8Array(0));
    plain.send(receiver.localAddress, Uint8Array.of(0xc1, 1, 2));
    otherKey.send(receiver.localAddress, encodeMessage(query));
    otherLabel.send(receiver.localAddress, encodeMessage(query));
    friend.send(receiver.localAddress, encodeMessage(query));
    await settle(() => receiver.stats().dropped === 5 && inbox.length === 1);
    expect(inbox[0]?.from).toBe(friend.localAddress);
    expect([...(inbox[0]?.bytes ?? [])]).toEqual([...encodeMessage(query)]);
    const stats = receiver.stats();
    expect(stats.droppedByReason).toEqual({
      'not-sealed': 2,
      'bad-version': 0,
      truncated: 1,
      'unknown-key': 1,
      'bad-tag': 1,
      stale: 0,
      'clock-skew': 0,
    });
    expect(stats.openedByKey).toEqual({ [receiver.keyring.primary.keyId]: 1 });
    expect(Object.isFrozen(stats)).toBe(true);
  });

  it('drops stale replays and clocks out of bounds, by the freshness rule', async () => {
    let clock = 1_767_225_600_000;
    const now = () => clock;
    const receiver = await sealed(keyring(keyA), { now, replay: { window: 1_000 } });
    const inbox = collect(receiver);
    const sender = await sealed(keyring(keyA), { now });
    const tap = await udp();
    const captured = collect(tap);
    sender.send(receiver.localAddress, Uint8Array.of(1));
    sender.send(tap.localAddress, Uint8Array.of(2)); // what an eavesdropper keeps
    await settle(() => inbox.length === 1 && captured.length === 1);

    // The capture, replayed at once from the sender's address, is within the window.
    const replay = async (): Promise<void> => {
      const before = receiver.stats().dropped + receiver.stats().datagramsOpened;
      const spoofed = await sealedSenderAt(sender);
      spoofed.send(receiver.localAddress, captured[0]?.bytes ?? new Uint8Array(0));
      await settle(() => receiver.stats().dropped + receiver.stats().datagramsOpened > before);
      await spoofed.close();
    };
    clock += 500;
    await replay();
    expect(inbox).toHaveLength(2);
    clock += 1_000; // the sender has moved on past the window: replays are stale
    await replay();
    expect(receiver.stats().droppedByReason.stale).toBe(1);
    expect(inbox).toHaveLength(2);

    // An hour beyond the largest skew allowed, whatever that is.
    const farClock = await sealed(keyring(keyA), {
      now: () => clock + DEFAULT_MAX_CLOCK_SKEW + 60 * 60 * 1000,
    });
    farClock.send(receiver.localAddress, Uint8Array.of(3));
    await settle(() => receiver.stats().droppedByReason['clock-skew'] === 1);
    expect(inbox).toHaveLength(2);
  });

  it('rotates keys in place: a new keyring applies from the next datagram', async () => {
    const receiver = await sealed(keyring(keyA));
    const inbox = collect(receiver);
    const sender = await sealed(keyring(keyA));
    receiver.setKeyring(keyring(keyA, [keyB]));
    sender.setKeyring(keyring(keyB, [keyA]));
    sender.send(receiver.localAddress, Uint8Array.of(1));
    await settle(() => inbox.length === 1);
    receiver.setKeyring(keyring(keyA));
    sender.send(receiver.localAddress, Uint8Array.of(2));
    await settle(() => receiver.stats().droppedByReason['unknown-key'] === 1);
    expect(inbox).toHaveLength(1);
    expect(receiver.stats().openedByKey).toEqual({ [sender.keyring.primary.keyId]: 1 });
    expect(receiver.stats().keyIds).toEqual([receiver.keyring.primary.keyId]);
  });
});

const query = {
  key: 'k',
  vector: { kind: 'sparse', indices: [], values: [] },
  ttl: 1,
  full: false,
} as const;

/**
 * A raw socket on `sender`'s own address, which the test frees for it: what
 * an attacker spoofing the sender's source address would send from.
 */
async function sealedSenderAt(sender: SealedTransport): Promise<UdpTransport> {
  await sender.close();
  return createUdpTransport({ bind: sender.localAddress, onWarning: () => undefined });
}
