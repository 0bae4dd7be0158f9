import type { Operation } from '@vig/crdt-core';
import { agentId } from '@vig/crdt-core';
import type { ClientLogOptions, ClientLogPage } from '@vig/node-udp';
import { describe, expect, it } from 'vitest';
import { readLog } from './doc-log-pages.js';

const agent = agentId('pager');

/** Operations 0..count-1 of one agent, each writing `key`. */
function history(count: number): Operation[] {
  return Array.from({ length: count }, (_, seq) => ({
    version: { agent, seq },
    parents: seq === 0 ? [] : [{ agent, seq: seq - 1 }],
    writes: [{ key: 'k', value: seq, replaces: [] }],
  }));
}

/** A node's `log` over `operations`, answering at most `pageSize` per page, as a node does. */
function pagedLog(operations: readonly Operation[], pageSize: number) {
  const asked: ClientLogOptions[] = [];
  const log = (_key?: string, options: ClientLogOptions = {}): Promise<ClientLogPage> => {
    asked.push(options);
    const end = options.cursor ?? operations.length;
    const start = Math.max(0, end - Math.min(options.limit ?? 100, pageSize));
    const page = operations.slice(start, end).reverse();
    return Promise.resolve(start > 0 ? { operations: page, cursor: start } : { operations: page });
  };
  return { log, asked };
}

describe('readLog', () => {
  it('pages through the cursor until it has the operations asked for, newest first', async () => {
    const { log, asked } = pagedLog(history(10), 4);
    const read = await readLog({ log }, 'k', 7);
    expect(read.map((operation) => operation.version.seq)).toEqual([9, 8, 7, 6, 5, 4, 3]);
    expect(asked).toEqual([{ limit: 7 }, { limit: 3, cursor: 6 }]);
  });

  it('stops at the end of the history', async () => {
    const { log, asked } = pagedLog(history(5), 2);
    const read = await readLog({ log }, undefined, 20);
    expect(read.map((operation) => operation.version.seq)).toEqual([4, 3, 2, 1, 0]);
    expect(asked).toHaveLength(3);
  });

  it('stops at a cursor that does not move back', async () => {
    const stuck = (): Promise<ClientLogPage> => Promise.resolve({ operations: [], cursor: 5 });
    expect(await readLog({ log: stuck }, 'k', 3)).toEqual([]);
  });
});
