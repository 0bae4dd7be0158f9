import { MaxVector } from '@vig/crdt-core';
import { DEFAULT_MAX_KEY_BYTES, decodeMessage, encodeMessage } from '@vig/wire';
import { CorruptRecordError, StoreKeyError } from './durable-store-errors.js';

/**
 * The most entries a stored vector may decode to: every index there is. The
 * decoder still refuses a count the record's bytes cannot hold, so a
 * corrupt count cannot make it allocate more than the record's size.
 */
const MAX_STORED_ENTRIES = 2 ** 32;

/** A lone surrogate: in `u` mode a well-formed pair is one code point and does not match. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** What is wrong with a text a store cannot record, and what was expected. */
export interface UnstorableText {
  readonly problem: string;
  readonly expected: string;
}

/**
 * Why `text` cannot be stored as a key or name, or undefined when it can: it
 * must be a string of at most {@link DEFAULT_MAX_KEY_BYTES} (1024) UTF-8
 * bytes, as the wire format allows, holding no lone surrogate.
 */
export function unstorableText(text: unknown): UnstorableText | undefined {
  if (typeof text !== 'string') return { problem: `is ${typeof text}`, expected: 'a string' };
  if (LONE_SURROGATE.test(text)) {
    return { problem: 'holds a lone surrogate', expected: 'well-formed UTF-16 text' };
  }
  const byteLength = Buffer.byteLength(text, 'utf8');
  if (byteLength > DEFAULT_MAX_KEY_BYTES) {
    return {
      problem: `is ${byteLength} bytes long in UTF-8`,
      expected: `at most ${DEFAULT_MAX_KEY_BYTES} bytes`,
    };
  }
  return undefined;
}

/**
 * Why `key` cannot be stored, or undefined when it can (see
 * {@link unstorableText}).
 */
export function unstorableKeyError(key: string): StoreKeyError | undefined {
  const unstorable = unstorableText(key);
  return unstorable === undefined
    ? undefined
    : new StoreKeyError(String(key), unstorable.problem, unstorable.expected);
}

/**
 * The stored value of `key`'s vector: the vignette message
 * `{ key, vector, ttl: 0, full: true }` in the wire format, with the dense
 * field when it is smaller (HyperLogLog registers take a byte each). The
 * bytes are the caller's own copy: the encoder returns views into a shared
 * slab, which later encodes overwrite.
 *
 * @throws the encoder's `InvalidMessageFieldError` for a key
 *   {@link unstorableKeyError} refuses
 */
export function encodeRecord(key: string, vector: MaxVector): Uint8Array {
  const message = { key, vector: vector.toEntries(), ttl: 0, full: true };
  return encodeMessage(message, { dense: 'auto' }).slice();
}

/**
 * The vector a stored value holds, checking that the message is stored
 * under its own key.
 *
 * @throws {@link CorruptRecordError} when the value is not a vignette
 *   message or names another key
 */
export function decodeRecord(key: string, bytes: Uint8Array): MaxVector {
  const decoded = decodeMessage(bytes, { maxEntries: MAX_STORED_ENTRIES });
  if (!decoded.ok) {
    const { error } = decoded;
    throw new CorruptRecordError(
      key,
      `the value is not a vignette message (${error.reason}: ${error.message})`,
      { cause: error },
    );
  }
  const { message } = decoded;
  if (message.key !== key) {
    throw new CorruptRecordError(key, `the value is the vector of ${JSON.stringify(message.key)}`);
  }
  return MaxVector.fromEntries(message.vector);
}
