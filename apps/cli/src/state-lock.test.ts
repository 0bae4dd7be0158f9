/** The lock file `vig counter incr` holds, in-process with short waits. */
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVigError } from '@vig/crdt-core';
import { withFileLock } from './state-lock.js';

let folder: string;
let lock: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'vig-lock-test-'));
  lock = join(folder, 'test.lock');
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('withFileLock', () => {
  it('lets one holder in at a time and removes the file afterwards', async () => {
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        withFileLock(lock, async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(10);
          order.push(index);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4]);
    await expect(stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('releases the lock when the holder throws', async () => {
    await expect(
      withFileLock(lock, () => Promise.reject(new Error('failed inside'))),
    ).rejects.toThrow('failed inside');
    await expect(withFileLock(lock, () => Promise.resolve(7))).resolves.toBe(7);
  });

  it('gives up after the wait with a StateLockError naming the holder', async () => {
    await writeFile(lock, '4242\n');
    const started = Date.now();
    const error: unknown = await withFileLock(lock, () => Promise.resolve(), { wait: 200 }).catch(
      (caught: unknown) => caught,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(isVigError(error, 'StateLockError')).toBe(true);
    expect((error as Error).message).toMatch(/waited 200 ms for the lock .* \(held by pid 4242\)/);
  });

  it('removes a lock untouched for longer than the stale limit', async () => {
    await writeFile(lock, '4242\n');
    const longAgo = new Date(Date.now() - 5_000);
    await utimes(lock, longAgo, longAgo);
    await expect(
      withFileLock(lock, () => Promise.resolve('in'), { wait: 1_000, stale: 1_000 }),
    ).resolves.toBe('in');
  });

  it('keeps a held lock fresh, so a long hold is never taken for stale', async () => {
    let held = true;
    const holding = withFileLock(
      lock,
      async () => {
        await sleep(400);
        held = false;
      },
      { stale: 150 },
    );
    await sleep(50);
    const waiting = withFileLock(lock, () => Promise.resolve(held ? 'too soon' : 'after'), {
      wait: 2_000,
      stale: 150,
    });
    await holding;
    await expect(waiting).resolves.toBe('after');
  });
});
