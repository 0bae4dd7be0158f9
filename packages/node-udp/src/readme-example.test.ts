import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as nodeUdp from './index.js';

/** The ```ts blocks of the package README, in order. */
function readmeExamples(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/** Runs `body` as the body of an async function, so an example may await at its top level. */
function asyncFunction(
  names: readonly string[],
  body: string,
): (...bindings: unknown[]) => Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the README's own example text
  const wrap = new Function(...names, `return (async () => {\n${body}\n})();`);
  return wrap as (...bindings: unknown[]) => Promise<void>;
}

/**
 * Runs a README example against this package's source: its imports of
 * '@vig/node-udp' are bound to the package entry, and what it logs is
 * returned, so the comments beside `console.log` calls can be checked.
 */
async function runExample(source: string): Promise<string[]> {
  const body = source.replace(/^import[\s\S]*?from '@vig\/node-udp';\n/gm, '');
  const logged: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    logged.push(
      values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(' '),
    );
  });
  try {
    const names = Object.keys(nodeUdp);
    const example = asyncFunction(names, body);
    await example(...names.map((name) => nodeUdp[name as keyof typeof nodeUdp]));
  } finally {
    log.mockRestore();
  }
  return logged;
}

describe('README example', () => {
  it('runs two nodes and a client, and logs what its comments say', async () => {
    const [example] = readmeExamples();
    expect(example).toContain("from '@vig/node-udp'");
    const logged = await runExample(example ?? '');
    expect(logged).toEqual(['{"0":5,"1":3}', '0', 'alive', '{"0":5,"1":3}']);
  });

  it('counts with sketch handles on a node, and logs what its comments say', async () => {
    const example = readmeExamples().find((source) => source.includes('node.hll('));
    expect(example).toBeDefined();
    expect(await runExample(example ?? '')).toEqual(['2', '3']);
  });

  it('replicates versioned documents with siblings, branches and checkouts, as its comments say', async () => {
    const example = readmeExamples().find((source) => source.includes('alice.docs.put('));
    expect(example).toBeDefined();
    expect(await runExample(example ?? '')).toEqual([
      '["Alice","Bob"]',
      '["Agreed"]',
      '["Agreed","Bob","Alice","Draft"]',
      '["Draft"]',
      '["Agreed"]',
    ]);
  });

  it('runs a keyed cluster, refusing a client without the key, as its comments say', async () => {
    const example = readmeExamples().find((source) => source.includes('newClusterKey()'));
    expect(example).toBeDefined();
    expect(await runExample(example ?? '')).toEqual(['{"0":5}', 'NoAnswerError', 'true']);
  });
});
