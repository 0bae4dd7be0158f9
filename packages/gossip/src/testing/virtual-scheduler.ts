import { VigError } from '@vig/crdt-core';
import type { Scheduler } from '../scheduler.js';
import { TimerQueue } from './timer-queue.js';

/**
 * The most callbacks one `advance`, `runUntilIdle` or `runUntil` call runs
 * before it gives up with {@link TooManyCallbacksError}: far above a simulated
 * hour of 1000 gossiping nodes, low enough to stop a timer that keeps
 * rescheduling itself at the same instant within seconds.
 */
export const DEFAULT_MAX_CALLBACKS_PER_RUN = 50_000_000;

/** Options of {@link createVirtualScheduler}. */
export interface VirtualSchedulerOptions {
  /** The bound of callbacks per run; default {@link DEFAULT_MAX_CALLBACKS_PER_RUN}. */
  readonly maxCallbacksPerRun?: number;
}

/**
 * A {@link Scheduler} whose clock moves only when told to: timers run in due
 * order (ties in the order they were set), synchronously, inside `advance`,
 * `runUntilIdle` and `runUntil`. Callbacks may set more timers. Every run is
 * bounded in virtual time and in callbacks, so none can spin forever.
 */
export interface VirtualScheduler extends Scheduler {
  /** Timers set and not yet run or cancelled. */
  readonly pending: number;
  /**
   * Moves the clock forward by `milliseconds`, running every timer due by
   * then, including those the callbacks set.
   *
   * @throws {@link TooManyCallbacksError} when the callback bound is hit
   */
  advance(milliseconds: number): void;
  /**
   * Runs timers until none is left, and returns the virtual milliseconds that
   * took. The clock stops at the last timer run.
   *
   * @throws {@link VirtualTimeLimitError} when timers are still pending `maxMilliseconds` from now (the clock is then at that bound)
   * @throws {@link TooManyCallbacksError} when the callback bound is hit
   */
  runUntilIdle(maxMilliseconds: number): number;
  /**
   * Runs timers one at a time until `predicate` holds (checked first, then
   * after every timer), and returns the virtual milliseconds that took.
   *
   * @throws {@link VirtualTimeLimitError} when it does not hold `maxMilliseconds` from now (the clock is then at that bound)
   * @throws {@link TooManyCallbacksError} when the callback bound is hit
   */
  runUntil(predicate: () => boolean, maxMilliseconds: number): number;
}

/** A run of a virtual scheduler reached its bound in virtual time first. */
export class VirtualTimeLimitError extends VigError {
  static override readonly name = 'VirtualTimeLimitError';
  override readonly name = 'VirtualTimeLimitError';
  /** The bound, in virtual milliseconds. */
  readonly maxMilliseconds: number;
  /** Timers still pending at the bound. */
  readonly pending: number;

  constructor(goal: string, maxMilliseconds: number, pending: number, options?: ErrorOptions) {
    super(
      `virtual time ran out: expected ${goal} within ${maxMilliseconds} ms, ${pending} timers still pending`,
      options,
    );
    this.maxMilliseconds = maxMilliseconds;
    this.pending = pending;
  }
}

/** A run of a virtual scheduler ran more callbacks than its bound (likely a timer loop). */
export class TooManyCallbacksError extends VigError {
  static override readonly name = 'TooManyCallbacksError';
  override readonly name = 'TooManyCallbacksError';
  /** The bound that was hit. */
  readonly maxCallbacks: number;
  /** The virtual time when it was hit. */
  readonly at: number;

  constructor(maxCallbacks: number, at: number, options?: ErrorOptions) {
    super(
      `one run of the virtual scheduler ran ${maxCallbacks} callbacks (stopped at ${at} ms): expected fewer; is a timer rescheduling itself without delay?`,
      options,
    );
    this.maxCallbacks = maxCallbacks;
    this.at = at;
  }
}

/** `advance`, `runUntilIdle` or `runUntil` called from inside a timer callback. */
export class SchedulerReentryError extends VigError {
  static override readonly name = 'SchedulerReentryError';
  override readonly name = 'SchedulerReentryError';

  constructor(options?: ErrorOptions) {
    super(
      'the virtual scheduler is already running timers: expected advance, runUntilIdle and runUntil to be called from outside timer callbacks',
      options,
    );
  }
}

/** A delay, duration or time that is not a finite number of milliseconds ≥ 0. */
export class InvalidDurationError extends VigError {
  static override readonly name = 'InvalidDurationError';
  override readonly name = 'InvalidDurationError';
  /** What was given. */
  readonly value: number;

  constructor(what: string, value: number, options?: ErrorOptions) {
    super(`${what} ${value} is invalid: expected a finite number of milliseconds ≥ 0`, options);
    this.value = value;
  }
}

/**
 * A virtual-time {@link Scheduler} starting at `start` milliseconds.
 *
 * @example
 * ```ts
 * const scheduler = createVirtualScheduler();
 * scheduler.after(1_000, () => console.log('one virtual second later'));
 * scheduler.advance(1_000); // logs at once, in real time
 * ```
 */
export function createVirtualScheduler(
  start = 0,
  options: VirtualSchedulerOptions = {},
): VirtualScheduler {
  assertDuration('start time', start);
  const maxCallbacks = options.maxCallbacksPerRun ?? DEFAULT_MAX_CALLBACKS_PER_RUN;
  const queue = new TimerQueue();
  let now = start;
  let running = false;

  /** Runs timers due by `deadline` until `stop` says so; true if `stop` did. */
  function run(deadline: number, stop: () => boolean): boolean {
    if (running) throw new SchedulerReentryError();
    running = true;
    try {
      if (stop()) return true;
      for (let count = 0; ; count++) {
        const next = queue.peek();
        if (next === undefined || next.due > deadline) return false;
        if (count >= maxCallbacks) throw new TooManyCallbacksError(maxCallbacks, now);
        queue.pop();
        const callback = next.callback;
        next.callback = undefined;
        now = next.due;
        callback?.();
        if (stop()) return true;
      }
    } finally {
      running = false;
    }
  }

  const never = (): boolean => false;

  return {
    now: () => now,
    get pending() {
      return queue.size;
    },
    after(delayMilliseconds, callback) {
      assertDuration('delay', delayMilliseconds);
      const timer = queue.push(now + delayMilliseconds, callback);
      return () => {
        queue.cancel(timer);
      };
    },
    advance(milliseconds) {
      assertDuration('advance by', milliseconds);
      const deadline = now + milliseconds;
      run(deadline, never);
      now = deadline;
    },
    runUntilIdle(maxMilliseconds) {
      assertDuration('maxMilliseconds', maxMilliseconds);
      const begin = now;
      const deadline = now + maxMilliseconds;
      if (!run(deadline, () => queue.size === 0)) {
        now = deadline;
        throw new VirtualTimeLimitError('no pending timers', maxMilliseconds, queue.size);
      }
      return now - begin;
    },
    runUntil(predicate, maxMilliseconds) {
      assertDuration('maxMilliseconds', maxMilliseconds);
      const begin = now;
      const deadline = now + maxMilliseconds;
      if (!run(deadline, predicate)) {
        now = deadline;
        throw new VirtualTimeLimitError('the condition to hold', maxMilliseconds, queue.size);
      }
      return now - begin;
    },
  };
}

function assertDuration(what: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new InvalidDurationError(what, value);
}
