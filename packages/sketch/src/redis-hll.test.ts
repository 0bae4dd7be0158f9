import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { RespClient, RespValue } from '@vig/resp';
import { connectTestRedis } from '@vig/resp/testing';
import { hllAdd, hllCount, hllCountUnion, hllDelta } from './hyperloglog.js';
import { exportRedisHll } from './redis-hll-export.js';
import { importRedisHll } from './redis-hll-import.js';

const redis = await connectTestRedis('the HyperLogLog-vs-Redis tests');

const runId = randomBytes(6).toString('hex');
const keys: string[] = [];

/** A fresh key name, deleted after the tests. */
function testKey(label: string): string {
  const key = `vig-test:${runId}:${label}`;
  keys.push(key);
  return key;
}

/** `count` random items: printable strings of random length, some with non-ASCII characters. */
function randomItems(count: number, label: string): string[] {
  const salt = randomBytes(8).toString('base64');
  return Array.from({ length: count }, (_, item) =>
    item % 7 === 0 ? `${label}·ü-${item}-${salt}` : `${salt}:${item.toString(36)}`,
  );
}

/** PFADDs items in pipelined batches. */
async function pfadd(client: RespClient, key: string, items: readonly string[]): Promise<void> {
  const batch = 2000;
  const commands: string[][] = [];
  for (let start = 0; start < items.length; start += batch) {
    commands.push(['PFADD', key, ...items.slice(start, start + batch)]);
  }
  await client.pipeline(commands);
}

/** Redis's registers of `key`, from PFDEBUG GETREG. */
async function redisRegisters(client: RespClient, key: string): Promise<number[]> {
  const reply: RespValue = await client.command('PFDEBUG', 'GETREG', key);
  if (!Array.isArray(reply)) throw new Error('PFDEBUG GETREG did not return an array');
  return reply.map(Number);
}

afterAll(async () => {
  if (redis === undefined) return;
  if (keys.length > 0) await redis.command('DEL', ...keys);
  redis.close();
});

describe.skipIf(redis === undefined)('HyperLogLog against a real Redis', () => {
  const client = redis!;
  const sizes = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

  for (const size of sizes) {
    it(`has every register and the count of Redis for ${size} random items`, async () => {
      const items = randomItems(size, `n${size}`);
      const key = testKey(`n${size}`);
      await pfadd(client, key, items);
      const registers = new Uint8Array(16384);
      for (const item of items) hllAdd(registers, item);
      expect(await redisRegisters(client, key)).toEqual([...registers]);
      const count = hllCount({ kind: 'dense', offset: 0, registers });
      expect(count).toBe(Number(await client.command('PFCOUNT', key)));
    });
  }

  it('counts a union as PFCOUNT of several keys does', async () => {
    const first = randomItems(5000, 'union-a');
    const second = randomItems(20_000, 'union-b');
    const [firstKey, secondKey] = [testKey('union-a'), testKey('union-b')];
    await pfadd(client, firstKey, first);
    await pfadd(client, secondKey, second);
    const vectors = [first, second].map((items) => {
      const registers = new Uint8Array(16384);
      for (const item of items) hllAdd(registers, item);
      return { kind: 'dense' as const, offset: 0, registers };
    });
    expect(hllCountUnion(vectors)).toBe(
      Number(await client.command('PFCOUNT', firstKey, secondKey)),
    );
  });
});

describe.skipIf(redis === undefined)(
  'Redis HyperLogLog values (GET and SET) against a real Redis',
  () => {
    const client = redis!;

    for (const [label, size, encoding] of [
      ['sparse', 200, 'sparse'],
      ['dense', 20_000, 'dense'],
    ] as const) {
      it(`imports a ${label} value from GET with Redis's registers`, async () => {
        const key = testKey(`get-${label}`);
        await pfadd(client, key, randomItems(size, `get-${label}`));
        const value = await client.command('GET', key);
        if (!Buffer.isBuffer(value)) throw new Error('GET did not return bytes');
        const imported = importRedisHll(value);
        expect(imported.encoding).toBe(encoding);
        expect([...imported.entries.registers]).toEqual(await redisRegisters(client, key));
        expect(hllCount(imported.entries)).toBe(Number(await client.command('PFCOUNT', key)));
      });

      it(`exports a ${label}-sized HLL that Redis accepts with the same count`, async () => {
        const items = randomItems(size, `set-${label}`);
        const delta = hllDelta(items);
        const key = testKey(`set-${label}`);
        const value = exportRedisHll(delta);
        expect(importRedisHll(value).encoding).toBe(encoding);
        await client.command('SET', key, value);
        expect(await client.command('PFDEBUG', 'ENCODING', key)).toBe(encoding);
        expect(Number(await client.command('PFCOUNT', key))).toBe(hllCount(delta));
        expect(await client.command('PFADD', key, ...items.slice(0, 50))).toBe(0);
        const registers = new Uint8Array(16384);
        for (const item of items) hllAdd(registers, item);
        expect(await redisRegisters(client, key)).toEqual([...registers]);
      });
    }

    it('accepts a forced dense export of a small set', async () => {
      const delta = hllDelta(randomItems(30, 'forced-dense'));
      const key = testKey('forced-dense');
      await client.command('SET', key, exportRedisHll(delta, { encoding: 'dense' }));
      expect(await client.command('PFDEBUG', 'ENCODING', key)).toBe('dense');
      expect(Number(await client.command('PFCOUNT', key))).toBe(hllCount(delta));
    });
  },
);
