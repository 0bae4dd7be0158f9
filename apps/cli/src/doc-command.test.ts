/**
 * `vig doc put|get|log|checkout|branch` against a real two-node cluster:
 * a round trip in text and `--json`, two siblings made deterministically
 * (both nodes write on top of one version with `--parents`) and resolved by
 * a write naming both, the history with and without a key and `--limit`,
 * checkouts of a version and of branches, and the one-line failures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, runVig } from '../test/vig-process.js';
import { client, failure, serveTwo } from '../test/vig-serve.js';

let first: string[];
let second: string[];

beforeAll(async () => {
  const [one, two] = await serveTwo(['127.0.4.1', '127.0.4.2']);
  first = ['--node', one.address];
  second = ['--node', two.address];
});
afterAll(killAll);

/** What `vig doc get --json` prints, parsed. */
interface SiblingsJson {
  readonly key: string;
  readonly values: { readonly version: string; readonly value: unknown }[];
}

/** `vig doc get KEY --json` through `node`, parsed, or what went wrong; for polling. */
async function siblings(key: string, node: string[]): Promise<SiblingsJson | string> {
  const run = await runVig(['doc', 'get', key, '--json', ...node]);
  return run.code === 0
    ? (JSON.parse(run.stdout) as SiblingsJson)
    : `exit ${run.code}: ${run.stderr}`;
}

/** The values `key` holds through `node`, or what went wrong; for polling. */
async function values(key: string, node: string[]): Promise<unknown[] | string> {
  const read = await siblings(key, node);
  return typeof read === 'string' ? read : read.values.map(({ value }) => value);
}

/** Waits until `key` holds exactly `expected` (in version order) through both nodes. */
async function bothHold(key: string, expected: unknown[]): Promise<void> {
  await Promise.all(
    [first, second].map((node) =>
      expect.poll(() => values(key, node), { timeout: 10_000, interval: 200 }).toEqual(expected),
    ),
  );
}

/** One version as `vig doc` prints it: AGENT:SEQ. */
const VERSION = /^[0-9A-Za-z]{16}:\d+$/;

// The tests build on one another: one history, written and read in order.
let draft: string;
let base: string;
let merged: string;
let concurrent: string[];

