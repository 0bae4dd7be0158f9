/** Redis's register count (p = 14). */
export const REDIS_REGISTER_COUNT = 16384;

/** The `HYLL` header: magic, encoding byte, 3 unused bytes, 8-byte cached count. */
export const HEADER_SIZE = 16;

/** The length of a dense value: header plus 16384 six-bit registers. */
export const DENSE_SIZE = HEADER_SIZE + (REDIS_REGISTER_COUNT * 6) / 8;

/** The encoding byte of a dense value. */
export const DENSE_ENCODING = 0;

/** The encoding byte of a sparse value. */
export const SPARSE_ENCODING = 1;

/** The largest sparse value Redis writes before switching to dense (`hll-sparse-max-bytes`). */
export const SPARSE_MAX_BYTES = 3000;

/** The largest rank a sparse VAL opcode holds. */
export const SPARSE_MAX_RANK = 32;

/** The magic bytes `HYLL`. */
export const MAGIC = [0x48, 0x59, 0x4c, 0x4c] as const;
