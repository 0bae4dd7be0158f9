import {
  InvalidIndexError,
  InvalidValueError,
  MAX_INDEX,
  isValidIndex,
  isValidValue,
} from '@vig/crdt-core';
import type { DenseEntries, SparseEntries } from '@vig/crdt-core';
import { hasDuplicateIndices } from './duplicate-indices.js';
import { containerHeaderSize, unsignedIntegerSize } from './encoded-size.js';
import { DenseSpanTooLargeError } from './encode-errors.js';
import type { DenseMode, VignetteMessage } from './message.js';
import {
  checkMessageFields,
  denseFieldSize,
  largestValue,
  messageOverhead,
  registerWidthFor,
  sparseVectorSize,
  writeDenseFromRegistersAt,
  writeDenseFromSortedAt,
  writeExtensionsAt,
  writeHeadAt,
  writeSparseVectorAt,
  writeTailAt,
} from './message-layout.js';
import {
  createOutputBuffer,
  reserve,
  takeWritten,
  writeMapHeaderAt,
  writeUnsignedAt,
} from './msgpack-writer.js';
import { sortEntries } from './sorted-entries.js';
import { DEFAULT_MAX_ENTRIES, DEFAULT_MAX_KEY_BYTES } from './wire-defaults.js';

/** Options of {@link encodeMessage}. */
export interface EncodeOptions {
  /** Whether the `dense` field, which only Vig nodes read, may be used. Default `'never'`. */
  readonly dense?: DenseMode;
  /** The longest key accepted, in UTF-8 bytes. Default {@link DEFAULT_MAX_KEY_BYTES} (1024). */
  readonly maxKeyBytes?: number;
}

/** The most bytes one entry takes: a uint32 index and a uint64 value. */
const largestEntrySize = 5 + 9;

/** Reused by every encode; each result is copied out of it. */
const output = createOutputBuffer();

/**
 * Encodes a message as plain msgpack that every vignette implementation
 * reads: a map with the string fields `key`, `vector` (a map from integer
 * indices to integer values, in their smallest encodings), `ttl` (always) and
 * `full` (only when true; absent reads as false), plus `dense` when
 * `options.dense` allows it, then the extension fields `vig` and `client`
 * when the message has them. A message without them is byte for byte what it
 * was before they existed. Which peers get what is the gossip layer's call:
 * `vig` goes to every peer, since it is how Vig nodes find each other, while
 * the dense field goes only to peers that sent `vig`.
 *
 * Each index is written once, with its largest value; zero values are left
 * out (a missing index reads as 0), so entries holding only zeros encode as
 * an empty vector, which peers read as a request for the whole vector.
 *
 * @throws {@link InvalidMessageFieldError} for a bad key, `ttl`, `full`,
 *   `vig` (not an integer in 1..2^31), `client` (not a boolean) or vector
 *   shape; crdt-core's `InvalidIndexError` / `InvalidValueError` for a bad
 *   entry; {@link DenseSpanTooLargeError} for `dense: 'always'` on sparse
 *   entries spanning more than 65536 indices.
 */
export function encodeMessage(message: VignetteMessage, options?: EncodeOptions): Uint8Array {
  const keyByteLength = checkMessageFields(message, options?.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES);
  const mode = options?.dense ?? 'never';
  const vector = message.vector;
  if (mode !== 'never') {
    return vector.kind === 'sparse'
      ? encodeSparseChoosing(message, vector, keyByteLength, mode)
      : encodeDenseChoosing(message, vector, keyByteLength, mode);
  }
  return vector.kind === 'sparse'
    ? encodeSparse(message, vector, keyByteLength)
    : encodeDenseAsSparse(message, vector, keyByteLength);
}

