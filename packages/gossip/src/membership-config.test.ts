import { isVigError } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import {
  InvalidMembershipConfigError,
  LAN_MEMBERSHIP,
  LOCAL_MEMBERSHIP,
  membershipConfig,
} from './membership-config.js';

describe('membership config', () => {
  it('defaults to LAN, and both named configs are valid and frozen', () => {
    expect(membershipConfig()).toEqual(LAN_MEMBERSHIP);
    expect(membershipConfig(LOCAL_MEMBERSHIP)).toEqual(LOCAL_MEMBERSHIP);
    expect(Object.isFrozen(LAN_MEMBERSHIP)).toBe(true);
    expect(Object.isFrozen(LOCAL_MEMBERSHIP)).toBe(true);
    expect(LAN_MEMBERSHIP).toMatchObject({
      heartbeatInterval: 1_000,
      suspectAfter: 5_000,
      deadAfter: 30_000,
    });
    expect(LOCAL_MEMBERSHIP.suspectAfter).toBeLessThan(LAN_MEMBERSHIP.suspectAfter);
  });

  it('takes single overrides', () => {
    expect(membershipConfig({ suspectAfter: 8_000 })).toEqual({
      ...LAN_MEMBERSHIP,
      suspectAfter: 8_000,
    });
  });

  it('rejects values that cannot work, naming the field', () => {
    expect(() => membershipConfig({ suspectAfter: 0 })).toThrow(
      'membership config suspectAfter is 0: expected a positive number',
    );
    expect(() => membershipConfig({ heartbeatInterval: Number.NaN })).toThrow(
      InvalidMembershipConfigError,
    );
    expect(() => membershipConfig({ deadAfter: 5_000 })).toThrow(
      'membership config deadAfter is 5000: expected more than suspectAfter (5000)',
    );
    expect(() => membershipConfig({ maxRecontactInterval: 500 })).toThrow(
      'membership config maxRecontactInterval is 500: expected at least recontactInterval (1000)',
    );
    expect(() => membershipConfig({ recontactJitter: 1.5 })).toThrow(
      'membership config recontactJitter is 1.5: expected a fraction in 0..1',
    );
    try {
      membershipConfig({ missedHeartbeats: -1 });
    } catch (error) {
      expect(isVigError(error, 'InvalidMembershipConfigError')).toBe(true);
      expect((error as InvalidMembershipConfigError).field).toBe('missedHeartbeats');
    }
  });
});
