/**
 * `vig hll import-redis` and `export-redis` against a real Redis and a real
 * node: both directions agree with Redis's PFCOUNT, sparse and dense, and a
 * missing key, a value that is not a HyperLogLog and an unreachable Redis
 * each fail with one line. Without a Redis (see `connectTestRedis`) the
 * round trips skip loudly; the unreachable case runs anyway.
 */
import { TEST_REDIS_URL, connectTestRedis } from '@vig/resp/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { client, failure, sharedNode } from '../test/vig-serve.js';

const redis = await connectTestRedis('the vig hll import-redis/export-redis tests');

/** Every Redis key these tests write, so they do not meet another run's. */
const prefix = `vig-cli-test:${process.pid}:`;

const node = sharedNode('127.0.0.10');

afterAll(async () => {
  if (redis === undefined) return;
  const keys = (await redis.command('KEYS', `${prefix}*`)) as Buffer[];
  if (keys.length > 0) await redis.command('DEL', ...keys);
  redis.close();
});

/** `count` distinct items. */
function items(count: number, label: string): string[] {
  return Array.from({ length: count }, (_, index) => `${label}:${index}`);
}

/** Redis's PFCOUNT of `key`. */
async function redisCount(key: string): Promise<number> {
  return (await redis?.command('PFCOUNT', key)) as number;
}

describe.skipIf(redis === undefined)('vig hll and Redis', () => {
  const url = ['--url', TEST_REDIS_URL];

  it('imports a sparse Redis HyperLogLog with the count PFCOUNT gives', async () => {
    const source = `${prefix}sparse`;
    await redis?.command('PFADD', source, ...items(300, 'sparse'));
    const expected = await redisCount(source);
    expect(await client(['hll', 'import-redis', ...url, source, 'imported:sparse', ...node])).toBe(
      `${expected}\n`,
    );
    expect(await client(['hll', 'count', 'imported:sparse', ...node])).toBe(`${expected}\n`);
    // Without KEY the Vig key is the Redis key.
    expect(await client(['hll', 'import-redis', ...url, source, '--json', ...node])).toBe(
      `${JSON.stringify({ key: source, count: expected })}\n`,
    );
  });

  it('round-trips a dense HyperLogLog: Redis → Vig → Redis, PFCOUNT equal each way', async () => {
    const source = `${prefix}dense`;
    for (let batch = 0; batch < 4; batch++) {
      await redis?.command('PFADD', source, ...items(5_000, `dense${batch}`));
    }
    const expected = await redisCount(source);
    expect(expected).toBeGreaterThan(19_000);
    await client(['hll', 'import-redis', ...url, source, 'round:trip', ...node]);
    const exported = `${prefix}dense-back`;
    expect(await client(['hll', 'export-redis', ...url, 'round:trip', exported, ...node])).toBe(
      `${expected}\n`,
    );
    expect(await redisCount(exported)).toBe(expected);
    expect(await client(['hll', 'count', 'round:trip', ...node])).toBe(`${expected}\n`);
  });

  it('exports what vig hll add wrote so that PFCOUNT equals vig hll count', async () => {
    await client(['hll', 'add', 'vig:made', ...items(500, 'made'), ...node]);
    const count = Number(await client(['hll', 'count', 'vig:made', ...node]));
    const target = `${prefix}made`;
    expect(
      await client(['hll', 'export-redis', ...url, 'vig:made', target, '--json', ...node]),
    ).toBe(`${JSON.stringify({ key: 'vig:made', count })}\n`);
    expect(await redisCount(target)).toBe(count);
    // PFADD accepts the exported value as its own: adding a new item raises the count.
    await redis?.command('PFADD', target, 'one more item');
    expect(await redisCount(target)).toBe(count + 1);
  });

  it('fails in one line for a missing key and for a value that is not a HyperLogLog', async () => {
    await failure(
      ['hll', 'import-redis', ...url, `${prefix}missing`, 'x', ...node],
      1,
      /Redis key "[^"]+missing" does not exist/,
    );
    await redis?.command('SET', `${prefix}text`, 'hello, not an HLL');
    await failure(
      ['hll', 'import-redis', ...url, `${prefix}text`, 'x', ...node],
      1,
      /does not hold a HyperLogLog \(not a Redis HyperLogLog value/,
    );
    await redis?.command('RPUSH', `${prefix}list`, 'a');
    await failure(
      ['hll', 'import-redis', ...url, `${prefix}list`, 'x', ...node],
      1,
      /does not hold a HyperLogLog \(WRONGTYPE/,
    );
  });
});

describe('vig hll with an unreachable Redis', () => {
  it('fails in one line with exit 1', async () => {
    for (const command of ['import-redis', 'export-redis']) {
      await failure(
        ['hll', command, '--url', 'redis://127.0.0.1:1', 'some:key', ...node],
        1,
        /cannot use Redis at 127\.0\.0\.1:1/,
      );
    }
  });
});
