import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peerAddress } from '../transport.js';
import { createSimulatedNetwork, totalDropped } from './index.js';

const senders = ['127.0.0.1:1', '127.0.0.2:1', '127.0.0.3:1'].map(peerAddress);
const receiver = peerAddress('127.0.0.9:1');

const scenario = fc.record({
  seed: fc.integer(),
  loss: fc.double({ min: 0, max: 1, noNaN: true }),
  duplicate: fc.double({ min: 0, max: 1, noNaN: true }),
  reorder: fc.double({ min: 0, max: 1, noNaN: true }),
  reorderDelay: fc.nat({ max: 200 }),
  delay: fc.nat({ max: 50 }),
  jitter: fc.nat({ max: 50 }),
  /** Per datagram: which sender, and when (virtual ms). */
  sends: fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 300 })), { maxLength: 120 }),
  crashAt: fc.nat({ max: 300 }),
  restartAt: fc.option(fc.nat({ max: 200 }), { nil: undefined }),
});

describe('createSimulatedNetwork (property)', () => {
  it('delivers each datagram at most 1 + duplicates times, and nothing across a crash', () => {
    fc.assert(
      fc.property(scenario, (run) => {
        const network = createSimulatedNetwork({ seed: run.seed, defaults: run });
        const transports = senders.map((address) => network.transport(address));
        let target = network.transport(receiver);
        let crashed = false;
        let crashHappened = false;
        const deliveries = new Map<number, number>();
        const sentBeforeCrash = new Set<number>();
        const sentWhileCrashed = new Set<number>();
        const violations: string[] = [];
        let nextDatagram = 0;
        network.onDelivery((event) => {
          deliveries.set(event.datagram, (deliveries.get(event.datagram) ?? 0) + 1);
          if (crashed && event.to === receiver) violations.push(`delivered while crashed`);
          if (sentWhileCrashed.has(event.datagram)) {
            violations.push(`datagram ${event.datagram} sent to a crashed node was delivered`);
          }
          if (crashHappened && sentBeforeCrash.has(event.datagram)) {
            violations.push(`datagram ${event.datagram} delivered after the crash`);
          }
        });
        let received = 0;
        target.onReceive(() => (received += 1));

        for (const [sender, at] of run.sends) {
          network.scheduler.after(at, () => {
            const datagram = nextDatagram++;
            if (!crashHappened) sentBeforeCrash.add(datagram);
            if (crashed) sentWhileCrashed.add(datagram);
            transports[sender].send(receiver, Uint8Array.of(datagram & 0xff));
          });
        }
        network.scheduler.after(run.crashAt, () => {
          network.crash(receiver);
          crashed = true;
          crashHappened = true;
          if (run.restartAt !== undefined) {
            network.scheduler.after(run.restartAt, () => {
              crashed = false;
              target = network.restart(receiver);
              target.onReceive(() => (received += 1));
            });
          }
        });
        network.scheduler.runUntilIdle(10_000);

        expect(violations).toEqual([]);
        const most = run.duplicate > 0 ? 2 : 1;
        for (const count of deliveries.values()) expect(count).toBeLessThanOrEqual(most);
        const totals = network.totals();
        expect(totals.sent).toBe(run.sends.length);
        expect(totals.delivered).toBe(received);
        expect(totals.sent + totals.duplicated).toBe(totals.delivered + totalDropped(totals));
        if (run.loss === 1) expect(received).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
