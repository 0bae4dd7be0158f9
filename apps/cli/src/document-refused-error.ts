import { VigError } from '@vig/crdt-core';
import type { DocumentRequestError } from '@vig/node-udp';

/** What to do about each failure code a node may answer a document request with. */
const HINTS: Readonly<Record<string, string>> = {
  'unknown-branch': 'expected a branch the node has: main, or one named with vig doc branch NAME',
  'unknown-version':
    'expected versions the node holds, as vig doc get and vig doc log print them (AGENT:SEQ); a version written through another node may not have reached this one yet',
  'no-docs': 'expected a node that keeps documents (vig serve does)',
};

/**
 * A node refused a document command (`vig doc …`): the client's
 * `DocumentRequestError`, with a hint for the failures a user can fix, such
 * as a branch the node does not have (`unknown-branch`).
 */
export class DocumentRefusedError extends VigError {
  static override readonly name = 'DocumentRefusedError';
  override readonly name = 'DocumentRefusedError';
  /** The node's failure code, such as `unknown-branch`. */
  readonly code: string;
  /** The node that refused. */
  readonly node: string;

  constructor(cause: DocumentRequestError) {
    const hint = HINTS[cause.code];
    super(hint === undefined ? cause.message : `${cause.message}: ${hint}`, { cause });
    this.code = cause.code;
    this.node = cause.node;
  }
}
