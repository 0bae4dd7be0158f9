// The cryptography the sealed envelope needs, as an interface: @vig/wire has
// no `node:` imports (it runs anywhere), so the primitives come from the
// caller. @vig/node-udp supplies them from node:crypto (`nodeEnvelopeCrypto`).

/**
 * One AES-256-GCM key, ready to use: seals and opens with a 12-byte nonce and
 * a 16-byte tag. Both calls are synchronous.
 */
export interface AeadKey {
  /** Encrypts `plaintext` and authenticates it with `associatedData`. */
  seal(
    nonce: Uint8Array,
    associatedData: Uint8Array,
    plaintext: Uint8Array,
  ): { readonly ciphertext: Uint8Array; readonly tag: Uint8Array };
  /**
   * The plaintext, or `undefined` when the tag does not verify (another key,
   * other associated data, or bytes changed on the way). Never throws for
   * bad input.
   */
  open(
    nonce: Uint8Array,
    associatedData: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
  ): Uint8Array | undefined;
}

/**
 * The synchronous primitives a {@link Keyring} is built on: AES-256-GCM,
 * SHA-256 (for key ids) and a cryptographically secure random source (for
 * nonces and new keys).
 */
export interface EnvelopeCrypto {
  /** `key` (32 bytes) as an AES-256-GCM key; the bytes may be copied, never kept by reference. */
  aes256Gcm(key: Uint8Array): AeadKey;
  /** The 32-byte SHA-256 digest of `bytes`. */
  sha256(bytes: Uint8Array): Uint8Array;
  /** `length` bytes from a cryptographically secure random source. */
  randomBytes(length: number): Uint8Array;
}
