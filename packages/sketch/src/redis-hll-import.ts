import type { DenseEntries } from '@vig/crdt-core';
import { InvalidRedisHllError } from './redis-hll-errors.js';
import {
  DENSE_ENCODING,
  DENSE_SIZE,
  HEADER_SIZE,
  MAGIC,
  REDIS_REGISTER_COUNT,
  SPARSE_ENCODING,
} from './redis-hll-layout.js';

/** A Redis HyperLogLog value read into a max vector. */
export interface ImportedRedisHll {
  /** Always 14: Redis's precision (use the default `redis` profile to count it). */
  readonly precision: 14;
  /** The encoding the value had. */
  readonly encoding: 'dense' | 'sparse';
  /** The 16384 registers as dense entries (register index → rank). */
  readonly entries: DenseEntries;
  /** The count Redis cached in the header, or undefined when marked stale. */
  readonly cachedCount: number | undefined;
}

/** Reads the 6-bit registers of a dense value, least significant bits first. */
function readDense(bytes: Uint8Array, registers: Uint8Array): void {
  for (let index = 0; index < REDIS_REGISTER_COUNT; index++) {
    const bit = index * 6;
    const byte = HEADER_SIZE + (bit >>> 3);
    const shift = bit & 7;
    const pair = bytes[byte] | ((bytes[byte + 1] ?? 0) << 8);
    registers[index] = (pair >>> shift) & 63;
  }
}

/** Reads the ZERO / XZERO / VAL opcodes of a sparse value. */
function readSparse(bytes: Uint8Array, registers: Uint8Array): void {
  let index = 0;
  for (let position = HEADER_SIZE; position < bytes.length; position++) {
    const opcode = bytes[position];
    let runLength: number;
    let rank = 0;
    if ((opcode & 0xc0) === 0) {
      runLength = (opcode & 0x3f) + 1;
    } else if ((opcode & 0xc0) === 0x40) {
      if (position + 1 >= bytes.length) throw new InvalidRedisHllError('truncated XZERO opcode');
      position++;
      runLength = (((opcode & 0x3f) << 8) | bytes[position]) + 1;
    } else {
      runLength = (opcode & 0x3) + 1;
      rank = ((opcode >>> 2) & 0x1f) + 1;
    }
    if (index + runLength > REDIS_REGISTER_COUNT) {
      throw new InvalidRedisHllError(
        `sparse opcodes run past register ${REDIS_REGISTER_COUNT - 1}`,
      );
    }
    if (rank !== 0) registers.fill(rank, index, index + runLength);
    index += runLength;
  }
  if (index !== REDIS_REGISTER_COUNT) {
    throw new InvalidRedisHllError(
      `sparse opcodes cover ${index} registers, expected ${REDIS_REGISTER_COUNT}`,
    );
  }
}

/** The cached count in the header, or undefined when its stale bit is set. */
function readCachedCount(bytes: Uint8Array): number | undefined {
  if ((bytes[15] & 0x80) !== 0) return undefined;
  let count = 0;
  for (let byte = 15; byte >= 8; byte--) count = count * 256 + bytes[byte];
  return count;
}

/**
 * Reads a Redis HyperLogLog value (the bytes `GET key` returns for a key
 * written by PFADD/PFMERGE): the `HYLL` header, then dense or sparse registers.
 *
 * @throws {@link InvalidRedisHllError} when the bytes are not such a value
 *
 * @example
 * ```ts
 * const { entries } = importRedisHll(bytesFromRedisGet);
 * hllCount(entries); // equals Redis's PFCOUNT
 * ```
 */
export function importRedisHll(bytes: Uint8Array): ImportedRedisHll {
  if (bytes.length < HEADER_SIZE) {
    throw new InvalidRedisHllError(`${bytes.length} bytes, shorter than the 16-byte header`);
  }
  if (MAGIC.some((byte, position) => bytes[position] !== byte)) {
    throw new InvalidRedisHllError('the first 4 bytes are not "HYLL"');
  }
  const encoding = bytes[4];
  const registers = new Uint8Array(REDIS_REGISTER_COUNT);
  if (encoding === DENSE_ENCODING) {
    if (bytes.length !== DENSE_SIZE) {
      throw new InvalidRedisHllError(
        `dense value of ${bytes.length} bytes, expected ${DENSE_SIZE}`,
      );
    }
    readDense(bytes, registers);
  } else if (encoding === SPARSE_ENCODING) {
    readSparse(bytes, registers);
  } else {
    throw new InvalidRedisHllError(
      `unknown encoding ${encoding}, expected 0 (dense) or 1 (sparse)`,
    );
  }
  return {
    precision: 14,
    encoding: encoding === DENSE_ENCODING ? 'dense' : 'sparse',
    entries: { kind: 'dense', offset: 0, registers },
    cachedCount: readCachedCount(bytes),
  };
}
