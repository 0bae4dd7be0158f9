/** The longest a test waits for the network, in real milliseconds: a bound, not a speed claim. */
export const SETTLE_LIMIT_MILLISECONDS = 10_000;

/**
 * Polls `until` every couple of milliseconds; rejects when it still fails
 * after {@link SETTLE_LIMIT_MILLISECONDS}. Bounded in time and in attempts.
 */
export async function settle(until: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = performance.now() + SETTLE_LIMIT_MILLISECONDS;
  for (let attempt = 0; attempt < 1_000_000; attempt++) {
    if (await until()) return;
    if (performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`the condition did not hold within ${SETTLE_LIMIT_MILLISECONDS} ms`);
}
