import type { Scheduler } from '@vig/gossip';

/**
 * The gossip engine's clock and timers in real time: `now()` is milliseconds
 * since the Unix epoch, read from the monotonic clock (`performance.timeOrigin
 * + performance.now()`), so it never steps back with the wall clock, and the
 * heartbeats derived from it (seconds) keep growing across restarts. Timers
 * are `setTimeout`s that do not keep the process alive (the socket does,
 * until the node stops).
 */
export const realTimeScheduler: Scheduler = Object.freeze({
  now: () => performance.timeOrigin + performance.now(),
  after(delayMilliseconds: number, callback: () => void): () => void {
    const timer = setTimeout(callback, delayMilliseconds);
    timer.unref();
    return () => clearTimeout(timer);
  },
});
