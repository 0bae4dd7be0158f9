import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as crdtCore from './index.js';

/** The ```ts blocks of the package README, in order. */
function readmeExamples(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/**
 * Runs a README example against this package's source: its imports of
 * '@vig/crdt-core' are bound to the package entry, and what it logs is
 * returned, so the comments beside `console.log` calls can be checked.
 */
function runExample(source: string): string[] {
  const body = source.replace(/^import[\s\S]*?from '@vig\/crdt-core';\n/gm, '');
  const logged: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    logged.push(
      values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(' '),
    );
  });
  try {
    const names = Object.keys(crdtCore);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the README's own example text
    const example = new Function(...names, body) as (...bindings: unknown[]) => void;
    example(...names.map((name) => crdtCore[name as keyof typeof crdtCore]));
  } finally {
    log.mockRestore();
  }
  return logged;
}

describe('README examples', () => {
  it('the versioned store example runs and logs what its comments say', () => {
    const example = readmeExamples().find((block) => block.includes('new VersionedStore('));
    expect(example).toBeDefined();
    const logged = runExample(example ?? '');
    expect(logged).toEqual(['["Alice’s title","Bob’s title"]', '["Agreed"]', 'Draft', 'Agreed']);
  });
});
