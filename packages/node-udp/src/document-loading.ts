import { MAIN_BRANCH, versionKey } from '@vig/crdt-core';
import type { AgentId, Operation } from '@vig/crdt-core';
import type { DurableStore } from './durable-store.js';
import { ObservedVersionedStore } from './observed-versioned-store.js';

/** What {@link loadDocuments} found in the durable store. */
export interface LoadedDocuments {
  /** The versioned store, holding every stored operation, its branches and checkout restored. */
  readonly store: ObservedVersionedStore;
  /** The operations it holds, in the order they were applied (parents first). */
  readonly applied: readonly Operation[];
  /** Records skipped as corrupt: operations, branches, the checkout. */
  readonly skipped: number;
  /**
   * What could not be restored, one line each: operations whose parents
   * were lost (they wait, as a peer's would, for those parents to arrive),
   * operations the store rejected, branches naming lost versions.
   */
  readonly problems: readonly string[];
}

/**
 * Builds a node's versioned store, writing as `agent`, from what the
 * durable store holds: every operation (parents before children), then the
 * branches at their stored frontiers (`main` at the heads when none was
 * stored), then the stored checkout (`main` when there is none, or when it
 * names something lost). While loading, the store is detached, so that no
 * branch follows the operations as they are applied.
 */
export function loadDocuments(durable: DurableStore, agent: AgentId): LoadedDocuments {
  const store = new ObservedVersionedStore({ agent });
  const operations = durable.loadOperations();
  const branches = durable.loadBranches();
  const problems: string[] = [];
  store.checkout([]);
  // Parents come first, so nothing waits but operations whose parents were lost.
  const result = store.applyRemote(operations);
  if (result.waiting > 0) {
    problems.push(`${result.waiting} stored operations wait for parents that were not stored`);
  }
  for (const rejection of result.rejected) problems.push(rejection.message);
  const applied = operations.filter((operation) => store.has(operation.version));
  for (const [name, frontier] of branches) {
    const known = frontier.filter((version) => store.has(version));
    if (known.length < frontier.length) {
      const lost = frontier.filter((version) => !store.has(version)).map(versionKey);
      problems.push(`branch ${JSON.stringify(name)} names versions not stored: ${lost.join(', ')}`);
    }
    store.createBranch(name, known);
  }
  if (!branches.has(MAIN_BRANCH)) store.createBranch(MAIN_BRANCH, store.heads);
  const { checkout } = branches;
  if (checkout?.kind === 'branch' && branches.has(checkout.name)) {
    store.checkout(checkout.name);
  } else if (
    checkout?.kind === 'version' &&
    checkout.frontier.every((version) => store.has(version))
  ) {
    store.checkout(checkout.frontier);
  } else {
    if (checkout !== undefined) problems.push('the stored checkout names something not stored');
    store.checkout(MAIN_BRANCH);
  }
  return { store, applied, skipped: operations.skipped + branches.skipped, problems };
}
