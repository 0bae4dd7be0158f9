/** A Redis URL this client cannot use: not `redis://`, a bad port or database. */
export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`invalid Redis URL ${JSON.stringify(url)}: ${reason}`);
  }
}

/** The server could not be reached, did not answer in time, or refused the handshake. */
export class RedisConnectionError extends Error {
  override readonly name = 'RedisConnectionError';
  constructor(
    readonly address: string,
    reason: string,
  ) {
    super(`cannot use Redis at ${address}: ${reason}`);
  }
}

/** An error reply from the server (`-ERR …`, `-WRONGTYPE …`). */
export class RespReplyError extends Error {
  override readonly name = 'RespReplyError';
}

/** The server sent bytes that are not RESP2; the connection is closed. */
export class RespProtocolError extends Error {
  override readonly name = 'RespProtocolError';
}

/** A command sent after `close()`, or pending when the connection closed. */
export class RedisClosedError extends Error {
  override readonly name = 'RedisClosedError';
  constructor(reason = 'the Redis connection is closed') {
    super(reason);
  }
}
