import { isVigError } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { peerAddress } from '../transport.js';
import type { Transport } from '../transport.js';
import {
  AddressInUseError,
  InvalidDatagramLimitError,
  InvalidLinkConditionsError,
  OverlappingPartitionError,
  UnknownAddressError,
  createSimulatedNetwork,
  runTransportTests,
  totalDropped,
} from './index.js';
import type { DeliveryEvent, LinkConditions, SimulatedNetwork } from './index.js';

/** The transport suite's setup over a fresh network with these link conditions. */
function suiteSetup(defaults: LinkConditions) {
  return () => {
    const network = createSimulatedNetwork({ seed: 11, defaults });
    const transports = ['127.0.0.1:7946', '127.0.0.2:7946', '[fd00::3]:7946'].map((address) =>
      network.transport(address),
    );
    return Promise.resolve({
      transports,
      settle: (until: () => boolean) => {
        network.scheduler.runUntil(until, 60_000);
        return Promise.resolve();
      },
      teardown: async () => {
        await Promise.all(transports.map((transport) => transport.close()));
      },
    });
  };
}

runTransportTests('simulated network', suiteSetup({}));
runTransportTests(
  'simulated network with delay, jitter and reordering',
  suiteSetup({ delay: 15, jitter: 30, reorder: 0.3, reorderDelay: 80 }),
);

const a = peerAddress('127.0.0.1:1');
const b = peerAddress('127.0.0.2:1');
const c = peerAddress('127.0.0.3:1');
const d = peerAddress('127.0.0.4:1');

/** A network with transports at a, b, c and d, each keeping what it receives. */
function fourNodes(
  defaults: LinkConditions = {},
  seed = 1,
): {
  network: SimulatedNetwork;
  transports: Transport[];
  inboxes: number[][];
} {
  const network = createSimulatedNetwork({ seed, defaults });
  const transports = [a, b, c, d].map((address) => network.transport(address));
  const inboxes = transports.map((transport) => {
    const inbox: number[] = [];
    transport.onReceive((bytes) => inbox.push(bytes[0] ?? -1));
    return inbox;
  });
  return { network, transports, inboxes };
}

/** Every delivery of a run: a → b and c → b traffic, numbered, every millisecond. */
function deliveryLog(seed: number, defaults: LinkConditions, count = 500): string[] {
  const network = createSimulatedNetwork({ seed, defaults });
  const [first, receiver, third] = [a, b, c].map((address) => network.transport(address));
  receiver.onReceive(() => undefined);
  const log: string[] = [];
  network.onDelivery((event) =>
    log.push(`${event.datagram} ${event.from}>${event.to} ${event.deliveredAt} ${event.bytes[0]}`),
  );
  for (let index = 0; index < count; index++) {
    network.scheduler.after(index, () => {
      first.send(b, Uint8Array.of(index & 0xff, 1));
      third.send(b, Uint8Array.of(index & 0xff, 3));
    });
  }
  network.scheduler.runUntilIdle(60_000);
  return log;
}

describe('createSimulatedNetwork: determinism', () => {
  const lossy = { loss: 0.2, delay: 5, jitter: 20, duplicate: 0.1, reorder: 0.2 };

  it('gives the same delivery log for the same seed, a different one for another', () => {
    const first = deliveryLog(42, lossy);
    expect(first.length).toBeGreaterThan(700);
    expect(deliveryLog(42, lossy)).toEqual(first);
    expect(deliveryLog(43, lossy)).not.toEqual(first);
  });

  it('keeps link choices apart from what the code under test draws from network.random', () => {
    const network = createSimulatedNetwork({ seed: 5 });
    const again = createSimulatedNetwork({ seed: 5 });
    const values = Array.from({ length: 5 }, () => network.random());
    expect(values).toEqual(Array.from({ length: 5 }, () => again.random()));
    expect(createSimulatedNetwork({ seed: 6 }).random()).not.toBe(values[0]);
  });
});

