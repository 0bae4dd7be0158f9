import { nodeEnvelopeCrypto } from '@vig/node-udp';
import { clusterKeyId, formatKeyId, parseClusterKey } from '@vig/wire';

/**
 * The id of a cluster key given as base64: 8 hex digits, the first 4 bytes
 * of its SHA-256, as `vig serve` logs them and datagrams carry them in clear.
 * Not secret: it names a key without revealing it.
 *
 * @throws `@vig/wire`'s `InvalidClusterKeyError` for text that is not one key
 */
export function clusterKeyIdOf(key: string): string {
  return formatKeyId(clusterKeyId(nodeEnvelopeCrypto, parseClusterKey(key)));
}
