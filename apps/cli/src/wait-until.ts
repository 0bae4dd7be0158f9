import { DemoTimeoutError } from './demo-timeout-error.js';

/** What {@link waitUntil} waits for. */
export interface WaitUntilOptions {
  /** True once the awaited state is reached. Checked at once and on every wake-up. */
  readonly reached: () => boolean;
  /**
   * Calls `wake` whenever the state may have changed (node events); returns a
   * function that stops doing so.
   */
  readonly subscribe: (wake: () => void) => () => void;
  /** What is awaited, for the timeout's message. */
  readonly awaited: string;
  /** Describes how far things got, for the timeout's message. */
  readonly progress: () => string;
  /** The most milliseconds to wait. */
  readonly limit: number;
}

/**
 * Waits, driven by events rather than polling, until `reached()` holds; gives
 * up after `limit` milliseconds. Leaves no listener and no timer behind.
 *
 * @throws {@link DemoTimeoutError} after `limit` milliseconds
 */
export function waitUntil(options: WaitUntilOptions): Promise<void> {
  const { reached, subscribe, awaited, progress, limit } = options;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let unsubscribe = (): void => {};
    const finish = (error?: DemoTimeoutError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      if (error === undefined) resolve();
      else reject(error);
    };
    const check = (): void => {
      if (reached()) finish();
    };
    const timer = setTimeout(() => finish(new DemoTimeoutError(awaited, limit, progress())), limit);
    unsubscribe = subscribe(check);
    if (settled) unsubscribe();
    check();
  });
}
