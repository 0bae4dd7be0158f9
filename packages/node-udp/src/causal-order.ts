import { versionKey } from '@vig/crdt-core';
import type { Operation } from '@vig/crdt-core';

/**
 * `operations` reordered so that every operation comes after those of its
 * parents that are among them (a depth-first walk, in the given order
 * otherwise), for `VersionedStore.applyRemote` to take without making any
 * wait: a store bounds how many operations may wait for parents, and a whole
 * history loaded at start-up could be far more than that bound. Operations
 * whose parents are missing keep their place. Linear in the operations and
 * their parents; iterative, so a long history cannot overflow the stack.
 */
export function causalOrder(operations: readonly Operation[]): Operation[] {
  const byVersion = new Map<string, Operation>();
  for (const operation of operations) byVersion.set(versionKey(operation.version), operation);
  const placed = new Set<string>();
  const ordered: Operation[] = [];
  /** Operations being walked, each with the index of its next parent to visit. */
  const stack: [Operation, number][] = [];
  for (const root of operations) {
    if (placed.has(versionKey(root.version))) continue;
    placed.add(versionKey(root.version));
    stack.push([root, 0]);
    // Each operation is pushed once (marked placed when pushed) and each
    // parent link visited once: at most operations + links steps.
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [operation, next] = top;
      if (next === operation.parents.length) {
        stack.pop();
        ordered.push(operation);
        continue;
      }
      top[1] = next + 1;
      const key = versionKey(operation.parents[next]);
      const parent = byVersion.get(key);
      if (parent === undefined || placed.has(key)) continue;
      placed.add(key);
      stack.push([parent, 0]);
    }
  }
  return ordered;
}
