import { readFileSync } from 'node:fs';
import * as crdtCore from '@vig/crdt-core';
import { describe, expect, it, vi } from 'vitest';
import * as sketch from './index.js';

/** The ```ts blocks of the package README, in order. */
function readmeExamples(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/** What each `console.log(…); // expected` line of an example says it logs. */
function expectedLogs(source: string): string[] {
  return [...source.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((match) => match[1] ?? '');
}

/**
 * Runs a README example (plain JavaScript apart from its imports, awaiting
 * as it likes) with its
 * imports of '@vig/crdt-core' and '@vig/sketch' bound to those packages'
 * entries, and returns what it logs.
 */
async function runExample(source: string): Promise<string[]> {
  const body = source.replace(/^import[\s\S]*?from '@vig\/[a-z-]+';\n/gm, '');
  const bindings: Record<string, unknown> = { ...crdtCore, ...sketch };
  const logged: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    logged.push(
      values.map((value) => (typeof value === 'string' ? value : String(value))).join(' '),
    );
  });
  try {
    const names = Object.keys(bindings);
    // The body runs inside an async arrow, so examples may await (the handles' examples do).
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the README's own example text
    const example = new Function(...names, `return (async () => {\n${body}\n})();`) as (
      ...values: unknown[]
    ) => Promise<void>;
    await example(...names.map((name) => bindings[name]));
  } finally {
    log.mockRestore();
  }
  return logged;
}

describe('README examples', () => {
  const examples = readmeExamples();

  it('has an example for each sketch', () => {
    for (const name of [
      'counterIncrement',
      'pnCounterValue',
      'bloomHas',
      'minHashSimilarity',
      'lastSeen',
      'sketchHandles',
    ]) {
      expect(
        examples.some((example) => example.includes(name)),
        name,
      ).toBe(true);
    }
  });

  it.each(examples.map((example, position) => [position, example] as const))(
    'example %i runs and logs what its comments say',
    async (_, example) => {
      expect(await runExample(example)).toEqual(expectedLogs(example));
    },
  );
});
