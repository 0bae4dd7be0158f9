import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from './durable-file.js';
import { NodeOptionsError } from './node-errors.js';

/** The file in a node's data directory that keeps its counter writer id across restarts. */
export const WRITER_ID_FILE = 'writer-id';

/** The largest writer id: a counter's writer id is a vector index. */
const MAX_WRITER_ID = 2 ** 32 - 1;

/**
 * The node's counter writer id: `option` when given; else the one in
 * `dataDir/writer-id`, created at random on first start and synced to disk,
 * so a restarted node counts on under the same id; else (a memory node) a
 * random one. Random ids are 32 bits: among n nodes two share one with
 * probability about n²/2^33 (1 in 8600 for 1000 nodes); give `writerId`
 * explicitly where that matters.
 *
 * @throws {@link NodeOptionsError} for an option or stored id outside 0..2^32−1
 */
export async function resolveWriterId(
  option: unknown,
  dataDir: string | undefined,
): Promise<number> {
  if (option !== undefined) return checkWriterId(option, 'writerId');
  if (dataDir === undefined) return randomInt(1, MAX_WRITER_ID);
  const path = join(dataDir, WRITER_ID_FILE);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined)
    return checkWriterId(Number(text.trim() === '' ? NaN : text.trim()), path);
  const id = randomInt(1, MAX_WRITER_ID);
  // Written aside, synced, then renamed: a crash leaves the old state or the whole file.
  await writeFileDurably(path, `${id}\n`);
  return id;
}

/**
 * `value` if it is a writer id (an integer in 0..2^32−1).
 *
 * @throws {@link NodeOptionsError} naming `where` (the option, or the file it came from)
 */
export function checkWriterId(value: unknown, where: string): number {
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 0 &&
    value <= MAX_WRITER_ID
  ) {
    return value;
  }
  throw new NodeOptionsError(
    where === 'writerId' ? 'writerId' : `writerId (in ${where})`,
    `is ${String(value)}`,
    'an integer in 0..2^32-1',
  );
}
