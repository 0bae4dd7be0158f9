import { VigError } from '@vig/crdt-core';

/** After every write had reached every node, two nodes still answered a read differently. */
export class DemoDisagreementError extends VigError {
  static override readonly name = 'DemoDisagreementError';
  override readonly name = 'DemoDisagreementError';
  /** The key or pattern read. */
  readonly key: string;

  constructor(key: string, answers: readonly string[], options?: ErrorOptions) {
    super(
      `the demo nodes disagree on ${key}: ${answers.join(' vs ')}; expected one answer from every node`,
      options,
    );
    this.key = key;
  }
}
