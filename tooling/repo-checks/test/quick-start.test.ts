import { describe, expect, it } from 'vitest';
import { readRepositoryFile } from './repository.js';
import type { PackageManifest } from './repository.js';

const rootManifest = JSON.parse(readRepositoryFile('package.json')) as PackageManifest;
const readme = readRepositoryFile('README.md');
const ciScript = readRepositoryFile('.ci/run');

describe('the quick start', () => {
  const pinnedPnpm = /^pnpm@(\d+\.\d+\.\d+)$/.exec(rootManifest.packageManager ?? '')?.[1];

  it('pins pnpm 10 in packageManager', () => {
    expect(pinnedPnpm).toMatch(/^10\./);
  });

  it('installs the same pnpm in the README and in .ci/run', () => {
    const install = `npm i -g pnpm@${pinnedPnpm}`;
    expect(readme).toContain(install);
    expect(ciScript).toContain(install);
  });

  it('has CI run the README commands: frozen install, the demo, then pnpm test', () => {
    const commands = ciScript
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('pnpm '));
    expect(commands).toEqual(['pnpm install --frozen-lockfile', 'pnpm demo', 'pnpm test']);
    expect(readme).toContain('pnpm install --frozen-lockfile && pnpm demo');
    expect(readme).toMatch(/^pnpm test$/m);
  });

  it('runs lint, typecheck and every test from pnpm test', () => {
    const testScript =
      (rootManifest as { scripts?: Record<string, string> }).scripts?.['test'] ?? '';
    expect(testScript).toContain('prettier --check');
    expect(testScript).toContain('turbo run lint typecheck');
    expect(testScript).toMatch(/vitest run$/);
  });
});
