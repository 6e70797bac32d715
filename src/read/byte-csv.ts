/**
 * The fast reading path: CSV parsed as bytes, never as one string per line or field.
 *
 * The delimiter, quote and line-end bytes are ASCII in every encoding we read (UTF-8,
 * Windows-1252; UTF-16 is converted to UTF-8 first), so rows and fields can be found in the raw
 * bytes. A row is handed on as field start/end offsets into the buffer; the caller looks the
 * bytes up in per-column dictionaries and decodes a value to text only the first time it is seen.
 * Encoding detection is the same as src/read/decode.ts (BOM, else the first non-ASCII chunk
 * decides), done per chunk as bytes arrive. Semantics match src/read/csv.ts: RFC 4180 quoting,
 * LF/CRLF, physical line numbers, blank and delimiter-only lines skipped and counted.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { CsvParser, sniffDelimiter, type Delimiter } from './csv.js';
import { decodeWindows1252, incompleteTail, type DecodeInfo, type Encoding } from './decode.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const HAS_QUOTE = -2;
/**
 * A quoted field may hold line breaks, but not this many: a quote that never closes would
 * otherwise swallow the rest of the file into one row.
 */
export const MAX_QUOTED_LINES = 50;

export interface ByteRow {
  buf: Buffer;
  /** Field i is buf[starts[i], ends[i]); quoted[i] = 1 when it started with a quote (raw range keeps the quotes). */
  starts: Int32Array;
  ends: Int32Array;
  quoted: Uint8Array;
  count: number;
  line: number;
}

export interface ByteCsvHandlers {
  header(fields: string[], delimiter: Delimiter): void;
  row(row: ByteRow): void;
  /** The first chunk's size and line count, to estimate a big file's rows before reading it. */
  firstChunk?(bytes: number, lines: number): void;
  /** A line whose quote never closes: it is one rejected row, and reading goes on at the next line. */
  brokenQuote?(line: number): void;
}

/** Undo RFC 4180 quoting of one raw field text: "a""b" → a"b; text after the closing quote is kept. */
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

export class ByteCsvReader {
  private buf: Buffer = Buffer.allocUnsafe(1 << 22);
  private length = 0;
  private line = 1;
  private delimiter = -1;
  private headerDone = false;
  private decided: Encoding | null;
  private readonly row: ByteRow;
  blankLines = 0;
  /** Line the header was found on. */
  headerLine = 1;
  private headerFields = 0;
  readonly info: DecodeInfo;

  constructor(
    private readonly handlers: ByteCsvHandlers,
    forced: Encoding | undefined,
  ) {
    this.decided = forced ?? null;
    this.info = { encoding: forced ?? 'ascii', bom: false, replaced: false };
    this.row = { buf: this.buf, starts: new Int32Array(64), ends: new Int32Array(64), quoted: new Uint8Array(64), count: 0, line: 0 };
  }

  /** Decode the raw bytes of field i of the current row to text (quotes undone). */
  text(row: ByteRow, i: number): string {
    const start = row.starts[i] ?? 0;
    const end = row.ends[i] ?? 0;
    let text: string;
    if (this.decided === 'windows-1252') {
      text = decodeWindows1252(row.buf.subarray(start, end));
    } else {
      text = row.buf.toString('utf8', start, end);
      if (!this.info.replaced && text.includes('\uFFFD')) this.info.replaced = true;
    }
    return row.quoted[i] ? unquote(text) : text;
  }

