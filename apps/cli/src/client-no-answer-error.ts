import { VigError } from '@vig/crdt-core';
import type { NoAnswerError } from '@vig/node-udp';
import { KEY_FILE_VARIABLE, LABEL_VARIABLE } from './key-options.js';

/**
 * No node answered a client command: the client's `NoAnswerError`, with a
 * hint about cluster keys, since a keyed node answers nothing to a client
 * without its key (or with another key or label).
 */
export class ClientNoAnswerError extends VigError {
  static override readonly name = 'ClientNoAnswerError';
  override readonly name = 'ClientNoAnswerError';
  /** The nodes tried, in the order they were tried. */
  readonly nodes: readonly string[];
  /** Milliseconds each node was given. */
  readonly timeout: number;
  /** Whether the command had a key file. */
  readonly keyed: boolean;

  constructor(cause: NoAnswerError, keyed: boolean) {
    super(
      keyed
        ? `${cause.message}: expected a running node whose cluster key and label are in --key-file and --label (or ${KEY_FILE_VARIABLE} and ${LABEL_VARIABLE})`
        : `${cause.message}: expected a running node; a cluster with a key answers only clients holding it, so give it with --key-file FILE (or ${KEY_FILE_VARIABLE})`,
      { cause },
    );
    this.nodes = cause.nodes;
    this.timeout = cause.timeout;
    this.keyed = keyed;
  }
}
