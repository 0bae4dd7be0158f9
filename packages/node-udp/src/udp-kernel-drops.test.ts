import { describe, expect, it } from 'vitest';
import { readKernelReceiveDrops } from './udp-kernel-drops.js';
import { createUdpTransport } from './udp-transport.js';

describe('readKernelReceiveDrops', () => {
  it('reads 0 for a fresh socket on Linux (IPv4 and IPv6), undefined elsewhere or when unknown', async (context) => {
    if (process.platform !== 'linux') {
      expect(readKernelReceiveDrops('127.0.0.1:9')).toBeUndefined();
      context.skip('/proc/net/udp is Linux only');
    }
    const transports = [
      await createUdpTransport({ bind: '127.0.0.1:0', onWarning: () => undefined }),
    ];
    try {
      transports.push(await createUdpTransport({ bind: '[::1]:0', onWarning: () => undefined }));
    } catch {
      // No IPv6 loopback here: the IPv4 socket alone is checked.
    }
    try {
      for (const transport of transports) {
        expect(readKernelReceiveDrops(transport.localAddress), transport.localAddress).toBe(0);
      }
    } finally {
      await Promise.all(transports.map((transport) => transport.close()));
    }
    expect(readKernelReceiveDrops(transports[0]?.localAddress ?? '')).toBeUndefined();
    expect(readKernelReceiveDrops('not an address')).toBeUndefined();
  });
});
