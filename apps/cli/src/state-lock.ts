import { open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { StateLockError } from './state-lock-error.js';

/** How long `vig` waits for a lock another process holds: 10 s. */
export const LOCK_WAIT = 10_000;

/** A lock untouched for this long is left over from a process that died, and removed: 30 s. */
export const LOCK_STALE = 30_000;

/** How often a waiting process tries again (plus up to as much at random): 20 ms. */
const LOCK_POLL = 20;

/** How to wait for a lock; the defaults suit the CLI, tests pass shorter ones. */
export interface FileLockOptions {
  /** Milliseconds to wait before giving up; default {@link LOCK_WAIT}. */
  readonly wait?: number;
  /** Milliseconds after which an untouched lock counts as stale; default {@link LOCK_STALE}. */
  readonly stale?: number;
}

/**
 * Runs `use` while holding the exclusive lock file `path`: the file is
 * created with `wx` (so only one process can create it), holds the
 * holder's pid, has its time refreshed while held (so a long hold never
 * looks stale), and is removed afterwards whatever happens. Another holder
 * is waited for, polling, for at most `wait` ms; a lock file untouched for
 * `stale` ms is removed as the leftover of a process that died.
 *
 * @throws {@link StateLockError} when the lock stays taken for `wait` ms
 */
export async function withFileLock<T>(
  path: string,
  use: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const stale = options.stale ?? LOCK_STALE;
  await acquire(path, options.wait ?? LOCK_WAIT, stale);
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, stale / 3);
  try {
    return await use();
  } finally {
    clearInterval(heartbeat);
    await rm(path, { force: true });
  }
}

/** Creates the lock file, waiting while another process holds it. */
async function acquire(path: string, wait: number, stale: number): Promise<void> {
  const deadline = Date.now() + wait;
  for (;;) {
    if (await tryCreate(path)) return;
    await removeIfStale(path, stale);
    if (Date.now() >= deadline) throw new StateLockError(path, wait, await holderOf(path));
    await sleep(LOCK_POLL + Math.random() * LOCK_POLL);
  }
}

/** Creates `path` exclusively, writing this process's pid; false when it exists. */
async function tryCreate(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${process.pid}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

/** Removes `path` if it was last touched more than `stale` ms ago. */
async function removeIfStale(path: string, stale: number): Promise<void> {
  try {
    const { mtimeMs } = await stat(path);
    if (Date.now() - mtimeMs > stale) await rm(path, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Who holds the lock, for the error message: "pid N", or "another process". */
async function holderOf(path: string): Promise<string> {
  try {
    const pid = (await readFile(path, 'utf8')).trim();
    return /^\d+$/.test(pid) ? `pid ${pid}` : 'another process';
  } catch {
    return 'another process';
  }
}
