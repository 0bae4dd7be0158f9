/**
 * `vig serve --key-file`'s key rotation without a restart: on SIGHUP the
 * node reads its key file again (`node.reloadKeyFile()`), as
 * docs/security.md describes.
 */
import type { VigNode } from '@vig/node-udp';
import type { Logger } from 'pino';
import { failureLine } from './one-line.js';

/** The signal that makes `vig serve` read its key file again. */
export const RELOAD_SIGNAL = 'SIGHUP';

/** The ids of the keys `node` holds (8 hex digits each, primary first); none for a node without a key. */
export function keyIdsOf(node: VigNode): readonly string[] {
  const security = node.metrics().security;
  return security.sealed ? security.keyIds : [];
}

/**
 * Reloads `node`'s key file on each SIGHUP, one reload at a time, logging
 * `keys-reloaded` (info, with `keyIds`) or `keys-reload-failed` (error, with
 * the one-line `error`; the node keeps the keys it had). Never logs a key.
 * Returns a function that stops listening and waits for a reload under way.
 */
export function reloadKeysOnSignal(
  node: VigNode,
  keyFile: string,
  logger: Logger,
): () => Promise<void> {
  let pending = Promise.resolve();
  const listener = (): void => {
    pending = pending.then(() => reloadKeys(node, keyFile, logger));
  };
  process.on(RELOAD_SIGNAL, listener);
  return async () => {
    process.off(RELOAD_SIGNAL, listener);
    await pending;
  };
}

/** Reads the key file again and logs the outcome; never rejects. */
async function reloadKeys(node: VigNode, keyFile: string, logger: Logger): Promise<void> {
  try {
    await node.reloadKeyFile();
    logger.info({ keyFile, keyIds: keyIdsOf(node) }, 'keys-reloaded');
  } catch (error) {
    logger.error(
      { keyFile, keyIds: keyIdsOf(node), error: failureLine(error) },
      'keys-reload-failed',
    );
  }
}
