import { isVigError } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidDurationError,
  SchedulerReentryError,
  TooManyCallbacksError,
  VirtualTimeLimitError,
  createVirtualScheduler,
} from './index.js';

describe('createVirtualScheduler', () => {
  it('starts at the given time and moves only when advanced', () => {
    const scheduler = createVirtualScheduler(1_000);
    expect(scheduler.now()).toBe(1_000);
    scheduler.advance(250);
    expect(scheduler.now()).toBe(1_250);
    expect(createVirtualScheduler().now()).toBe(0);
  });

  it('runs timers by due time, then in the order they were set, each at its own time', () => {
    const scheduler = createVirtualScheduler();
    const log: string[] = [];
    const note = (label: string) => () => log.push(`${label}@${scheduler.now()}`);
    scheduler.after(30, note('c'));
    scheduler.after(10, note('a'));
    scheduler.after(20, note('b1'));
    scheduler.after(20, note('b2'));
    scheduler.after(0, note('zero'));
    expect(scheduler.pending).toBe(5);
    scheduler.advance(20);
    expect(log).toEqual(['zero@0', 'a@10', 'b1@20', 'b2@20']);
    expect(scheduler.pending).toBe(1);
    scheduler.advance(100);
    expect(log.at(-1)).toBe('c@30');
    expect(scheduler.now()).toBe(120);
  });

  it('runs timers that callbacks set, when they fall due within the same advance', () => {
    const scheduler = createVirtualScheduler();
    const times: number[] = [];
    const tick = (): void => {
      times.push(scheduler.now());
      scheduler.after(100, tick);
    };
    scheduler.after(100, tick);
    scheduler.advance(1_000);
    expect(times).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000]);
    expect(scheduler.pending).toBe(1);
  });

  it('cancels timers, and cancelling twice or after running is harmless', () => {
    const scheduler = createVirtualScheduler();
    const log: number[] = [];
    const cancelFirst = scheduler.after(10, () => log.push(1));
    const cancelSecond = scheduler.after(20, () => log.push(2));
    cancelFirst();
    cancelFirst();
    expect(scheduler.pending).toBe(1);
    scheduler.advance(50);
    cancelSecond();
    expect(log).toEqual([2]);
    expect(scheduler.pending).toBe(0);
  });

  it('keeps order and count through many cancellations (heap compaction)', () => {
    const scheduler = createVirtualScheduler();
    const fired: number[] = [];
    const cancels = Array.from({ length: 10_000 }, (_, index) =>
      scheduler.after((index * 7919) % 10_000, () => fired.push(index)),
    );
    cancels.forEach((cancel, index) => {
      if (index % 10 !== 0) cancel();
    });
    expect(scheduler.pending).toBe(1_000);
    scheduler.runUntilIdle(10_000);
    const expected = Array.from({ length: 1_000 }, (_, index) => index * 10).sort(
      (first, second) => ((first * 7919) % 10_000) - ((second * 7919) % 10_000),
    );
    expect(fired).toEqual(expected);
  });

  it('fires in (due, insertion) order whatever is set and cancelled (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ delay: fc.nat({ max: 50 }), cancelled: fc.boolean() }), {
          maxLength: 200,
        }),
        (timers) => {
          const scheduler = createVirtualScheduler();
          const fired: number[] = [];
          timers.forEach(({ delay }, index) => {
            const cancel = scheduler.after(delay, () => fired.push(index));
            if (timers[index]?.cancelled === true) cancel();
          });
          scheduler.runUntilIdle(100);
          const expected = timers
            .map((timer, index) => ({ ...timer, index }))
            .filter(({ cancelled }) => !cancelled)
            .sort((first, second) => first.delay - second.delay || first.index - second.index)
            .map(({ index }) => index);
          expect(fired).toEqual(expected);
        },
      ),
    );
  });

  it('runUntilIdle returns the virtual time it took, and throws at its bound', () => {
    const scheduler = createVirtualScheduler();
    scheduler.after(40, () => scheduler.after(60, () => undefined));
    expect(scheduler.runUntilIdle(1_000)).toBe(100);
    expect(scheduler.now()).toBe(100);

    const forever = (): void => void scheduler.after(10, forever);
    forever();
    const error = thrownBy(() => scheduler.runUntilIdle(1_000));
    expect(error).toBeInstanceOf(VirtualTimeLimitError);
    expect(isVigError(error, 'VirtualTimeLimitError')).toBe(true);
    expect((error as VirtualTimeLimitError).pending).toBe(1);
    expect(scheduler.now()).toBe(1_100);
  });

  it('runUntil stops at the first timer after which the condition holds', () => {
    const scheduler = createVirtualScheduler();
    let count = 0;
    for (let index = 1; index <= 10; index++) scheduler.after(index * 10, () => (count += 1));
    expect(scheduler.runUntil(() => count >= 3, 1_000)).toBe(30);
    expect(scheduler.pending).toBe(7);
    expect(scheduler.runUntil(() => true, 0)).toBe(0);
    expect(() => scheduler.runUntil(() => count > 100, 500)).toThrow(VirtualTimeLimitError);
    expect(scheduler.now()).toBe(530);
    expect(count).toBe(10);
  });

  it('stops a timer loop at the same instant with TooManyCallbacksError', () => {
    const scheduler = createVirtualScheduler(0, { maxCallbacksPerRun: 1_000 });
    const spin = (): void => void scheduler.after(0, spin);
    spin();
    expect(() => scheduler.advance(1)).toThrow(TooManyCallbacksError);
    expect(() => scheduler.runUntilIdle(1)).toThrow(TooManyCallbacksError);
    expect(() => scheduler.runUntil(() => false, 1)).toThrow(TooManyCallbacksError);
  });

  it('refuses to run from inside a timer callback', () => {
    const scheduler = createVirtualScheduler();
    let caught: unknown;
    scheduler.after(1, () => {
      caught = thrownBy(() => scheduler.advance(1));
    });
    scheduler.advance(5);
    expect(caught).toBeInstanceOf(SchedulerReentryError);
    scheduler.after(1, () => undefined);
    scheduler.advance(5); // still usable
    expect(scheduler.pending).toBe(0);
  });

  it('leaves the scheduler usable after a callback throws', () => {
    const scheduler = createVirtualScheduler();
    scheduler.after(1, () => {
      throw new Error('boom');
    });
    let ran = false;
    scheduler.after(2, () => (ran = true));
    expect(() => scheduler.advance(10)).toThrow('boom');
    scheduler.advance(10);
    expect(ran).toBe(true);
  });

  it('rejects negative, NaN and infinite durations', () => {
    const scheduler = createVirtualScheduler();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => scheduler.after(bad, () => undefined)).toThrow(InvalidDurationError);
      expect(() => scheduler.advance(bad)).toThrow(InvalidDurationError);
      expect(() => scheduler.runUntilIdle(bad)).toThrow(InvalidDurationError);
    }
    expect(() => createVirtualScheduler(-5)).toThrow(
      'start time -5 is invalid: expected a finite number of milliseconds ≥ 0',
    );
  });
});

function thrownBy(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
