/**
 * Encodings and the pieces of decoding that do not depend on a stream: the names --encoding
 * takes, the Windows-1252 table, and where a UTF-8 sequence is cut off at a chunk end. The rule
 * that picks an encoding is in records.ts, the one read path.
 */

export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be' | 'macintosh';

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
  macintosh: 'macintosh',
  'mac-roman': 'macintosh',
  macroman: 'macintosh',
  mac: 'macintosh',
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

/** Macintosh Roman's 0x80–0xFF (Excel for Mac's "CSV (Macintosh)"); 0x00–0x7F is ASCII. */
const MAC_ROMAN_HIGH =
  'ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u00A0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uF8FFÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ';

/** Macintosh Roman bytes → text, by table. */
export function decodeMacRoman(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : (MAC_ROMAN_HIGH[b - 0x80] ?? '\ufffd');
  return out;
}