describe('createSimulatedNetwork: link conditions', () => {
  it('loses datagrams at the configured rate', () => {
    const { network, transports, inboxes } = fourNodes({ loss: 0.3 });
    const count = 20_000;
    for (let index = 0; index < count; index++) transports[0].send(b, Uint8Array.of(1));
    network.scheduler.runUntilIdle(1_000);
    const lossRate = 1 - inboxes[1].length / count;
    expect(lossRate).toBeGreaterThan(0.28);
    expect(lossRate).toBeLessThan(0.32);
    expect(network.counters(a).dropped.loss).toBe(count - inboxes[1].length);
  });

  it('applies per-link conditions in one direction only, and {} resets a link', () => {
    const { network, transports, inboxes } = fourNodes();
    network.setLink(a, b, { loss: 1 });
    expect(network.linkConditions(a, b).loss).toBe(1);
    expect(network.linkConditions(b, a).loss).toBe(0);
    transports[0].send(b, Uint8Array.of(1));
    transports[1].send(a, Uint8Array.of(2));
    transports[0].send(c, Uint8Array.of(3));
    network.scheduler.runUntilIdle(100);
    expect(inboxes.slice(0, 3)).toEqual([[2], [], [3]]);
    network.setLink(a, b, {});
    transports[0].send(b, Uint8Array.of(4));
    network.scheduler.runUntilIdle(100);
    expect(inboxes[1]).toEqual([4]);
  });

  it('resolves link overrides over the current defaults', () => {
    const network = createSimulatedNetwork({ seed: 1, defaults: { delay: 5 } });
    network.setLink(a, b, { loss: 0.5 });
    network.setDefaults({ delay: 40, jitter: 2 });
    expect(network.linkConditions(a, b)).toMatchObject({ loss: 0.5, delay: 40, jitter: 2 });
    expect(network.linkConditions(c, d)).toMatchObject({ loss: 0, delay: 40, jitter: 2 });
  });

  it('delays every copy by delay plus at most jitter, spread across that range', () => {
    const { network, transports } = fourNodes({ delay: 20, jitter: 30 });
    const delays: number[] = [];
    network.onDelivery((event) => delays.push(event.deliveredAt - event.sentAt));
    for (let index = 0; index < 2_000; index++) {
      network.scheduler.after(index % 7, () => transports[0].send(b, Uint8Array.of(0)));
    }
    network.scheduler.runUntilIdle(1_000);
    expect(delays).toHaveLength(2_000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...delays)).toBeLessThanOrEqual(50);
    expect(Math.min(...delays)).toBeLessThan(21);
    expect(Math.max(...delays)).toBeGreaterThan(49);
  });

  it('duplicates at the configured rate, each copy its own array', () => {
    const { network, transports } = fourNodes({ duplicate: 0.2, jitter: 5 });
    const copies = new Map<number, DeliveryEvent[]>();
    network.onDelivery((event) =>
      copies.set(event.datagram, [...(copies.get(event.datagram) ?? []), event]),
    );
    for (let index = 0; index < 5_000; index++) transports[0].send(b, Uint8Array.of(9));
    network.scheduler.runUntilIdle(1_000);
    const twice = [...copies.values()].filter((events) => events.length === 2);
    expect(copies.size).toBe(5_000);
    expect([...copies.values()].every((events) => events.length <= 2)).toBe(true);
    expect(twice.length / 5_000).toBeGreaterThan(0.17);
    expect(twice.length / 5_000).toBeLessThan(0.23);
    expect(network.totals().duplicated).toBe(twice.length);
    const [original, duplicate] = twice[0];
    expect(original.bytes).not.toBe(duplicate.bytes);
    expect([original.duplicate, duplicate.duplicate].sort()).toEqual([false, true]);
  });

  it('reorders when told to, and keeps order on a link without jitter or reordering', () => {
    const arrivals = (conditions: LinkConditions): number[] => {
      const { network, transports } = fourNodes(conditions);
      const order: number[] = [];
      network.onDelivery((event) => order.push(event.datagram));
      for (let index = 0; index < 300; index++) {
        network.scheduler.after(index, () => transports[0].send(b, Uint8Array.of(0)));
      }
      network.scheduler.runUntilIdle(10_000);
      return order;
    };
    const inversions = (order: number[]): number =>
      order.filter((datagram, index) => index > 0 && datagram < (order[index - 1] ?? 0)).length;

    expect(inversions(arrivals({ delay: 5 }))).toBe(0);
    const reordered = arrivals({ delay: 5, reorder: 0.2, reorderDelay: 30 });
    expect(reordered).toHaveLength(300);
    expect(inversions(reordered)).toBeGreaterThan(20);
  });

  it('never delivers inside send, even with no delay', () => {
    const { network, transports, inboxes } = fourNodes({ delay: 0 });
    transports[0].send(b, Uint8Array.of(1));
    expect(inboxes[1]).toEqual([]);
    expect(network.inFlight).toBe(1);
    network.scheduler.advance(0);
    expect(inboxes[1]).toEqual([1]);
    expect(network.inFlight).toBe(0);
  });

  it('rejects conditions out of range, and a bad datagram limit', () => {
    const network = createSimulatedNetwork({ seed: 1 });
    expect(() => network.setLink(a, b, { loss: 1.5 })).toThrow(InvalidLinkConditionsError);
    expect(() => network.setDefaults({ delay: -1 })).toThrow(
      'link condition delay = -1 is invalid: expected a finite number of milliseconds ≥ 0',
    );
    expect(() => createSimulatedNetwork({ seed: 1, defaults: { duplicate: Number.NaN } })).toThrow(
      InvalidLinkConditionsError,
    );
    expect(() => createSimulatedNetwork({ seed: 1, maxDatagramBytes: 0 })).toThrow(
      InvalidDatagramLimitError,
    );
    const small = createSimulatedNetwork({ seed: 1, maxDatagramBytes: 1_400 });
    const transport = small.transport(a);
    expect(transport.maxDatagramBytes).toBe(1_400);
    expect(() => transport.send(b, new Uint8Array(1_401))).toThrow(
      'datagram of 1401 bytes is over the transport’s limit of 1400 bytes'.replace('’', "'"),
    );
  });
});

