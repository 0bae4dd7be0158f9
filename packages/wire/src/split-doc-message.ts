import { murmur3x86_32 } from '@vig/crdt-core';
import type { Operation } from '@vig/crdt-core';
import { DatagramBudgetError } from './encode-errors.js';
import { encodeDocMessage } from './encode-doc-message.js';
import { encodeOperations } from './encode-operations.js';
import type { EncodeOperationsOptions } from './encode-operations.js';
import { MAX_DOC_PARTS } from './doc-message.js';
import type { DocEnvelope, DocMessage } from './doc-message.js';
import { DEFAULT_DATAGRAM_BUDGET } from './wire-defaults.js';

/** Seeds of the two 32-bit halves of a message id. */
const ID_SEEDS = [0x2545f491, 0x6c8e9cf5] as const;

/**
 * The id of a doc message cut into parts: a 64-bit hash of its bytes (two
 * MurmurHash3 x86_32 halves, as 16 lowercase hex digits). The same message
 * always gets the same id, so parts sent again later complete the same
 * message, and an assembled message is checked against it.
 */
export function docMessageId(bytes: Uint8Array): string {
  return ID_SEEDS.map((seed) => murmur3x86_32(bytes, seed).toString(16).padStart(8, '0')).join('');
}

/**
 * A doc message as datagrams of at most `budget` bytes: the message itself
 * when it fits, otherwise `part` messages (same `vig` and `client`), each
 * carrying the message id, its index, the count and a slice of the encoded
 * message, filled to the byte. Decoding the parts' `bytes` in index order
 * and concatenating them gives back the encoded message.
 *
 * @throws what {@link encodeDocMessage} throws, and {@link DatagramBudgetError}
 *   when not one byte of a part fits the budget or the message needs more
 *   than 65536 parts
 */
export function splitDocMessage(
  message: DocMessage,
  budget: number = DEFAULT_DATAGRAM_BUDGET,
): Uint8Array[] {
  const bytes = encodeDocMessage(message);
  if (bytes.length <= budget) return [bytes];
  return cutIntoParts(bytes, message, budget);
}

function cutIntoParts(bytes: Uint8Array, envelope: DocEnvelope, budget: number): Uint8Array[] {
  const id = docMessageId(bytes);
  const markers = { vig: envelope.vig, ...(envelope.client === true ? { client: true } : {}) };
  // The most a part can carry: the budget less a part with no bytes at the
  // largest index and count (a few bytes more than most parts need), and one
  // byte more for a bin16 header than the empty bin8's.
  const overhead = encodeDocMessage({
    kind: 'part',
    id,
    index: MAX_DOC_PARTS - 1,
    count: MAX_DOC_PARTS,
    bytes: new Uint8Array(0),
    ...markers,
  }).length;
  const capacity = budget - overhead - 1;
  const count = capacity < 1 ? Infinity : Math.ceil(bytes.length / capacity);
  if (count > MAX_DOC_PARTS) {
    throw new DatagramBudgetError(
      budget,
      capacity < 1 ? overhead + 2 : Math.ceil(bytes.length / MAX_DOC_PARTS) + overhead + 1,
      `a part of a doc message of ${bytes.length} bytes (at most ${MAX_DOC_PARTS} parts)`,
      'raise the budget',
    );
  }
  const parts: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const slice = bytes.subarray(index * capacity, Math.min(bytes.length, (index + 1) * capacity));
    parts.push(encodeDocMessage({ kind: 'part', id, index, count, bytes: slice, ...markers }));
  }
  return parts;
}

/**
 * The largest operation batch an `ops` message carries within `budget` bytes,
 * whatever its `ttl` and `next` and with `client`: what {@link packOperations}
 * should fill batches to.
 */
export function operationsBatchCapacity(budget: number = DEFAULT_DATAGRAM_BUDGET): number {
  const overhead = encodeDocMessage({
    kind: 'ops',
    batch: new Uint8Array(0),
    ttl: Number.MAX_SAFE_INTEGER,
    next: Number.MAX_SAFE_INTEGER,
    vig: 2 ** 31,
    client: true,
  }).length;
  // The empty bin's header is 2 bytes; a batch of 256..65535 bytes takes 3.
  return budget - overhead - 1;
}

/** One batch of {@link packOperations}: the encoded batch, and how many operations it holds. */
export interface PackedBatch {
  readonly batch: Uint8Array;
  readonly count: number;
}

/** Options of {@link packOperations}. */
export interface PackOperationsOptions extends EncodeOperationsOptions {
  /** Stop after this many batches (the rest of the operations are left out); default all. */
  readonly maxBatches?: number;
}

/**
 * Encodes `operations` (kept in order) as consecutive batches
 * (`encodeOperations`) of at most `maxBatchBytes` bytes each, as full as
 * they can be: a batch takes as many of the next operations as fit. An
 * operation too large for any batch gets one of its own, larger than
 * `maxBatchBytes`: cut its message with {@link splitDocMessage}. Costs a few
 * encodings of each batch (the size of a batch is found by doubling, then
 * halving, the operations tried), and no more than `maxBatches` batches'
 * worth of work however long the list.
 *
 * @throws what {@link encodeOperations} throws
 */
export function packOperations(
  operations: readonly Operation[],
  maxBatchBytes: number,
  options?: PackOperationsOptions,
): PackedBatch[] {
  const batches: PackedBatch[] = [];
  const maxBatches = options?.maxBatches ?? Infinity;
  let start = 0;
  while (start < operations.length && batches.length < maxBatches) {
    const encode = (count: number): Uint8Array =>
      encodeOperations(operations.slice(start, start + count), options);
    let best = encode(1);
    let fits = 1;
    if (best.length <= maxBatchBytes) {
      // Double while the batch fits, then halve the gap to the first that did not.
      let tooMany = operations.length - start + 1;
      for (let count = 2; count < tooMany; count = Math.min(count * 2, tooMany)) {
        const candidate = encode(count);
        if (candidate.length > maxBatchBytes) {
          tooMany = count;
          break;
        }
        best = candidate;
        fits = count;
        if (count === operations.length - start) break;
      }
      while (tooMany - fits > 1) {
        const middle = (fits + tooMany) >>> 1;
        const candidate = encode(middle);
        if (candidate.length <= maxBatchBytes) {
          best = candidate;
          fits = middle;
        } else tooMany = middle;
      }
    }
    batches.push({ batch: best, count: fits });
    start += fits;
  }
  return batches;
}
