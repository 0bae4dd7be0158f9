import { RedisUrlError } from './resp-errors.js';

/** Where and as whom to connect, read from a `redis://` URL. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  /** The ACL user, when the URL names one (`redis://user:password@host`). */
  readonly username?: string;
  /** The password (`redis://:password@host`), sent with AUTH. */
  readonly password?: string;
  /** The database number (`redis://host:6379/2`), selected with SELECT; default 0. */
  readonly database: number;
}

/** The default Redis port. */
export const DEFAULT_REDIS_PORT = 6379;

/**
 * Reads `redis://[[user]:password@]host[:port][/db]`.
 *
 * @throws {@link RedisUrlError} for another scheme, a bad port or database number
 */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisUrlError(url, 'not a URL (expected redis://HOST:PORT)');
  }
  if (parsed.protocol !== 'redis:') {
    throw new RedisUrlError(url, `scheme ${parsed.protocol} is not redis: (TLS is not supported)`);
  }
  if (parsed.hostname === '') throw new RedisUrlError(url, 'no host');
  const port = parsed.port === '' ? DEFAULT_REDIS_PORT : Number(parsed.port);
  const path = parsed.pathname.replace(/^\//, '');
  const database = path === '' ? 0 : Number(path);
  if (!/^\d*$/.test(path) || !Number.isSafeInteger(database)) {
    throw new RedisUrlError(url, `database ${JSON.stringify(path)} is not a number`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  return {
    host,
    port,
    database,
    ...(username === '' ? {} : { username }),
    ...(password === '' ? {} : { password }),
  };
}
