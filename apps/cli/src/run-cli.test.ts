/**
 * `runCli` and `createProgram` in-process, as an embedding program uses
 * them: exit codes come back as values and output goes to the given sinks.
 */
import { describe, expect, it } from 'vitest';
import { VIG_COMMANDS } from '../test/vig-commands.js';
import type { CliIo } from './cli-io.js';
import { createProgram } from './create-program.js';
import { EXIT_SUCCESS, EXIT_USAGE } from './exit-codes.js';
import { runCli } from './run-cli.js';

/** Sinks that keep what is written. */
function captureIo(): CliIo & { readonly out: () => string; readonly err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text) => void (out += text), isTTY: false },
    stderr: { write: (text) => void (err += text), isTTY: false },
    out: () => out,
    err: () => err,
  };
}

describe('runCli in-process', () => {
  it('resolves 0 for --help and writes the help to the given stdout', async () => {
    const io = captureIo();
    expect(await runCli(['get', '--help'], io)).toBe(EXIT_SUCCESS);
    expect(io.out()).toContain('Usage: vig get [options] <KEY>');
    expect(io.err()).toBe('');
  });

  it('resolves 2 for bad usage, with one line on the given stderr', async () => {
    const io = captureIo();
    expect(await runCli(['put', 'foo', '1=-1'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toMatch(/^vig: entry "1=-1" is invalid[^\n]*\n$/);
    expect(io.out()).toBe('');
  });

  it('runs the demo in this process and stops every node it started', async () => {
    const io = captureIo();
    expect(await runCli(['demo', '--nodes', '2'], io)).toBe(EXIT_SUCCESS);
    expect(io.out()).toContain('Every node agrees: counter:visits counts 3');
    expect(io.out()).toContain('Stopped 2 nodes');
  });
});

describe('createProgram', () => {
  it('builds the vig command with every command, in order', () => {
    expect(createProgram(captureIo()).commands.map((command) => command.name())).toEqual(
      VIG_COMMANDS,
    );
  });
});
