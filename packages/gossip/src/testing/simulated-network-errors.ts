import { VigError } from '@vig/crdt-core';

/** A transport asked for at an address that an open or crashed node holds. */
export class AddressInUseError extends VigError {
  static override readonly name = 'AddressInUseError';
  override readonly name = 'AddressInUseError';
  /** The address asked for. */
  readonly address: string;

  constructor(address: string, crashed: boolean, options?: ErrorOptions) {
    super(
      crashed
        ? `address ${address} belongs to a crashed node: expected restart(address) to bring it back`
        : `address ${address} is in use: expected it free, or its transport closed first`,
      options,
    );
    this.address = address;
  }
}

/** `crash` or `restart` of an address where no transport was ever opened. */
export class UnknownAddressError extends VigError {
  static override readonly name = 'UnknownAddressError';
  override readonly name = 'UnknownAddressError';
  /** The address asked for. */
  readonly address: string;

  constructor(address: string, options?: ErrorOptions) {
    super(
      `no transport was ever opened at ${address}: expected an address opened with transport(address)`,
      options,
    );
    this.address = address;
  }
}

/** A partition that lists one address in two groups. */
export class OverlappingPartitionError extends VigError {
  static override readonly name = 'OverlappingPartitionError';
  override readonly name = 'OverlappingPartitionError';
  /** The address listed twice. */
  readonly address: string;

  constructor(address: string, options?: ErrorOptions) {
    super(
      `address ${address} is listed in more than one partition group: expected each address in at most one`,
      options,
    );
    this.address = address;
  }
}

/** A `maxDatagramBytes` option that is not a positive integer. */
export class InvalidDatagramLimitError extends VigError {
  static override readonly name = 'InvalidDatagramLimitError';
  override readonly name = 'InvalidDatagramLimitError';
  /** What was given. */
  readonly value: number;

  constructor(value: number, options?: ErrorOptions) {
    super(`maxDatagramBytes ${value} is invalid: expected a positive integer`, options);
    this.value = value;
  }
}
