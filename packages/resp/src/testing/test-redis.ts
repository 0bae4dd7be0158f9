import { connectRedis } from '../resp-client.js';
import type { RespClient } from '../resp-client.js';

/** The Redis tests use: `VIG_REDIS_URL`, else the one `.ci/run` starts on 127.0.0.1:6390. */
export const TEST_REDIS_URL = process.env['VIG_REDIS_URL'] ?? 'redis://127.0.0.1:6390';

/**
 * Connects to {@link TEST_REDIS_URL}; when no server answers, prints a loud
 * banner saying which tests (`what`) did not run and resolves undefined, so
 * the caller skips them visibly rather than failing on a machine without Redis.
 */
export async function connectTestRedis(what: string): Promise<RespClient | undefined> {
  try {
    return await connectRedis(TEST_REDIS_URL);
  } catch (error) {
    console.warn(
      [
        '',
        '!'.repeat(78),
        `!! SKIPPED: no Redis at ${TEST_REDIS_URL} (${(error as Error).message});`,
        `!! ${what} did NOT run.`,
        '!! Start one: redis-server --port 6390 --bind 127.0.0.1 --save "" --daemonize yes',
        '!! or set VIG_REDIS_URL. (.ci/run installs and starts it.)',
        '!'.repeat(78),
      ].join('\n'),
    );
    return undefined;
  }
}