  async readAll(chunks: AsyncIterable<Uint8Array>): Promise<void> {
    let first = true;
    let utf16: TextDecoder | null = null;
    for await (const raw of chunks) {
      let chunk = raw;
      if (first) {
        first = false;
        if (this.handlers.firstChunk) {
          let lines = 0;
          for (let i = chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) lines++;
          this.handlers.firstChunk(chunk.length, lines);
        }
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
          this.info.bom = true;
          chunk = chunk.subarray(3);
          this.decided ??= 'utf-8';
          if (this.info.encoding === 'ascii') this.info.encoding = 'utf-8';
        } else if (this.decided === null && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
          const encoding: Encoding = chunk[0] === 0xff ? 'utf-16le' : 'utf-16be';
          this.info.bom = true;
          this.info.encoding = encoding;
          utf16 = new TextDecoder(encoding);
          chunk = chunk.subarray(2);
        }
        if (utf16 === null && (this.decided === 'utf-16le' || this.decided === 'utf-16be')) utf16 = new TextDecoder(this.decided);
      }
      if (utf16 !== null) {
        // UTF-16: convert to UTF-8 bytes and read those.
        this.decided = 'utf-8';
        let text = utf16.decode(chunk, { stream: true });
        // With --encoding utf-16le the mark was not stripped above: drop it here.
        if (!this.sawText && text.startsWith('\uFEFF')) {
          text = text.slice(1);
          this.info.bom = true;
        }
        if (text !== '') this.sawText = true;
        chunk = Buffer.from(text, 'utf8');
      }
      this.append(chunk);
      this.scan(false);
    }
    if (utf16 !== null) this.append(Buffer.from(utf16.decode(), 'utf8'));
    if (this.pending !== null) {
      // The input ended inside what would have been a UTF-8 sequence: it is not UTF-8.
      this.decide('windows-1252');
      this.appendRaw(this.pending);
      this.pending = null;
    }
    this.scan(true);
  }

  /** UTF-16 input: whether any text has been decoded yet (for the byte-order mark). */
  private sawText = false;

  /** A multi-byte sequence cut off at a chunk end, held back while the encoding is undecided. */
  private pending: Uint8Array | null = null;

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
        this.decide(isUtf8(whole) ? 'utf-8' : 'windows-1252');
      }
    }
    this.appendRaw(chunk);
  }

  private appendRaw(chunk: Uint8Array): void {
    const needed = this.length + chunk.length;
    if (needed > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
      this.row.buf = bigger;
    }
    this.buf.set(chunk, this.length);
    this.length = needed;
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

  /** Parse every complete row in the buffer; keep the rest for the next chunk. */
  private scan(final: boolean): void {
    const buf = this.buf;
    const length = this.length;
    let pos = 0;
    while (pos < length) {
      let newline = buf.indexOf(LF, pos);
      if (newline < 0 || newline >= length) {
        if (!final) break;
        newline = length;
      }
      if (!this.headerDone) {
        let lineEnd = newline;
        if (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd--;
        // Before the header the delimiter is unknown: a line of only ; , tab | and spaces is blank.
        if (this.isBlankBytes(pos, lineEnd, 59) && this.isBlankBytes(pos, lineEnd, 44) && this.isBlankBytes(pos, lineEnd, 124)) {
          this.blankLines++;
          this.line++;
          pos = newline + 1;
          continue;
        }
        // The header may have quoted fields with line breaks: parse it as text.
        const consumed = this.readHeader(pos, final);
        if (consumed < 0) break;
        pos = consumed;
        continue;
      }
      let next = this.plainRow(pos, newline);
      if (next === HAS_QUOTE) next = this.quotedRow(pos, final);
      if (next < 0) break;
      pos = next;
    }
    if (pos > 0) {
      buf.copyWithin(0, Math.min(pos, length), length);
      this.length = Math.max(0, length - pos);
    }
  }

  private isBlankBytes(start: number, end: number, delimiter: number): boolean {
    const buf = this.buf;
    for (let i = start; i < end; i++) {
      const b = buf[i];
      if (b !== delimiter && b !== SPACE && b !== TAB && b !== CR && b !== 59 && b !== 44 && b !== 124) return false;
    }
    return true;
  }

  private readHeader(pos: number, final: boolean): number {
    // Find the end of the header record (quotes may span lines).
    const buf = this.buf;
    let quoted = false;
    let end = -1;
    for (let i = pos; i < this.length; i++) {
      const b = buf[i];
      if (b === QUOTE) quoted = !quoted;
      else if (b === LF && !quoted) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      if (!final) return -1;
      end = this.length;
    }
    const text = this.decided === 'windows-1252' ? decodeWindows1252(buf.subarray(pos, end)) : buf.toString('utf8', pos, end);
    let fields: string[] = [];
    let newlines = 0;
    const parser = new CsvParser((row) => {
      if (fields.length === 0) fields = row;
    });
    parser.push(text);
    parser.end();
    for (let i = pos; i < end; i++) if (buf[i] === LF) newlines++;
    const delimiter = parser.detectedDelimiter ?? sniffDelimiter(text);
    this.delimiter = delimiter.charCodeAt(0);
    this.headerDone = true;
    this.headerLine = this.line;
    this.headerFields = fields.length;
    this.handlers.header(fields, delimiter);
    this.line += 1 + newlines;
    return end + 1;
  }

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
    for (let i = pos; i < lineEnd; i++) {
      const b = buf[i];
      if (b === delimiter) {
        if (count + 1 >= row.starts.length) this.ensureFields(count + 1);
        row.starts[count] = start;
        row.ends[count] = i;
        row.quoted[count] = 0;
        count++;
        start = i + 1;
      } else if (b === QUOTE) return HAS_QUOTE;
      else if (blank && b !== SPACE && b !== TAB && b !== CR) blank = false;
    }
    if (blank) {
      this.blankLines++;
      this.line++;
      return newline + 1;
    }
    if (count + 1 >= row.starts.length) this.ensureFields(count + 1);
    row.starts[count] = start;
    row.ends[count] = lineEnd;
    row.quoted[count] = 0;
    row.count = count + 1;
    row.line = this.line;
    this.line++;
    this.handlers.row(row);
    return newline + 1;
  }

  /** Report the line at `pos` as a broken quote and go on with the line after it. */
  private brokenQuote(pos: number): number {
    const newline = this.buf.indexOf(LF, pos);
    this.handlers.brokenQuote?.(this.line);
    this.line++;
    return newline < 0 || newline >= this.length ? this.length : newline + 1;
  }

  /** A row with quotes (fields may hold delimiters and line breaks). -1: needs more bytes. */
  private quotedRow(pos: number, final: boolean): number {
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
      let quoted = 0;
      if (i < length && buf[i] === QUOTE) {
        quoted = 1;
        i++;
        for (;;) {
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
          if (b === LF && ++newlines > MAX_QUOTED_LINES) return this.brokenQuote(pos);
          if (b !== LF && b !== SPACE && b !== TAB && b !== CR) blank = false;
          i++;
        }
      }
      while (i < length) {
        const b = buf[i];
        if (b === delimiter || b === LF || b === CR) break;
        if (b !== SPACE && b !== TAB) blank = false;
        i++;
      }
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
    // A row that runs over line breaks but does not have the header's number of fields is a stray
    // quote pairing up with a later one: report its first line and read on from the next.
    if (newlines > 0 && count !== this.headerFields) return this.brokenQuote(pos);
    const line = this.line;
    this.line += 1 + newlines;
    if (blank) {
      this.blankLines++;
      return i;
    }
    row.count = count;
    row.line = line;
    this.handlers.row(row);
    return Math.min(i, length);
  }
}
