/**
 * A keyed node in a process of its own: `node --import tsx
 * keyed-node-host.ts BIND [SEED…]`, with the cluster key in
 * `VIG_RELIABILITY_KEY` and the label in `VIG_RELIABILITY_LABEL`; loopback
 * timings and a memory store, as `vig serve --local --memory`. It logs JSON
 * lines as `vig serve` does (`started`, `member-up`, `member-down`) and,
 * every 500 ms, a `security` line with the datagrams its sealed transport
 * dropped, by reason, which `vig serve` does not print. SIGTERM or SIGINT
 * stops it.
 */
import { LOCAL_GOSSIP, LOCAL_MEMBERSHIP } from '@vig/gossip';
import { createNode } from '@vig/node-udp';

const [bind = '127.0.0.1:0', ...seeds] = process.argv.slice(2);
const primary = process.env['VIG_RELIABILITY_KEY'] ?? '';
const label = process.env['VIG_RELIABILITY_LABEL'] ?? 'vig';

/** One JSON log line on stdout. */
function log(msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ ...fields, msg })}\n`);
}

const node = await createNode({
  bind,
  seeds,
  memory: true,
  key: { primary },
  label,
  membership: LOCAL_MEMBERSHIP,
  gossip: LOCAL_GOSSIP,
  onWarning: (warning) => log('warning', { warning }),
});
node.on('member-up', ({ address }) => log('member-up', { address }));
node.on('member-down', ({ address, to }) => log('member-down', { address, status: to }));
node.start();
log('started', { address: node.address, keys: 0 });
const reporting = setInterval(() => log('security', { security: node.metrics().security }), 500);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    clearInterval(reporting);
    void node.stop().then(() => process.exit(0));
  });
}
