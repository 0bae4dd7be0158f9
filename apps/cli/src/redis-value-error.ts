import { VigError } from '@vig/crdt-core';

/**
 * A Redis key `vig hll import-redis` cannot import: it does not exist, or it
 * holds something other than a HyperLogLog.
 */
export class RedisValueError extends VigError {
  static override readonly name = 'RedisValueError';
  override readonly name = 'RedisValueError';
  /** The Redis key. */
  readonly redisKey: string;

  constructor(redisKey: string, problem: string, options?: ErrorOptions) {
    super(`Redis key ${JSON.stringify(redisKey)} ${problem}`, options);
    this.redisKey = redisKey;
  }
}