describe('createSimulatedNetwork: partitions', () => {
  it('drops datagrams across groups, unlisted addresses forming one more group, until healed', () => {
    const { network, transports, inboxes } = fourNodes();
    network.partition([a, b], [c]);
    const sendAll = (value: number): void => {
      for (const sender of transports) {
        for (const receiver of [a, b, c, d]) {
          if (receiver !== sender.localAddress) sender.send(receiver, Uint8Array.of(value));
        }
      }
    };
    sendAll(1);
    network.scheduler.runUntilIdle(100);
    expect(inboxes.map((inbox) => inbox.length)).toEqual([1, 1, 0, 0]);
    expect(network.totals().dropped.partition).toBe(10);

    network.heal();
    sendAll(2);
    network.scheduler.runUntilIdle(100);
    expect(inboxes.map((inbox) => inbox.length)).toEqual([4, 4, 3, 3]);
  });

  it('drops what was in flight across a partition that began, and delivers what was sent before healing', () => {
    const { network, transports, inboxes } = fourNodes({ delay: 50 });
    transports[0].send(c, Uint8Array.of(1));
    network.scheduler.advance(10);
    network.partition([a], [c]);
    network.scheduler.advance(100);
    expect(inboxes[2]).toEqual([]);
    expect(network.counters(a).dropped.partition).toBe(1);

    network.heal();
    transports[0].send(c, Uint8Array.of(2));
    network.scheduler.runUntilIdle(100);
    expect(inboxes[2]).toEqual([2]);
  });

  it('refuses an address in two groups', () => {
    const network = createSimulatedNetwork({ seed: 1 });
    expect(() => network.partition([a, b], [b, c])).toThrow(OverlappingPartitionError);
  });
});

