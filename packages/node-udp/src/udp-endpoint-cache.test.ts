import { isVigError } from '@vig/crdt-core';
import type { PeerAddress } from '@vig/gossip';
import { describe, expect, it } from 'vitest';
import { EndpointCache } from './udp-endpoint-cache.js';

describe('EndpointCache', () => {
  it('turns addresses into endpoints and senders into canonical addresses, both ways', () => {
    const cache = new EndpointCache();
    expect(cache.endpoint('[::1]:7946' as PeerAddress)).toEqual({ host: '::1', port: 7946 });
    expect(cache.endpoint('127.0.0.2:7946' as PeerAddress)).toEqual({
      host: '127.0.0.2',
      port: 7946,
    });
    expect(cache.address('::1', 7946)).toBe('[::1]:7946');
    expect(cache.address('127.0.0.2', 7946)).toBe('127.0.0.2:7946');
    expect(cache.address('127.0.0.2', 7946)).toBe('127.0.0.2:7946');
  });

  it('gives no address for a zoned IPv6 sender, and throws for a bad peer address', () => {
    const cache = new EndpointCache();
    expect(cache.address('fe80::1%eth0', 7946)).toBeUndefined();
    expect(cache.address('fe80::1%eth0', 7946)).toBeUndefined();
    const error = (() => {
      try {
        cache.endpoint('127.0.0.1:0' as PeerAddress);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isVigError(error, 'InvalidPeerAddressError')).toBe(true);
  });

  it('stays correct past its memory limit', () => {
    const cache = new EndpointCache();
    for (let port = 1; port <= 10_000; port++) {
      expect(cache.address('127.0.0.1', port)).toBe(`127.0.0.1:${port}`);
      expect(cache.endpoint(`127.0.0.1:${port}` as PeerAddress).port).toBe(port);
    }
  });
});
