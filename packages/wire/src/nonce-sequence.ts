import { readUint32BE, writeUint32BE } from './big-endian.js';

/** The length of an AES-GCM nonce: 12 bytes. */
export const NONCE_BYTES = 12;

/**
 * The nonces one keyring seals with: 4 random bytes fixed for the keyring's
 * life, then a 64-bit big-endian counter that starts at a random value and
 * goes up by one per datagram. Within one keyring no nonce repeats (before
 * 2^64 datagrams); two keyrings (two processes, or one process after a
 * restart) collide only if they drew the same 4 bytes and their counter
 * ranges overlap. With 12 fresh random bytes per datagram instead, the
 * chance of a repeat (which breaks AES-GCM's authenticity) would reach
 * 2^-32 after 2^32 datagrams under one key, NIST SP 800-38D's limit.
 */
export class NonceSequence {
  readonly #prefix: Uint8Array;
  #high: number;
  #low: number;

  /** `seed`: at least 12 bytes from a secure random source. */
  constructor(seed: Uint8Array) {
    this.#prefix = seed.slice(0, 4);
    this.#high = readUint32BE(seed, 4);
    this.#low = readUint32BE(seed, 8);
  }

  /** The next nonce, a fresh 12-byte array. */
  next(): Uint8Array {
    const nonce = new Uint8Array(NONCE_BYTES);
    nonce.set(this.#prefix, 0);
    writeUint32BE(nonce, 4, this.#high);
    writeUint32BE(nonce, 8, this.#low);
    this.#low = (this.#low + 1) >>> 0;
    if (this.#low === 0) this.#high = (this.#high + 1) >>> 0;
    return nonce;
  }
}
