import { describe, expect, it } from 'vitest';
import { SourceValidation, isLoopbackAddress } from './source-validation.js';
import type { SourceValidationOptions } from './source-validation.js';
import { peerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

const member = peerAddress('10.0.0.1:7946');
const seed = peerAddress('10.0.0.2:7946');
const stranger = peerAddress('10.0.0.3:7946');
const local = peerAddress('127.0.0.1:50123');

function validation(overrides: Partial<SourceValidationOptions> = {}): SourceValidation {
  const members = new Set<PeerAddress>([member]);
  return new SourceValidation({
    authenticatedTransport: false,
    trustLoopback: true,
    isLiveMember: (address) => members.has(address),
    maxContacted: 16,
    ...overrides,
  });
}

describe('SourceValidation', () => {
  it('validates live members and loopback sources, not strangers', () => {
    const sources = validation();
    expect(sources.isValidated(member)).toBe(true);
    expect(sources.isValidated(local)).toBe(true);
    expect(sources.isValidated(stranger)).toBe(false);
    expect(validation({ trustLoopback: false }).isValidated(local)).toBe(false);
  });

  it('validates an address this node contacted first, once it answers', () => {
    const sources = validation();
    sources.heardFrom(seed);
    expect(sources.isValidated(seed)).toBe(false);
    sources.contacted(seed);
    expect(sources.isValidated(seed)).toBe(false);
    sources.heardFrom(seed);
    expect(sources.isValidated(seed)).toBe(true);
    sources.contacted(seed);
    expect(sources.isValidated(seed)).toBe(true);
  });

  it('validates everyone over an authenticated transport', () => {
    expect(validation({ authenticatedTransport: true }).isValidated(stranger)).toBe(true);
  });
});

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1:7946', true],
    ['127.255.3.4:1', true],
    ['[::1]:7946', true],
    ['[::ffff:127.0.0.1]:7946', true],
    ['localhost:7946', true],
    ['10.0.0.1:7946', false],
    ['[::2]:7946', false],
    ['[::ffff:10.0.0.1]:7946', false],
    ['128.0.0.1:7946', false],
  ])('%s: %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });
});
