import { describe, expect, it } from 'vitest';
import { SendPacer } from './send-pacer.js';
import { peerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

const alice = peerAddress('127.0.0.1:7946');
const bob = peerAddress('127.0.0.2:7946');

function pacer(bytesPerInterval: number, maxQueuedPerPeer: number, maxQueued = Infinity) {
  const sent: [PeerAddress, number][] = [];
  const dropped: [PeerAddress, number][] = [];
  const instance = new SendPacer({
    bytesPerInterval,
    maxQueuedPerPeer,
    maxQueued,
    transmit: (to, datagram) => sent.push([to, datagram[0] ?? -1]),
    onQueueFull: (to, datagram) => dropped.push([to, datagram[0] ?? -1]),
  });
  return { instance, sent, dropped };
}

const datagram = (tag: number, size = 100) => new Uint8Array(size).fill(tag);

describe('SendPacer', () => {
  it('sends at once within the budget, then queues until the next interval', () => {
    const { instance, sent } = pacer(250, 10);
    instance.send(alice, datagram(1));
    instance.send(alice, datagram(2));
    instance.send(alice, datagram(3));
    expect(sent).toEqual([
      [alice, 1],
      [alice, 2],
    ]);
    expect(instance.queued).toBe(1);

    instance.nextInterval();
    expect(sent.at(-1)).toEqual([alice, 3]);
    expect(instance.queued).toBe(0);
  });

  it('keeps each peer in order: a datagram never overtakes one queued before it', () => {
    const { instance, sent } = pacer(150, 10);
    instance.send(alice, datagram(1));
    instance.send(alice, datagram(2));
    instance.nextInterval();
    instance.send(alice, datagram(3));
    instance.nextInterval();
    expect(sent.map(([, tag]) => tag)).toEqual([1, 2, 3]);
  });

  it('drains queues one datagram per peer in turn', () => {
    const { instance, sent } = pacer(100, 10);
    instance.send(alice, datagram(1));
    instance.send(alice, datagram(2));
    instance.send(alice, datagram(3));
    instance.send(bob, datagram(4));
    sent.length = 0;
    instance.nextInterval(); // budget for one: alice's 2, and alice goes to the back
    instance.nextInterval(); // bob's 4
    instance.nextInterval(); // alice's 3
    expect(sent.map(([, tag]) => tag)).toEqual([2, 4, 3]);
    expect(instance.queued).toBe(0);
  });

  it('sends the first datagram of an interval even when it is larger than the budget', () => {
    const { instance, sent } = pacer(10, 1);
    instance.send(alice, datagram(1, 500));
    expect(sent).toHaveLength(1);
  });

  it('drops, and reports, a datagram whose peer queue is full', () => {
    const { instance, dropped } = pacer(100, 2);
    for (let tag = 1; tag <= 5; tag++) instance.send(alice, datagram(tag));
    expect(dropped).toEqual([
      [alice, 4],
      [alice, 5],
    ]);
    instance.clear();
    expect(instance.queued).toBe(0);
  });

  it('bounds the datagrams queued for all peers together', () => {
    const { instance, dropped } = pacer(100, 10, 50);
    instance.send(alice, datagram(0));
    for (let index = 0; index < 10_000; index++) {
      instance.send(peerAddress(`10.0.${index >> 8}.${index & 255}:1`), datagram(1));
    }
    expect(instance.queued).toBe(50);
    expect(dropped).toHaveLength(10_000 - 50);
  });
});
