/** The commands `vig` has, in the order `vig --help` lists them, for the tests that check each. */
export const VIG_COMMANDS: readonly string[] = [
  'serve',
  'keygen',
  'put',
  'get',
  'search',
  'agg',
  'members',
  'hll',
  'counter',
  'bloom',
  'minhash',
  'doc',
  'demo',
];

/** The subcommands of the sketch groups, as typed after `vig`. */
export const VIG_SUBCOMMANDS: readonly string[] = [
  'hll add',
  'hll count',
  'hll import-redis',
  'hll export-redis',
  'counter incr',
  'counter get',
  'bloom add',
  'bloom has',
  'minhash add',
  'minhash similarity',
  'doc put',
  'doc get',
  'doc log',
  'doc checkout',
  'doc branch',
];
