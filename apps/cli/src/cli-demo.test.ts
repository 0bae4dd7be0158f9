/** `vig demo` as a real process: a local cluster converges, is measured, and leaves nothing running. */
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, runVig } from '../test/vig-process.js';

afterEach(killAll);

describe('vig demo --nodes 3', () => {
  it('shows three nodes converging on every write, then stops them and exits 0', async () => {
    const run = await runVig(['demo', '--nodes', '3']);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Membership: every node sees the 2 others alive after [\d.]+ m?s/);
    expect(run.stdout.match(/ 3\/3 nodes in [\d.]+ m?s/g)).toHaveLength(6);
    expect(run.stdout).toContain(
      'Every node agrees: counter:visits counts 3; page:* = 0=120 1=9 2=42 5=7',
    );
    expect(run.stdout).toMatch(/convergence +median [\d.]+ m?s, slowest [\d.]+ m?s over 6 writes/);
    expect(run.stdout).toMatch(/datagrams +\d+ sent by 3 nodes/);
    expect(run.stdout).toContain('Stopped 3 nodes');
    // Not a terminal: plain lines, no carriage returns or escape codes.
    expect(run.stdout).not.toContain('\r');
    expect(run.stdout).not.toContain('\u001b');
  });
});