/** The hot path: sparse entries written as they come, sorted only if they repeat an index. */
function encodeSparse(
  message: VignetteMessage,
  vector: SparseEntries,
  keyByteLength: number,
): Uint8Array {
  const { indices, values } = vector;
  const count = indices.length;
  output.position = 0;
  const bytes = reserve(
    output,
    messageOverhead(keyByteLength, message) + 5 + count * largestEntrySize,
  );
  const headerPosition = writeHeadAt(bytes, 0, message, keyByteLength, false);
  const reservedHeaderSize = containerHeaderSize(count);
  let position = headerPosition + reservedHeaderSize;
  let written = 0;
  let previous = -1;
  let ascending = true;
  for (let i = 0; i < count; i++) {
    const index = indices[i];
    const value = values[i];
    if (!isValidIndex(index)) throw new InvalidIndexError(index);
    if (!isValidValue(value)) throw new InvalidValueError(index, value);
    if (value === 0) continue;
    if (index <= previous) ascending = false;
    previous = index;
    position = writeUnsignedAt(bytes, position, index);
    position = writeUnsignedAt(bytes, position, value);
    written += 1;
  }
  if (!ascending && hasDuplicateIndices(indices, values)) {
    const sorted = sortEntries(vector);
    position = writeSparseVectorAt(
      bytes,
      headerPosition,
      sorted.indices,
      sorted.values,
      0,
      sorted.indices.length,
    );
  } else {
    position = settleMapHeader(bytes, headerPosition, reservedHeaderSize, written, position);
  }
  output.position = writeExtensionsAt(bytes, writeTailAt(bytes, position, message), message);
  return takeWritten(output);
}

/**
 * Writes the header for the `count` entries actually written after a header
 * reserved for more, moving them back when the true header is shorter.
 */
function settleMapHeader(
  bytes: Uint8Array,
  headerPosition: number,
  reservedSize: number,
  count: number,
  end: number,
): number {
  const size = containerHeaderSize(count);
  if (size !== reservedSize) {
    bytes.copyWithin(headerPosition + size, headerPosition + reservedSize, end);
    end -= reservedSize - size;
  }
  writeMapHeaderAt(bytes, headerPosition, count);
  return end;
}

/** Dense entries as a vector map of their non-zero registers, in index order. */
function encodeDenseAsSparse(
  message: VignetteMessage,
  vector: DenseEntries,
  keyByteLength: number,
): Uint8Array {
  const { offset, registers } = vector;
  const count = registers.length;
  const checked = needsEntryChecks(vector);
  output.position = 0;
  const bytes = reserve(
    output,
    messageOverhead(keyByteLength, message) + 5 + count * largestEntrySize,
  );
  const headerPosition = writeHeadAt(bytes, 0, message, keyByteLength, false);
  const reservedHeaderSize = containerHeaderSize(count);
  let position = headerPosition + reservedHeaderSize;
  let written = 0;
  for (let i = 0; i < count; i++) {
    const value = registers[i];
    if (value === 0) continue;
    const index = offset + i;
    if (checked) checkDenseEntry(offset, index, value);
    position = writeUnsignedAt(bytes, position, index);
    position = writeUnsignedAt(bytes, position, value);
    written += 1;
  }
  position = settleMapHeader(bytes, headerPosition, reservedHeaderSize, written, position);
  output.position = writeExtensionsAt(bytes, writeTailAt(bytes, position, message), message);
  return takeWritten(output);
}

/**
 * Whether the registers' entries need checking one by one: only when the
 * last index may pass 2^32−1 or the registers can hold non-integers.
 */
function needsEntryChecks(vector: DenseEntries): boolean {
  const { offset, registers } = vector;
  return (
    !isValidIndex(offset) ||
    offset + registers.length - 1 > MAX_INDEX ||
    registers instanceof Float64Array
  );
}

function checkDenseEntry(offset: number, index: number, value: number): void {
  if (!isValidIndex(offset) || index > MAX_INDEX) throw new InvalidIndexError(index);
  if (!isValidValue(value)) throw new InvalidValueError(index, value);
}

