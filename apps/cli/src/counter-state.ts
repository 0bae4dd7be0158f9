/**
 * What `vig counter incr` keeps between runs, in the state folder: the
 * writer's stable id (`writer-id`) and each writer's own count per key
 * (`counters.json`), so that increments through different nodes, made before
 * gossip has carried the last one, still add up.
 */
import { randomInt } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MAX_INDEX } from '@vig/crdt-core';
import { CounterStateError } from './counter-state-error.js';
import { writeAtomically } from './write-atomically.js';

/** The file holding this user's writer id. */
export const WRITER_ID_FILE = 'writer-id';

/** The file holding each writer's own count per key. */
export const COUNTS_FILE = 'counters.json';

/** The lock file held during an increment. */
export const COUNTER_LOCK_FILE = 'counter.lock';

/**
 * The state folder: `$VIG_STATE_DIR`, else `$XDG_STATE_HOME/vig`, else
 * `~/.local/state/vig` (empty variables count as unset).
 */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['VIG_STATE_DIR'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const stateHome = env['XDG_STATE_HOME'];
  if (stateHome !== undefined && stateHome !== '') return join(stateHome, 'vig');
  const home = env['HOME'];
  return join(home !== undefined && home !== '' ? home : homedir(), '.local', 'state', 'vig');
}

/** {@link stateDirectory}, created if missing. */
export async function openStateDirectory(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const directory = stateDirectory(env);
  await mkdir(directory, { recursive: true });
  return directory;
}

/** True for an integer a writer id may be: 1..2^32−1, a vector index other than 0. */
export function isWriterId(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1 && value <= MAX_INDEX;
}

/**
 * The writer id stored in `directory`, created at random (1..2^32−1) on
 * first use. Call it while holding the state lock, so two first uses agree.
 *
 * @throws {@link CounterStateError} when the file holds something else
 */
export async function storedWriterId(directory: string): Promise<number> {
  const path = join(directory, WRITER_ID_FILE);
  const text = await readOptional(path);
  if (text === undefined) {
    const id = randomInt(1, MAX_INDEX + 1);
    await writeAtomically(path, `${id}\n`);
    return id;
  }
  const id = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!isWriterId(id)) {
    throw new CounterStateError(
      path,
      `holds ${JSON.stringify(text.trim())}: expected a writer id in 1..${MAX_INDEX} (remove the file to pick a new one)`,
    );
  }
  return id;
}

/** Each writer's own count per key, as `counters.json` keeps them. */
export class OwnCounts {
  readonly #counts = new Map<number, Map<string, number>>();

  /** Writer `writer`'s own count of `key`; 0 when none is kept. */
  get(writer: number, key: string): number {
    return this.#counts.get(writer)?.get(key) ?? 0;
  }

  /** Keeps `count` as writer `writer`'s own count of `key`. */
  set(writer: number, key: string, count: number): void {
    let keys = this.#counts.get(writer);
    if (keys === undefined) this.#counts.set(writer, (keys = new Map<string, number>()));
    keys.set(key, count);
  }

  /**
   * The counts kept in `directory`; none when the file does not exist.
   *
   * @throws {@link CounterStateError} when the file is not what {@link save} writes
   */
  static async read(directory: string): Promise<OwnCounts> {
    const path = join(directory, COUNTS_FILE);
    const text = await readOptional(path);
    const counts = new OwnCounts();
    if (text === undefined) return counts;
    const malformed = (problem: string, cause?: unknown): CounterStateError =>
      new CounterStateError(
        path,
        `is not a counts file (${problem}): expected {"WRITER":{"KEY":COUNT}} as vig writes it`,
        cause === undefined ? undefined : { cause },
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw malformed('not JSON', error);
    }
    if (!isRecord(parsed)) throw malformed('not an object');
    for (const [writerText, keys] of Object.entries(parsed)) {
      const writer = Number(writerText);
      if (!isWriterId(writer) || !isRecord(keys)) throw malformed(`writer ${writerText}`);
      for (const [key, count] of Object.entries(keys)) {
        if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
          throw malformed(`count of ${JSON.stringify(key)}`);
        }
        counts.set(writer, key, count);
      }
    }
    return counts;
  }

  /** Writes the counts to `directory` (to a temporary file first, then renamed over the old one). */
  async save(directory: string): Promise<void> {
    const json = Object.fromEntries(
      [...this.#counts].map(([writer, keys]) => [writer, Object.fromEntries(keys)]),
    );
    await writeAtomically(join(directory, COUNTS_FILE), `${JSON.stringify(json)}\n`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's text, or undefined when it does not exist. */
async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