describe('vig doc', () => {
  it('writes a JSON value and reads it back with its version, in text and --json', async () => {
    const value = { text: 'Draft', tags: ['a', 'b'], words: 2, done: false, note: null };
    const written = JSON.parse(
      await client(['doc', 'put', 'title', JSON.stringify(value), '--json', ...first]),
    ) as { key: string; version: string };
    expect(written.key).toBe('title');
    expect(written.version).toMatch(VERSION);
    draft = written.version;

    const [text, json, missing] = await Promise.all([
      client(['doc', 'get', 'title', ...first]),
      client(['doc', 'get', 'title', '--json', ...first]),
      client(['doc', 'get', 'untitled', ...first]),
    ]);
    expect(text).toBe(`${JSON.stringify(value)}  (version ${draft})\n`);
    expect(json).toBe(`${JSON.stringify({ key: 'title', values: [{ version: draft, value }] })}\n`);
    // As vig get reads an unknown key as empty: exit 0, saying so.
    expect(missing).toBe('untitled has no value\n');
  });

  it('shows concurrent writes as siblings, and one write naming both resolves them', async () => {
    base = (await client(['doc', 'put', 'note', '"first"', ...first])).trim();
    expect(base).toMatch(VERSION);
    await bothHold('note', ['first']);

    // Both nodes write on top of the same version: neither saw the other.
    concurrent = (
      await Promise.all([
        client(['doc', 'put', 'note', '"from one"', '--parents', base, ...first]),
        client(['doc', 'put', 'note', '"from two"', '--parents', base, ...second]),
      ])
    ).map((output) => output.trim());
    const [fromOne, fromTwo] = concurrent as [string, string];
    const sorted = [
      { version: fromOne, value: 'from one' },
      { version: fromTwo, value: 'from two' },
    ].sort((left, right) => (left.version < right.version ? -1 : 1));
    await bothHold(
      'note',
      sorted.map(({ value }) => value),
    );
    expect(await siblings('note', second)).toEqual({ key: 'note', values: sorted });

    const shown = sorted.map(({ version }) => version).join(',');
    expect(await client(['doc', 'get', 'note', ...first])).toBe(
      [
        'note has 2 concurrent siblings:',
        ...sorted.map(({ version, value }) => `  ${version}  ${JSON.stringify(value)}`),
        `resolve them with: vig doc put note JSON (it replaces them all; --parents ${shown} replaces just these)`,
        '',
      ].join('\n'),
    );

    merged = (
      await client(['doc', 'put', 'note', '"merged"', '--parents', shown, ...first])
    ).trim();
    await bothHold('note', ['merged']);
  });

  it('prints the history newest first, with or without a key, up to --limit', async () => {
    const [all, ofNote, ofTitle] = await Promise.all([
      client(['doc', 'log', '--json', ...first]),
      client(['doc', 'log', 'note', '--limit', '2', ...first]),
      client(['doc', 'log', 'title', ...first]),
    ]);
    const operations = all
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { version: string; parents: string[] });
    expect(operations.map(({ version }) => version).sort()).toEqual(
      [draft, base, merged, ...concurrent].sort(),
    );
    // Written last through this node: the newest, on top of both siblings.
    expect(operations[0]).toEqual({
      version: merged,
      parents: [...concurrent].sort(),
      writes: [{ key: 'note', value: 'merged', replaces: [...concurrent].sort() }],
    });
    expect(operations.at(-1)?.version).toBe(draft);

    const noteLines = ofNote.trimEnd().split('\n');
    expect(noteLines).toHaveLength(2);
    expect(noteLines[0]).toBe(
      `${merged}  parents ${[...concurrent].sort().join(',')}  note="merged"`,
    );
    expect(noteLines[1]).toMatch(
      new RegExp(`^(${concurrent.join('|')})  parents ${base}  note="from (one|two)"$`),
    );
    expect(ofTitle).toBe(
      `${draft}  parents (none)  title={"text":"Draft","tags":["a","b"],"words":2,"done":false,"note":null}\n`,
    );
  });

  it('checks out a version and branches, and names the checked-out version as a branch', async () => {
    expect(await client(['doc', 'checkout', base, ...first])).toBe(`at ${base} (no branch)\n`);
    expect(await values('note', first)).toEqual(['first']);
    expect(await client(['doc', 'branch', 'before-merge', ...first])).toBe(
      `branch before-merge at ${base}\n`,
    );
    expect(await client(['doc', 'checkout', 'main', '--json', ...first])).toBe(
      `${JSON.stringify({ frontier: [merged], branch: 'main' })}\n`,
    );
    expect(await values('note', first)).toEqual(['merged']);
    expect(await client(['doc', 'checkout', 'before-merge', ...first])).toBe(
      `on branch before-merge at ${base}\n`,
    );
    expect(await client(['doc', 'checkout', 'main', ...first])).toBe(
      `on branch main at ${merged}\n`,
    );
  });

  it('fails with one line for an unknown branch (exit 1) and bad arguments (exit 2)', async () => {
    await Promise.all([
      failure(
        ['doc', 'checkout', 'no-such-branch', ...first],
        1,
        /refused the request \(unknown-branch\): branch "no-such-branch" does not exist: expected a branch the node has/,
      ),
      failure(
        ['doc', 'put', 'note', '{"text":', ...first],
        2,
        /JSON "\{\\"text\\":" is invalid \(.+\): expected a JSON value/,
      ),
      failure(
        ['doc', 'put', 'note', '"x"', '--parents', `${base},nothing`, ...first],
        2,
        /--parents ".+,nothing" is invalid: expected AGENT:SEQ\[,AGENT:SEQ…\]/,
      ),
      failure(
        ['doc', 'branch', 'agent:7', ...first],
        2,
        /branch name "agent:7" reads as a version/,
      ),
    ]);
  });
});
