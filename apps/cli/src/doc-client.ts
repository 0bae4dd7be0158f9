import { isVigError } from '@vig/crdt-core';
import type { ClientDocuments, DocumentRequestError } from '@vig/node-udp';
import { withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { DocumentRefusedError } from './document-refused-error.js';
import { UsageError } from './usage-error.js';

/**
 * Runs `use` with the documents (`client.docs`) of a client to the nodes
 * `options` name, as {@link withClient} does, and names the failures of a
 * document command.
 *
 * @throws {@link DocumentRefusedError} when the node refused the request
 * @throws {@link UsageError} for a key, value or name that cannot be sent
 *   (`@vig/wire`'s `InvalidDocFieldError`: too long, or not msgpack)
 * @throws whatever {@link withClient} throws, such as `ClientNoAnswerError`
 */
export async function withDocuments<T>(
  options: ClientOptions,
  use: (documents: ClientDocuments) => Promise<T>,
): Promise<T> {
  try {
    return await withClient(options, (client) => use(client.docs));
  } catch (error) {
    if (isVigError(error, 'DocumentRequestError')) {
      throw new DocumentRefusedError(error as DocumentRequestError);
    }
    if (isVigError(error, 'InvalidDocFieldError')) {
      throw new UsageError(`the request cannot be sent: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
