import type { ClusterKeys, KeySource, OptionRefusal } from './cluster-keys.js';
import { keyringOf } from './cluster-keys.js';
import { readKeyFile } from './read-key-file.js';
import type { SealedTransport } from './sealed-transport.js';

/**
 * Replaces the keys of a keyed node or client, its label kept: the next
 * datagram sent is sealed with the new primary key, and datagrams are
 * accepted under the new set from now on.
 *
 * @throws what `refuse` makes, when there is no sealed transport (created
 *   without a key) or the keys are refused
 */
export function setKeys(
  sealed: SealedTransport | undefined,
  keys: ClusterKeys,
  refuse: OptionRefusal,
): void {
  if (sealed === undefined) {
    throw refuse('key', 'cannot be set on one created without a key', 'key or keyFile at creation');
  }
  sealed.setKeyring(keyringOf(keys, sealed.keyring.label, refuse));
}

/**
 * Reads the key file of `source` again and uses its keys, as {@link setKeys} does.
 *
 * @throws what `refuse` makes, when the keys did not come from a key file
 * @throws the key file's errors, as at creation (the keys in use stay)
 */
export async function reloadKeyFile(
  sealed: SealedTransport | undefined,
  source: KeySource,
  refuse: OptionRefusal,
): Promise<void> {
  if (sealed === undefined || source.kind !== 'file') {
    throw refuse('keyFile', 'was not given at creation', 'keyFile at creation to reload it');
  }
  setKeys(sealed, await readKeyFile(source.path), refuse);
}
