import { describe, expect, it } from 'vitest';
import { pollUntil, waitUntil, within } from './bounded-wait.js';

describe('pollUntil', () => {
  it('returns the first value found, counting attempts that throw as misses', async () => {
    let attempts = 0;
    const hit = await pollUntil(
      () => {
        attempts += 1;
        if (attempts === 1) throw new Error('not up yet');
        return attempts >= 3 ? 'found' : undefined;
      },
      { timeout: 5_000, interval: 1 },
    );
    expect(hit?.value).toBe('found');
    expect(attempts).toBe(3);
  });

  it('gives up after its bound, with undefined', async () => {
    let attempts = 0;
    const hit = await pollUntil(
      () => {
        attempts += 1;
        return undefined;
      },
      { timeout: 50, interval: 10 },
    );
    expect(hit).toBeUndefined();
    expect(attempts).toBeLessThanOrEqual(6);
  });

  it('waitUntil resolves with the time taken, or undefined', async () => {
    expect(await waitUntil(() => true, { timeout: 100 })).toBeGreaterThanOrEqual(0);
    expect(await waitUntil(() => false, { timeout: 20, interval: 5 })).toBeUndefined();
  });
});

describe('within', () => {
  it('is the value when it comes in time, undefined otherwise', async () => {
    expect(await within(Promise.resolve(7), 1_000)).toBe(7);
    expect(await within(new Promise(() => undefined), 10)).toBeUndefined();
  });
});
