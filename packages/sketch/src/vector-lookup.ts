import { MaxVector } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';

/**
 * What a sketch reads its answer from: a replica's vector, or entries as they
 * arrived in a message or came out of a merge.
 */
export type VectorLike = MaxVector | VectorEntries;

/**
 * `vector` itself when it is a {@link MaxVector}; otherwise a new vector
 * holding the entries (taking the max where an index repeats). Reading from a
 * `MaxVector` costs nothing extra, so callers that ask many questions of the
 * same entries should build the vector once.
 *
 * @throws `InvalidIndexError` or `InvalidValueError` from `@vig/crdt-core` for an entry out of range
 */
export function toMaxVector(vector: VectorLike): MaxVector {
  return vector instanceof MaxVector ? vector : MaxVector.fromEntries(vector);
}
