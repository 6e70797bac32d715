/**
 * Bytes → text, with the encoding detected as Swedish exports need it:
 *
 * - a UTF-8 byte-order mark → UTF-8 (the mark is dropped); UTF-16 marks → UTF-16 (Excel's
 *   "Unicode text");
 * - otherwise the first chunk that holds a non-ASCII byte decides: valid UTF-8 → UTF-8, not valid
 *   → Windows-1252 (what Swedish Excel writes; ISO-8859-1 is a subset for å, ä, ö);
 * - while every byte so far is ASCII, the text is the same in all of them, so the decision can
 *   wait without re-reading anything.
 *
 * `--encoding` overrides the detection. Decoding streams: nothing is held but the current chunk.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export const ENCODING_NAMES: Readonly<Record<string, Encoding>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
  ansi: 'windows-1252',
  'utf-16le': 'utf-16le',
  'utf-16': 'utf-16le',
  'utf-16be': 'utf-16be',
};

/** Windows-1252's 0x80–0x9F (where it differs from Latin-1); undefined bytes keep their Latin-1 control code. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * Windows-1252 bytes → text, by table. Node 20's one-shot `TextDecoder('windows-1252').decode()`
 * drops or garbles 0x80–0x9F (–, €, ”), which Swedish Excel files hold in names; the streaming
 * decoder is right, but a table needs no care at each call site.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /[\u0080-\u009f]/.test(latin1) ? latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c) : latin1;
}

export interface DecodeInfo {
  encoding: Encoding | 'ascii';
  bom: boolean;
  /** True when a UTF-8 file held invalid bytes (replaced by U+FFFD). */
  replaced: boolean;
}

/** Length of a UTF-8 sequence cut off at the end of `bytes` (0 when the end is clean). */
export function incompleteTail(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= Math.min(3, end); back++) {
    const byte = bytes[end - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

export async function* decodeChunks(
  chunks: AsyncIterable<Uint8Array>,
  forced: Encoding | undefined,
  info: DecodeInfo,
): AsyncGenerator<string> {
  let decoder: TextDecoder | null = forced ? new TextDecoder(forced) : null;
  let first = true;
  info.encoding = forced ?? 'ascii';
  info.bom = false;
  info.replaced = false;

  /** Bytes held back: a cut-off multi-byte sequence that is all the non-ASCII seen so far. */
  let pending: Uint8Array | null = null;
  for await (const raw of chunks) {
    let chunk: Uint8Array = raw;
    if (pending !== null) {
      chunk = Buffer.concat([pending, raw]);
      pending = null;
    }
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        info.bom = true;
        chunk = chunk.subarray(3);
        if (!forced) {
          decoder = new TextDecoder('utf-8');
          info.encoding = 'utf-8';
        }
      } else if (!forced && chunk[0] === 0xff && chunk[1] === 0xfe) {
        info.bom = true;
        decoder = new TextDecoder('utf-16le');
        info.encoding = 'utf-16le';
        chunk = chunk.subarray(2);
      } else if (!forced && chunk[0] === 0xfe && chunk[1] === 0xff) {
        info.bom = true;
        decoder = new TextDecoder('utf-16be');
        info.encoding = 'utf-16be';
        chunk = chunk.subarray(2);
      }
    }
    if (decoder === null) {
      if (isAscii(chunk)) {
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
        continue;
      }
      const whole = chunk.subarray(0, chunk.length - incompleteTail(chunk));
      if (whole.length < chunk.length && isAscii(whole)) {
        // The only non-ASCII bytes are a sequence cut off at the chunk end: decide on the next chunk.
        pending = chunk.subarray(whole.length);
        yield Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength).toString('latin1');
        continue;
      }
      const encoding: Encoding = isUtf8(whole) ? 'utf-8' : 'windows-1252';
      decoder = new TextDecoder(encoding);
      info.encoding = encoding;
    }
    const text = decoder.decode(chunk, { stream: true });
    if (info.encoding === 'utf-8' && !info.replaced && text.includes('\uFFFD')) info.replaced = true;
    yield text;
  }
  if (pending !== null) {
    // The file ended inside what would have been a UTF-8 sequence: it is not UTF-8.
    info.encoding = 'windows-1252';
    yield decodeWindows1252(pending);
  } else if (decoder !== null) {
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  }
}
