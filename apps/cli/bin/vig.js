#!/usr/bin/env node
// The `vig` executable, in one process either way:
//
// - installed from the registry, it runs the build, dist/main.js;
// - in the repository (recognised by apps/cli/tsconfig.json, which is never
//   published), it runs the TypeScript source, src/main.ts, so nothing needs
//   building first: tsx compiles it on the fly, and a resolve hook adds the
//   `@vig/source` condition, so every @vig package resolves to its src/ too
//   (what `node --import tsx --conditions=@vig/source src/main.ts` does).
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { URL } from 'node:url';

const inRepository = existsSync(new URL('../tsconfig.json', import.meta.url));

if (inRepository) {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  const addSourceCondition =
    'export function resolve(specifier, context, next) {' +
    " return next(specifier, { ...context, conditions: ['@vig/source', ...context.conditions] }); }";
  register(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
  await import('../src/main.ts');
} else {
  await import('../dist/main.js');
}
