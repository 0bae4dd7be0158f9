import type { Scheduler } from '@vig/gossip';

/**
 * The gossip engine's clock and timers in real time: `now()` is milliseconds
 * since the Unix epoch, read from the monotonic clock (`performance.timeOrigin
 * + performance.now()`), so it never steps back with the wall clock, and the
 * heartbeats derived from it (seconds) keep growing across restarts. Timers
 * do not keep the process alive (the socket does, until the node stops). A
 * timer with no delay (a push after a quiet spell) runs as `setImmediate`,
 * right after the current I/O: a `setTimeout` of 0 waits at least a
 * millisecond, which was most of a write's way to its peers on loopback.
 */
export const realTimeScheduler: Scheduler = Object.freeze({
  now: () => performance.timeOrigin + performance.now(),
  after(delayMilliseconds: number, callback: () => void): () => void {
    if (delayMilliseconds <= 0) {
      const immediate = setImmediate(callback);
      immediate.unref();
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(callback, delayMilliseconds);
    timer.unref();
    return () => clearTimeout(timer);
  },
});
