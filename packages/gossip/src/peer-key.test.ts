import { MaxVector, isPeerKey, isVigError } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HEARTBEAT_INDEX,
  InvalidPeerKeyError,
  LEAVE_INDEX,
  addressOfPeerKey,
  isLeaveMarked,
  leaveEntries,
  nextHeartbeat,
  peerKey,
  peerKeyOf,
  readPeerHeartbeat,
} from './peer-key.js';
import { formatPeerAddress, peerAddress } from './transport.js';

describe('peer keys', () => {
  it('are n: followed by the address, IPv6 in brackets', () => {
    expect(peerKeyOf(peerAddress('127.0.0.7:4000'))).toBe('n:127.0.0.7:4000');
    expect(peerKeyOf(peerAddress('[::1]:7946'))).toBe('n:[::1]:7946');
    expect(isPeerKey(peerKeyOf(peerAddress('node-3.local:1')))).toBe(true);
    expect(peerKey('n:127.0.0.7:4000')).toBe('n:127.0.0.7:4000');
  });

  it('give back their address', () => {
    expect(addressOfPeerKey('n:127.0.0.7:4000')).toBe('127.0.0.7:4000');
    expect(addressOfPeerKey('n:[::1]:7946')).toBe('[::1]:7946');
  });

  it('reject what is not n:host:port in canonical form', () => {
    for (const key of [
      '127.0.0.7:4000',
      'n:',
      'n:127.0.0.7',
      'n:127.0.0.7:0',
      'n:127.0.0.7:65536',
      'n:127.0.0.7:04000',
      'n:[1.2.3.4]:5',
      'n:::1:7946',
      'n:%',
      'n:127.0.0.%:4000',
      'n:*:4000',
      'n: 127.0.0.7:4000',
      'm:127.0.0.7:4000',
    ]) {
      expect(addressOfPeerKey(key), key).toBeUndefined();
      expect(() => peerKey(key), key).toThrow(InvalidPeerKeyError);
    }
    expect(() => peerKeyOf(peerAddress('a%b:1'))).toThrow(InvalidPeerKeyError);
    expect(() => peerKeyOf(peerAddress('host:007'))).toThrow(
      'peer key "n:host:007" is invalid: expected n:host:port (IPv6 as n:[host]:port) with a port in 1..65535 written without leading zeros, and no % or *',
    );
    try {
      peerKey('nope');
    } catch (error) {
      expect(isVigError(error, 'InvalidPeerKeyError')).toBe(true);
    }
  });

  it('round-trip every valid address', () => {
    const host = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.domain().filter((domain) => !domain.includes('%') && !domain.includes('*')),
    );
    fc.assert(
      fc.property(host, fc.integer({ min: 1, max: 65_535 }), (name, port) => {
        const address = formatPeerAddress(name, port);
        expect(addressOfPeerKey(peerKeyOf(address))).toBe(address);
      }),
    );
  });
});

describe('heartbeat and leave marker', () => {
  it('are read from vectors and from entries, absent as 0', () => {
    expect(readPeerHeartbeat(MaxVector.from({ [HEARTBEAT_INDEX]: 9 }))).toEqual({
      heartbeat: 9,
      leaveMarker: 0,
    });
    expect(
      readPeerHeartbeat({ kind: 'sparse', indices: [5, LEAVE_INDEX], values: [3, 12] }),
    ).toEqual({ heartbeat: 0, leaveMarker: 12 });
    expect(
      readPeerHeartbeat({ kind: 'dense', offset: 0, registers: new Uint32Array([40, 41, 7]) }),
    ).toEqual({ heartbeat: 40, leaveMarker: 41 });
    expect(readPeerHeartbeat({ kind: 'dense', offset: 1, registers: new Uint8Array([4]) })).toEqual(
      { heartbeat: 0, leaveMarker: 4 },
    );
  });

  it('mark a leave until a larger heartbeat, whatever the order merges arrive in', () => {
    const own = MaxVector.from({ [HEARTBEAT_INDEX]: 1_000 });
    own.merge(leaveEntries(readPeerHeartbeat(own)));
    expect(own.toRecord()).toEqual({ 0: 1_000, 1: 1_000 });
    expect(isLeaveMarked(readPeerHeartbeat(own))).toBe(true);

    // A replay of any earlier heartbeat changes nothing: max only raises.
    own.merge(MaxVector.from({ [HEARTBEAT_INDEX]: 999 }));
    expect(isLeaveMarked(readPeerHeartbeat(own))).toBe(true);

    // Restarting within the same clock second still ends the leave.
    const next = nextHeartbeat(readPeerHeartbeat(own), 1_000);
    expect(next).toBe(1_001);
    own.raise(HEARTBEAT_INDEX, next);
    expect(isLeaveMarked(readPeerHeartbeat(own))).toBe(false);
  });

  it('is no leave without a marker, and a leave before any heartbeat', () => {
    expect(isLeaveMarked({ heartbeat: 0, leaveMarker: 0 })).toBe(false);
    expect(isLeaveMarked({ heartbeat: 5, leaveMarker: 0 })).toBe(false);
    expect(leaveEntries({ heartbeat: 0, leaveMarker: 0 })).toEqual({
      kind: 'sparse',
      indices: [LEAVE_INDEX],
      values: [1],
    });
  });

  it('next heartbeats follow the clock and always grow', () => {
    expect(nextHeartbeat({ heartbeat: 100, leaveMarker: 0 }, 250.7)).toBe(250);
    expect(nextHeartbeat({ heartbeat: 300, leaveMarker: 0 }, 250)).toBe(301);
    expect(nextHeartbeat({ heartbeat: 300, leaveMarker: 400 }, 250)).toBe(401);
  });
});
