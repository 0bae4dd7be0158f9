import { VigError } from '@vig/crdt-core';

/** Options of `createSimulatedCluster` out of range: a size or seed count that is not a suitable integer. */
export class InvalidClusterOptionsError extends VigError {
  static override readonly name = 'InvalidClusterOptionsError';
  override readonly name = 'InvalidClusterOptionsError';
  /** The option that was wrong. */
  readonly option: 'size' | 'seedsPerNode';
  /** What it held. */
  readonly value: number;

  constructor(
    option: 'size' | 'seedsPerNode',
    value: number,
    expected: string,
    options?: ErrorOptions,
  ) {
    super(`cluster option ${option} = ${value} is invalid: expected ${expected}`, options);
    this.option = option;
    this.value = value;
  }
}

/** A node index that is not one of the cluster's. */
export class UnknownClusterNodeError extends VigError {
  static override readonly name = 'UnknownClusterNodeError';
  override readonly name = 'UnknownClusterNodeError';
  /** The index asked for. */
  readonly index: number;

  constructor(index: number, size: number, options?: ErrorOptions) {
    super(`cluster node ${index} does not exist: expected an index in 0..${size - 1}`, options);
    this.index = index;
  }
}
