// Errors of cluster keys, key files and keyrings. Their messages never hold
// key material: they say where the bad key is and what was expected.

import { VigError } from '@vig/crdt-core';

/**
 * A cluster key that is not 32 bytes, or text that is not exactly 44
 * characters of padded standard base64 (what `openssl rand -base64 32`
 * prints). `where` names it (`primary`, `accepted[1]`, `line 3`).
 */
export class InvalidClusterKeyError extends VigError {
  static override readonly name = 'InvalidClusterKeyError';
  override readonly name = 'InvalidClusterKeyError';
  /** Which key was wrong. */
  readonly where: string;

  constructor(where: string, problem: string, options?: ErrorOptions) {
    super(
      `cluster key ${where} ${problem}: expected 32 random bytes, or 44 characters of padded standard base64 (as \`openssl rand -base64 32\` prints)`,
      options,
    );
    this.where = where;
  }
}

/**
 * A key file that holds no key, or a line that is not one cluster key.
 * `cause` is the line's {@link InvalidClusterKeyError}, if any.
 */
export class InvalidKeyFileError extends VigError {
  static override readonly name = 'InvalidKeyFileError';
  override readonly name = 'InvalidKeyFileError';
  /** The file, as the caller named it. */
  readonly source: string;
  /** The line at fault (1-based), or undefined when the file as a whole is (no key at all). */
  readonly line: number | undefined;

  constructor(source: string, line: number | undefined, problem: string, options?: ErrorOptions) {
    super(
      `key file ${source}${line === undefined ? '' : `, line ${line},`} ${problem}: expected one base64 cluster key per line (the first is the primary key, the others are accepted), blank lines and # comments`,
      options,
    );
    this.source = source;
    this.line = line;
  }
}

/**
 * A keyring that cannot work: a label that is not 1..255 UTF-8 bytes, two
 * different keys with the same key id, or crypto primitives missing.
 * `field` names what was wrong.
 */
export class InvalidKeyringError extends VigError {
  static override readonly name = 'InvalidKeyringError';
  override readonly name = 'InvalidKeyringError';
  /** `label`, `accepted` or `crypto`. */
  readonly field: string;

  constructor(field: string, problem: string, expected: string, options?: ErrorOptions) {
    super(`keyring ${field} ${problem}: expected ${expected}`, options);
    this.field = field;
  }
}
