/**
 * @packageDocumentation
 * A minimal RESP2 client for Redis with no dependencies: one connection,
 * pipelined commands, binary-safe bulk strings (replies stay `Buffer`s).
 * Vig uses it to read and write Redis's serialized HyperLogLogs
 * (`vig hll import-redis` / `export-redis`), in tests against a real Redis,
 * and in the benchmarks that measure Redis beside Vig. It is not a general
 * Redis client: no TLS, no cluster, no pub/sub, no reconnection.
 *
 * @example
 * ```ts
 * import { connectRedis } from '@vig/resp';
 *
 * const redis = await connectRedis('redis://127.0.0.1:6379');
 * await redis.pipeline([
 *   ['PFADD', 'visitors', 'alice'],
 *   ['PFADD', 'visitors', 'bob'],
 * ]);
 * console.log(await redis.command('PFCOUNT', 'visitors')); // 2
 * redis.close();
 * ```
 */
export { connectRedis } from './resp-client.js';
export type { ConnectRedisOptions, RespClient } from './resp-client.js';
export { DEFAULT_REDIS_PORT, parseRedisUrl } from './redis-url.js';
export type { RedisTarget } from './redis-url.js';
export { encodeCommand, parseReply } from './resp-protocol.js';
export type { ParsedReply, RespArgument, RespValue } from './resp-protocol.js';
export {
  RedisClosedError,
  RedisConnectionError,
  RedisUrlError,
  RespProtocolError,
  RespReplyError,
} from './resp-errors.js';
