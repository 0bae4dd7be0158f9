import { isVigError } from '@vig/crdt-core';
import type { RespClient } from '@vig/resp';
import { RespReplyError } from '@vig/resp';
import { exportRedisHll, hllCount, importRedisHll } from '@vig/sketch';
import type { ImportedRedisHll } from '@vig/sketch';
import type { Command } from 'commander';
import type { JsonOption } from './answer-line.js';
import type { CliIo } from './cli-io.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { hllOptionsOf } from './hll-options.js';
import { addToHll, writeHllCount } from './hll-write.js';
import { assertOneKey } from './one-key.js';
import { parseRedisUrlOption, withRedis } from './redis-connection.js';
import { RedisValueError } from './redis-value-error.js';

/** The options of `vig hll import-redis` and `vig hll export-redis`. */
interface HllRedisOptions extends ClientOptions, JsonOption {
  /** The Redis server, `redis://HOST:PORT`. */
  readonly url: string;
}

/** Redis's HyperLogLogs: the redis profile at p = 14. */
const REDIS_HLL = hllOptionsOf({});

/** Adds `vig hll import-redis` and `vig hll export-redis`. */
export function addHllRedisCommands(hll: Command, io: CliIo): void {
  addImportCommand(hll, io);
  addExportCommand(hll, io);
}

/** Adds `--url` (required), `--json` and the client options to a Redis command. */
function addRedisOptions(command: Command): Command {
  return addClientOptions(
    command
      .requiredOption('--url <URL>', 'the Redis server, redis://HOST:PORT', parseRedisUrlOption)
      .option('--json', 'print {"key":KEY,"count":N} as one JSON line'),
  );
}

/** Adds `vig hll import-redis --url URL REDIS_KEY [KEY]`. */
function addImportCommand(hll: Command, io: CliIo): void {
  const command = hll
    .command('import-redis')
    .description('merge a Redis HyperLogLog into a key; print the count after')
    .argument('<REDIS_KEY>', 'the Redis key to read')
    .argument('[KEY]', 'the Vig key to write (default: REDIS_KEY)');
  addRedisOptions(command).action(
    async (redisKey: string, key: string | undefined, options: HllRedisOptions) => {
      const target = key ?? redisKey;
      assertOneKey(target, 'vig hll import-redis');
      const imported = await withRedis(options.url, options.timeout, (redis) =>
        readRedisHll(redis, redisKey),
      );
      const count = await withClient(options, (client) =>
        addToHll(client, target, imported.entries, REDIS_HLL),
      );
      writeHllCount(io.stdout, options, target, count);
    },
  );
}

/** Adds `vig hll export-redis --url URL KEY [REDIS_KEY]`. */
function addExportCommand(hll: Command, io: CliIo): void {
  const command = hll
    .command('export-redis')
    .description("SET a key's HyperLogLog in Redis, where PFCOUNT reads it; print the count")
    .argument('<KEY>', 'the Vig key to read')
    .argument('[REDIS_KEY]', 'the Redis key to write (default: KEY)');
  addRedisOptions(command).action(
    async (key: string, redisKey: string | undefined, options: HllRedisOptions) => {
      assertOneKey(key, 'vig hll export-redis');
      const vector = await withClient(options, (client) => client.get(key));
      const count = hllCount(vector, REDIS_HLL);
      const value = exportRedisHll(vector);
      await withRedis(options.url, options.timeout, (redis) =>
        redis.command('SET', redisKey ?? key, value),
      );
      writeHllCount(io.stdout, options, key, count);
    },
  );
}

/**
 * The HyperLogLog at `redisKey`, as `GET` returns it.
 *
 * @throws {@link RedisValueError} when the key does not exist or holds something else
 */
async function readRedisHll(redis: RespClient, redisKey: string): Promise<ImportedRedisHll> {
  let value;
  try {
    value = await redis.command('GET', redisKey);
  } catch (error) {
    if (!(error instanceof RespReplyError)) throw error;
    throw notAnHll(redisKey, error);
  }
  if (value === null) {
    throw new RedisValueError(
      redisKey,
      `does not exist at ${redis.address}: expected a HyperLogLog written by PFADD`,
    );
  }
  if (!Buffer.isBuffer(value)) {
    throw notAnHll(redisKey, new Error(`GET answered ${typeof value}`));
  }
  try {
    return importRedisHll(value);
  } catch (error) {
    if (isVigError(error, 'InvalidRedisHllError')) throw notAnHll(redisKey, error);
    throw error;
  }
}

/** The error for a Redis key that holds something other than a HyperLogLog. */
function notAnHll(redisKey: string, cause: Error): RedisValueError {
  return new RedisValueError(redisKey, `does not hold a HyperLogLog (${cause.message})`, {
    cause,
  });
}
