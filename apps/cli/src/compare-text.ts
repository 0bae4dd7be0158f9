/** Orders strings by UTF-16 code units, as `Array.prototype.sort` does by default. */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
