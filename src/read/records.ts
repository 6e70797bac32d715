/**
 * The one read path: bytes → decoded, line-numbered CSV records, for every input the tool reads
 * (exports, the areas file, Skolverket's reference files, files named in the config).
 *
 * Encoding, one rule, decided from the bytes (or forced with --encoding):
 *   1. a byte-order mark: UTF-8, UTF-16LE or UTF-16BE (the mark is dropped);
 *   2. UTF-16 without a mark, by its NUL pattern (text in UTF-16 has a zero byte in every other
 *      position; Excel's "Unicode text" and some system exports lose the mark);
 *   3. otherwise the first chunk holding a non-ASCII byte decides: valid UTF-8 → UTF-8, not valid
 *      → Windows-1252 (what Swedish Excel writes; ISO-8859-1 is a subset for å, ä, ö), decoded by
 *      table (decodeWindows1252), never by Node's one-shot decoder.
 * While every byte so far is ASCII the text is the same in all of them, so the decision can wait.
 * UTF-16 is converted to UTF-8 bytes as it arrives and read as those.
 *
 * Lines end in LF, CRLF or a bare CR (Excel for Mac's "CSV (Macintosh)"): the first line end met
 * decides. The delimiter (`;`, `,`, tab or `|`) is sniffed once per file from its first lines
 * (sniffDelimiter), so a banner above the header (Skolverket's exports) does not decide it.
 *
 * RFC 4180 quoting: a field that starts with a quote may hold the delimiter, "" for a quote, and
 * any number of line breaks. Only a quote that never closes (by the end of the input, or within
 * MAX_QUOTED_BYTES) costs its own line: that line is reported (`brokenQuote`) and reading goes on
 * at the next line. A record that spans lines but does not have the expected number of fields
 * (`expectedFields`, the header's, once the caller knows it) is a stray quote pairing up with a
 * later one, and is treated the same way.
 *
 * Rows are found in the raw bytes (delimiter, quote and line ends are ASCII in every encoding we
 * read) and handed on as field offsets into the buffer, so the hot path makes no strings; `text`
 * decodes one field, `fields` all of them. Blank lines and lines made only of delimiters (Excel
 * writes `;;;;` for an empty row) are not records: they are counted (`blankLines`) and skipped,
 * unless the caller asks for them (`keepBlank`, for layouts where a blank line means something).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { decodeMacRoman, decodeWindows1252, incompleteTail, type DecodeInfo, type Encoding } from './decode.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const HAS_QUOTE = -2;

export type Delimiter = ';' | ',' | '\t' | '|';
const CANDIDATES: readonly Delimiter[] = [';', ',', '\t', '|'];
const CANDIDATE_BYTES = CANDIDATES.map((c) => c.charCodeAt(0));

/**
 * A quoted field longer than this is taken for a quote that never closes.
 * @internal (also used by tests)
 */
export const MAX_QUOTED_BYTES = 1 << 20;
/** Lines looked at to sniff the delimiter (fewer when the input is shorter). */
const SNIFF_LINES = 64;
const SNIFF_BYTES = 1 << 18;

export interface ByteRow {
  buf: Buffer;
  /** Field i is buf[starts[i], ends[i]); quoted[i] = 1 when it started with a quote (the raw range keeps the quotes). */
  starts: Int32Array;
  ends: Int32Array;
  quoted: Uint8Array;
  count: number;
  /** Physical line the record starts on (1-based). */
  line: number;
  /** True for a blank line (only with keepBlank). */
  blank: boolean;
  /**
   * How many leading fields hold the same bytes, delimiter included, as the record handed on just
   * before this one (0 when unknown: the first record of a block, or either record has quotes).
   * Exports list a pupil's rows together, so a column cache can reuse its previous answer.
   */
  same: number;
  /** The record's number among all records any reader in this thread handed on (`same` refers to seq − 1). */
  seq: number;
}

/** Records handed on in this thread, by all readers: a record's `seq`. */
let recordSeq = 0;

