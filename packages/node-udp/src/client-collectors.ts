import { MaxVector, compileKeyPattern, isPattern } from '@vig/crdt-core';
import type { AnswerCollector, NodeAnswer } from './client-exchange.js';

/** One member as a node sees it. */
export interface ClientMember {
  /** Where it listens. */
  readonly address: string;
  /** Its status as the node sees it: `alive`, `suspect`, `dead` or `left`. */
  readonly status: string;
}

/** Gathers the vector a node sends for one key (or an aggregate pattern), merged under max. */
export class VectorCollector implements AnswerCollector {
  readonly vector = new MaxVector();
  readonly #key: string;

  constructor(key: string) {
    this.#key = key;
  }

  take(answer: NodeAnswer): boolean {
    if (answer.kind !== 'message' || answer.message.key !== this.#key) return false;
    this.vector.merge(answer.message.vector);
    return true;
  }
}

/** Gathers the keys a node sends for a search pattern, each vector merged under max. */
export class SearchCollector implements AnswerCollector {
  readonly #found = new Map<string, MaxVector>();
  readonly #matches: (key: string) => boolean;

  constructor(pattern: string) {
    this.#matches = compileKeyPattern(pattern);
  }

  take(answer: NodeAnswer): boolean {
    if (answer.kind !== 'message') return false;
    const { key, vector } = answer.message;
    if (isPattern(key) || !this.#matches(key)) return false;
    const found = this.#found.get(key);
    if (found === undefined) this.#found.set(key, MaxVector.fromEntries(vector));
    else found.merge(vector);
    return true;
  }

  /** Every key found with its vector, sorted by key. */
  results(): [string, MaxVector][] {
    return [...this.#found].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  }
}

/** Gathers a node's membership view, in the order it sent it (itself first), each address once. */
export class MembersCollector implements AnswerCollector {
  readonly #members = new Map<string, string>();

  take(answer: NodeAnswer): boolean {
    if (answer.kind !== 'sync' || answer.sync.kind !== 'members' || !answer.sync.reply) {
      return false;
    }
    for (const { address, status } of answer.sync.members) {
      if (!this.#members.has(address)) this.#members.set(address, status);
    }
    return true;
  }

  results(): ClientMember[] {
    return [...this.#members].map(([address, status]) => ({ address, status }));
  }
}
