import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRepositoryFile, repositoryRoot, workspacePackages } from './repository.js';

const publicPackages = workspacePackages().filter(({ manifest }) => manifest.private !== true);

describe.each(publicPackages)('package $manifest.name', ({ folder, manifest }) => {
  it('is ESM without side effects and ships dist and src (and bin, if it has commands)', () => {
    expect(manifest.type).toBe('module');
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.files).toEqual(
      manifest.bin === undefined ? ['dist', 'src'] : ['bin', 'dist', 'src'],
    );
  });

  it('lists the source condition first in every export', () => {
    for (const conditions of Object.values(manifest.exports ?? {})) {
      expect(Object.keys(conditions)[0]).toBe('@vig/source');
      expect(existsSync(join(repositoryRoot, folder, conditions['@vig/source'] ?? ''))).toBe(true);
    }
  });

  it('opens its entry with a @packageDocumentation block', () => {
    expect(readRepositoryFile(`${folder}/src/index.ts`)).toMatch(
      /^\/\*\*\n \* @packageDocumentation/,
    );
  });

  it('has a README with a runnable TypeScript example', () => {
    const readme = readRepositoryFile(`${folder}/README.md`);
    expect(readme).toMatch(/```ts\n[\s\S]*?from '@vig\//);
  });

  it('depends on Vig packages only down the layers', () => {
    const layers = ['crdt-core', 'wire', 'gossip', 'node-udp', 'cli'];
    const own = layers.indexOf(manifest.name.replace('@vig/', ''));
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (!dependency.startsWith('@vig/')) continue;
      const layer = layers.indexOf(dependency.replace('@vig/', ''));
      if (own >= 0 && layer >= 0) expect(layer).toBeLessThan(own);
    }
  });
});
