import { VigError } from '@vig/crdt-core';
import type { ProtectedModeError } from '@vig/node-udp';

/**
 * Protected mode, as `vig serve` reports it: the node was asked to listen
 * beyond loopback without `--key-file` or `--insecure`. The node's
 * `ProtectedModeError` (its `cause`) says the same in terms of its options;
 * this one names the command's flags.
 */
export class ServeProtectedModeError extends VigError {
  static override readonly name = 'ServeProtectedModeError';
  override readonly name = 'ServeProtectedModeError';
  /** The `--bind` address as given. */
  readonly bind: string;
  /** The IP address it resolved to. */
  readonly host: string;

  constructor(cause: ProtectedModeError) {
    super(
      `refusing to start a node on ${cause.bind} without a cluster key: ${cause.host} is not a loopback address, ` +
        'and without a key anyone who can reach it could write any key, join the cluster and use the node to reflect traffic; ' +
        'expected --key-file FILE (vig keygen FILE makes one; see docs/security.md), a loopback --bind such as 127.0.0.1:7946, ' +
        'or --insecure to run unauthenticated on a network you trust',
      { cause },
    );
    this.bind = cause.bind;
    this.host = cause.host;
  }
}
