import { agentId } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { readVersion, readVersions, versionsArgument, versionsText } from './doc-version-text.js';

const alice = agentId('3fK9aB2cQz8wLm0p');
const bob = agentId('Qz8wLm0p3fK9aB2c');

describe('version text', () => {
  it('prints versions as AGENT:SEQ joined by commas, and reads them back', () => {
    const versions = [
      { agent: alice, seq: 4 },
      { agent: bob, seq: 0 },
    ];
    const text = versionsText(versions);
    expect(text).toBe('3fK9aB2cQz8wLm0p:4,Qz8wLm0p3fK9aB2c:0');
    expect(readVersions(text)).toEqual(versions);
    expect(versionsText([])).toBe('(empty)');
  });

  it('takes the agent up to the last colon, so an agent may hold colons', () => {
    expect(readVersion('host:7946:12')).toEqual({ agent: 'host:7946', seq: 12 });
    expect(readVersion(`${'a'.repeat(64)}:0`)).toEqual({ agent: 'a'.repeat(64), seq: 0 });
  });

  it.each([
    ['no colon', 'main'],
    ['no agent', ':3'],
    ['no seq', 'agent:'],
    ['a negative seq', 'agent:-1'],
    ['a fractional seq', 'agent:1.5'],
    ['a seq above 2^53-1', 'agent:9007199254740992'],
    ['an agent of 65 characters', `${'a'.repeat(65)}:0`],
    ['an empty text', ''],
  ])('reads no version from %s', (_name, text) => {
    expect(readVersion(text)).toBeUndefined();
    expect(readVersions(text)).toBeUndefined();
  });

  it('reads no list when one part is not a version', () => {
    expect(readVersions('a:1,b')).toBeUndefined();
    expect(readVersions('a:1,')).toBeUndefined();
    expect(() => versionsArgument('--parents')('a:1,b')).toThrow(
      '--parents "a:1,b" is invalid: expected AGENT:SEQ[,AGENT:SEQ…]',
    );
  });
});
