/**
 * The command line's contract, through real `vig` processes: `--help` works
 * on every command, and every kind of bad usage exits 2 with one line on
 * stderr and nothing on stdout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VIG_COMMANDS, VIG_SUBCOMMANDS } from '../test/vig-commands.js';
import { killAll, runLauncher, runVig } from '../test/vig-process.js';

afterEach(killAll);

describe('vig --help', () => {
  it('exits 0 and describes every command', async () => {
    const run = await runVig(['--help']);
    expect(run.code).toBe(0);
    for (const command of VIG_COMMANDS) expect(run.stdout).toContain(command);
  });

  it.each(VIG_COMMANDS)('vig %s --help exits 0 with its usage', async (command) => {
    const run = await runVig([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: vig ${command}`);
    expect(run.stderr).toBe('');
  });
});

describe('vig GROUP SUBCOMMAND --help', () => {
  it.each(VIG_SUBCOMMANDS)('vig %s --help exits 0 with its usage', async (command) => {
    const run = await runVig([...command.split(' '), '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: vig ${command}`);
    expect(run.stderr).toBe('');
  });

  it('says that --capacity and --error-rate must match between bloom add and has', async () => {
    for (const command of ['add', 'has']) {
      const run = await runVig(['bloom', command, '--help']);
      expect(run.stdout.replace(/\s+/g, ' ')).toContain(
        'use the same value for every add and has of a key',
      );
    }
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
    [
      'a sketch group without a subcommand',
      ['hll'],
      /vig hll needs a subcommand: expected one of add, count/,
    ],
    ['an unknown subcommand', ['counter', 'decr', 'k'], /unknown command "decr" for vig counter/],
    [
      'a precision below 4',
      ['hll', 'add', 'k', 'a', '--precision', '3'],
      /--precision "3" is invalid: expected a whole number in 4..18/,
    ],
    [
      'a precision above 18',
      ['hll', 'count', 'k', '--precision', '19'],
      /--precision "19" is invalid/,
    ],
    [
      '--precision with the vignette profile',
      ['hll', 'add', 'k', 'a', '--profile', 'vignette', '--precision', '10'],
      /--precision cannot be used with --profile vignette/,
    ],
    [
      'an unknown profile',
      ['hll', 'count', 'k', '--profile', 'ruby'],
      /Allowed choices are redis, vignette/,
    ],
    [
      'an hll add to a pattern',
      ['hll', 'add', 'k:*', 'a'],
      /is a pattern: vig hll add takes one key/,
    ],
    ['an hll add without items', ['hll', 'add', 'k'], /missing required argument 'ITEM'/],
    [
      'an import without --url',
      ['hll', 'import-redis', 'k'],
      /required option '--url <URL>' not specified/,
    ],
    [
      'a URL that is not redis://',
      ['hll', 'import-redis', '--url', 'http://127.0.0.1:6379', 'k'],
      /--url: invalid Redis URL "http:\/\/127.0.0.1:6379": scheme http: is not redis:/,
    ],
    [
      'a URL that is not a URL',
      ['hll', 'export-redis', '--url', 'redis', 'k'],
      /--url: invalid Redis URL "redis": not a URL/,
    ],
    [
      'a counter increment of 0',
      ['counter', 'incr', 'k', '0'],
      /N "0" is invalid: expected a whole number in 1\.\./,
    ],
    ['a fractional counter increment', ['counter', 'incr', 'k', '1.5'], /N "1.5" is invalid/],
    [
      'a writer id of 0',
      ['counter', 'incr', 'k', '--writer', '0'],
      /--writer "0" is invalid: expected a whole number in 1..4294967295/,
    ],
    [
      'a writer id above 2^32-1',
      ['counter', 'incr', 'k', '--writer', '4294967296'],
      /--writer "4294967296" is invalid/,
    ],
    [
      'a counter read of a pattern',
      ['counter', 'get', 'k%'],
      /is a pattern: vig counter get takes one key/,
    ],
    [
      'an error rate of 1.5',
      ['bloom', 'add', 'k', 'a', '--error-rate', '1.5'],
      /--error-rate "1.5" is invalid: expected a number strictly between 0 and 1/,
    ],
    [
      'an error rate that is not a number',
      ['bloom', 'has', 'k', 'a', '--error-rate', 'low'],
      /--error-rate "low" is invalid/,
    ],
    ['a capacity of 0', ['bloom', 'add', 'k', 'a', '--capacity', '0'], /--capacity "0" is invalid/],
    [
      'a filter larger than a vector holds',
      ['bloom', 'add', 'k', 'a', '--capacity', '9007199254740991'],
      /cannot be used: bloom bits .* is out of range/,
    ],
    [
      'a min-hash of 0 registers',
      ['minhash', 'add', 'k', 'a', '--registers', '0'],
      /--registers "0" is invalid: expected a whole number in 1..65536/,
    ],
    ['a similarity of one key', ['minhash', 'similarity', 'k'], /missing required argument 'KEY2'/],
  ];

  it.each(cases)('%s exits 2 with one line on stderr', async (_name, args, message) => {
    const run = await runVig(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^vig: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
  });
});
