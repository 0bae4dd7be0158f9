import { VigError } from '@vig/crdt-core';

/** A `bind` option that is not `host:port` with a port in 0..65535. */
export class InvalidBindAddressError extends VigError {
  static override readonly name = 'InvalidBindAddressError';
  override readonly name = 'InvalidBindAddressError';
  /** The `bind` option as given. */
  readonly address: string;

  constructor(address: string, options?: ErrorOptions) {
    super(
      `bind address ${JSON.stringify(address)} is invalid: expected host:port (IPv6 as [host]:port) with a port in 0..65535 (0 for an ephemeral port)`,
      options,
    );
    this.address = address;
  }
}

/** A numeric option of `createUdpTransport` out of its range. */
export class InvalidUdpOptionError extends VigError {
  static override readonly name = 'InvalidUdpOptionError';
  override readonly name = 'InvalidUdpOptionError';
  /** The option's name. */
  readonly option: string;
  /** The value given. */
  readonly value: unknown;

  constructor(option: string, value: unknown, expected: string, options?: ErrorOptions) {
    super(`UDP transport option ${option} is ${String(value)}: expected ${expected}`, options);
    this.option = option;
    this.value = value;
  }
}

/** The socket could not be bound (address in use, not local, no such host…); `cause` holds the OS error. */
export class UdpBindError extends VigError {
  static override readonly name = 'UdpBindError';
  override readonly name = 'UdpBindError';
  /** The `bind` option as given. */
  readonly address: string;

  constructor(address: string, reason: string, options?: ErrorOptions) {
    super(
      `could not bind a UDP socket to ${address}: ${reason}; expected a free port on a local address`,
      options,
    );
    this.address = address;
  }
}
