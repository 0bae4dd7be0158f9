import { afterEach, describe, expect, it } from 'vitest';
import { serveProcess } from '../test/serve-process.js';
import { testNodes } from '../test/test-nodes.js';
import { writeUntilKilled } from '../test/write-until-killed.js';

/** Client puts acknowledged before the node is killed. */
const ACKNOWLEDGEMENTS_BEFORE_KILL = 200;
/** Clients writing at once (each runs its puts one at a time). */
const WRITING_CLIENTS = 4;
/** Kill, restart and check this many times. */
const RUNS = 3;

/** One acknowledged put: a key and the entry it raised. */
interface Acknowledgement {
  readonly key: string;
  readonly index: number;
  readonly value: number;
}

const testing = testNodes('vig-client-kill-');
afterEach(() => testing.cleanup());

describe("a light client's vector puts under kill -9 of the node", () => {
  it(
    `are all in the node's own store after SIGKILL mid-burst, ${RUNS} times over`,
    { timeout: 120_000 },
    async () => {
      for (let run = 0; run < RUNS; run++) {
        const directory = await testing.directory();
        const { child, address, exited } = await serveProcess(directory, '127.0.0.52:0');
        const acknowledged = await writeUntilKilled({
          address,
          child,
          writers: WRITING_CLIENTS,
          killAfter: ACKNOWLEDGEMENTS_BEFORE_KILL,
          write: async (client, writer, write): Promise<Acknowledgement> => {
            const put = { key: `w${writer}:${write % 8}`, index: write, value: write + 1 };
            await client.put(put.key, { [put.index]: put.value });
            return put;
          },
        });
        expect(await exited).toBe('SIGKILL');

        // The node alone, as the kill left its store: no peer to catch up from.
        const node = await testing.open({ dataDir: directory });
        const missing = acknowledged.filter(
          ({ key, index, value }) => (node.get(key)?.get(index) ?? 0) < value,
        );
        expect(missing).toEqual([]);
        await node.stop();
      }
    },
  );
});