describe('createSimulatedNetwork: crashes, restarts and closes', () => {
  it('loses what is in flight to a crashed node and drops what it sends', () => {
    const { network, transports, inboxes } = fourNodes({ delay: 20 });
    transports[0].send(b, Uint8Array.of(1));
    network.scheduler.advance(10);
    network.crash(b);
    expect(network.isCrashed(b)).toBe(true);
    transports[1].send(a, Uint8Array.of(2));
    transports[2].send(b, Uint8Array.of(3));
    network.scheduler.runUntilIdle(100);
    expect(inboxes[1]).toEqual([]);
    expect(inboxes[0]).toEqual([]);
    expect(network.counters(a).dropped.crashed).toBe(1);
    expect(network.counters(b).dropped.crashed).toBe(1);
    expect(network.counters(c).dropped.crashed).toBe(1);
    expect(() => network.transport(b)).toThrow(AddressInUseError);
  });

  it('restarts a node with a fresh transport; the old one stays dead', () => {
    const { network, transports, inboxes } = fourNodes({ delay: 20 });
    transports[0].send(b, Uint8Array.of(1));
    network.scheduler.advance(5);
    const restarted = network.restart(b); // a running node is crashed first
    const received: number[] = [];
    restarted.onReceive((bytes) => received.push(bytes[0] ?? -1));
    transports[0].send(b, Uint8Array.of(2));
    transports[1].send(a, Uint8Array.of(3)); // the old transport
    restarted.send(a, Uint8Array.of(4));
    network.scheduler.runUntilIdle(100);
    expect(received).toEqual([2]);
    expect(inboxes[1]).toEqual([]);
    expect(inboxes[0]).toEqual([4]);
    expect(network.isCrashed(b)).toBe(false);
    expect(network.counters(b).dropped.crashed).toBe(1);
    expect(network.counters(a).dropped.crashed).toBe(1);
  });

  it('drops datagrams to a closed transport and frees its address', async () => {
    const { network, transports, inboxes } = fourNodes({ delay: 20 });
    transports[0].send(b, Uint8Array.of(1));
    await transports[1].close();
    transports[0].send(b, Uint8Array.of(2));
    network.scheduler.runUntilIdle(100);
    expect(inboxes[1]).toEqual([]);
    expect(network.counters(a).dropped.closed).toBe(2);
    const reopened = network.transport(b);
    let received = 0;
    reopened.onReceive(() => (received += 1));
    transports[0].send(b, Uint8Array.of(3));
    network.scheduler.runUntilIdle(100);
    expect(received).toBe(1);
  });

  it('refuses a taken address and unknown crash or restart targets', () => {
    const network = createSimulatedNetwork({ seed: 1 });
    network.transport(a);
    const error = (() => {
      try {
        network.transport(a);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isVigError(error, 'AddressInUseError')).toBe(true);
    expect(() => network.crash(b)).toThrow(UnknownAddressError);
    expect(() => network.restart(b)).toThrow(UnknownAddressError);
    expect(() => network.transport('nope')).toThrow('peer address "nope" is invalid');
  });
});

describe('createSimulatedNetwork: counters and observers', () => {
  it('counts per address and in total, and the totals add up', () => {
    const { network, transports } = fourNodes({ loss: 0.2, duplicate: 0.2, delay: 10 });
    transports[0].send(peerAddress('127.9.9.9:1'), Uint8Array.of(0));
    for (let index = 0; index < 1_000; index++) {
      network.scheduler.after(index % 50, () => {
        transports[index % 4].send([a, b, c, d][(index + 1) % 4], Uint8Array.of(0));
      });
    }
    network.scheduler.advance(30);
    network.crash(c);
    network.scheduler.advance(5);
    const totals = network.totals();
    expect(totals.sent).toBe(721); // what was due by 35 ms
    expect(totals.dropped.unreachable).toBe(1);
    expect(totals.sent + totals.duplicated).toBe(
      totals.delivered + totalDropped(totals) + network.inFlight,
    );
    network.scheduler.runUntilIdle(1_000);
    const settled = network.totals();
    expect(network.inFlight).toBe(0);
    expect(settled.sent).toBe(1_001);
    expect(settled.sent + settled.duplicated).toBe(settled.delivered + totalDropped(settled));
    expect(settled.received).toBe(settled.delivered);
    expect(settled.dropped.crashed).toBeGreaterThan(0);
    const perAddress = [a, b, c, d].map((address) => network.counters(address));
    expect(perAddress.reduce((sum, counters) => sum + counters.sent, 0)).toBe(settled.sent);
    expect(perAddress.reduce((sum, counters) => sum + counters.received, 0)).toBe(
      settled.delivered,
    );
    expect(network.counters(c).received).toBeLessThan(network.counters(b).received);
    expect(network.counters(peerAddress('127.8.8.8:1')).sent).toBe(0);
  });

  it('reports drops with their reason, and stops observers on request', () => {
    const { network, transports } = fourNodes();
    const reasons: string[] = [];
    const deliveries: string[] = [];
    const stopDrops = network.onDrop((event) => reasons.push(`${event.reason} ${event.to}`));
    const stopDeliveries = network.onDelivery((event) => deliveries.push(event.to));
    network.crash(c);
    transports[0].send(c, Uint8Array.of(0));
    transports[0].send(b, Uint8Array.of(0));
    network.scheduler.runUntilIdle(100);
    stopDrops();
    stopDeliveries();
    transports[0].send(c, Uint8Array.of(0));
    transports[0].send(b, Uint8Array.of(0));
    network.scheduler.runUntilIdle(100);
    expect(reasons).toEqual([`crashed ${c}`]);
    expect(deliveries).toEqual([b]);
  });
});
