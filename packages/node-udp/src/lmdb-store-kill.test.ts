import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLmdbStore } from './lmdb-store.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
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

interface KilledBurst {
  readonly acknowledged: Acknowledgement[];
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly finished: boolean;
  readonly stderr: string;
}

function parseAcknowledgement(line: string): Acknowledgement {
  const parsed = JSON.parse(line) as Acknowledgement;
  if (typeof parsed.key !== 'string' || typeof parsed.record !== 'object') {
    throw new Error(`not an acknowledgement: ${line}`);
  }
  return parsed;
}

/**
 * Runs the burst script on `directory` and sends it SIGKILL as soon as it has
 * printed `killAfter` acknowledgements; resolves when it is gone, with every
 * complete line it printed.
 */
function burstUntilKilled(
  directory: string,
  label: string,
  killAfter: number,
): Promise<KilledBurst> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@vig/source', '--import', 'tsx', burstScript, directory, label],
      { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (!killed && stdout.split('\n').length - 1 >= killAfter) {
        killed = child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // A line cut short by the kill was never acknowledged: only complete lines count.
      const lines = stdout.split('\n').slice(0, -1);
      const finished = lines.includes('done');
      const acknowledged = lines.filter((line) => line !== 'done').map(parseAcknowledgement);
      resolve({ acknowledged, signal, code, finished, stderr });
    });
  });
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
        const burst = await burstUntilKilled(directory, `run${run}`, ACKNOWLEDGEMENTS_BEFORE_KILL);
        expect(burst.stderr).toBe('');
        expect(burst.finished).toBe(false);
        expect(burst.signal).toBe('SIGKILL');
        expect(burst.acknowledged.length).toBeGreaterThanOrEqual(ACKNOWLEDGEMENTS_BEFORE_KILL);
        acknowledged.push(...burst.acknowledged);
        // Every run's acknowledgements, the earlier runs' included, survive every later kill.
        const { missing, skipped, keys } = await missingAcknowledgements(directory, acknowledged);
        expect(skipped).toBe(0);
        expect(missing).toEqual([]);
        expect(keys).toBeGreaterThan(0);
      }
    },
  );
});
