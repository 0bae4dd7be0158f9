import { describe, expect, it } from 'vitest';
import { isVigError } from '@vig/crdt-core';
import {
  DEFAULT_FORGET_AFTER,
  DEFAULT_MAX_CLOCK_SKEW,
  DEFAULT_REPLAY_WINDOW,
  createReplayGuard,
} from '@vig/wire';

const hour = 60 * 60 * 1000;
const start = 1_767_225_600_000;

describe('createReplayGuard', () => {
  it('accepts a sender’s datagrams in any order within the window', () => {
    const guard = createReplayGuard();
    const sender = '10.0.0.1:7946';
    expect(guard.check(sender, start, start + 3)).toBe('fresh');
    expect(guard.check(sender, start + 100, start + 103)).toBe('fresh');
    // Reordered, and duplicated: max data and membership absorb both.
    expect(guard.check(sender, start + 50, start + 104)).toBe('fresh');
    expect(guard.check(sender, start + 50, start + 105)).toBe('fresh');
    expect(guard.check(sender, start + 100 - DEFAULT_REPLAY_WINDOW, start + 103)).toBe('fresh');
    expect(guard.check(sender, start + 99 - DEFAULT_REPLAY_WINDOW, start + 103)).toBe('stale');
  });

  it('refuses replays of a silent sender once the window has passed since its last datagram', () => {
    const guard = createReplayGuard({ window: 1_000 });
    const sender = '10.0.0.2:7946';
    expect(guard.check(sender, start, start)).toBe('fresh');
    // The sender crashed; its last datagram, replayed 0.9 s and then 1.1 s later.
    expect(guard.check(sender, start, start + 900)).toBe('fresh');
    expect(guard.check(sender, start, start + 1_100)).toBe('stale');
    // Replayed from another address, it starts that address's record: see docs/security.md.
    expect(guard.check('10.0.0.99:4000', start, start + 1_100)).toBe('fresh');
  });

  it('judges each sender by its own clock: an hour ahead or behind works throughout', () => {
    const guard = createReplayGuard({ window: 1_000 });
    for (const [sender, offset] of [
      ['ahead:1', hour],
      ['behind:1', -hour],
      ['far-ahead:1', 1.9 * hour],
    ] as const) {
      for (let step = 0; step < 100; step++) {
        const now = start + step * 500;
        expect(guard.check(sender, now + offset - 20, now), `${sender} at step ${step}`).toBe(
          'fresh',
        );
        expect(guard.check(sender, now + offset - 2_000, now)).toBe('stale');
      }
    }
    expect(guard.check('wrong-clock:1', start + DEFAULT_MAX_CLOCK_SKEW + hour, start)).toBe(
      'clock-skew',
    );
    expect(guard.check('wrong-clock:1', start - DEFAULT_MAX_CLOCK_SKEW - 1, start)).toBe(
      'clock-skew',
    );
    expect(guard.check('wrong-clock:1', start - DEFAULT_MAX_CLOCK_SKEW, start)).toBe('fresh');
  });

  it('lets a sender whose clock stepped back in again after forgetAfter', () => {
    const guard = createReplayGuard();
    const sender = '10.0.0.3:7946';
    expect(guard.check(sender, start, start)).toBe('fresh');
    // Restarted with its clock corrected back by ten minutes.
    const back = 10 * 60 * 1000;
    expect(guard.check(sender, start + 1_000 - back, start + 1_000)).toBe('stale');
    expect(
      guard.check(sender, start + DEFAULT_FORGET_AFTER - back, start + DEFAULT_FORGET_AFTER),
    ).toBe('stale');
    const later = start + DEFAULT_FORGET_AFTER + 1;
    expect(guard.check(sender, later - back, later)).toBe('fresh');
    expect(guard.check(sender, later - back + 10, later + 10)).toBe('fresh');
  });

  it('keeps at most maxSenders records, forgetting the one raised longest ago', () => {
    const guard = createReplayGuard({ maxSenders: 3, window: 10 });
    for (const [index, sender] of ['a:1', 'b:1', 'c:1'].entries()) {
      guard.check(sender, start + index, start + index);
    }
    guard.check('a:1', start + 5, start + 5); // a is now the newest
    guard.check('d:1', start + 6, start + 6); // b is forgotten
    expect(guard.size).toBe(3);
    expect(guard.check('b:1', start - 1_000, start + 7)).toBe('fresh');
    expect(guard.check('a:1', start - 1_000, start + 7)).toBe('stale');
    // Expired records go as later checks pass them, a few at a time.
    guard.check('e:1', start + DEFAULT_FORGET_AFTER * 2, start + DEFAULT_FORGET_AFTER * 2);
    expect(guard.size).toBe(1);
  });

  it('refuses options out of range', () => {
    for (const options of [
      { window: -1 },
      { window: 1.5 },
      { maxSenders: 0 },
      { maxClockSkew: Number.NaN },
      { window: 10_000, forgetAfter: 5_000 },
    ]) {
      let thrown: unknown;
      try {
        createReplayGuard(options);
      } catch (error) {
        thrown = error;
      }
      expect(isVigError(thrown, 'ReplayGuardOptionsError'), JSON.stringify(options)).toBe(true);
    }
    expect(createReplayGuard().options).toEqual({
      window: DEFAULT_REPLAY_WINDOW,
      forgetAfter: DEFAULT_FORGET_AFTER,
      maxClockSkew: DEFAULT_MAX_CLOCK_SKEW,
      maxSenders: 4096,
    });
  });
});
