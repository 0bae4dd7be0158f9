/**
 * One write at 10% and 30% loss on every link, on the formed LAN clusters of
 * the one-write scenario (membership formed lossless; the loss starts with
 * the write and ends after it).
 */
import { LAN_LINKS, mark, seconds, table } from './bench-settings.js';
import { sharedLanCluster } from './formed-cluster.js';
import { SIZES, fullSpreadTarget, shortfall, spreadOneWrite } from './one-write.js';

const LOSSES = [0.1, 0.3] as const;

/** Runs the scenario and returns its markdown. */
export function writeUnderLoss(): string {
  const rows: string[][] = [];
  for (const { size, spreadBudget, formBudget } of SIZES) {
    const entry = sharedLanCluster(size, formBudget);
    for (const loss of LOSSES) {
      entry.cluster.network.setDefaults({ ...LAN_LINKS, loss });
      const result = spreadOneWrite(entry, `lossy-write:${size}:${loss}`, spreadBudget);
      entry.cluster.network.setDefaults(LAN_LINKS);
      const full = result.time100;
      rows.push([
        String(size),
        `${loss * 100}%`,
        result.rounds99 === undefined ? '—' : result.rounds99.toFixed(1),
        full === undefined ? shortfall(result, size) : seconds(full),
        `${full === undefined ? '✗' : mark(full <= fullSpreadTarget(size))} ≤ ${seconds(fullSpreadTarget(size))}`,
      ]);
    }
  }
  return [
    '### One write under loss',
    '',
    'The same clusters and settings as above; every link loses the given share of datagrams from the write until every node holds it.',
    '',
    table(
      ['N', 'loss', '99% (rounds)', '100% (virtual time)', 'as the lossless target (informative)'],
      rows,
    ),
    '',
  ].join('\n');
}
