/**
 * A streaming CSV parser that keeps the physical line number of every row, so every problem can
 * be reported as file:line. RFC 4180 quoting (a quoted field may hold the delimiter, "" for a
 * quote, and line breaks), LF or CRLF line ends. Every cell stays a string: nothing is guessed
 * ("2024/25", leading zeros in ids).
 *
 * Why not papaparse: its row callbacks do not say which physical line a row started on once a
 * quoted field spans lines, and its per-character loop is the slowest part of reading a big
 * export. Lines without a quote character (almost all of them) take a fast path: find the line
 * end, split on the delimiter.
 *
 * Blank lines, and lines made only of delimiters (Excel writes `;;;;` for an empty row), are not
 * rows: they are counted apart and skipped.
 */

export type Delimiter = ';' | ',' | '\t' | '|';
const CANDIDATES: readonly Delimiter[] = [';', ',', '\t', '|'];

/** Pick the delimiter that splits the header line into the most fields (quotes respected). */
export function sniffDelimiter(headerLine: string): Delimiter {
  let best: Delimiter = ';';
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    let count = 0;
    let quoted = false;
    for (let i = 0; i < headerLine.length; i++) {
      const ch = headerLine[i];
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === candidate) count++;
    }
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

export type RowHandler = (fields: string[], line: number) => void;

function isBlank(line: string, delimiter: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch !== delimiter && ch !== ' ' && ch !== '\t' && ch !== '\r') return false;
  }
  return true;
}

export class CsvParser {
  private buffer = '';
  /** Physical line number of the first character in `buffer`. */
  private line = 1;
  private delimiter: Delimiter | null;
  blankLines = 0;

  constructor(
    private readonly onRow: RowHandler,
    delimiter?: Delimiter,
  ) {
    this.delimiter = delimiter ?? null;
  }

  get detectedDelimiter(): Delimiter | null {
    return this.delimiter;
  }

  push(chunk: string): void {
    this.buffer = this.buffer.length === 0 ? chunk : this.buffer + chunk;
    this.drain(false);
  }

  end(): void {
    this.drain(true);
    this.buffer = '';
  }

  private drain(final: boolean): void {
    const text = this.buffer;
    let pos = 0;
    const length = text.length;
    while (pos < length) {
      let newline = text.indexOf('\n', pos);
      if (newline < 0) {
        if (!final) break;
        newline = length;
      }
      let lineEnd = newline;
      if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      const rawLine = text.slice(pos, lineEnd);
      if (this.delimiter === null) {
        if (rawLine.trim() === '') {
          this.blankLines++;
          this.line++;
          pos = newline + 1;
          continue;
        }
        this.delimiter = sniffDelimiter(rawLine);
      }
      const delimiter = this.delimiter;
      if (rawLine.indexOf('"') < 0) {
        if (isBlank(rawLine, delimiter)) this.blankLines++;
        else this.onRow(rawLine.split(delimiter), this.line);
        this.line++;
        pos = newline + 1;
        continue;
      }
      const parsed = parseQuoted(text, pos, delimiter, final);
      if (parsed === null) break; // a quoted field runs past the end of the buffer: wait for more
      const rowLine = this.line;
      this.line += 1 + parsed.newlines;
      pos = parsed.next;
      if (parsed.fields.every((field) => field.trim() === '')) this.blankLines++;
      else this.onRow(parsed.fields, rowLine);
    }
    this.buffer = pos >= length ? '' : text.slice(pos);
  }
}

interface Parsed {
  fields: string[];
  /** Position just after the row's line end. */
  next: number;
  /** Line breaks inside quoted fields. */
  newlines: number;
}

/** Parse one row that contains a quote, starting at `start`. Null if it needs more text. */
function parseQuoted(text: string, start: number, delimiter: string, final: boolean): Parsed | null {
  const fields: string[] = [];
  let field = '';
  let pos = start;
  let newlines = 0;
  const length = text.length;
  for (;;) {
    if (pos < length && text[pos] === '"') {
      // Quoted field.
      pos++;
      for (;;) {
        const quote = text.indexOf('"', pos);
        if (quote < 0) {
          if (!final) return null;
          field += text.slice(pos);
          pos = length;
          break;
        }
        const piece = text.slice(pos, quote);
        for (let i = piece.indexOf('\n'); i >= 0; i = piece.indexOf('\n', i + 1)) newlines++;
        field += piece;
        if (quote + 1 < length && text[quote + 1] === '"') {
          field += '"';
          pos = quote + 2;
          continue;
        }
        if (quote + 1 >= length && !final) return null; // cannot tell "" from " yet
        pos = quote + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept (lenient, as Excel reads it).
      while (pos < length) {
        const ch = text[pos];
        if (ch === delimiter || ch === '\n' || ch === '\r') break;
        field += ch;
        pos++;
      }
    } else {
      while (pos < length) {
        const ch = text[pos];
        if (ch === delimiter || ch === '\n' || ch === '\r') break;
        field += ch;
        pos++;
      }
    }
    if (pos >= length) {
      if (!final) return null;
      fields.push(field);
      return { fields, next: length, newlines };
    }
    const ch = text[pos];
    if (ch === delimiter) {
      fields.push(field);
      field = '';
      pos++;
      continue;
    }
    // Line end: \r\n or \n (a lone \r inside an unquoted field ends the row too).
    fields.push(field);
    if (ch === '\r') {
      if (pos + 1 >= length && !final) return null;
      pos += text[pos + 1] === '\n' ? 2 : 1;
    } else pos++;
    return { fields, next: pos, newlines };
  }
}
