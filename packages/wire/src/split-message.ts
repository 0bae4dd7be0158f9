import { unsignedIntegerSize, containerHeaderSize } from './encoded-size.js';
import { DatagramBudgetError } from './encode-errors.js';
import type { EncodeOptions } from './encode-message.js';
import type { VignetteMessage } from './message.js';
import {
  checkMessageFields,
  denseCapacity,
  denseFieldHeadSize,
  denseFieldSize,
  largestValue,
  messageOverhead,
  registerWidthFor,
  sparseVectorSize,
  writeDenseFromSortedAt,
  writeExtensionsAt,
  writeHeadAt,
  writeSparseVectorAt,
  writeTailAt,
} from './message-layout.js';
import type { RegisterWidth } from './message-layout.js';
import { createOutputBuffer, reserve, takeWritten } from './msgpack-writer.js';
import { sortEntries } from './sorted-entries.js';
import { DEFAULT_DATAGRAM_BUDGET, DEFAULT_MAX_KEY_BYTES } from './wire-defaults.js';

/** Options of {@link splitMessage}. */
export interface SplitOptions extends EncodeOptions {
  /** The largest encoded message, in bytes. Default {@link DEFAULT_DATAGRAM_BUDGET} (1400). */
  readonly budget?: number;
}

const output = createOutputBuffer();

/**
 * Encodes a message as one or more messages of at most `budget` bytes each
 * (default 1400; the Ruby peer reads at most 1500 per datagram). Every chunk
 * carries the same key, `ttl` and `full` (and `vig` and `client` when the
 * message has them, their bytes counted), and a slice of the entries in index
 * order; merged in any order they equal the whole vector, since max is
 * idempotent and per element. `full` stays on every chunk: the sender did
 * send its whole vector, across several datagrams. An empty vector gives one
 * message.
 *
 * Chunks are filled to the byte from exact encoded sizes. With `dense:
 * 'auto'` each chunk takes whichever encoding carries more entries from where
 * the previous one stopped; with `'always'` every chunk is dense.
 *
 * @throws {@link DatagramBudgetError} when not even one entry fits (a huge
 *   key); otherwise what {@link encodeMessage} throws.
 */
export function splitMessage(message: VignetteMessage, options?: SplitOptions): Uint8Array[] {
  const budget = options?.budget ?? DEFAULT_DATAGRAM_BUDGET;
  const mode = options?.dense ?? 'never';
  const keyByteLength = checkMessageFields(message, options?.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES);
  const { indices, values } = sortEntries(message.vector);
  const count = indices.length;
  const overhead = messageOverhead(keyByteLength, message);
  if (count === 0) {
    if (overhead + 1 > budget) throw new DatagramBudgetError(budget, overhead + 1);
    return [encodeChunk(message, keyByteLength, indices, values, 0, 0, false)];
  }
  const width = registerWidthFor(largestValue(values, 0, count));
  const chunks: Uint8Array[] = [];
  let from = 0;
  while (from < count) {
    const sparseEnd =
      mode === 'always' ? from : sparseChunkEnd(indices, values, from, budget - overhead);
    const denseEnd =
      mode === 'never' ? from : denseChunkEnd(indices, from, budget - overhead, width);
    const dense = mode === 'always' || (mode === 'auto' && denseEnd > sparseEnd);
    const to = dense ? denseEnd : sparseEnd;
    if (to === from)
      throw new DatagramBudgetError(
        budget,
        smallestChunk(indices, values, from, overhead, mode, width),
      );
    chunks.push(encodeChunk(message, keyByteLength, indices, values, from, to, dense));
    from = to;
  }
  return chunks;
}

/** Where a vector map starting at entry `from` must end to fit in `available` bytes. */
function sparseChunkEnd(
  indices: readonly number[],
  values: readonly number[],
  from: number,
  available: number,
): number {
  let body = 0;
  let to = from;
  while (to < indices.length) {
    const entry = unsignedIntegerSize(indices[to]) + unsignedIntegerSize(values[to]);
    if (containerHeaderSize(to - from + 1) + body + entry > available) break;
    body += entry;
    to += 1;
  }
  return to;
}

/** Where a dense field starting at entry `from` must end to fit (with an empty vector map) in `available` bytes. */
function denseChunkEnd(
  indices: readonly number[],
  from: number,
  available: number,
  width: RegisterWidth,
): number {
  const offset = indices[from];
  // An empty vector map, then the dense field; denseCapacity counts the bin header.
  const limit = offset + denseCapacity(available - 1 - denseFieldHeadSize(offset), width);
  let to = from;
  while (to < indices.length && indices[to] < limit) to += 1;
  return to;
}

/** The size of the smallest message holding entry `from`, for the error. */
function smallestChunk(
  indices: readonly number[],
  values: readonly number[],
  from: number,
  overhead: number,
  mode: 'never' | 'auto' | 'always',
  width: RegisterWidth,
): number {
  const sparse = overhead + sparseVectorSize(indices, values, from, from + 1);
  const dense = overhead + 1 + denseFieldSize(indices[from], 1, width);
  if (mode === 'never') return sparse;
  if (mode === 'always') return dense;
  return Math.min(sparse, dense);
}

function encodeChunk(
  message: VignetteMessage,
  keyByteLength: number,
  indices: readonly number[],
  values: readonly number[],
  from: number,
  to: number,
  dense: boolean,
): Uint8Array {
  const overhead = messageOverhead(keyByteLength, message);
  output.position = 0;
  if (!dense) {
    const bytes = reserve(output, overhead + sparseVectorSize(indices, values, from, to));
    let position = writeHeadAt(bytes, 0, message, keyByteLength, false);
    position = writeSparseVectorAt(bytes, position, indices, values, from, to);
    output.position = writeExtensionsAt(bytes, writeTailAt(bytes, position, message), message);
    return takeWritten(output);
  }
  // Each chunk uses the narrowest width for its own values (never wider than planned).
  const width = registerWidthFor(largestValue(values, from, to));
  const span = indices[to - 1] - indices[from] + 1;
  const bytes = reserve(output, overhead + 1 + denseFieldSize(indices[from], span, width));
  let position = writeHeadAt(bytes, 0, message, keyByteLength, true);
  bytes[position] = 0x80;
  position = writeTailAt(bytes, position + 1, message);
  position = writeDenseFromSortedAt(bytes, position, indices, values, from, to, width);
  output.position = writeExtensionsAt(bytes, position, message);
  return takeWritten(output);
}
