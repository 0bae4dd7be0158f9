import { fileURLToPath } from 'node:url';
import { versionKey } from '@vig/crdt-core';
import type { Version } from '@vig/crdt-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { VigNode } from './vig-node.js';
import { runUntilKilled } from '../test/run-until-killed.js';
import { serveProcess } from '../test/serve-process.js';
import { writeUntilKilled } from '../test/write-until-killed.js';
import { testNodes } from '../test/test-nodes.js';

const burstScript = fileURLToPath(new URL('../test-fixtures/node-docs-burst.ts', import.meta.url));

/** Client puts acknowledged before the node is killed. */
const CLIENT_ACKNOWLEDGEMENTS_BEFORE_KILL = 100;
/** Clients writing at once (each runs its requests one at a time). */
const WRITING_CLIENTS = 4;

/** Acknowledged puts to wait for before the kill; the burst goes on well past them. */
const ACKNOWLEDGEMENTS_BEFORE_KILL = 200;
/** Kill, restart and check this many times, on the same directory. */
const RUNS = 3;

/** One acknowledged put: the version it made, and what it wrote. */
interface Acknowledgement {
  readonly version: Version;
  readonly key: string;
  readonly value: string;
}

/** The acknowledged puts `node` does not hold, with the value written, after a restart. */
function missingFrom(node: VigNode, acknowledged: readonly Acknowledgement[]): Acknowledgement[] {
  const held = new Map(
    node.docs
      .log(undefined, { all: true, limit: Number.MAX_SAFE_INTEGER })
      .map((operation) => [versionKey(operation.version), operation]),
  );
  return acknowledged.filter(({ version, key, value }) => {
    const operation = held.get(versionKey(version));
    return operation?.writes.find((write) => write.key === key)?.value !== value;
  });
}

const testing = testNodes('vig-docs-kill-');
afterEach(() => testing.cleanup());

describe('node.docs under kill -9', () => {
  it(
    `holds every acknowledged put after SIGKILL mid-burst, ${RUNS} times over, never reusing a version`,
    { timeout: 120_000 },
    async () => {
      const directory = await testing.directory();
      const acknowledged = new Map<string, Acknowledgement>();
      const agents: string[] = [];
      for (let run = 0; run < RUNS; run++) {
        // The first line names the agent: the acknowledgements follow it.
        const burst = await runUntilKilled(
          burstScript,
          [directory, `run${run}`],
          ACKNOWLEDGEMENTS_BEFORE_KILL + 1,
        );
        expect(burst.stderr).toBe('');
        expect(burst.finished).toBe(false);
        expect(burst.signal).toBe('SIGKILL');
        const [first = '{}', ...lines] = burst.lines;
        const { agent } = JSON.parse(first) as { agent: string };
        expect(lines.length).toBeGreaterThanOrEqual(ACKNOWLEDGEMENTS_BEFORE_KILL);
        agents.push(agent);
        for (const line of lines) {
          const acknowledgement = JSON.parse(line) as Acknowledgement;
          const key = versionKey(acknowledgement.version);
          // A version acknowledged twice with other contents would be a reused version.
          expect(acknowledged.get(key) ?? acknowledgement).toEqual(acknowledgement);
          acknowledged.set(key, acknowledgement);
        }

        // Every run's acknowledgements, the earlier runs' included, survive every later kill.
        const node = await testing.open({ dataDir: directory });
        expect(missingFrom(node, [...acknowledged.values()])).toEqual([]);
        expect(node.metrics().storage.skippedRecords).toBe(0);
        // After a crash the node never writes as the crashed run's agent again.
        expect(node.docs.agent).not.toBe(agent);
        await node.stop();
      }
      expect(new Set(agents).size).toBe(RUNS);
    },
  );

  it(
    'holds every put a client had acknowledged after SIGKILL of the node',
    { timeout: 60_000 },
    async () => {
      const directory = await testing.directory();
      const { child, address, exited } = await serveProcess(directory, '127.0.0.51:0');
      const acknowledged = await writeUntilKilled({
        address,
        child,
        writers: WRITING_CLIENTS,
        killAfter: CLIENT_ACKNOWLEDGEMENTS_BEFORE_KILL,
        write: async (client, writer, write): Promise<Acknowledgement> => {
          const key = `client${writer}:${write % 5}`;
          const value = `${writer}/${write}`;
          return { version: await client.docs.put(key, value), key, value };
        },
      });
      expect(await exited).toBe('SIGKILL');
      expect(acknowledged.length).toBeGreaterThanOrEqual(CLIENT_ACKNOWLEDGEMENTS_BEFORE_KILL);

      const node = await testing.open({ dataDir: directory });
      expect(missingFrom(node, acknowledged)).toEqual([]);
    },
  );
});
