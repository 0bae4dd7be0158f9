import type { AgentId } from './agent-id.js';
import type { CausalGraph } from './causal-graph.js';
import type { Sibling } from './versioned-operation.js';

/** A key write as a store keeps it: replaced versions as local orders. */
export interface StoredWrite {
  readonly key: string;
  readonly value: unknown;
  readonly replaces: readonly number[];
}

/** One sibling of a key at the checked-out version. */
export interface SiblingEntry {
  readonly order: number;
  readonly value: unknown;
  /** The sibling as `get` returns it, made on first read and kept. */
  sibling?: Sibling;
}

/** What the invariant checker reads of a store; not part of the public API. */
export interface StoreInternals {
  readonly graph: CausalGraph;
  readonly writes: readonly (readonly StoredWrite[])[];
  readonly values: ReadonlyMap<string, readonly SiblingEntry[]>;
  readonly current: readonly number[];
  readonly agentIds: readonly AgentId[];
  /** Applies operation `order` to a values map, as the store itself does. */
  readonly advance: (values: Map<string, SiblingEntry[]>, order: number) => void;
}

/** The key of the store's internals accessor; only the testing entry imports it. */
export const storeInternals: unique symbol = Symbol('vig.versioned-store.internals');
