import { describe, expect, it } from 'vitest';
import { RespProtocolError, RespReplyError } from './resp-errors.js';
import { encodeCommand, parseReply } from './resp-protocol.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('encodeCommand', () => {
  it('sends every argument as a bulk string, bytes as they are', () => {
    expect(encodeCommand(['SET', 'k', 12, new Uint8Array([0, 255])]).toString('latin1')).toBe(
      '*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n12\r\n$2\r\n\u0000\u00ff\r\n',
    );
  });
});

describe('parseReply', () => {
  it('reads each RESP2 type', () => {
    expect(parseReply(bytes('+OK\r\n'), 0)).toEqual({ value: 'OK', end: 5 });
    expect(parseReply(bytes(':-42\r\n'), 0)).toEqual({ value: -42, end: 6 });
    expect(parseReply(bytes('$-1\r\n'), 0)).toEqual({ value: null, end: 5 });
    expect(parseReply(bytes('$3\r\na\r\n\r\n'), 0)).toEqual({ value: bytes('a\r\n'), end: 9 });
    expect(parseReply(bytes('*2\r\n:1\r\n$1\r\nx\r\n'), 0)).toEqual({
      value: [1, bytes('x')],
      end: 15,
    });
    const error = parseReply(bytes('-WRONGTYPE no\r\n'), 0)?.value;
    expect(error).toBeInstanceOf(RespReplyError);
    expect((error as Error).message).toBe('WRONGTYPE no');
  });

  it('waits for the rest of a reply split across reads', () => {
    const whole = bytes('*2\r\n$5\r\nhello\r\n:7\r\n');
    for (let cut = 0; cut < whole.length; cut++) {
      expect(parseReply(whole.subarray(0, cut), 0)).toBeUndefined();
    }
    expect(parseReply(whole, 0)?.end).toBe(whole.length);
  });

  it('rejects bytes that are not RESP2', () => {
    expect(() => parseReply(bytes('?what\r\n'), 0)).toThrow(RespProtocolError);
    expect(() => parseReply(bytes('$x\r\n'), 0)).toThrow(RespProtocolError);
  });
});
