import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAgentId, isAgentId } from '@vig/crdt-core';
import type { AgentId } from '@vig/crdt-core';
import { removeFileDurably, writeFileDurably } from './durable-file.js';

/** The file in a node's data directory that keeps the agent id its documents are written as. */
export const AGENT_ID_FILE = 'agent-id';

/**
 * The file that exists while a node runs on its data directory: found at
 * start-up, it says the last run did not stop cleanly.
 */
export const AGENT_RUNNING_FILE = 'agent-id.running';

/** The agent a node writes its documents as, and how it came to be chosen. */
export interface NodeAgent {
  /** The agent id to write as. */
  readonly agent: AgentId;
  /**
   * Set when the last run on this directory did not stop cleanly (or the
   * file did not hold an agent id): the agent it wrote as, which is not
   * reused. Undefined otherwise.
   */
  readonly abandoned: AgentId | 'unreadable' | undefined;
  /**
   * Records `agent` (the store's agent at the end, which may have changed)
   * as the one to continue with, and the clean stop. Call it only once every
   * operation is durable.
   */
  stopCleanly(agent: AgentId): Promise<void>;
  /** Forgets the run without recording a new agent: for a node that never started. */
  release(): Promise<void>;
}

/**
 * The agent a node's versioned store writes as. A memory node (no
 * `dataDir`) takes a fresh random one. A node with a data directory
 * continues with the agent in `dataDir/agent-id`, so that its seqs go on
 * from where they were, but only if the last run stopped cleanly: an
 * operation is gossiped as soon as it is written, before it is durable, so
 * after a crash peers may hold operations of that agent that this node lost,
 * and writing the same versions again with other contents would make
 * replicas disagree for good. After a crash (or on first start) the node
 * takes a fresh agent. `dataDir/agent-id.running` marks a run in progress;
 * both files are written durably (fsync'ed, the directory too).
 */
export async function claimNodeAgent(dataDir: string | undefined): Promise<NodeAgent> {
  if (dataDir === undefined) {
    return {
      agent: createAgentId(),
      abandoned: undefined,
      stopCleanly: () => Promise.resolve(),
      release: () => Promise.resolve(),
    };
  }
  const path = join(dataDir, AGENT_ID_FILE);
  const running = join(dataDir, AGENT_RUNNING_FILE);
  const stored = await readAgentFile(path);
  const crashed = await exists(running);
  let agent: AgentId;
  let abandoned: NodeAgent['abandoned'];
  if (stored !== undefined && stored !== 'unreadable' && !crashed) {
    agent = stored;
  } else {
    agent = createAgentId();
    abandoned = stored === undefined && !crashed ? undefined : (stored ?? 'unreadable');
    await writeFileDurably(path, `${agent}\n`);
  }
  await writeFileDurably(running, `${process.pid}\n`);
  return {
    agent,
    abandoned,
    stopCleanly: async (final) => {
      if (final !== agent) await writeFileDurably(path, `${final}\n`);
      await removeFileDurably(running);
    },
    release: () => removeFileDurably(running),
  };
}

/** The agent id in `path`; undefined when there is no file; `'unreadable'` when it holds no agent id. */
async function readAgentFile(path: string): Promise<AgentId | 'unreadable' | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const agent = text.endsWith('\n') ? text.slice(0, -1) : text;
  return isAgentId(agent) && !agent.includes('\n') ? agent : 'unreadable';
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
