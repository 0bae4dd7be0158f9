import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GOSSIP_CONFIG,
  InvalidGossipConfigError,
  LAN_GOSSIP,
  LOCAL_GOSSIP,
  gossipConfig,
} from './gossip-config.js';

describe('gossipConfig', () => {
  it('fills the defaults and freezes the result', () => {
    const config = gossipConfig({ fanout: 5 });
    expect(config).toEqual({ ...DEFAULT_GOSSIP_CONFIG, fanout: 5 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('allows 0 where it disables something', () => {
    expect(
      gossipConfig({ antiEntropyInterval: 0, retransmitMultiplier: 0 }).antiEntropyInterval,
    ).toBe(0);
    expect(gossipConfig({ sourceRate: 0 }).sourceRate).toBe(0);
  });

  it.each([
    ['fanout', -1],
    ['fanout', 1.5],
    ['gossipInterval', 0],
    ['datagramBudget', Number.NaN],
    ['maxLeafEntries', 0],
    ['sourceBurst', 0],
    ['maxSources', 0],
    ['maxKeys', 0],
    ['maxEntriesPerKey', Infinity],
    ['sourceRate', -1],
  ] as const)('rejects %s = %s, naming the field', (field, value) => {
    expect(() => gossipConfig({ [field]: value })).toThrow(InvalidGossipConfigError);
    expect(() => gossipConfig({ [field]: value })).toThrow(new RegExp(`gossip config ${field} is`));
  });

  it('names a LAN and a local setting, both valid', () => {
    expect(gossipConfig(LAN_GOSSIP)).toEqual(DEFAULT_GOSSIP_CONFIG);
    expect(gossipConfig(LOCAL_GOSSIP).gossipInterval).toBeLessThan(LAN_GOSSIP.gossipInterval);
  });
});
