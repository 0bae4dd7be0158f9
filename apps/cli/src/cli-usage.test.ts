/**
 * The command line's contract, through real `vig` processes: `--help` works
 * on every command, and every kind of bad usage exits 2 with one line on
 * stderr and nothing on stdout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, runLauncher, runVig } from '../test/vig-process.js';

afterEach(killAll);

const commands = ['serve', 'put', 'get', 'search', 'agg', 'members', 'demo'];

describe('vig --help', () => {
  it('exits 0 and describes every command', async () => {
    const run = await runVig(['--help']);
    expect(run.code).toBe(0);
    for (const command of commands) expect(run.stdout).toContain(command);
  });

  it.each(commands)('vig %s --help exits 0 with its usage', async (command) => {
    const run = await runVig([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: vig ${command}`);
    expect(run.stderr).toBe('');
  });
});

describe('bin/vig.js, the launcher', () => {
  it('runs the source in the repository and passes on the exit code', async () => {
    const version = await runLauncher(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const usage = await runLauncher(['get']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^vig: [^\n]+\n$/);
  });
});

describe('bad usage', () => {
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /command is missing/],
    ['an unknown command', ['fetch'], /unknown command 'fetch'/],
    ['an unknown option', ['get', 'foo', '--colour'], /unknown option '--colour'/],
    ['a missing KEY', ['get'], /missing required argument 'KEY'/],
    ['missing entries', ['put', 'foo'], /missing required argument 'INDEX=VALUE/],
    ['an entry without =', ['put', 'foo', '3'], /entry "3" is invalid: expected INDEX=VALUE/],
    ['a value that is not a number', ['put', 'foo', '3=x'], /entry "3=x" is invalid/],
    ['a fractional value', ['put', 'foo', '3=1.5'], /entry "3=1.5" is invalid/],
    ['a value above 2^53-1', ['put', 'foo', '0=9007199254740992'], /is invalid/],
    ['an index above 2^32-1', ['put', 'foo', '4294967296=1'], /is invalid/],
    ['a put to a pattern', ['put', 'foo:*', '0=1'], /is a pattern/],
    [
      'a node without a port',
      ['get', 'foo', '--node', 'localhost'],
      /address "localhost" is invalid/,
    ],
    [
      'a port out of range',
      ['get', 'foo', '--node', '127.0.0.1:70000'],
      /is invalid: expected HOST:PORT/,
    ],
    ['a bad bind address', ['serve', '--bind', '127.0.0.1'], /address "127.0.0.1" is invalid/],
    ['a bad join address', ['serve', '--join', 'x:y'], /address "x:y" is invalid/],
    ['--data with --memory', ['serve', '--data', 'here', '--memory'], /cannot be used with/],
    [
      'a timeout that is not a number',
      ['get', 'foo', '--timeout', 'soon'],
      /--timeout "soon" is invalid/,
    ],
    ['a search without %', ['search', 'foo'], /not a search pattern/],
    ['an aggregate without *', ['agg', 'foo%'], /not an aggregate pattern/],
    ['a get of a pattern', ['get', 'foo%'], /is a pattern/],
    ['a demo of one node', ['demo', '--nodes', '1'], /--nodes "1" is invalid/],
    ['an unknown log level', ['serve', '--log-level', 'loud'], /Allowed choices/],
    ['too many arguments', ['get', 'foo', 'bar'], /too many arguments/],
  ];

  it.each(cases)('%s exits 2 with one line on stderr', async (_name, args, message) => {
    const run = await runVig(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^vig: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
  });
});
