import { readdirSync, existsSync } from 'node:fs';
import { defaultServerConditions, defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run on sibling packages' source, never on a build: every package's
// `exports` map lists the `@vig/source` condition first.
const serverConditions = ['@vig/source', ...defaultServerConditions];
const clientConditions = ['@vig/source', ...defaultClientConditions];

/** One vitest project per workspace package that has tests. */
function workspaceProjects(): { extends: true; root: string; test: { name: string } }[] {
  const grouped = ['packages', 'apps', 'tooling'].flatMap((group) =>
    existsSync(group)
      ? readdirSync(group)
          .filter((name) => existsSync(`${group}/${name}/package.json`))
          .map((name) => ({ extends: true as const, root: `${group}/${name}`, test: { name } }))
      : [],
  );
  return [...grouped, { extends: true, root: 'examples', test: { name: 'examples' } }];
}

export default defineConfig({
  resolve: { conditions: clientConditions },
  ssr: { resolve: { conditions: serverConditions } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', './tooling/plain-summary-reporter.ts'],
    testTimeout: 30_000,
    projects: workspaceProjects(),
  },
});
