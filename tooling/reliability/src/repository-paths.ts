/** Where things are in the repository, for the processes the scenarios start. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's folder (tooling/reliability). */
export const packageFolder = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The repository's root folder. */
export const repositoryRoot = join(packageFolder, '../..');

/**
 * The `vig` launcher, apps/cli/bin/vig.js: in the repository it runs the CLI
 * from source through tsx, so nothing needs building first.
 */
export const vigLauncher = join(repositoryRoot, 'apps/cli/bin/vig.js');

/** The report the long run writes. */
export const reportDocument = join(repositoryRoot, 'docs/reliability.md');

/** The probe host, run inside a network namespace (see remote-probe.ts). */
export const probeHostScript = join(packageFolder, 'src/probe-host.ts');

/** The keyed node host (see keyed-node-host.ts). */
export const keyedNodeHostScript = join(packageFolder, 'src/keyed-node-host.ts');
