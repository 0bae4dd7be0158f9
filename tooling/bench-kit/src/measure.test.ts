import { describe, expect, it } from 'vitest';
import { median, quantile } from './measure.js';

describe('median and quantile', () => {
  it('take the middle, or the nearest rank, of unsorted values', () => {
    const values = [9, 1, 5, 3, 7];
    expect(median(values)).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile(values, 0)).toBe(1);
    expect(quantile(values, 0.5)).toBe(5);
    expect(quantile(values, 0.99)).toBe(9);
    expect(quantile(values, 1)).toBe(9);
    expect(values).toEqual([9, 1, 5, 3, 7]);
  });

  it('gives NaN for an empty list, and counts Infinity as the slowest', () => {
    expect(quantile([], 0.5)).toBeNaN();
    expect(quantile([1, Number.POSITIVE_INFINITY], 0.99)).toBe(Number.POSITIVE_INFINITY);
  });
});
