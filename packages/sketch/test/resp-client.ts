import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** A decoded RESP2 reply: bulk strings stay bytes so binary values survive. */
export type RespValue = string | number | Buffer | null | RespValue[];

/** A RESP error reply (`-ERR …`). */
export class RespReplyError extends Error {
  override readonly name = 'RespReplyError';
}

interface Parsed {
  readonly value: RespValue | RespReplyError;
  readonly end: number;
}

/** Parses one reply at `start`; undefined when the buffer does not hold all of it yet. */
function parseReply(buffer: Buffer, start: number): Parsed | undefined {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[start]);
  const line = buffer.toString('latin1', start + 1, lineEnd);
  const next = lineEnd + 2;
  if (type === '+') return { value: line, end: next };
  if (type === '-') return { value: new RespReplyError(line), end: next };
  if (type === ':') return { value: Number(line), end: next };
  const length = Number(line);
  if (type === '$') {
    if (length < 0) return { value: null, end: next };
    if (buffer.length < next + length + 2) return undefined;
    return { value: Buffer.from(buffer.subarray(next, next + length)), end: next + length + 2 };
  }
  if (type !== '*') throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
  if (length < 0) return { value: null, end: next };
  const items: RespValue[] = [];
  let position = next;
  for (let item = 0; item < length; item++) {
    const parsed = parseReply(buffer, position);
    if (parsed === undefined) return undefined;
    if (parsed.value instanceof RespReplyError) throw parsed.value;
    items.push(parsed.value);
    position = parsed.end;
  }
  return { value: items, end: position };
}

/** Encodes one command as a RESP array of bulk strings. */
function encodeCommand(args: readonly (string | Uint8Array | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes =
      typeof arg === 'string' || typeof arg === 'number'
        ? Buffer.from(String(arg))
        : Buffer.from(arg);
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** A minimal pipelining Redis client for tests: no dependency, RESP2 only. */
export interface RespClient {
  /** Sends the commands at once and resolves with their replies, in order. */
  pipeline(commands: readonly (readonly (string | Uint8Array | number)[])[]): Promise<RespValue[]>;
  /** Sends one command and resolves with its reply (rejects on an error reply). */
  command(...args: (string | Uint8Array | number)[]): Promise<RespValue>;
  /** Closes the connection. */
  close(): void;
}

interface Waiter {
  resolve(value: RespValue): void;
  reject(error: Error): void;
}

function wrap(socket: Socket): RespClient {
  let pending: Buffer = Buffer.alloc(0);
  const waiters: Waiter[] = [];
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let position = 0;
    while (position < pending.length && waiters.length > 0) {
      const parsed = parseReply(pending, position);
      if (parsed === undefined) break;
      position = parsed.end;
      const waiter = waiters.shift()!;
      if (parsed.value instanceof RespReplyError) waiter.reject(parsed.value);
      else waiter.resolve(parsed.value);
    }
    pending = pending.subarray(position);
  });
  socket.on('error', (error) => {
    for (const waiter of waiters.splice(0)) waiter.reject(error);
  });
  const send = (args: readonly (string | Uint8Array | number)[]): Promise<RespValue> =>
    new Promise((resolve, reject) => {
      waiters.push({ resolve, reject });
      socket.write(encodeCommand(args));
    });
  return {
    pipeline: (commands) => Promise.all(commands.map(send)),
    command: (...args) => send(args),
    close: () => socket.destroy(),
  };
}

/**
 * Connects to `url` (`redis://host:port`) and checks the server answers PING;
 * resolves with undefined when it cannot (refused, timed out).
 */
export async function connectRedis(url: string): Promise<RespClient | undefined> {
  const { hostname, port } = new URL(url);
  const socket = await new Promise<Socket | undefined>((resolve) => {
    const attempt = connect({ host: hostname, port: Number(port || 6379) });
    attempt.setTimeout(2000, () => {
      attempt.destroy();
      resolve(undefined);
    });
    attempt.once('connect', () => {
      attempt.setTimeout(0);
      resolve(attempt);
    });
    attempt.once('error', () => resolve(undefined));
  });
  if (socket === undefined) return undefined;
  const client = wrap(socket);
  try {
    return (await client.command('PING')) === 'PONG' ? client : undefined;
  } catch {
    client.close();
    return undefined;
  }
}
