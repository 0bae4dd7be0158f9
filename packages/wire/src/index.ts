/**
 * @packageDocumentation
 * Vig's wire format: the vignette message codec.
 */
export {};
