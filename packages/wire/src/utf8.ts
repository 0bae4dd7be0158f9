// UTF-8 for keys. Keys are short, so hand-written loops beat TextEncoder and
// TextDecoder call overhead; anything that is not ASCII is checked by a fatal
// TextDecoder, which rejects overlong forms, surrogates and truncated sequences.

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const fromCharCode = String.fromCharCode;
/** Longer runs go straight to TextDecoder, which is faster there. */
const longestHandDecoded = 64;

/**
 * The UTF-8 byte length of `text`, or -1 when it holds a lone surrogate
 * (which UTF-8 cannot carry).
 */
export function utf8ByteLength(text: string): number {
  let length = 0;
  const units = text.length;
  for (let i = 0; i < units; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code < 0xd800 || code > 0xdfff) length += 3;
    else {
      const next = i + 1 < units ? text.charCodeAt(i + 1) : 0;
      if (code > 0xdbff || next < 0xdc00 || next > 0xdfff) return -1;
      length += 4;
      i++;
    }
  }
  return length;
}

/** Writes well-formed `text` (see {@link utf8ByteLength}) as UTF-8 and returns the next position. */
export function writeUtf8At(bytes: Uint8Array, position: number, text: string): number {
  const units = text.length;
  for (let i = 0; i < units; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes[position++] = code;
    } else if (code < 0x800) {
      bytes[position++] = 0xc0 | (code >>> 6);
      bytes[position++] = 0x80 | (code & 0x3f);
    } else if (code < 0xd800 || code > 0xdfff) {
      bytes[position++] = 0xe0 | (code >>> 12);
      bytes[position++] = 0x80 | ((code >>> 6) & 0x3f);
      bytes[position++] = 0x80 | (code & 0x3f);
    } else {
      code = 0x10000 + ((code - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      bytes[position++] = 0xf0 | (code >>> 18);
      bytes[position++] = 0x80 | ((code >>> 12) & 0x3f);
      bytes[position++] = 0x80 | ((code >>> 6) & 0x3f);
      bytes[position++] = 0x80 | (code & 0x3f);
    }
  }
  return position;
}

/** Decodes bytes `start..end` as strict UTF-8; `undefined` when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > longestHandDecoded) return decodeStrictly(bytes, start, end);
  let text = '';
  let i = start;
  // Eight characters per call keeps short ASCII keys to a few concatenations.
  for (; i + 8 <= end; i += 8) {
    const byte0 = bytes[i];
    const byte1 = bytes[i + 1];
    const byte2 = bytes[i + 2];
    const byte3 = bytes[i + 3];
    const byte4 = bytes[i + 4];
    const byte5 = bytes[i + 5];
    const byte6 = bytes[i + 6];
    const byte7 = bytes[i + 7];
    if ((byte0 | byte1 | byte2 | byte3 | byte4 | byte5 | byte6 | byte7) & 0x80)
      return decodeStrictly(bytes, start, end);
    text += fromCharCode(byte0, byte1, byte2, byte3, byte4, byte5, byte6, byte7);
  }
  for (; i < end; i++) {
    const byte = bytes[i];
    if (byte & 0x80) return decodeStrictly(bytes, start, end);
    text += fromCharCode(byte);
  }
  return text;
}

function decodeStrictly(bytes: Uint8Array, start: number, end: number): string | undefined {
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}
