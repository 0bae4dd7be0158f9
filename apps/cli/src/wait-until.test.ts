import { afterEach, describe, expect, it, vi } from 'vitest';
import { DemoTimeoutError } from './demo-timeout-error.js';
import { waitUntil } from './wait-until.js';

/** A subscribable source of wake-ups that counts its listeners. */
function wakeSource(): {
  subscribe: (wake: () => void) => () => void;
  fire: () => void;
  listeners: () => number;
} {
  const listeners = new Set<() => void>();
  return {
    subscribe: (wake) => {
      listeners.add(wake);
      return () => listeners.delete(wake);
    },
    fire: () => {
      for (const listener of [...listeners]) listener();
    },
    listeners: () => listeners.size,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('waitUntil', () => {
  it('resolves at once when the state is already reached, leaving no listener', async () => {
    const source = wakeSource();
    await waitUntil({
      reached: () => true,
      subscribe: source.subscribe,
      awaited: 'x',
      progress: () => '',
      limit: 1_000,
    });
    expect(source.listeners()).toBe(0);
  });

  it('resolves on the wake-up after which the state holds', async () => {
    const source = wakeSource();
    let count = 0;
    const waiting = waitUntil({
      reached: () => count >= 2,
      subscribe: source.subscribe,
      awaited: 'x',
      progress: () => '',
      limit: 60_000,
    });
    count = 1;
    source.fire();
    count = 2;
    source.fire();
    await waiting;
    expect(source.listeners()).toBe(0);
  });

  it('gives up after the limit with a DemoTimeoutError that says how far it got', async () => {
    vi.useFakeTimers();
    const source = wakeSource();
    const waiting = waitUntil({
      reached: () => false,
      subscribe: source.subscribe,
      awaited: 'page:home on every node',
      progress: () => '3/5 nodes hold it',
      limit: 10_000,
    });
    const failed = expect(waiting).rejects.toThrow(DemoTimeoutError);
    await vi.advanceTimersByTimeAsync(10_000);
    await failed;
    await expect(waiting).rejects.toThrow(/page:home on every node.*3\/5 nodes hold it/);
    expect(source.listeners()).toBe(0);
  });
});
