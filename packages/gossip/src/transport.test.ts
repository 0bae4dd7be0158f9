import { describe, expect, it } from 'vitest';
import {
  InvalidPeerAddressError,
  formatPeerAddress,
  parsePeerAddress,
  peerAddress,
  seededRandom,
} from './index.js';
import { isVigError } from '@vig/crdt-core';

describe('peer addresses', () => {
  it('parses host:port, with IPv6 hosts in brackets', () => {
    expect(parsePeerAddress('127.0.0.1:7946')).toEqual({ host: '127.0.0.1', port: 7946 });
    expect(parsePeerAddress('[::1]:7946')).toEqual({ host: '::1', port: 7946 });
    expect(parsePeerAddress('node-3.cluster.local:1')).toEqual({
      host: 'node-3.cluster.local',
      port: 1,
    });
  });

  it('rejects what is not host:port with a port in 1..65535', () => {
    for (const address of [
      '127.0.0.1',
      ':7946',
      '127.0.0.1:0',
      '127.0.0.1:65536',
      '::1:7946',
      'a b:1',
      '[::1]',
      '127.0.0.1:79x',
    ]) {
      expect(parsePeerAddress(address), address).toBeUndefined();
    }
    expect(() => peerAddress('127.0.0.1')).toThrow(InvalidPeerAddressError);
    expect(() => peerAddress('127.0.0.1')).toThrow(
      'peer address "127.0.0.1" is invalid: expected host:port (IPv6 as [host]:port) with a port in 1..65535',
    );
    try {
      peerAddress('nope');
    } catch (error) {
      expect(isVigError(error, 'InvalidPeerAddressError')).toBe(true);
    }
  });

  it('formats hosts and ports, bracketing IPv6', () => {
    expect(formatPeerAddress('127.0.0.2', 7000)).toBe('127.0.0.2:7000');
    expect(formatPeerAddress('::1', 7000)).toBe('[::1]:7000');
    expect(() => formatPeerAddress('127.0.0.1', 0)).toThrow(InvalidPeerAddressError);
  });
});

describe('seededRandom', () => {
  it('replays the same sequence from the same seed, in [0, 1)', () => {
    const first = seededRandom(7);
    const second = seededRandom(7);
    const values = Array.from({ length: 1000 }, () => first());
    expect(values).toEqual(Array.from({ length: 1000 }, () => second()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
    expect(seededRandom(8)()).not.toBe(seededRandom(7)());
  });
});
