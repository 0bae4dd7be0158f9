import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import * as crdtCore from '@vig/crdt-core';
import * as gossip from '../index.js';
import * as gossipTesting from './index.js';

/** The ```ts blocks of the package README, in order. */
function readmeExamples(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/**
 * Runs a README example against this package's source (its imports of
 * '@vig/gossip', '@vig/gossip/testing' and '@vig/crdt-core' bound to those
 * entries, its types stripped) and
 * returns what it logs.
 */
async function runExample(source: string): Promise<string[]> {
  const typed = source.replace(
    /^import[\s\S]*?from '@vig\/(?:gossip(?:\/testing)?|crdt-core)';\n/gm,
    '',
  );
  const body = ts.transpileModule(typed, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const logged: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    logged.push(values.map(String).join(' '));
  });
  try {
    const bindings: Record<string, unknown> = { ...crdtCore, ...gossip, ...gossipTesting };
    const names = Object.keys(bindings);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the README's own example text
    const example = new Function(...names, `return (async () => {\n${body}\n})();`) as (
      ...bindings: unknown[]
    ) => Promise<void>;
    await example(...names.map((name) => bindings[name]));
  } finally {
    log.mockRestore();
  }
  return logged;
}

describe('README example', () => {
  it('the simulated network example runs and logs what its comments say', async () => {
    const example = readmeExamples().find((block) => block.includes('hello #'));
    expect(example).toBeDefined();
    expect(await runExample(example ?? '')).toEqual([
      '0',
      'hello #13 from 127.0.0.1:7946',
      '17 3',
      '60',
    ]);
  });

  it('the cluster example runs and logs what its comments say', async () => {
    const example = readmeExamples().find((block) => block.includes('createGossipNode'));
    expect(example).toBeDefined();
    expect(await runExample(example ?? '')).toEqual([
      '127.0.0.1:7946 alive, 127.0.0.2:7946 alive',
      '{"0":5,"1":3} {"0":5,"1":3} {"0":5,"1":3}',
    ]);
  });

  it('the versioned store example runs and logs what its comments say', async () => {
    const example = readmeExamples().find((block) => block.includes('node.docs'));
    expect(example).toBeDefined();
    expect(await runExample(example ?? '')).toEqual(['Draft,Other draft', 'Agreed']);
  });
});
