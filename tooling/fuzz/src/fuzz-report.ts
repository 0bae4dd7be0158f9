import type { FuzzRunReport } from './fuzz-live-node.js';

const mebibytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The rejects of a run, by reason, largest first: `truncated 4469, trailing-bytes 3985, …`. */
export function formatRejects(drops: Readonly<Record<string, number>>): string {
  return Object.entries(drops)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
}

/** A markdown table of fuzz runs: one row per seed. */
export function formatFuzzRuns(reports: readonly FuzzRunReport[]): string {
  const lines = [
    '| seed | datagrams (valid / mutated / random) | rejects counted by the node, by reason | kernel drops | read checks | peak memory (ceiling) | result |',
    '| ---: | --- | --- | ---: | ---: | --- | --- |',
  ];
  for (const report of reports) {
    const { valid, mutated, random } = report.sent;
    lines.push(
      `| ${report.seed} | ${valid + mutated + random} (${valid} / ${mutated} / ${random}) | ${formatRejects(report.nodeDrops)} | ${report.kernelDrops} | ${report.readChecks} | ${mebibytes(report.peakResidentBytes)} (${mebibytes(report.memoryCeilingBytes)}) | ${report.problems.length === 0 ? '✓' : `✗ ${report.problems.join('; ')}`} |`,
    );
  }
  return lines.join('\n');
}
