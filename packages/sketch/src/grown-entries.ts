import type { MaxVector, SparseEntries } from '@vig/crdt-core';

/**
 * The entries of `indices`/`values` that would raise `current`: what a handle
 * puts, so that a batch sends only the registers that grew.
 */
export function grownEntries(
  current: MaxVector | undefined,
  indices: readonly number[],
  values: readonly number[],
): SparseEntries {
  if (current === undefined) return { kind: 'sparse', indices: [...indices], values: [...values] };
  const grownIndices: number[] = [];
  const grownValues: number[] = [];
  for (let entry = 0; entry < indices.length; entry++) {
    if (current.get(indices[entry]) >= values[entry]) continue;
    grownIndices.push(indices[entry]);
    grownValues.push(values[entry]);
  }
  return { kind: 'sparse', indices: grownIndices, values: grownValues };
}
