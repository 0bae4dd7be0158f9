import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { parseRedisUrl } from './redis-url.js';
import type { RedisTarget } from './redis-url.js';
import {
  RedisClosedError,
  RedisConnectionError,
  RespProtocolError,
  RespReplyError,
} from './resp-errors.js';
import { encodeCommand, parseReply } from './resp-protocol.js';
import type { RespArgument, RespValue } from './resp-protocol.js';

/** A connection to one Redis server that pipelines: commands go out at once, replies come back in order. */
export interface RespClient {
  /** Where the client is connected, `host:port`. */
  readonly address: string;
  /**
   * Sends one command and resolves with its reply.
   *
   * @returns a promise rejecting with {@link RespReplyError} for an error
   *   reply, {@link RedisClosedError} when the connection closes first
   */
  command(...args: RespArgument[]): Promise<RespValue>;
  /**
   * Sends every command in one write and resolves with their replies, in
   * order; rejects with the first error reply (the others still ran).
   */
  pipeline(commands: readonly (readonly RespArgument[])[]): Promise<RespValue[]>;
  /** Closes the connection; pending commands reject with {@link RedisClosedError}. */
  close(): void;
}

/** How to connect. */
export interface ConnectRedisOptions {
  /** Milliseconds to wait for the connection and the handshake; default 2000. */
  readonly timeoutMs?: number;
}

interface Waiter {
  resolve(value: RespValue): void;
  reject(error: Error): void;
}

/**
 * Connects to the server of `url` (`redis://[[user]:password@]host[:port][/db]`),
 * authenticates and selects the database when the URL says so, and checks
 * that it answers PING.
 *
 * @example
 * ```ts
 * const redis = await connectRedis('redis://127.0.0.1:6379');
 * await redis.command('PFADD', 'visitors', 'alice', 'bob');
 * await redis.command('PFCOUNT', 'visitors'); // 2
 * redis.close();
 * ```
 *
 * @throws {@link RedisUrlError} for a URL it cannot use
 * @throws {@link RedisConnectionError} when the server cannot be reached in
 *   time or refuses the handshake (a wrong password, say)
 */
export async function connectRedis(
  url: string,
  options: ConnectRedisOptions = {},
): Promise<RespClient> {
  const target = parseRedisUrl(url);
  const address = target.host.includes(':')
    ? `[${target.host}]:${target.port}`
    : `${target.host}:${target.port}`;
  const timeoutMs = options.timeoutMs ?? 2000;
  const socket = await openSocket(target, address, timeoutMs);
  const client = wrap(socket, address);
  const timer = setTimeout(() => client.close(), timeoutMs);
  try {
    if (target.password !== undefined) {
      await client.command(
        'AUTH',
        ...(target.username === undefined ? [] : [target.username]),
        target.password,
      );
    }
    if (target.database !== 0) await client.command('SELECT', target.database);
    const pong = await client.command('PING');
    if (pong !== 'PONG') throw new RespProtocolError(`PING answered ${String(pong)}`);
    return client;
  } catch (error) {
    client.close();
    const reason =
      error instanceof RedisClosedError
        ? `no answer within ${timeoutMs} ms`
        : (error as Error).message;
    throw new RedisConnectionError(address, reason);
  } finally {
    clearTimeout(timer);
  }
}

function openSocket(target: RedisTarget, address: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new RedisConnectionError(address, `no connection within ${timeoutMs} ms`));
    });
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      reject(new RedisConnectionError(address, error.code ?? error.message));
    });
  });
}

function wrap(socket: Socket, address: string): RespClient {
  let pending: Buffer = Buffer.alloc(0);
  let closed: RedisClosedError | undefined;
  // A queue with a moving head: shift() on a long pipeline's array is O(n) per reply.
  let waiters: Waiter[] = [];
  let head = 0;
  const fail = (error: Error): void => {
    closed ??= new RedisClosedError(error.message);
    const pendingWaiters = waiters.slice(head);
    waiters = [];
    head = 0;
    for (const waiter of pendingWaiters) waiter.reject(error);
    socket.destroy();
  };
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let position = 0;
    try {
      while (position < pending.length) {
        const parsed = parseReply(pending, position);
        if (parsed === undefined) break;
        position = parsed.end;
        if (head === waiters.length) throw new RespProtocolError('a reply nobody asked for');
        const waiter = waiters[head++];
        if (head === waiters.length) {
          waiters = [];
          head = 0;
        } else if (head >= 4096 && head * 2 >= waiters.length) {
          waiters = waiters.slice(head);
          head = 0;
        }
        if (parsed.value instanceof RespReplyError) waiter.reject(parsed.value);
        else waiter.resolve(parsed.value);
      }
    } catch (error) {
      fail(error as Error);
      return;
    }
    pending = pending.subarray(position);
  });
  socket.on('error', (error) =>
    fail(new RedisClosedError(`the Redis connection failed: ${error.message}`)),
  );
  socket.on('close', () => fail(new RedisClosedError()));
  const send = (args: readonly RespArgument[]): Promise<RespValue> => {
    if (closed !== undefined) return Promise.reject(closed);
    return new Promise((resolve, reject) => {
      waiters.push({ resolve, reject });
      socket.write(encodeCommand(args));
    });
  };
  return {
    address,
    command: (...args) => send(args),
    pipeline: (commands) => {
      if (closed !== undefined) return Promise.reject(closed);
      // One write for the whole pipeline: the server reads it in as few syscalls as it can.
      const replies = commands.map(
        () => new Promise<RespValue>((resolve, reject) => waiters.push({ resolve, reject })),
      );
      socket.write(Buffer.concat(commands.map(encodeCommand)));
      return Promise.all(replies);
    },
    close: () => fail(new RedisClosedError()),
  };
}
