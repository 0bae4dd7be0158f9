import { VigError } from '@vig/crdt-core';

/**
 * Protected mode: a node asked to listen on an address other than loopback
 * (127.0.0.0/8, ::1) without a cluster key. Unauthenticated gossip there
 * would let anyone who reaches the port write any key, join the cluster and
 * use the node to reflect traffic, so the node refuses to start (as Redis's
 * protected mode does) unless given a key, or `insecure: true`.
 */
export class ProtectedModeError extends VigError {
  static override readonly name = 'ProtectedModeError';
  override readonly name = 'ProtectedModeError';
  /** The `bind` option as given. */
  readonly bind: string;
  /** The IP address it resolved to. */
  readonly host: string;

  constructor(bind: string, host: string, options?: ErrorOptions) {
    super(
      `refusing to start a node on ${bind} without a cluster key: ${host} is not a loopback address, and without a key anyone who can reach it could write any key, join the cluster and use the node to reflect traffic. ` +
        'Expected a cluster key (the key or keyFile option; see docs/security.md), a loopback bind address (127.0.0.1), ' +
        'or insecure: true to run unauthenticated on a network you trust',
      options,
    );
    this.bind = bind;
    this.host = host;
  }
}

/**
 * A key file that its group or other users may read or write (`mode &
 * 0o077` not 0): the key would not be secret, or not the owner's alone.
 */
export class KeyFilePermissionError extends VigError {
  static override readonly name = 'KeyFilePermissionError';
  override readonly name = 'KeyFilePermissionError';
  /** The file. */
  readonly path: string;
  /** Its permission bits (`0o644`, …). */
  readonly mode: number;

  constructor(path: string, mode: number, options?: ErrorOptions) {
    super(
      `key file ${path} is readable or writable by its group or others (mode ${formatMode(mode)}): ` +
        `expected a file only its owner can read and write; run: chmod 600 ${shellQuoted(path)}`,
      options,
    );
    this.path = path;
    this.mode = mode;
  }
}

/** A key file that could not be read: missing, not a regular file, unreadable, or larger than 64 KiB. */
export class KeyFileReadError extends VigError {
  static override readonly name = 'KeyFileReadError';
  override readonly name = 'KeyFileReadError';
  /** The file. */
  readonly path: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(
      `could not read key file ${path}: ${problem}; expected a readable regular file of cluster keys`,
      options,
    );
    this.path = path;
  }
}

/** Permission bits as `0644`. */
function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** `path` as one shell word. */
function shellQuoted(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}
