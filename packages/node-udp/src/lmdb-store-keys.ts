import { CorruptRecordError } from './durable-store-errors.js';

/**
 * The byte every LMDB record key starts with, before the key's UTF-8 bytes.
 * LMDB refuses zero-length keys, and the empty string is a valid vignette
 * key; the byte also leaves room for other kinds of record later.
 */
export const VECTOR_RECORD_PREFIX = 0x01;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The LMDB key of `key`'s record: {@link VECTOR_RECORD_PREFIX}, then `key` in UTF-8. */
export function recordKeyOf(key: string): Uint8Array {
  return prefixedRecordKey(VECTOR_RECORD_PREFIX, key);
}

/** A record key: the byte `prefix` (which tells the kind of record), then `text` in UTF-8. */
export function prefixedRecordKey(prefix: number, text: string): Uint8Array {
  const encoded = Buffer.from(text, 'utf8');
  const recordKey = new Uint8Array(encoded.length + 1);
  recordKey[0] = prefix;
  recordKey.set(encoded, 1);
  return recordKey;
}

/**
 * The text after the prefix byte of a record key, as strict UTF-8.
 *
 * @throws the decoder's `TypeError` when it is not UTF-8
 */
export function textAfterPrefix(recordKey: Uint8Array): string {
  return strictUtf8.decode(recordKey.subarray(1));
}

/**
 * The vignette key an LMDB record key stands for.
 *
 * @throws {@link CorruptRecordError} when the record key lacks the prefix or
 *   is not strict UTF-8
 */
export function keyOfRecord(recordKey: Uint8Array): string {
  if (recordKey[0] !== VECTOR_RECORD_PREFIX) {
    throw new CorruptRecordError(
      undefined,
      `the record key starts with ${describeFirstByte(recordKey)}: expected ${VECTOR_RECORD_PREFIX}`,
    );
  }
  try {
    return textAfterPrefix(recordKey);
  } catch (error) {
    throw new CorruptRecordError(undefined, 'the record key is not UTF-8 text', { cause: error });
  }
}

function describeFirstByte(recordKey: Uint8Array): string {
  return recordKey.length === 0 ? 'nothing' : `byte ${recordKey[0]}`;
}
