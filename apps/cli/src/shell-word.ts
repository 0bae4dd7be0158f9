/** Characters a POSIX shell passes on as they are, outside quotes. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/**
 * `text` as one shell word, for commands a hint suggests: as it is when the
 * shell leaves it alone (`views:home`), else in single quotes (`'my key'`,
 * with each `'` written `'\''`).
 */
export function shellWord(text: string): string {
  return PLAIN_WORD.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
