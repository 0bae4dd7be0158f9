import { describe, expect, it } from 'vitest';
import { collectAddress, parseAddress } from './parse-address.js';
import { UsageError } from './usage-error.js';

describe('parseAddress', () => {
  it('accepts HOST:PORT and [IPv6]:PORT unchanged', () => {
    expect(parseAddress('127.0.0.1:7946')).toBe('127.0.0.1:7946');
    expect(parseAddress('node-1.local:4000')).toBe('node-1.local:4000');
    expect(parseAddress('[::1]:7946')).toBe('[::1]:7946');
  });

  it.each([
    '127.0.0.1',
    '127.0.0.1:',
    ':7946',
    '127.0.0.1:0',
    '127.0.0.1:65536',
    'a:b',
    '::1:7946',
  ])('refuses %j', (address) => {
    expect(() => parseAddress(address)).toThrow(UsageError);
  });

  it('accepts port 0 only when any port is allowed (for --bind)', () => {
    expect(parseAddress('127.0.0.1:0', true)).toBe('127.0.0.1:0');
    expect(() => parseAddress('127.0.0.1:00', true)).toThrow(UsageError);
    expect(() => parseAddress(':0', true)).toThrow(UsageError);
  });
});

describe('collectAddress', () => {
  it('adds each checked address to those before it', () => {
    expect(collectAddress('127.0.0.2:1', collectAddress('127.0.0.1:1'))).toEqual([
      '127.0.0.1:1',
      '127.0.0.2:1',
    ]);
  });
});
