import { entriesFromRecord } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';

/** What a write takes: crdt-core entries, or a plain record of index → value. */
export type EntriesInput = VectorEntries | Readonly<Record<number, number>>;

/**
 * `input` as crdt-core entries: entries as they are, a record converted
 * (`{ 0: 5, 3: 7 }`), its indices and values checked.
 *
 * @throws crdt-core's `InvalidIndexError` or `InvalidValueError` for a record entry out of range
 */
export function entriesOf(input: EntriesInput): VectorEntries {
  if (isEntries(input)) return input;
  return entriesFromRecord(input);
}

function isEntries(input: EntriesInput): input is VectorEntries {
  const kind = (input as { kind?: unknown }).kind;
  return (
    (kind === 'sparse' && 'indices' in input && 'values' in input) ||
    (kind === 'dense' && 'offset' in input && 'registers' in input)
  );
}
