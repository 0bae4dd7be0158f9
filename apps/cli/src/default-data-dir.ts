import { resolve } from 'node:path';

/**
 * Where `vig serve` keeps its store when neither `--data` nor `--memory` is
 * given: `vig-HOST-PORT` in the current directory (as etcd's `NAME.etcd`),
 * so two nodes on one machine never share a store by accident.
 */
export function defaultDataDir(bind: string): string {
  const name = bind.replace(/[[\]]/g, '').replace(/[^A-Za-z0-9.-]+/g, '-');
  return resolve(`vig-${name}`);
}
