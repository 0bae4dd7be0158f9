import { VigError } from './vig-error.js';

/** An agent id that is not a non-empty string of at most 64 characters. */
export class InvalidAgentIdError extends VigError {
  static override readonly name = 'InvalidAgentIdError';
  override readonly name = 'InvalidAgentIdError';
  /** The rejected id, as given. */
  readonly agent: unknown;

  constructor(agent: unknown, options?: ErrorOptions) {
    super(
      `agent id ${JSON.stringify(agent) ?? String(agent)} is invalid: expected a string of 1..64 characters`,
      options,
    );
    this.agent = agent;
  }
}

/** A version (agent, seq) this store has never seen, named by a checkout, a branch or a query. */
export class UnknownVersionError extends VigError {
  static override readonly name = 'UnknownVersionError';
  override readonly name = 'UnknownVersionError';
  readonly agent: string;
  readonly seq: number;

  constructor(agent: string, seq: number, options?: ErrorOptions) {
    super(`version (${agent}, ${seq}) is unknown to this store`, options);
    this.agent = agent;
    this.seq = seq;
  }
}

/** A position in a store's local order that holds no operation. */
export class UnknownPositionError extends VigError {
  static override readonly name = 'UnknownPositionError';
  override readonly name = 'UnknownPositionError';
  readonly position: number;

  constructor(position: number, size: number, options?: ErrorOptions) {
    super(
      `position ${String(position)} holds no operation: expected an integer in 0..${size - 1} (the store holds ${size})`,
      options,
    );
    this.position = position;
  }
}

/** A branch name that is not defined. */
export class UnknownBranchError extends VigError {
  static override readonly name = 'UnknownBranchError';
  override readonly name = 'UnknownBranchError';
  readonly branch: string;

  constructor(branch: string, options?: ErrorOptions) {
    super(`branch ${JSON.stringify(branch)} does not exist`, options);
    this.branch = branch;
  }
}

/** An operation that is not well formed, or that contradicts the history it names. */
export class MalformedOperationError extends VigError {
  static override readonly name = 'MalformedOperationError';
  override readonly name = 'MalformedOperationError';

  constructor(problem: string, options?: ErrorOptions) {
    super(`malformed operation: ${problem}`, options);
  }
}

/**
 * A remote operation whose parents never arrived: it waited while the number
 * of waiting operations stayed within the bound, and was dropped past it.
 */
export class MissingParentError extends VigError {
  static override readonly name = 'MissingParentError';
  override readonly name = 'MissingParentError';
  readonly agent: string;
  readonly seq: number;
  /** The first missing version it waited for, as "agent:seq". */
  readonly missing: string;

  constructor(agent: string, seq: number, missing: string, options?: ErrorOptions) {
    super(
      `operation (${agent}, ${seq}) was dropped: its parent ${missing} never arrived within the waiting bound`,
      options,
    );
    this.agent = agent;
    this.seq = seq;
    this.missing = missing;
  }
}