/** A message with an empty vector map and no dense field. */
function encodeEmpty(message: VignetteMessage, keyByteLength: number): Uint8Array {
  output.position = 0;
  const bytes = reserve(output, messageOverhead(keyByteLength, message) + 1);
  const position = writeHeadAt(bytes, 0, message, keyByteLength, false);
  bytes[position] = 0x80;
  output.position = writeExtensionsAt(bytes, writeTailAt(bytes, position + 1, message), message);
  return takeWritten(output);
}

/** Sparse entries under `'auto'` or `'always'`: sizes of both encodings computed exactly. */
function encodeSparseChoosing(
  message: VignetteMessage,
  vector: SparseEntries,
  keyByteLength: number,
  mode: 'auto' | 'always',
): Uint8Array {
  const { indices, values } = sortEntries(vector);
  const count = indices.length;
  if (count === 0) return encodeEmpty(message, keyByteLength);
  const span = indices[count - 1] - indices[0] + 1;
  const sparseSize = sparseVectorSize(indices, values, 0, count);
  if (mode === 'always' && span > DEFAULT_MAX_ENTRIES) {
    throw new DenseSpanTooLargeError(span, DEFAULT_MAX_ENTRIES);
  }
  const width = registerWidthFor(largestValue(values, 0, count));
  // A dense field takes at least a byte per index spanned: skip the sum when that already loses.
  const useDense =
    mode === 'always' ||
    (span < sparseSize && 1 + denseFieldSize(indices[0], span, width) < sparseSize);
  output.position = 0;
  const overhead = messageOverhead(keyByteLength, message);
  if (!useDense) {
    const bytes = reserve(output, overhead + sparseSize);
    let position = writeHeadAt(bytes, 0, message, keyByteLength, false);
    position = writeSparseVectorAt(bytes, position, indices, values, 0, count);
    output.position = writeExtensionsAt(bytes, writeTailAt(bytes, position, message), message);
    return takeWritten(output);
  }
  const bytes = reserve(output, overhead + 1 + denseFieldSize(indices[0], span, width));
  let position = writeHeadAt(bytes, 0, message, keyByteLength, true);
  bytes[position] = 0x80;
  position = writeTailAt(bytes, position + 1, message);
  position = writeDenseFromSortedAt(bytes, position, indices, values, 0, count, width);
  output.position = writeExtensionsAt(bytes, position, message);
  return takeWritten(output);
}

/** Dense entries under `'auto'` or `'always'`: leading and trailing zero registers are trimmed. */
function encodeDenseChoosing(
  message: VignetteMessage,
  vector: DenseEntries,
  keyByteLength: number,
  mode: 'auto' | 'always',
): Uint8Array {
  const { offset, registers } = vector;
  const checked = needsEntryChecks(vector);
  let first = -1;
  let last = -1;
  let largest = 0;
  let sparseBody = 0;
  let nonZero = 0;
  for (let i = 0; i < registers.length; i++) {
    const value = registers[i];
    if (value === 0) continue;
    const index = offset + i;
    if (checked) checkDenseEntry(offset, index, value);
    if (first < 0) first = i;
    last = i;
    if (value > largest) largest = value;
    if (mode === 'auto') sparseBody += unsignedIntegerSize(index) + unsignedIntegerSize(value);
    nonZero += 1;
  }
  if (nonZero === 0) return encodeEmpty(message, keyByteLength);
  const width = registerWidthFor(largest);
  const count = last - first + 1;
  const denseSize = 1 + denseFieldSize(offset + first, count, width);
  if (mode === 'auto' && denseSize >= containerHeaderSize(nonZero) + sparseBody) {
    return encodeDenseAsSparse(message, vector, keyByteLength);
  }
  output.position = 0;
  const bytes = reserve(output, messageOverhead(keyByteLength, message) + denseSize);
  let position = writeHeadAt(bytes, 0, message, keyByteLength, true);
  bytes[position] = 0x80;
  position = writeTailAt(bytes, position + 1, message);
  position = writeDenseFromRegistersAt(
    bytes,
    position,
    registers,
    first,
    count,
    offset + first,
    width,
  );
  output.position = writeExtensionsAt(bytes, position, message);
  return takeWritten(output);
}
