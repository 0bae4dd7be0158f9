import { isVigError } from '@vig/crdt-core';
import { DEFAULT_CLUSTER_LABEL, createKeyring } from '@vig/wire';
import type { ClusterKeyInput, Keyring } from '@vig/wire';
import { nodeEnvelopeCrypto } from './node-envelope-crypto.js';
import { readKeyFile } from './read-key-file.js';

/** Cluster keys given in code: the primary key and the keys also accepted. */
export interface ClusterKeys {
  /** The key datagrams are sealed with: 32 random bytes, or their base64 (44 characters). */
  readonly primary: ClusterKeyInput;
  /** Keys also accepted from peers (open only): the keys being rotated in or out. */
  readonly accepted?: readonly ClusterKeyInput[];
}

/** The options that give a node or a client its cluster key. */
export interface KeyOptions {
  /**
   * The cluster key, in code: every datagram is sealed with `primary`
   * (AES-256-GCM), and a datagram is accepted only when it opens with
   * `primary` or one of `accepted`. Give this or `keyFile`, not both. See
   * docs/security.md.
   */
  readonly key?: ClusterKeys;
  /**
   * A key file: one base64 key per line, the first the primary key, the
   * others accepted, `#` comments. Refused (`KeyFilePermissionError`) when
   * its group or others may read or write it: `chmod 600` it.
   */
  readonly keyFile?: string;
  /**
   * The cluster label, authenticated with every datagram: clusters with
   * different labels never accept each other's datagrams, even under the
   * same key. 1..255 UTF-8 bytes; default `vig`. Only with `key` or `keyFile`.
   */
  readonly label?: string;
}

/** Where a node's or client's keys come from, its options checked. */
export type KeySource =
  | { readonly kind: 'none' }
  | { readonly kind: 'inline'; readonly keys: ClusterKeys; readonly label: string }
  | { readonly kind: 'file'; readonly path: string; readonly label: string };

/** Makes the caller's own options error (`NodeOptionsError`, `ClientOptionsError`). */
export type OptionRefusal = (
  option: string,
  problem: string,
  expected: string,
  options?: ErrorOptions,
) => Error;

/**
 * Checks the shape of the key options (the keys themselves are checked when
 * the keyring is made): at most one of `key` and `keyFile`, and `label` only
 * with one of them.
 *
 * @throws what `refuse` makes
 */
export function keySourceOf(options: KeyOptions, refuse: OptionRefusal): KeySource {
  const { key, keyFile, label } = options;
  if (label !== undefined && typeof label !== 'string') {
    throw refuse('label', `is ${typeof label}`, 'a string');
  }
  if (key !== undefined && keyFile !== undefined) {
    throw refuse('key', 'and keyFile are both given', 'one of them');
  }
  if (key !== undefined) {
    if (typeof key !== 'object' || key === null || Array.isArray(key) || !('primary' in key)) {
      throw refuse(
        'key',
        `is ${Array.isArray(key) ? 'an array' : String(key)}`,
        '{ primary, accepted? }',
      );
    }
    return { kind: 'inline', keys: key, label: label ?? DEFAULT_CLUSTER_LABEL };
  }
  if (keyFile !== undefined) {
    if (typeof keyFile !== 'string' || keyFile.length === 0) {
      throw refuse('keyFile', `is ${JSON.stringify(keyFile)}`, 'the path of a key file');
    }
    return { kind: 'file', path: keyFile, label: label ?? DEFAULT_CLUSTER_LABEL };
  }
  if (label !== undefined) {
    throw refuse(
      'label',
      'is given without a key',
      'key or keyFile with it (a label alone separates nothing)',
    );
  }
  return { kind: 'none' };
}

/**
 * The keyring of `source` (reading its key file), or undefined for none.
 *
 * @throws what `refuse` makes, for keys or a label the keyring refuses
 * @throws `KeyFilePermissionError`, `KeyFileReadError` or `@vig/wire`'s `InvalidKeyFileError` for a key file
 */
export async function loadKeyring(
  source: KeySource,
  refuse: OptionRefusal,
): Promise<Keyring | undefined> {
  switch (source.kind) {
    case 'none':
      return undefined;
    case 'inline':
      return keyringOf(source.keys, source.label, refuse);
    case 'file':
      return keyringOf(await readKeyFile(source.path), source.label, refuse);
  }
}

/**
 * A keyring of `keys` under `label`, on `node:crypto`.
 *
 * @throws what `refuse` makes, naming `label` or `key`, with the wire's error as `cause`
 */
export function keyringOf(keys: ClusterKeys, label: string, refuse: OptionRefusal): Keyring {
  try {
    return createKeyring({
      primary: keys.primary,
      accepted: keys.accepted ?? [],
      label,
      crypto: nodeEnvelopeCrypto,
    });
  } catch (error) {
    const labelRefused =
      isVigError(error, 'InvalidKeyringError') && 'field' in error && error.field === 'label';
    const detail = error instanceof Error ? error.message : String(error);
    throw labelRefused
      ? refuse('label', `is refused (${detail})`, 'a string of 1..255 UTF-8 bytes', {
          cause: error,
        })
      : refuse(
          'key',
          `is refused (${detail})`,
          'cluster keys of 32 bytes or 44 characters of base64',
          {
            cause: error,
          },
        );
  }
}
