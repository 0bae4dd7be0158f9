/**
 * A node's answers to a client's doc requests (`put`, `get`, `log`,
 * `checkout`, `branch`), as pure functions of the replica: each request gets
 * exactly one answer (`written`, `siblings`, `history`, `frontier`), or
 * `failed` with a code saying why.
 */
import { isVigError } from '@vig/crdt-core';
import type { Operation, Version, VersionedStore } from '@vig/crdt-core';
import { MAX_DOC_SIBLINGS, MAX_DOC_VERSIONS, encodeOperations } from '@vig/wire';
import type { DocFailureCode, DocLogRequest, DocRequest } from '@vig/wire';
import type { DocBody } from './doc-body.js';

/** What answering needs of a replica: its store, and writes that spread. */
export interface RequestTarget {
  readonly store: VersionedStore;
  putMany(
    writes: readonly (readonly [key: string, value: unknown])[],
    parents?: readonly Version[],
  ): Version;
}

/** The limits answers keep to. */
export interface RequestLimits {
  /** The most operations one `history` answer lists. */
  readonly maxDocLogPage: number;
  /** The largest answer, in bytes (a `history` answer is cut to fit). */
  readonly maxDocMessageBytes: number;
}

/**
 * Operations looked at per `log` request, whatever the page size: a key's
 * log over a long history that rarely writes it answers in several pages
 * (each with a cursor), each in bounded time.
 */
const MAX_LOG_SCAN = 10_000;

/** Room kept in a `history` answer for its other fields and the parts' headers. */
const HISTORY_OVERHEAD = 1024;

/** The answer to `request`; never throws (a failure is a `failed` answer). */
export function answerRequest(
  target: RequestTarget,
  request: DocRequest,
  limits: RequestLimits,
): DocBody {
  try {
    return answer(target, request, limits);
  } catch (error) {
    return {
      kind: 'failed',
      request: request.request,
      code: failureCode(error),
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

function answer(target: RequestTarget, request: DocRequest, limits: RequestLimits): DocBody {
  const { store } = target;
  switch (request.kind) {
    case 'put': {
      const version = target.putMany([[request.key, request.value]], request.parents);
      return { kind: 'written', request: request.request, version };
    }
    case 'get': {
      const siblings = store.get(request.key);
      if (siblings.length > MAX_DOC_SIBLINGS) {
        return tooLarge(request.request, `${siblings.length} siblings`, MAX_DOC_SIBLINGS);
      }
      return { kind: 'siblings', request: request.request, key: request.key, siblings };
    }
    case 'log':
      return logPage(store, request, limits);
    case 'checkout':
      store.checkout(request.target);
      return frontierAnswer(request.request, store.frontier, store.branch);
    case 'branch':
      store.createBranch(request.name);
      return frontierAnswer(request.request, store.frontier, request.name);
  }
}

function frontierAnswer(request: number, frontier: Version[], branch: string | undefined): DocBody {
  if (frontier.length > MAX_DOC_VERSIONS) {
    return tooLarge(request, `a frontier of ${frontier.length} versions`, MAX_DOC_VERSIONS);
  }
  return { kind: 'frontier', request, frontier, ...(branch === undefined ? {} : { branch }) };
}

/**
 * A page of the history, newest first: operations (writing `key`, if given)
 * from just below `cursor` (default: the newest), at most `limit` and the
 * node's page size, looking at no more than {@link MAX_LOG_SCAN} operations,
 * and cut to fit the largest doc message. `cursor` in the answer is where the
 * next page starts.
 */
function logPage(store: VersionedStore, request: DocLogRequest, limits: RequestLimits): DocBody {
  const limit = Math.min(request.limit, limits.maxDocLogPage);
  let position = Math.min(request.cursor ?? store.size, store.size) - 1;
  const operations: Operation[] = [];
  const positions: number[] = [];
  let scanned = 0;
  while (position >= 0 && operations.length < limit && scanned < MAX_LOG_SCAN) {
    const operation = store.operation(store.versionAt(position));
    scanned += 1;
    if (request.key === undefined || operation.writes.some((write) => write.key === request.key)) {
      operations.push(operation);
      positions.push(position);
    }
    position -= 1;
  }
  let batch = encodeOperations(operations);
  let kept = operations.length;
  // Halve the page until it fits the largest message (a huge operation may not).
  while (batch.length > limits.maxDocMessageBytes - HISTORY_OVERHEAD && kept > 1) {
    kept = Math.ceil(kept / 2);
    batch = encodeOperations(operations.slice(0, kept));
    position = positions[kept] ?? 0;
  }
  if (batch.length > limits.maxDocMessageBytes - HISTORY_OVERHEAD) {
    return tooLarge(
      request.request,
      `an operation of ${batch.length} bytes`,
      limits.maxDocMessageBytes,
    );
  }
  const next = position + 1;
  return {
    kind: 'history',
    request: request.request,
    batch,
    ...(next > 0 ? { cursor: next } : {}),
  };
}

function tooLarge(request: number, what: string, limit: number): DocBody {
  return {
    kind: 'failed',
    request,
    code: 'too-large',
    message: `the answer would hold ${what}: expected at most ${limit}`,
  };
}

/** The failure code of an error thrown while answering. */
function failureCode(error: unknown): DocFailureCode {
  if (isVigError(error, 'UnknownVersionError')) return 'unknown-version';
  if (isVigError(error, 'UnknownBranchError')) return 'unknown-branch';
  if (
    isVigError(error, 'MalformedOperationError') ||
    isVigError(error, 'DocWriteEncodeError') ||
    isVigError(error, 'DocWriteTooLargeError')
  ) {
    return 'invalid-request';
  }
  return 'refused';
}
