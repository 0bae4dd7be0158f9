import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLmdbStore } from './lmdb-store.js';
import { runUntilKilled } from '../test/run-until-killed.js';

const burstScript = fileURLToPath(
  new URL('../test-fixtures/durable-store-burst.ts', import.meta.url),
);

/** Acknowledged writes to wait for before the kill; the burst goes on well past them. */
const ACKNOWLEDGEMENTS_BEFORE_KILL = 200;
/** Kill, reopen and check this many times, on the same directory. */
const RUNS = 3;

/** One acknowledged write: the key and the vector the child passed to `write`. */
interface Acknowledgement {
  readonly key: string;
  readonly record: Record<string, number>;
}

function parseAcknowledgement(line: string): Acknowledgement {
  const parsed = JSON.parse(line) as Acknowledgement;
  if (typeof parsed.key !== 'string' || typeof parsed.record !== 'object') {
    throw new Error(`not an acknowledgement: ${line}`);
  }
  return parsed;
}

/** The acknowledged entries the reopened store lacks or holds smaller, as readable lines. */
async function missingAcknowledgements(
  directory: string,
  acknowledged: readonly Acknowledgement[],
): Promise<{ missing: string[]; skipped: number; keys: number }> {
  const store = await openLmdbStore({ directory });
  try {
    const loaded = await store.load();
    const missing: string[] = [];
    for (const { key, record } of acknowledged) {
      const stored = loaded.get(key);
      for (const [index, value] of Object.entries(record)) {
        const held = stored?.get(Number(index)) ?? 0;
        if (held < value) missing.push(`${key}[${index}]: acknowledged ${value}, holds ${held}`);
      }
    }
    return { missing, skipped: loaded.skipped, keys: loaded.size };
  } finally {
    await store.close();
  }
}

describe('the LMDB store under kill -9', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'vig-lmdb-kill-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it(
    `holds every acknowledged write after SIGKILL mid-burst, ${RUNS} times over`,
    { timeout: 120_000 },
    async () => {
      const acknowledged: Acknowledgement[] = [];
      for (let run = 0; run < RUNS; run++) {
        const burst = await runUntilKilled(
          burstScript,
          [directory, `run${run}`],
          ACKNOWLEDGEMENTS_BEFORE_KILL,
        );
        expect(burst.stderr).toBe('');
        expect(burst.finished).toBe(false);
        expect(burst.signal).toBe('SIGKILL');
        expect(burst.lines.length).toBeGreaterThanOrEqual(ACKNOWLEDGEMENTS_BEFORE_KILL);
        acknowledged.push(...burst.lines.map(parseAcknowledgement));
        // Every run's acknowledgements, the earlier runs' included, survive every later kill.
        const { missing, skipped, keys } = await missingAcknowledgements(directory, acknowledged);
        expect(skipped).toBe(0);
        expect(missing).toEqual([]);
        expect(keys).toBeGreaterThan(0);
      }
    },
  );
});
