import { versionKey } from '@vig/crdt-core';
import type { Version } from '@vig/crdt-core';

/** Whether two lists of versions hold the same versions in the same order (frontiers come sorted). */
export function sameVersions(left: readonly Version[], right: readonly Version[]): boolean {
  return (
    left.length === right.length &&
    left.every((version, index) => versionKey(version) === versionKey(right[index]))
  );
}