export interface RecordHandlers {
  /** Every record in order; the row object is reused, so copy what must be kept. */
  record(row: ByteRow): void;
  /** A line whose quote never closes: it is skipped, and reading goes on at the next line. */
  brokenQuote?(line: number): void;
  /** The first chunk's size and line count, to estimate a big file's rows before reading it. */
  firstChunk?(bytes: number, lines: number): void;
}

export interface RecordOptions {
  /** --encoding: skip detection. */
  encoding?: Encoding;
  /** Hand blank lines on as records (blank = true) instead of skipping them. */
  keepBlank?: boolean;
  /**
   * A part of a file whose encoding, delimiter and line ends are already known (a worker thread
   * reading one block): no byte-order mark or UTF-16 check, nothing sniffed. `base` is the file
   * offset of the first byte given, `line` its line number; records starting at or after `stopAt`
   * are left for the next block.
   */
  part?: { base: number; line: number; delimiter: Delimiter; lineEnd: LineEnd; stopAt: number };
  /**
   * The working buffer to use (a worker reading block after block reuses one, instead of leaving
   * a dead 4 MB buffer per block for the garbage collector); `buffer` gives it back, grown or not.
   */
  buffer?: Buffer;
}

export type LineEnd = 'lf' | 'crlf' | 'cr' | 'none';

/**
 * Undo RFC 4180 quoting of one raw field text: "a""b" → a"b; text after the closing quote is kept.
 * @internal (also used by tests)
 */
export function unquote(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  let out = '';
  let i = 1;
  for (;;) {
    const quote = raw.indexOf('"', i);
    if (quote < 0) return out + raw.slice(i);
    out += raw.slice(i, quote);
    if (raw[quote + 1] === '"') {
      out += '"';
      i = quote + 2;
      continue;
    }
    return out + raw.slice(quote + 1);
  }
}

/** Delimiters outside quotes on one physical line, per candidate. */
function countDelimiters(line: string): number[] {
  const counts = CANDIDATES.map(() => 0);
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === QUOTE) quoted = !quoted;
    else if (!quoted) {
      const at = CANDIDATE_BYTES.indexOf(ch);
      if (at >= 0) counts[at]!++;
    }
  }
  return counts;
}

/**
 * The delimiter of a table from its first lines: for each candidate, the number of delimiters
 * the most lines share (the table's shape); the candidate whose shape the most lines share wins,
 * then the one with more fields, then the order `;` `,` tab `|`. Lines with none of a candidate
 * do not count for it, so a banner or a title above the header does not decide; a header alone
 * decides by its own count. Nothing found: `;`.
 * @internal (also used by tests)
 */
export function sniffDelimiter(lines: readonly string[]): Delimiter {
  const perCandidate = CANDIDATES.map(() => new Map<number, number>());
  for (const line of lines) {
    if (line.trim() === '') continue;
    const counts = countDelimiters(line);
    counts.forEach((count, i) => {
      if (count > 0) perCandidate[i]!.set(count, (perCandidate[i]!.get(count) ?? 0) + 1);
    });
  }
  let best: Delimiter = ';';
  let bestLines = 0;
  let bestFields = 0;
  CANDIDATES.forEach((candidate, i) => {
    for (const [fields, lineCount] of perCandidate[i]!) {
      if (lineCount > bestLines || (lineCount === bestLines && fields > bestFields)) {
        best = candidate;
        bestLines = lineCount;
        bestFields = fields;
      }
    }
  });
  return best;
}

/**
 * Invalid as UTF-8, but with well-formed multi-byte sequences too (a UTF-8 file with a
 * Windows-1252 part glued on): read as UTF-8, so the bad bytes are replaced and reported, rather
 * than every å of the UTF-8 part turned into "Ã¥" without a word. Genuine Windows-1252 text
 * almost never forms a valid sequence (å ä ö are single bytes followed by ASCII letters).
 */
