import { readFileSync } from 'node:fs';

/**
 * This package's version, read from its package.json (one folder up from
 * both `src/` and `dist/`), for `vig --version`.
 */
export function packageVersion(): string {
  const manifest: unknown = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  );
  const version = (manifest as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}
