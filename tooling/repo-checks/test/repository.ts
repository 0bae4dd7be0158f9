import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Reads a file relative to the repository root. */
export function readRepositoryFile(path: string): string {
  return readFileSync(join(repositoryRoot, path), 'utf8');
}

/** The subset of a package.json these checks read. */
export interface PackageManifest {
  readonly name: string;
  readonly private?: boolean;
  readonly type?: string;
  readonly sideEffects?: boolean;
  readonly packageManager?: string;
  readonly exports?: Record<string, Record<string, string>>;
  readonly files?: string[];
  readonly bin?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
}

/** Every workspace package: its folder (relative to the root) and manifest. */
export function workspacePackages(): { folder: string; manifest: PackageManifest }[] {
  const grouped = ['packages', 'apps', 'tooling'].flatMap((group) => {
    const groupFolder = join(repositoryRoot, group);
    if (!existsSync(groupFolder)) return [];
    return readdirSync(groupFolder)
      .filter((name) => existsSync(join(groupFolder, name, 'package.json')))
      .map((name) => ({
        folder: `${group}/${name}`,
        manifest: JSON.parse(
          readRepositoryFile(`${group}/${name}/package.json`),
        ) as PackageManifest,
      }));
  });
  const examples = {
    folder: 'examples',
    manifest: JSON.parse(readRepositoryFile('examples/package.json')) as PackageManifest,
  };
  return [...grouped, examples];
}