function mostlyUtf8(bytes: Uint8Array): boolean {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b <= 0xdf ? 1 : -1;
    let ok = need > 0 && i + need < bytes.length + 1;
    for (let k = 1; ok && k <= need; k++) ok = ((bytes[i + k] ?? 0) & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return valid >= 2 && valid * 4 >= invalid;
}

/** Macintosh Roman bytes that Windows-1252 leaves undefined (Å Ç Ñ Ö … in Mac Roman). */
const MAC_ONLY = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

/**
 * Not UTF-8: Windows-1252, or Macintosh Roman (Excel for Mac's "CSV (Macintosh)", with bare CR
 * line ends): told by those line ends, or by bytes Windows-1252 does not define.
 */
function legacyEncoding(bytes: Uint8Array): Encoding {
  const hasLf = bytes.indexOf(LF) >= 0;
  const hasCr = bytes.indexOf(CR) >= 0;
  if (hasCr && !hasLf) return 'macintosh';
  // (A native search per byte value: a loop over every byte with a set lookup took 30 ms a megabyte.)
  for (const b of MAC_ONLY) if (bytes.indexOf(b) >= 0) return 'macintosh';
  return 'windows-1252';
}

/**
 * UTF-16 without a byte-order mark, told by its zero bytes: 'utf-16le', 'utf-16be' or null.
 * @internal (also used by tests)
 */
export function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const length = Math.min(bytes.length, 4096) & ~1;
  if (length < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < length; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = length / 2;
  if (oddZero * 2 > pairs && evenZero * 10 < pairs) return 'utf-16le';
  if (evenZero * 2 > pairs && oddZero * 10 < pairs) return 'utf-16be';
  return null;
}

export class RecordReader {
  private buf: Buffer;
  /** A view of buf, to compare four bytes at a time. */
  private view: DataView;
  private length = 0;
  private line = 1;
  private delimiter = -1;
  private decided: Encoding | null;
  private readonly row: ByteRow;
  private readonly keepBlank: boolean;
  /** null until the first line end is seen. */
  private lineEnd: LineEnd | null = null;
  /** A multi-byte sequence cut off at a chunk end, held back while the encoding is undecided. */
  private pending: Uint8Array | null = null;
  /** UTF-16 input: whether any text has been decoded yet (for a byte-order mark). */
  private sawText = false;
  blankLines = 0;
  /** Once the caller knows the header's field count: a multi-line record with another count is a stray quote. */
  expectedFields = 0;
  readonly info: DecodeInfo;
  /** File offset of buffer position 0 (bytes consumed so far, the byte-order mark included). */
  private base = 0;
  /** Records starting here or later are not read (a block's end); Infinity: read everything. */
  private readonly stopAt: number;
  private readonly part: boolean;
  /** Set by stop(), or when a record at stopAt is reached: no more records are handed on. */
  stopped = false;

  constructor(
    private readonly handlers: RecordHandlers,
    options: RecordOptions = {},
  ) {
    this.buf = options.buffer ?? Buffer.allocUnsafe(1 << 22);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.decided = options.encoding ?? null;
    this.keepBlank = options.keepBlank === true;
    this.info = { encoding: options.encoding ?? 'ascii', bom: false, replaced: false };
    this.row = { buf: this.buf, starts: new Int32Array(64), ends: new Int32Array(64), quoted: new Uint8Array(64), count: 0, line: 0, blank: false, same: 0, seq: 0 };
    const part = options.part;
    this.part = part !== undefined;
    this.stopAt = part?.stopAt ?? Infinity;
    if (part) {
      this.base = part.base;
      this.line = part.line;
      this.delimiter = part.delimiter.charCodeAt(0);
      this.lineEnd = part.lineEnd;
    }
  }

  /** The working buffer (to hand to the next reader). */
  get buffer(): Buffer {
    return this.buf;
  }

  /** Hand on no more records (the one being handed on is the last). */
  stop(): void {
    this.stopped = true;
  }

  /** File offset just after the last record handed on or skipped (where reading would go on). */
  get offset(): number {
    return this.base;
  }

  /** The line number the next record would start on. */
  get nextLine(): number {
    return this.line;
  }

  /** The delimiter found (or `;` before any line was read). */
  get detectedDelimiter(): Delimiter {
    return this.delimiter < 0 ? ';' : (String.fromCharCode(this.delimiter) as Delimiter);
  }

  get detectedLineEnd(): LineEnd {
    return this.lineEnd ?? 'none';
  }

  /** Decode the raw bytes of field i of a row to text (quotes undone). */
  text(row: ByteRow, i: number): string {
    const start = row.starts[i] ?? 0;
    const end = row.ends[i] ?? 0;
    let text: string;
    if (this.decided === 'windows-1252') {
      text = decodeWindows1252(row.buf.subarray(start, end));
    } else if (this.decided === 'macintosh') {
      text = decodeMacRoman(row.buf.subarray(start, end));
    } else {
      text = row.buf.toString('utf8', start, end);
      if (!this.info.replaced && text.includes('\uFFFD')) this.info.replaced = true;
    }
    return row.quoted[i] ? unquote(text) : text;
  }

  /** All fields of a row as text. */
  fields(row: ByteRow): string[] {
    return Array.from({ length: row.count }, (_, i) => this.text(row, i));
  }

  async readAll(chunks: AsyncIterable<Uint8Array>): Promise<void> {
    /** Bytes held until there are enough to see a byte-order mark or UTF-16's zero bytes. */
    let head: Uint8Array | null = new Uint8Array(0);
    let utf16: TextDecoder | null = null;
    const take = (raw: Uint8Array): void => {
      let chunk = raw;
      if (utf16 !== null) {
        // UTF-16: convert to UTF-8 bytes and read those.
        this.decided = 'utf-8';
        let text = utf16.decode(chunk, { stream: true });
        // With --encoding utf-16le the mark was not stripped by the detection: drop it here.
        if (!this.sawText && text.startsWith('\uFEFF')) {
          text = text.slice(1);
          this.info.bom = true;
        }
        if (text !== '') this.sawText = true;
        chunk = Buffer.from(text, 'utf8');
      }
      this.append(chunk);
      this.scan(false);
    };
    const start = (bytes: Uint8Array): void => {
      let chunk = bytes;
      if (this.handlers.firstChunk) {
        let lines = 0;
        for (let i = chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) lines++;
        if (lines === 0) for (let i = chunk.indexOf(CR); i >= 0; i = chunk.indexOf(CR, i + 1)) lines++;
        this.handlers.firstChunk(chunk.length, lines);
      }
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        this.info.bom = true;
        chunk = chunk.subarray(3);
        this.base = 3;
        this.decided ??= 'utf-8';
        if (this.info.encoding === 'ascii') this.info.encoding = 'utf-8';
      } else if (this.decided === null && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
        const encoding: Encoding = chunk[0] === 0xff ? 'utf-16le' : 'utf-16be';
        this.info.bom = true;
        this.info.encoding = encoding;
        utf16 = new TextDecoder(encoding, { ignoreBOM: true });
        chunk = chunk.subarray(2);
      } else if (this.decided === null) {
        const sniffed = sniffUtf16(chunk);
        if (sniffed !== null) {
          this.info.encoding = sniffed;
          utf16 = new TextDecoder(sniffed, { ignoreBOM: true });
        }
      }
      // Forced UTF-16: the mark, if any, is dropped (and reported) as text.
      if (utf16 === null && (this.decided === 'utf-16le' || this.decided === 'utf-16be')) utf16 = new TextDecoder(this.decided, { ignoreBOM: true });
      take(chunk);
    };
    if (this.part) head = null;
    for await (const raw of chunks) {
      if (raw.length === 0) continue;
      if (this.stopped) break;
      if (head !== null) {
        head = head.length === 0 ? raw : Buffer.concat([head, raw]);
        // Four bytes show a mark; a few more make the zero-byte pattern of UTF-16 clear.
        if (head.length < 64) continue;
        const bytes = head;
        head = null;
        start(bytes);
        continue;
      }
      take(raw);
    }
    if (this.stopped) return;
    if (head !== null && head.length > 0) start(head);
    if (utf16 !== null) this.append(Buffer.from((utf16 as TextDecoder).decode(), 'utf8'));
    if (this.pending !== null) {
      // The input ended inside what would have been a UTF-8 sequence: it is not UTF-8.
      this.decide('windows-1252');
      this.appendRaw(this.pending);
      this.pending = null;
    }
    this.scan(true);
  }

  private decide(encoding: Encoding): void {
    this.decided = encoding;
    this.info.encoding = encoding;
  }

  private append(raw: Uint8Array): void {
    let chunk = raw;
    if (this.pending !== null) {
      chunk = Buffer.concat([this.pending, raw]);
      this.pending = null;
    }
    if (this.decided === null && !isAscii(chunk)) {
      const whole = chunk.subarray(0, chunk.length - incompleteTail(chunk));
      if (whole.length < chunk.length && isAscii(whole)) {
        this.pending = chunk.subarray(whole.length);
        chunk = whole;
      } else {
        this.decide(isUtf8(whole) || mostlyUtf8(whole) ? 'utf-8' : legacyEncoding(whole));
      }
    }
    this.appendRaw(chunk);
  }

  private appendRaw(chunk: Uint8Array): void {
    const at = this.length;
    const needed = at + chunk.length;
    if (needed > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, at);
      this.buf = bigger;
      this.row.buf = bigger;
      this.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
    }
    this.buf.set(chunk, at);
    this.length = needed;
    if (this.lineEnd === null) this.findLineEnd(at > 0 ? at - 1 : 0);
    // A file with bare CR line ends is read as if they were LF (it has no LF to confuse them with).
    if (this.lineEnd === 'cr') {
      const buf = this.buf;
      for (let i = buf.indexOf(CR, at); i >= 0 && i < needed; i = buf.indexOf(CR, i + 1)) buf[i] = LF;
    }
  }

  /** Quote state while looking for the first line end (a CR inside quotes is not a line end). */
  private endScanQuoted = false;
  private endScanAt = 0;

  /** Decide the line end from the first one outside quotes in the buffer. */
  private findLineEnd(_from: number): void {
    const buf = this.buf;
    for (let i = this.endScanAt; i < this.length; i++) {
      const b = buf[i];
      if (b === QUOTE) {
        this.endScanQuoted = !this.endScanQuoted;
        continue;
      }
      if (this.endScanQuoted) continue;
      if (b === LF) {
        this.lineEnd = i > 0 && buf[i - 1] === CR ? 'crlf' : 'lf';
        return;
      }
      if (b === CR) {
        if (i + 1 >= this.length) {
          this.endScanAt = i; // CR at the end: wait for the next byte
          return;
        }
        // A bare CR: a CR file, unless LF ends lines further on (a header that ends in an extra CR).
        const laterLf = buf.indexOf(LF, i + 1);
        this.lineEnd = buf[i + 1] === LF || (laterLf >= 0 && laterLf < this.length) ? 'crlf' : 'cr';
        // appendRaw turns the CRs of the new bytes into LF; these may be from earlier chunks.
        if (this.lineEnd === 'cr') for (let j = 0; j <= i; j++) if (buf[j] === CR) buf[j] = LF;
        return;
      }
    }
    this.endScanAt = this.length;
  }

  private ensureFields(n: number): void {
    if (n < this.row.starts.length) return;
    const size = Math.max(n + 1, this.row.starts.length * 2);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const quoted = new Uint8Array(size);
    starts.set(this.row.starts);
    ends.set(this.row.ends);
    quoted.set(this.row.quoted);
    this.row.starts = starts;
    this.row.ends = ends;
    this.row.quoted = quoted;
  }

  /** Sniff the delimiter once enough lines are buffered (or the input has ended). */
  private sniff(final: boolean): boolean {
    const buf = this.buf;
    let lines = 0;
    let end = 0;
    for (let i = buf.indexOf(LF, 0); i >= 0 && i < this.length; i = buf.indexOf(LF, i + 1)) {
      end = i;
      if (++lines >= SNIFF_LINES) break;
    }
    if (!final && lines < SNIFF_LINES && this.length < SNIFF_BYTES) return false;
    const sample = buf.toString('latin1', 0, final && lines < SNIFF_LINES ? this.length : end);
    this.delimiter = sniffDelimiter(sample.split('\n')).charCodeAt(0);
    return true;
  }

  /** Parse every complete record in the buffer; keep the rest for the next chunk. */
  private scan(final: boolean): void {
    if (this.stopped) return;
    if (this.delimiter < 0 && !this.sniff(final)) return;
    const buf = this.buf;
    const length = this.length;
    const stopAt = this.stopAt - this.base;
    this.previous = -1;
    let pos = 0;
    while (pos < length) {
      if (pos >= stopAt) {
        this.stopped = true;
        break;
      }
      let newline = buf.indexOf(LF, pos);
      if (newline < 0 || newline >= length) {
        if (!final) break;
        newline = length;
      }
      let next = this.plainRow(pos, newline);
      if (next === HAS_QUOTE) next = this.quotedRow(pos, final);
      if (next < 0) break;
      pos = next;
      if (this.stopped) break;
    }
    if (pos > 0) {
      const consumed = Math.min(pos, length);
      buf.copyWithin(0, consumed, length);
      this.length = Math.max(0, length - pos);
      this.base += consumed;
    }
  }

  private emitBlank(line: number): void {
    this.previous = -1;
    this.blankLines++;
    if (!this.keepBlank) return;
    const row = this.row;
    row.count = 0;
    row.line = line;
    row.blank = true;
    row.same = 0;
    row.seq = ++recordSeq;
    this.handlers.record(row);
  }

  /**
   * Where the previous record handed on starts in the buffer, if it was a line without quotes
   * read in this scan (-1 otherwise); its fields are still in `row.starts`/`row.ends`.
   */
  private previous = -1;
  private previousCount = 0;
  /** Offset from its start of the previous record's first byte that is not blank space (-1: none). */
  private previousContent = -1;

  /** A line without quotes: split on the delimiter. HAS_QUOTE when the line has a quote. */
  private plainRow(pos: number, newline: number): number {
    const buf = this.buf;
    let lineEnd = newline;
    if (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd--;
    const delimiter = this.delimiter;
    const row = this.row;
    let count = 0;
    let start = pos;
    let blank = true;
    let content = -1;
    let i = pos;
    const previous = this.previous;
    if (previous >= 0) {
      // The bytes this line shares with the previous one: the fields (with their delimiter) that lie
      // wholly inside are the previous fields moved by d, and need no scan.
      const d = pos - previous;
      const view = this.view;
      let j = pos;
      while (j + 4 <= lineEnd && view.getInt32(j) === view.getInt32(j - d)) j += 4;
      while (j < lineEnd && buf[j] === buf[j - d]) j++;
      const starts = row.starts;
      const ends = row.ends;
      const last = this.previousCount - 1;
      while (count < last && (ends[count] ?? 0) + d < j) {
        starts[count] = (starts[count] ?? 0) + d;
        ends[count] = (ends[count] ?? 0) + d;
        count++;
      }
      if (count > 0) {
        start = (ends[count - 1] ?? 0) + 1;
        i = start;
        if (this.previousContent >= 0 && this.previousContent < start - pos) {
          blank = false;
          content = this.previousContent;
        }
      }
    }
    const same = count;
    for (; i < lineEnd; i++) {
      const b = buf[i];
      if (b === delimiter) {
        if (count + 1 >= row.starts.length) this.ensureFields(count + 1);
        row.starts[count] = start;
        row.ends[count] = i;
        row.quoted[count] = 0;
        count++;
        start = i + 1;
      } else if (b === QUOTE) return HAS_QUOTE; // (quotedRow reads the line again, and forgets the previous one)
      else if (blank && b !== SPACE && b !== TAB && b !== CR) {
        blank = false;
        content = i - pos;
      }
    }
    const line = this.line++;
    if (blank) {
      this.emitBlank(line);
      return newline + 1;
    }
    if (count + 1 >= row.starts.length) this.ensureFields(count + 1);
    row.starts[count] = start;
    row.ends[count] = lineEnd;
    row.quoted[count] = 0;
    row.count = count + 1;
    row.line = line;
    row.blank = false;
    row.same = same;
    row.seq = ++recordSeq;
    this.previous = pos;
    this.previousCount = count + 1;
    this.previousContent = content;
    this.handlers.record(row);
    return newline + 1;
  }

  /** Report the line at `pos` as a broken quote and go on with the line after it. */
  private brokenQuote(pos: number): number {
    const newline = this.buf.indexOf(LF, pos);
    this.handlers.brokenQuote?.(this.line);
    this.line++;
    return newline < 0 || newline >= this.length ? this.length : newline + 1;
  }

  /** A record with quotes (fields may hold delimiters and line breaks). -1: needs more bytes. */
  private quotedRow(pos: number, final: boolean): number {
    this.previous = -1;
    const buf = this.buf;
    const length = this.length;
    const delimiter = this.delimiter;
    const row = this.row;
    let count = 0;
    let i = pos;
    let newlines = 0;
    let blank = true;
    for (;;) {
      if (count + 1 >= row.starts.length) this.ensureFields(count + 1);
      const start = i;
      const linesBefore = newlines;
      let quoted = 0;
      if (i < length && buf[i] === QUOTE) {
        quoted = 1;
        i++;
        for (;;) {
          if (i - start > MAX_QUOTED_BYTES) return this.brokenQuote(pos);
          if (i >= length) {
            if (!final) return -1;
            return this.brokenQuote(pos);
          }
          const b = buf[i];
          if (b === QUOTE) {
            if (i + 1 >= length && !final) return -1;
            // Bytes past `length` are stale: an escaped quote needs its pair inside the data.
            if (i + 1 < length && buf[i + 1] === QUOTE) {
              i += 2;
              blank = false;
              continue;
            }
            i++;
            break;
          }
          if (b === LF) newlines++;
          else if (b !== SPACE && b !== TAB && b !== CR) blank = false;
          i++;
        }
        // A quoted field that ran over line breaks and is not followed by the delimiter or a line
        // end was closed by a stray quote on a later line (`"Bra start` … `12" skärm`): the rows in
        // between must not vanish into one cell. (On one line, text after the closing quote is
        // kept, as Excel reads it.)
        if (newlines > linesBefore && i < length) {
          const after = buf[i];
          if (after !== delimiter && after !== LF && after !== CR) return this.brokenQuote(pos);
        }
      }
      while (i < length) {
        const b = buf[i];
        if (b === delimiter || b === LF || b === CR) break;
        if (b !== SPACE && b !== TAB) blank = false;
        i++;
      }
      // One record may not grow past the bound either (quoted fields chained over many lines).
      if (i - pos > MAX_QUOTED_BYTES) return this.brokenQuote(pos);
      row.starts[count] = start;
      row.ends[count] = i;
      row.quoted[count] = quoted;
      count++;
      if (i >= length) {
        if (!final) return -1;
        break;
      }
      const b = buf[i];
      if (b === delimiter) {
        i++;
        continue;
      }
      if (b === CR) {
        if (i + 1 >= length && !final) return -1;
        i += i + 1 < length && buf[i + 1] === LF ? 2 : 1;
      } else i++;
      break;
    }
    // A record that runs over line breaks but does not have the header's number of fields is a
    // stray quote pairing up with a later one: report its first line and read on from the next.
    if (newlines > 0 && this.expectedFields > 0 && count !== this.expectedFields) return this.brokenQuote(pos);
    const line = this.line;
    this.line += 1 + newlines;
    if (blank) {
      this.emitBlank(line);
      return i;
    }
    row.count = count;
    row.line = line;
    row.blank = false;
    row.same = 0;
    row.seq = ++recordSeq;
    this.handlers.record(row);
    return Math.min(i, length);
  }
}

