import { describe, expect, it } from 'vitest';
import { formatPeerAddress, seededRandom } from '../index.js';
import { createSimulatedNetwork } from './index.js';

describe('createSimulatedNetwork at scale', () => {
  // How fast this runs is reported by benchmarks, never asserted here.
  it('carries a simulated minute of 1000 nodes gossiping every 200 ms to 3 peers', () => {
    const nodes = 1_000;
    const interval = 200;
    const fanout = 3;
    const network = createSimulatedNetwork({
      seed: 1,
      defaults: { delay: 2, jitter: 3, loss: 0.01, duplicate: 0.001, reorder: 0.01 },
    });
    const random = seededRandom(9);
    const addresses = Array.from({ length: nodes }, (_, index) =>
      formatPeerAddress(`127.0.${index >> 8}.${index & 0xff}`, 7946),
    );
    const payload = new Uint8Array(100);
    let received = 0;
    for (const address of addresses) {
      const transport = network.transport(address);
      transport.onReceive(() => (received += 1));
      const gossip = (): void => {
        for (let peer = 0; peer < fanout; peer++) {
          transport.send(addresses[Math.floor(random() * nodes)], payload);
        }
        network.scheduler.after(interval, gossip);
      };
      network.scheduler.after(random() * interval, gossip);
    }

    network.scheduler.advance(60_000);

    const totals = network.totals();
    expect(totals.sent).toBeGreaterThan(899_000);
    expect(received).toBe(totals.delivered);
    expect(totals.delivered / totals.sent).toBeGreaterThan(0.98);
    expect(network.inFlight).toBeLessThan(nodes * fanout);
  });
});
