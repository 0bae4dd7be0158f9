import type { Operation } from '@vig/crdt-core';
import type { ClientDocuments } from '@vig/node-udp';

/**
 * The newest `limit` operations of a node's history (those writing `key`,
 * when given), newest first, asked for page after page: a node answers at
 * most its own page size (256 by default) and looks at a bounded number of
 * operations per request, so one page may hold fewer than asked. Stops at
 * the end of the history, or at a cursor that does not move back (which a
 * node never sends).
 */
export async function readLog(
  documents: Pick<ClientDocuments, 'log'>,
  key: string | undefined,
  limit: number,
): Promise<Operation[]> {
  const operations: Operation[] = [];
  let cursor: number | undefined;
  while (operations.length < limit) {
    const wanted = limit - operations.length;
    const page = await documents.log(
      key,
      cursor === undefined ? { limit: wanted } : { limit: wanted, cursor },
    );
    operations.push(...page.operations.slice(0, wanted));
    if (page.cursor === undefined || (cursor !== undefined && page.cursor >= cursor)) break;
    cursor = page.cursor;
  }
  return operations;
}
