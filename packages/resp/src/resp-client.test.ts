import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis } from './resp-client.js';
import { RedisClosedError, RedisConnectionError, RespReplyError } from './resp-errors.js';
import { connectTestRedis } from './testing/test-redis.js';

const redis = await connectTestRedis('the RESP client tests against a real Redis');
const key = `vig-test:${randomBytes(6).toString('hex')}:resp`;

afterAll(async () => {
  await redis?.command('DEL', key);
  redis?.close();
});

/** A loopback TCP server that answers every connection with `reply`. */
async function fakeServer(reply: string): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => {
    socket.on('data', () => socket.write(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.skipIf(redis === undefined)('against a real Redis', () => {
  it('round-trips binary values and pipelines in order', async () => {
    const value = randomBytes(4096);
    expect(await redis!.command('SET', key, value)).toBe('OK');
    expect(await redis!.command('GET', key)).toEqual(value);
    const replies = await redis!.pipeline(
      Array.from({ length: 1000 }, (_, index) => ['ECHO', `m${index}`]),
    );
    expect(replies.map(String)).toEqual(Array.from({ length: 1000 }, (_, index) => `m${index}`));
  });

  it('rejects an error reply and goes on', async () => {
    await expect(redis!.command('NOSUCHCOMMAND')).rejects.toThrow(RespReplyError);
    expect(await redis!.command('PING')).toBe('PONG');
  });
});

describe('connection failures', () => {
  it('says when nothing listens', async () => {
    const { server, url } = await fakeServer('');
    await new Promise((resolve) => server.close(resolve));
    await expect(connectRedis(url)).rejects.toThrow(RedisConnectionError);
    await expect(connectRedis(url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('says when the server does not answer the handshake in time', async () => {
    const { server, url } = await fakeServer('');
    await expect(connectRedis(url, { timeoutMs: 200 })).rejects.toThrow(/no answer within 200 ms/);
    server.close();
  });

  it('closes on bytes that are not RESP, failing what is pending', async () => {
    const { server, url } = await fakeServer('+PONG\r\n');
    const client = await connectRedis(url);
    server.removeAllListeners('connection');
    client.close();
    await expect(client.command('PING')).rejects.toThrow(RedisClosedError);
    const garbage = await fakeServer('?garbage\r\n');
    await expect(connectRedis(garbage.url)).rejects.toThrow(/unexpected RESP type byte 0x3f/);
    server.close();
    garbage.server.close();
  });
});
