/**
 * Test helpers: the Redis server the tests and benchmarks use, and a loud
 * skip when there is none.
 */
export { TEST_REDIS_URL, connectTestRedis } from './test-redis.js';
