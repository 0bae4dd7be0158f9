/**
 * What the demo writes, all through its first node: a G-counter raised three
 * times (each writer owns one index and only raises it; the count is the sum
 * over indices), then page-view counts under three keys.
 */

/** One write of the demo. */
export interface DemoWrite {
  /** The key written. */
  readonly key: string;
  /** The entries raised. */
  readonly entries: Readonly<Record<number, number>>;
  /** What the write means, for the reader. */
  readonly meaning: string;
}

/** The demo's G-counter key. */
export const COUNTER_KEY = 'counter:visits';

/** The pattern whose aggregate the demo shows at the end. */
export const PAGES_PATTERN = 'page:*';

/** The writes, in order. */
export const DEMO_WRITES: readonly DemoWrite[] = [
  { key: COUNTER_KEY, entries: { 0: 1 }, meaning: 'G-counter: writer 0 counts 1' },
  { key: COUNTER_KEY, entries: { 0: 2 }, meaning: 'G-counter: writer 0 counts 2' },
  { key: COUNTER_KEY, entries: { 0: 3 }, meaning: 'G-counter: writer 0 counts 3' },
  { key: 'page:home', entries: { 0: 120 }, meaning: 'views of the home page' },
  { key: 'page:pricing', entries: { 1: 9 }, meaning: 'views of the pricing page' },
  { key: 'page:docs', entries: { 2: 42, 5: 7 }, meaning: 'views of the docs' },
];
