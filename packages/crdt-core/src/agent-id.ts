import type { RandomSource } from './random-source.js';
import { InvalidAgentIdError } from './version-errors.js';

/** The id of a writer: a string of 1..64 characters, random for each store by default. */
export type AgentId = string & { readonly __agentId: true };

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Length of generated ids: 16 characters of 62 symbols, about 95 bits. */
export const AGENT_ID_LENGTH = 16;

/** True for a valid agent id. */
export function isAgentId(value: unknown): value is AgentId {
  return typeof value === 'string' && value.length >= 1 && value.length <= 64;
}

/**
 * The string as an {@link AgentId}.
 *
 * @throws {@link InvalidAgentIdError} unless it is a string of 1..64 characters
 */
export function agentId(value: string): AgentId {
  if (!isAgentId(value)) throw new InvalidAgentIdError(value);
  return value;
}

/** A fresh random agent id of {@link AGENT_ID_LENGTH} characters. */
export function createAgentId(random: RandomSource = Math.random): AgentId {
  let id = '';
  for (let i = 0; i < AGENT_ID_LENGTH; i++) {
    id += alphabet[Math.floor(random() * alphabet.length) % alphabet.length];
  }
  return id as AgentId;
}
