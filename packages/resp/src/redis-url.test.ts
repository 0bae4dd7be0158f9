import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from './redis-url.js';
import { RedisUrlError } from './resp-errors.js';

describe('parseRedisUrl', () => {
  it('reads host, port, credentials and database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390')).toEqual({
      host: '127.0.0.1',
      port: 6390,
      database: 0,
    });
    expect(parseRedisUrl('redis://localhost')).toEqual({
      host: 'localhost',
      port: 6379,
      database: 0,
    });
    expect(parseRedisUrl('redis://:p%40ss@[::1]:7000/3')).toEqual({
      host: '::1',
      port: 7000,
      database: 3,
      password: 'p@ss',
    });
    expect(parseRedisUrl('redis://ann:secret@h/')).toMatchObject({
      username: 'ann',
      password: 'secret',
    });
  });

  it('rejects what it cannot use, saying why', () => {
    expect(() => parseRedisUrl('127.0.0.1:6379')).toThrow(RedisUrlError);
    expect(() => parseRedisUrl('rediss://h:1')).toThrow(/TLS is not supported/);
    expect(() => parseRedisUrl('redis://h:1/x')).toThrow(/database "x" is not a number/);
    expect(() => parseRedisUrl('redis://h:99999')).toThrow(RedisUrlError);
  });
});
