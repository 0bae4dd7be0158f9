/**
 * @packageDocumentation
 * Test helpers for `@vig/crdt-core`: the invariant checker of the versioned
 * store, for property and fuzz tests.
 *
 * @example
 * ```ts
 * import { VersionedStore } from '@vig/crdt-core';
 * import { checkInvariants } from '@vig/crdt-core/testing';
 *
 * const store = new VersionedStore();
 * store.put('title', 'Draft');
 * checkInvariants(store); // throws an InvariantError naming the first broken invariant
 * ```
 */
export { checkInvariants, InvariantError } from './check-invariants.js';
