/** Where `vig counter incr` keeps its state, and what it keeps there. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVigError } from '@vig/crdt-core';
import { OwnCounts, stateDirectory, storedWriterId } from './counter-state.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'vig-state-test-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('stateDirectory', () => {
  it('is VIG_STATE_DIR, else $XDG_STATE_HOME/vig, else ~/.local/state/vig', () => {
    expect(stateDirectory({ VIG_STATE_DIR: '/s', XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/s');
    expect(stateDirectory({ VIG_STATE_DIR: '', XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/x/vig');
    expect(stateDirectory({ XDG_STATE_HOME: '', HOME: '/h' })).toBe('/h/.local/state/vig');
  });
});

describe('storedWriterId', () => {
  it('picks an id on first use and keeps it', async () => {
    const id = await storedWriterId(folder);
    expect(id).toBeGreaterThanOrEqual(1);
    expect(id).toBeLessThanOrEqual(2 ** 32 - 1);
    expect(await storedWriterId(folder)).toBe(id);
    expect(await readFile(join(folder, 'writer-id'), 'utf8')).toBe(`${id}\n`);
  });

  it('refuses an id out of range', async () => {
    await writeFile(join(folder, 'writer-id'), '0\n');
    const error: unknown = await storedWriterId(folder).catch((caught: unknown) => caught);
    expect(isVigError(error, 'CounterStateError')).toBe(true);
  });
});

describe('OwnCounts', () => {
  it('keeps each writer’s count per key across a save and a read', async () => {
    expect((await OwnCounts.read(folder)).get(7, 'visits')).toBe(0);
    const counts = new OwnCounts();
    counts.set(7, 'visits', 3);
    counts.set(8, 'visits', 5);
    counts.set(7, '__proto__', 2);
    await counts.save(folder);
    const read = await OwnCounts.read(folder);
    expect([read.get(7, 'visits'), read.get(8, 'visits'), read.get(7, '__proto__')]).toEqual([
      3, 5, 2,
    ]);
  });

  it('refuses a file it did not write', async () => {
    for (const text of ['not json', '[]', '{"0":{}}', '{"7":{"visits":-1}}', '{"7":{"v":1.5}}']) {
      await writeFile(join(folder, 'counters.json'), text);
      const error: unknown = await OwnCounts.read(folder).catch((caught: unknown) => caught);
      expect(isVigError(error, 'CounterStateError')).toBe(true);
    }
  });
});
