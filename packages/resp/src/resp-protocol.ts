import { RespProtocolError, RespReplyError } from './resp-errors.js';

/** A decoded RESP2 reply: bulk strings stay bytes so binary values survive. */
export type RespValue = string | number | Buffer | null | RespValue[];

/** An argument of a command: strings and numbers are sent as their text, bytes as they are. */
export type RespArgument = string | number | Uint8Array;

/** One reply parsed from a buffer, and where the next one starts. */
export interface ParsedReply {
  readonly value: RespValue | RespReplyError;
  readonly end: number;
}

const CRLF = Buffer.from('\r\n');

/**
 * Parses one reply at `start`.
 *
 * @returns the reply and its end, or undefined when `buffer` does not hold all of it yet
 * @throws {@link RespProtocolError} for bytes that are not RESP2
 */
export function parseReply(buffer: Buffer, start: number): ParsedReply | undefined {
  const lineEnd = buffer.indexOf(CRLF, start);
  if (lineEnd < 0) return undefined;
  const type = buffer[start];
  const line = buffer.toString('latin1', start + 1, lineEnd);
  const next = lineEnd + 2;
  if (type === 0x2b /* + */) return { value: line, end: next };
  if (type === 0x2d /* - */) return { value: new RespReplyError(line), end: next };
  if (type !== 0x3a /* : */ && type !== 0x24 /* $ */ && type !== 0x2a /* * */) {
    throw new RespProtocolError(`unexpected RESP type byte 0x${type.toString(16)}`);
  }
  const length = Number(line);
  if (line === '' || !Number.isSafeInteger(length)) {
    throw new RespProtocolError(
      `a RESP length or integer is not a number: ${JSON.stringify(line)}`,
    );
  }
  if (type === 0x3a /* : */) return { value: length, end: next };
  if (type === 0x24 /* $ */) {
    if (length < 0) return { value: null, end: next };
    if (buffer.length < next + length + 2) return undefined;
    return { value: Buffer.from(buffer.subarray(next, next + length)), end: next + length + 2 };
  }
  if (length < 0) return { value: null, end: next };
  const items: RespValue[] = [];
  let position = next;
  for (let item = 0; item < length; item++) {
    const parsed = parseReply(buffer, position);
    if (parsed === undefined) return undefined;
    // An error inside an array (EXEC) is kept as its message's text.
    items.push(parsed.value instanceof RespReplyError ? parsed.value.message : parsed.value);
    position = parsed.end;
  }
  return { value: items, end: position };
}

/** Encodes one command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly RespArgument[]): Buffer {
  const parts: Uint8Array[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes =
      typeof arg === 'string' || typeof arg === 'number' ? Buffer.from(String(arg)) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}