/** One record as text. */
export interface TextRecord {
  fields: string[];
  line: number;
}

export interface TextTable {
  records: TextRecord[];
  delimiter: Delimiter;
  info: DecodeInfo;
  lineEnd: LineEnd;
  blankLines: number;
  /** Lines whose quote never closed (skipped). */
  brokenQuotes: number[];
}

/**
 * A small file (areas, reference figures) read whole as text records. `expectFieldsFromFirst`:
 * the first record is a header, and a multi-line record with another field count is a stray quote.
 */
export async function readTextTable(
  chunks: AsyncIterable<Uint8Array>,
  options: RecordOptions & { expectFieldsFromFirst?: boolean } = {},
): Promise<TextTable> {
  const records: TextRecord[] = [];
  const brokenQuotes: number[] = [];
  const reader: RecordReader = new RecordReader(
    {
      record(row) {
        records.push({ fields: row.blank ? [] : reader.fields(row), line: row.line });
        if (options.expectFieldsFromFirst && reader.expectedFields === 0 && !row.blank) reader.expectedFields = row.count;
      },
      brokenQuote(line) {
        brokenQuotes.push(line);
      },
    },
    options,
  );
  await reader.readAll(chunks);
  return { records, delimiter: reader.detectedDelimiter, info: reader.info, lineEnd: reader.detectedLineEnd, blankLines: reader.blankLines, brokenQuotes };
}

