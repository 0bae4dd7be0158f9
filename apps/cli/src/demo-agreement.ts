import type { MaxVector } from '@vig/crdt-core';
import type { VigNode } from '@vig/node-udp';
import { DemoDisagreementError } from './demo-disagreement-error.js';
import { COUNTER_KEY, PAGES_PATTERN } from './demo-writes.js';
import { vectorText } from './vector-text.js';

/** What every node answers at the end of the demo. */
export interface DemoAgreement {
  /** The G-counter's count: the sum over its indices. */
  readonly count: number;
  /** The aggregate of the page keys, as `0=120 1=9 …`. */
  readonly pages: string;
}

/** The one answer all nodes give to `read`, as text. */
function agreedAnswer(
  nodes: readonly VigNode[],
  key: string,
  read: (node: VigNode) => string,
): string {
  const answers = [...new Set(nodes.map(read))];
  if (answers.length !== 1) throw new DemoDisagreementError(key, answers);
  return answers[0] ?? '';
}

/** The sum of a vector's values: what a G-counter counts. */
function total(vector: MaxVector | undefined): number {
  let sum = 0;
  vector?.forEach((_index, value) => {
    sum += value;
  });
  return sum;
}

/**
 * Reads the counter and the page aggregate on every node.
 *
 * @throws {@link DemoDisagreementError} when two nodes answer differently
 */
export function readAgreement(nodes: readonly VigNode[]): DemoAgreement {
  const count = agreedAnswer(nodes, COUNTER_KEY, (node) => String(total(node.get(COUNTER_KEY))));
  const pages = agreedAnswer(nodes, PAGES_PATTERN, (node) =>
    vectorText(node.aggregate(PAGES_PATTERN).toRecord()),
  );
  return { count: Number(count), pages };
}
