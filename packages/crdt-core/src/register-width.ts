import type { RegisterArray } from './vector-entries.js';

/** Bytes per register: the four widths dense storage uses, narrowest first. */
export type RegisterWidth = 1 | 2 | 4 | 8;

/** The narrowest register width that holds `value` (an integer in 0..2^53−1). */
export function registerWidthFor(value: number): RegisterWidth {
  if (value <= 0xff) return 1;
  if (value <= 0xffff) return 2;
  if (value <= 0xffff_ffff) return 4;
  return 8;
}

/** The largest value a register of `width` bytes holds. */
export function largestValueOfWidth(width: number): number {
  if (width === 1) return 0xff;
  if (width === 2) return 0xffff;
  if (width === 4) return 0xffff_ffff;
  return Number.MAX_SAFE_INTEGER;
}

/** A zeroed register array of `length` registers, `width` bytes each. */
export function allocateRegisters(width: number, length: number): RegisterArray {
  if (width === 1) return new Uint8Array(length);
  if (width === 2) return new Uint16Array(length);
  if (width === 4) return new Uint32Array(length);
  return new Float64Array(length);
}

/**
 * True for register arrays whose every element is a valid vector value by
 * construction (unsigned integers below 2^53), so they need no check.
 */
export function holdsOnlyValidValues(registers: RegisterArray): boolean {
  return (
    registers instanceof Uint8Array ||
    registers instanceof Uint16Array ||
    registers instanceof Uint32Array
  );
}
