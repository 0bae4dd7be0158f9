import { connectRedis, parseRedisUrl, RedisUrlError } from '@vig/resp';
import type { RespClient } from '@vig/resp';
import { UsageError } from './usage-error.js';

/**
 * Checks a `--url redis://HOST:PORT` argument and returns it unchanged.
 *
 * @throws {@link UsageError} for a URL `@vig/resp` cannot use
 */
export function parseRedisUrlOption(text: string): string {
  try {
    parseRedisUrl(text);
  } catch (error) {
    if (error instanceof RedisUrlError) {
      throw new UsageError(`--url: ${error.message}`, { cause: error });
    }
    throw error;
  }
  return text;
}

/**
 * Connects to the Redis at `url` (waiting `timeout` ms at most), runs `use`
 * with the connection, and closes it whatever happens.
 *
 * @throws whatever `connectRedis` or `use` throws: `RedisConnectionError`
 *   from `@vig/resp` when the server cannot be used
 */
export async function withRedis<T>(
  url: string,
  timeout: number,
  use: (redis: RespClient) => Promise<T>,
): Promise<T> {
  const redis = await connectRedis(url, { timeoutMs: timeout });
  try {
    return await use(redis);
  } finally {
    redis.close();
  }
}
