import type { DocMessage } from '@vig/wire';

/** A doc message without its envelope: the engine adds `vig`. */
export type DocBody = DocMessage extends infer Message
  ? Message extends DocMessage
    ? Omit<Message, 'vig' | 'client'>
    : never
  : never;
