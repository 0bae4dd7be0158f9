import { forEachEntry, MaxVector } from '@vig/crdt-core';
import type { HllVector } from './hyperloglog.js';
import { UnexportableHllError } from './redis-hll-errors.js';
import {
  DENSE_ENCODING,
  DENSE_SIZE,
  HEADER_SIZE,
  MAGIC,
  REDIS_REGISTER_COUNT,
  SPARSE_ENCODING,
  SPARSE_MAX_BYTES,
  SPARSE_MAX_RANK,
} from './redis-hll-layout.js';

/** Options for {@link exportRedisHll}. */
export interface ExportRedisHllOptions {
  /**
   * `"sparse"`, `"dense"`, or `"auto"` (the default): sparse when every rank
   * is at most 32 and the sparse value fits Redis's default
   * `hll-sparse-max-bytes` (3000), dense otherwise — as Redis itself chooses.
   */
  readonly encoding?: 'auto' | 'dense' | 'sparse';
}

/** The 16384 registers of a vector, checked to fit 6 bits. */
function registersOf(vector: HllVector): Uint8Array {
  const registers = new Uint8Array(REDIS_REGISTER_COUNT);
  const raise = (index: number, rank: number): void => {
    if (index >= REDIS_REGISTER_COUNT || rank > 63) {
      throw new UnexportableHllError(
        `register ${index} = ${rank}: expected an index in 0..16383 and a rank in 0..63`,
      );
    }
    if (registers[index] < rank) registers[index] = rank;
  };
  if (vector instanceof MaxVector) vector.forEach(raise);
  else forEachEntry(vector, raise);
  return registers;
}

/** Writes the header; the cached count is marked stale so Redis recomputes it. */
function writeHeader(value: Uint8Array, encoding: number): void {
  value.set(MAGIC, 0);
  value[4] = encoding;
  value[15] = 0x80;
}

/** The dense value: header, then 6-bit registers least significant bits first. */
function denseValue(registers: Uint8Array): Uint8Array {
  const value = new Uint8Array(DENSE_SIZE + 1);
  writeHeader(value, DENSE_ENCODING);
  for (let index = 0; index < REDIS_REGISTER_COUNT; index++) {
    const bit = index * 6;
    const byte = HEADER_SIZE + (bit >>> 3);
    const shifted = registers[index] << (bit & 7);
    value[byte] |= shifted & 0xff;
    value[byte + 1] |= shifted >>> 8;
  }
  return value.subarray(0, DENSE_SIZE);
}

/** Appends ZERO/XZERO opcodes for `length` zero registers. */
function pushZeros(opcodes: number[], length: number): void {
  let left = length;
  while (left > 64) {
    const run = Math.min(left, 16384);
    opcodes.push(0x40 | ((run - 1) >>> 8), (run - 1) & 0xff);
    left -= run;
  }
  if (left > 0) opcodes.push(left - 1);
}

/** The sparse opcodes of the registers, or undefined when a rank exceeds 32. */
function sparseOpcodes(registers: Uint8Array): number[] | undefined {
  const opcodes: number[] = [];
  let index = 0;
  while (index < REDIS_REGISTER_COUNT) {
    const rank = registers[index];
    let end = index + 1;
    while (end < REDIS_REGISTER_COUNT && registers[end] === rank) end++;
    if (rank === 0) pushZeros(opcodes, end - index);
    else if (rank > SPARSE_MAX_RANK) return undefined;
    else {
      for (let start = index; start < end; start += 4) {
        opcodes.push(0x80 | ((rank - 1) << 2) | (Math.min(4, end - start) - 1));
      }
    }
    index = end;
  }
  return opcodes;
}

/**
 * Writes a HyperLogLog vector (redis profile, p = 14) as a Redis HyperLogLog
 * value: `SET key value` makes a key that PFCOUNT, PFADD and PFMERGE accept,
 * with the same count. The cached count is marked stale, so Redis computes it.
 *
 * @throws {@link UnexportableHllError} when a register is past 16383 or above 63,
 *   or `encoding: 'sparse'` is asked for with a rank above 32
 *
 * @example
 * ```ts
 * const value = exportRedisHll(hllDelta(['alice', 'bob']));
 * // redis: SET visitors <value>; PFCOUNT visitors → 2
 * ```
 */
export function exportRedisHll(vector: HllVector, options: ExportRedisHllOptions = {}): Uint8Array {
  const registers = registersOf(vector);
  const encoding = options.encoding ?? 'auto';
  if (encoding === 'dense') return denseValue(registers);
  const opcodes = sparseOpcodes(registers);
  if (opcodes === undefined) {
    if (encoding === 'sparse') {
      throw new UnexportableHllError('a rank above 32 has no sparse encoding');
    }
    return denseValue(registers);
  }
  if (encoding === 'auto' && HEADER_SIZE + opcodes.length > SPARSE_MAX_BYTES) {
    return denseValue(registers);
  }
  const value = new Uint8Array(HEADER_SIZE + opcodes.length);
  writeHeader(value, SPARSE_ENCODING);
  value.set(opcodes, HEADER_SIZE);
  return value;
}