/** Bytes already in memory as the chunk stream the reader takes. */
export async function* bytesOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * The first `count` records of an input (its header, and a title above it if any), read from at
 * most `maxBytes` of it: to tell what a file is before reading it whole. Empty for an empty input.
 */
export async function readFirstRecords(chunks: AsyncIterable<Uint8Array>, options: RecordOptions = {}, count = 10, maxBytes = 1 << 20): Promise<TextRecord[]> {
  const records: TextRecord[] = [];
  const reader: RecordReader = new RecordReader(
    {
      record(row) {
        if (records.length < count) records.push({ fields: reader.fields(row), line: row.line });
      },
    },
    options,
  );
  async function* head(): AsyncGenerator<Uint8Array> {
    let taken = 0;
    for await (const chunk of chunks) {
      const room = maxBytes - taken;
      yield chunk.length > room ? chunk.subarray(0, room) : chunk;
      taken += chunk.length;
      if (taken >= maxBytes || records.length >= count) break;
    }
  }
  await reader.readAll(head());
  return records;
}

// ---------------------------------------------------------------------------------------------
// Spreadsheets that are not text

/** A workbook, not text: Excel's .xlsx (a zip), Excel 97–2003's .xls (an OLE2 file), LibreOffice's .ods (a zip). */
export type SpreadsheetKind = 'xlsx' | 'xls' | 'ods';

/**
 * What a file's first bytes say it is when it is a workbook, whatever its name (Skolverket's
 * "Excel" download, or a .csv that Excel saved as a workbook); null for anything else. A zip
 * (`PK\x03\x04`) is taken for .xlsx unless its first entry names the OpenDocument spreadsheet type.
 */
export function spreadsheetKind(bytes: Uint8Array): SpreadsheetKind | null {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return Buffer.from(bytes.subarray(0, 256)).toString('latin1').includes('opendocument.spreadsheet') ? 'ods' : 'xlsx';
  }
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  if (bytes.length >= ole.length && ole.every((byte, i) => bytes[i] === byte)) return 'xls';
  return null;
}
