import { describe, expect, it } from 'vitest';
import { PeerCapabilities } from './peer-capabilities.js';
import { peerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

const ruby = peerAddress('10.0.0.1:7946');
const vig = peerAddress('10.0.0.2:7946');

function capabilities(known: ReadonlySet<PeerAddress>, maxStrangers = 8): PeerCapabilities {
  return new PeerCapabilities({ isKnownPeer: (address) => known.has(address), maxStrangers });
}

describe('PeerCapabilities', () => {
  it('tells Vig peers from plain peers and peers not heard from', () => {
    const peers = capabilities(new Set([ruby]));
    peers.noteVersion(ruby, undefined);
    peers.noteVersion(vig, 1);
    peers.noteVersion(vig, undefined);
    expect(peers.isPlainPeer(ruby)).toBe(true);
    expect(peers.isVigPeer(ruby)).toBe(false);
    expect(peers.isVigPeer(vig)).toBe(true);
    expect(peers.vigVersion(vig)).toBe(1);
    expect(peers.vigVersion(ruby)).toBeUndefined();
    const silent = peerAddress('10.0.0.9:7946');
    expect(peers.isPlainPeer(silent) || peers.isVigPeer(silent)).toBe(false);
  });

  it('keeps known peers for good and at most maxStrangers other senders', () => {
    const peers = capabilities(new Set([vig]), 100);
    peers.noteVersion(vig, 1);
    for (let index = 0; index < 100_000; index++) {
      peers.noteVersion(
        peerAddress(`10.9.${(index >> 8) & 255}.${index & 255}:${1 + (index >> 16)}`),
        1,
      );
    }
    expect(peers.strangers).toBe(100);
    expect(peers.isVigPeer(vig)).toBe(true);
  });

  it('moves a sender to the known peers once it has a peer key', () => {
    const known = new Set<PeerAddress>();
    const peers = capabilities(known, 1);
    peers.noteVersion(vig, 1);
    known.add(vig);
    peers.noteVersion(vig, undefined);
    peers.noteVersion(ruby, undefined);
    expect(peers.strangers).toBe(1);
    expect(peers.vigVersion(vig)).toBe(1);
  });
});
