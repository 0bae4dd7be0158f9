import type { PeerAddress, Transport } from '@vig/gossip';
import { decodeDocMessage, encodeDocMessage, isDocDatagram } from '@vig/wire';
import type { DocFrontier, DocWritten } from '@vig/wire';

/** The answers that report a change a node must have made durable first. */
export type DurableAnswer = DocWritten | DocFrontier;

/**
 * Says when the change an answer reports is durable: the promise of the
 * write (of the operation a `written` answer names, or of the position a
 * `frontier` answer reports).
 */
export type AnswerDurability = (answer: DurableAnswer) => Promise<void>;

/**
 * A transport that holds back a node's answers to clients' documents
 * requests until what they report is durable: a `written` answer (a
 * client's put) until the operation is in the store, a `frontier` answer (a
 * checkout, a branch) until the position is. So a client's acknowledged write
 * survives a crash of the node, as a local `docs.put` does. When the write
 * fails, the client gets a `failed` answer (`refused`) instead. Every other
 * datagram goes through at once; only doc datagrams of those two kinds are
 * decoded (told apart by their first bytes).
 */
export function durableAnswers(inner: Transport, durability: AnswerDurability): Transport {
  return {
    localAddress: inner.localAddress,
    maxDatagramBytes: inner.maxDatagramBytes,
    send: (to, bytes) => {
      const answer = durableAnswerOf(bytes);
      if (answer === undefined) {
        inner.send(to, bytes);
        return;
      }
      durability(answer).then(
        () => sendLate(inner, to, bytes),
        (error: unknown) => sendLate(inner, to, refusal(answer, error)),
      );
    },
    onReceive: (handler) => inner.onReceive(handler),
    close: () => inner.close(),
  };
}

/** The answer `bytes` hold when they are a `written` or `frontier` doc message; else undefined. */
function durableAnswerOf(bytes: Uint8Array): DurableAnswer | undefined {
  if (!isDocDatagram(bytes)) return undefined;
  const kind = kindOf(bytes);
  if (kind !== 'written' && kind !== 'frontier') return undefined;
  const decoded = decodeDocMessage(bytes);
  if (!decoded.ok) return undefined;
  const { doc } = decoded;
  return doc.kind === 'written' || doc.kind === 'frontier' ? doc : undefined;
}

/**
 * The kind of a doc datagram, read from the fixstr after its `doc` field
 * name (undefined when it is not a fixstr). The map header takes 1, 3 or 5
 * bytes, the field name 4.
 */
function kindOf(bytes: Uint8Array): string | undefined {
  const header = bytes[0] === 0xde ? 3 : bytes[0] === 0xdf ? 5 : 1;
  const start = header + 4;
  const marker = bytes[start] ?? 0;
  if (marker < 0xa0 || marker > 0xbf) return undefined;
  const length = marker - 0xa0;
  if (start + 1 + length > bytes.length) return undefined;
  return String.fromCharCode(...bytes.subarray(start + 1, start + 1 + length));
}

/** The `failed` answer sent instead of `answer` when its change could not be made durable. */
function refusal(answer: DurableAnswer, error: unknown): Uint8Array {
  const detail = error instanceof Error ? error.message : String(error);
  return encodeDocMessage({
    kind: 'failed',
    request: answer.request,
    code: 'refused',
    // At most 250 code points: within the 1024 UTF-8 bytes a failure message may take.
    message: Array.from(`the node could not store it: ${detail}`).slice(0, 250).join(''),
    vig: answer.vig,
  });
}

/**
 * Sends a held answer. One the transport refuses now (it closed meanwhile)
 * is lost, as UDP loses datagrams: the client asks again or tries another node.
 */
function sendLate(inner: Transport, to: PeerAddress, bytes: Uint8Array): void {
  try {
    inner.send(to, bytes);
  } catch {
    // Lost: nobody is left to tell.
  }
}
