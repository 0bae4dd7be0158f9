/**
 * Polling with two bounds, as every loop here has: at most `timeout` ms of
 * real time and at most `timeout / interval + 1` attempts, whichever ends
 * first. A miss is a value (`undefined`), never an exception, so scenarios
 * can report it as a figure and a failed check.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link pollUntil}. */
export interface PollOptions {
  /** The most real ms to poll for. */
  readonly timeout: number;
  /** Ms between the end of one attempt and the start of the next; default 100. */
  readonly interval?: number;
}

/** What a poll found: the value and the ms from the poll's start until it was found. */
export interface PollHit<T> {
  readonly value: T;
  readonly elapsed: number;
}

/**
 * Calls `attempt` until it returns something other than `undefined`, within
 * the bounds. An attempt that throws counts as a miss (a node not up yet, a
 * request lost to the network), and the poll goes on.
 *
 * @returns the first value and when it came, or undefined when the bounds ran out first
 */
export async function pollUntil<T>(
  attempt: () => Promise<T | undefined> | T | undefined,
  options: PollOptions,
): Promise<PollHit<T> | undefined> {
  const interval = options.interval ?? 100;
  const started = performance.now();
  const attempts = Math.floor(options.timeout / Math.max(interval, 1)) + 1;
  for (let done = 0; done < attempts; done++) {
    const value = await missAsUndefined(attempt);
    if (value !== undefined) return { value, elapsed: performance.now() - started };
    if (performance.now() - started >= options.timeout) return undefined;
    await sleep(interval);
  }
  return undefined;
}

/** Polls `predicate` until it holds; resolves with the ms taken, or undefined on a miss. */
export async function waitUntil(
  predicate: () => Promise<boolean> | boolean,
  options: PollOptions,
): Promise<number | undefined> {
  const hit = await pollUntil(async () => ((await predicate()) ? true : undefined), options);
  return hit?.elapsed;
}

async function missAsUndefined<T>(
  attempt: () => Promise<T | undefined> | T | undefined,
): Promise<T | undefined> {
  try {
    return await attempt();
  } catch {
    return undefined;
  }
}

/** `promise`'s value, or undefined when `timeout` ms pass first (the timer is cleared either way). */
export async function within<T>(promise: Promise<T>, timeout: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeout);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
