/**
 * Excel workbooks (.xlsx, .xlsm) read as they are: each worksheet becomes the same stream of CSV
 * bytes the rest of the tool reads (`;`-separated, fields quoted where needed), one line per
 * sheet row, so line N of the stream is row N of the sheet. Every rule of the one read path
 * (header matching, rows above the header, the row accounting, `file:line` examples) then works
 * unchanged and a location reads `file.xlsx!Sheet:12`.
 *
 * Why these libraries: **yauzl** reads the zip's central directory (the authoritative list of
 * parts, whatever their order or data descriptors) and inflates one part at a time as a stream
 * through node:zlib; **saxes** parses XML fed chunk by chunk. Memory is bounded by the shared
 * strings (the unique texts), never by the number of rows (docs/benchmarks.md: 100 883 rows in
 * about 1.5 s, and 403 205 rows at the same peak memory).
 * (exceljs is unmaintained, with deprecated dependencies, and spools to temporary files; SheetJS
 * on npm is frozen with known CVEs, CVE-2023-30533 and CVE-2024-22363; fflate cannot stream one
 * zip part on demand.)
 *
 * Parts are found the OPC way: _rels/.rels → workbook → its rels → worksheets, shared strings and
 * styles (targets relative or absolute, names matched case-insensitively, any namespace prefix).
 *
 * Cell text, as Excel typed it:
 * - numbers: the digits of the stored double (200901011234 stays "200901011234"; "2.00901011234E+11"
 *   or "200901011234.0", written by other tools, give the same); fractions rounded to Excel's 15
 *   significant digits ("0.30000000000000004" → "0.3"), decimal point; a percent format gives the
 *   percent Excel shows ("0.823" in a 0.0% cell → "82.3%");
 * - a number whose format is a digit template ("0000000000", "000000-0000") as Excel shows it (a
 *   10-digit personnummer that lost its leading zero comes back "0501011234");
 * - dates (a date or time number format, built in or custom): ISO "YYYY-MM-DD",
 *   "YYYY-MM-DD HH:MM:SS" or "HH:MM:SS", in the 1900 or the 1904 date system;
 * - formulas: their cached value (never recalculated; a formula without one is empty, and counted);
 * - shared and inline strings, rich text runs joined, phonetic runs left out, `_xHHHH_` decoded;
 * - booleans TRUE/FALSE, errors as written (#N/A).
 *
 * The CSV: when the header row is known (an export sheet), the header row and every row below it
 * have the header's number of fields (its last cell with a value decides): a row whose last cells
 * are empty is padded, and cells with a value to the right of the header are left out and counted
 * (`cellsBeyondHeader`: no column to read them as, and one stray value far to the right must not
 * make every row thousands of fields wide); rows above it are as wide as their own last value.
 * Without a header (a first peek, an areas sheet) a row is padded to the widest row so far, as
 * Excel's own "Save as CSV" pads to the sheet's width. A row without any value is an empty line
 * (a blank line to the reader); empty rows after the last row with a value are not lines at all
 * (Excel keeps formatted empty rows at the end). A line break inside a cell becomes a space, so a
 * row never spans lines (counted in `lineBreaks`). Merged cells keep their value in the first
 * cell only (the others are empty, as stored): merged ranges below the header are counted
 * (`mergedRanges`), as are formulas without a cached value (`formulasWithoutValue`).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { open as openFile } from 'node:fs/promises';
import yauzl from 'yauzl';
import { decodeMacRoman, decodeWindows1252, type Encoding } from './decode.js';
import { emptyStats, XlsxError, type SheetStats } from './workbook.js';

const why = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export type SheetState = 'visible' | 'hidden' | 'veryHidden';

export interface XlsxSheet {
  /** The tab's name. */
  readonly name: string;
  readonly state: SheetState;
  /** The part inside the zip, e.g. "xl/worksheets/sheet2.xml". */
  readonly part: string;
}

/**
 * One sheet row: Excel's row number (1-based) and its cells from column A ("" where empty, none after the last value).
 * @internal (also used by tests)
 */
export interface SheetRow {
  readonly row: number;
  readonly cells: string[];
  /** Columns whose value is a plain number (no date, percent or digit-template format). */
  readonly numbers: number[];
  /** Hidden in Excel (by a filter, or by hand): the row is read all the same. */
  readonly hidden: boolean;
}

// ---------------------------------------------------------------------------------------------
// The zip

interface Zip {
  /** The entry's real name for a part name (case-insensitive), or null. */
  find(part: string): string | null;
  /** The part's bytes, inflated as a stream; breaking out of the loop stops inflating. */
  read(entryName: string): AsyncGenerator<Uint8Array>;
  close(): void;
}

async function openZip(path: string): Promise<Zip> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    // A missing or unreadable file is an fs error (described by the caller); anything else is not a zip.
    if (error instanceof Error && 'code' in error) throw error;
    throw new XlsxError('not_zip', '', why(error));
  }
  const entries = new Map<string, yauzl.Entry>();
  try {
    for await (const entry of zip.eachEntry()) entries.set(entry.fileName.replace(/\\/g, '/').toLowerCase(), entry);
  } catch (error) {
    zip.close();
    throw new XlsxError('not_zip', '', why(error));
  }
  return {
    find: (part) => entries.get(part.toLowerCase())?.fileName ?? null,
    async *read(entryName) {
      const entry = entries.get(entryName.replace(/\\/g, '/').toLowerCase());
      if (!entry) throw new XlsxError('broken_part', entryName, 'missing');
      let stream;
      try {
        stream = await zip.openReadStreamPromise(entry);
      } catch (error) {
        throw new XlsxError('broken_part', entryName, why(error));
      }
      try {
        for await (const chunk of stream) yield chunk as Uint8Array;
      } catch (error) {
        throw new XlsxError('broken_part', entryName, why(error));
      } finally {
        stream.destroy();
      }
    },
    close: () => zip.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// XML

/** Local name of a possibly prefixed element name ("x:row" → "row"). */
function local(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** OOXML's escape for characters XML cannot carry: "_x000D_" → "\r" ("_x005F_" escapes "_"). */
function unescapeX(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

interface XmlHandlers {
  open(tag: SaxesTagPlain): void;
  text?(text: string): void;
  close?(name: string): void;
}

type Parser = SaxesParser<{ xmlns: false; position: false }>;

function makeParser(part: string, handlers: XmlHandlers): Parser {
  const parser: Parser = new SaxesParser({ xmlns: false, position: false });
  parser.on('opentag', handlers.open);
  const text = handlers.text;
  if (text) {
    parser.on('text', text);
    parser.on('cdata', text);
  }
  const close = handlers.close;
  if (close) parser.on('closetag', (tag) => close(tag.name));
  parser.on('error', (error) => {
    throw new XlsxError('broken_part', part, error.message);
  });
  return parser;
}

async function parsePart(zip: Zip, entryName: string, handlers: XmlHandlers): Promise<void> {
  const parser = makeParser(entryName, handlers);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of zip.read(entryName)) parser.write(decoder.decode(chunk, { stream: true }));
  parser.write(decoder.decode());
  parser.close();
}

/** A relationship target resolved against the folder of the part that names it. */
function resolveTarget(fromPart: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : fromPart.slice(0, fromPart.lastIndexOf('/') + 1) + target;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '.' && segment !== '') out.push(segment);
  }
  const joined = out.join('/');
  try {
    return decodeURIComponent(joined);
  } catch {
    return joined;
  }
}

interface Relationship {
  type: string;
  target: string;
}

async function readRels(zip: Zip, part: string): Promise<Map<string, Relationship>> {
  const slash = part.lastIndexOf('/');
  const relsPart = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`.replace(/^\//, '');
  const entry = zip.find(relsPart);
  const rels = new Map<string, Relationship>();
  if (!entry) return rels;
  await parsePart(zip, entry, {
    open(tag) {
      if (local(tag.name) !== 'Relationship' || tag.attributes.TargetMode === 'External') return;
      const { Id, Type, Target } = tag.attributes;
      if (Id && Type && Target) rels.set(Id, { type: Type, target: resolveTarget(part, Target) });
    },
  });
  return rels;
}

const isType = (rel: Relationship, kind: string): boolean => rel.type.endsWith(`/${kind}`);

// ---------------------------------------------------------------------------------------------
// Number formats

/** How a number in a cell is shown: as a date or time, through a digit template, as a percent, or as it is (null). */
type Shown = { kind: 'date' | 'datetime' | 'time' } | { kind: 'digits'; template: string } | { kind: 'percent' } | null;

const BUILTIN: Readonly<Record<number, 'date' | 'datetime' | 'time' | 'percent'>> = {
  9: 'percent', 10: 'percent',
  14: 'date', 15: 'date', 16: 'date', 17: 'date', 18: 'time', 19: 'time', 20: 'time', 21: 'time', 22: 'datetime',
  27: 'date', 28: 'date', 29: 'date', 30: 'date', 31: 'date', 32: 'time', 33: 'time', 34: 'time', 35: 'time', 36: 'date',
  45: 'time', 46: 'time', 47: 'time', 50: 'date', 51: 'date', 52: 'date', 53: 'date', 54: 'date', 55: 'date', 56: 'date', 57: 'date', 58: 'date',
};

/**
 * What a custom format code makes of a number (its first section decides).
 * @internal (also used by tests)
 */
export function classifyFormat(code: string): Shown {
  const first = code.split(';')[0] ?? '';
  // Quoted text, escaped characters, fill and padding, and [..] (colour, locale, condition) go; [h] [m] [s] stay.
  const bare = first.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/[_*]./g, '').replace(/\[(?![hms]+\])[^\]]*\]/gi, '');
  const lower = bare.toLowerCase().replace(/general/g, '');
  const hasTime = /[hs]/.test(lower) || /am\/pm|a\/p/.test(lower);
  const hasDate = /[yd]/.test(lower.replace(/am\/pm|a\/p/g, '')) || (/m/.test(lower) && !hasTime);
  if (hasDate || hasTime) return { kind: hasDate && hasTime ? 'datetime' : hasDate ? 'date' : 'time' };
  if (bare.includes('%')) return { kind: 'percent' };
  // A digit template: zeros with literal separators, e.g. 0000000000, 000000-0000, "19"000000-0000.
  // The template keeps placeholders as 0 and any other character as written; a quoted or escaped digit is escaped ("\\1").
  let template = '';
  let zeros = 0;
  for (let i = 0; i < first.length; i++) {
    const ch = first[i] ?? '';
    if (ch === '"') {
      const end = first.indexOf('"', i + 1);
      if (end < 0) return null;
      for (const quoted of first.slice(i + 1, end)) template += /\d|\\/.test(quoted) ? `\\${quoted}` : quoted;
      i = end;
    } else if (ch === '\\') {
      const next = first[++i] ?? '';
      template += /\d|\\/.test(next) ? `\\${next}` : next;
    } else if (ch === '0') {
      template += '0';
      zeros++;
    } else if (ch === '-' || ch === ' ') template += ch;
    else return null;
  }
  return zeros >= 2 && template.endsWith('0') ? { kind: 'digits', template } : null;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const DAY_MS = 86_400_000;

/**
 * An Excel serial date as ISO text; null when outside Excel's range.
 * @internal (also used by tests)
 */
export function serialToIso(serial: number, date1904: boolean, kind: 'date' | 'datetime' | 'time'): string | null {
  if (!(serial >= 0) || serial > 2_958_465) return null;
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86_400);
  if (seconds === 86_400) {
    days += 1;
    seconds = 0;
  }
  const time = `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
  if (kind === 'time' && days === 0) return time;
  let ms: number;
  if (date1904) ms = Date.UTC(1904, 0, 1) + days * DAY_MS;
  else if (days === 60) return kind === 'date' ? '1900-02-29' : `1900-02-29 ${time}`; // Lotus's leap-year bug, kept by Excel
  else ms = Date.UTC(1899, 11, days < 60 ? 31 : 30) + days * DAY_MS;
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return kind === 'date' ? date : `${date} ${time}`;
}

/**
 * The text of a stored number as Excel has it: exact integer digits, fractions to 15 significant digits.
 * @internal (also used by tests)
 */
export function numberText(raw: string): string {
  const v = raw.trim();
  if (/^-?[1-9]\d{0,14}$|^0$/.test(v)) return v; // the common case, already canonical
  const n = Number(v);
  if (v === '' || !Number.isFinite(n)) return v;
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? (Object.is(n, -0) ? '0' : String(n)) : n.toPrecision(15).replace(/\.?0+e/, 'e');
  return String(Number(n.toPrecision(15)));
}

/** A number through a digit template, as Excel shows it ("000000-0000": 501011234 → "050101-1234"; "\\1\\9000000-0000" puts 19 in front). */
function applyDigits(template: string, digits: string): string {
  // The template as placeholders (null) and literal characters.
  const parts: (string | null)[] = [];
  for (let j = 0; j < template.length; j++) {
    const ch = template[j] ?? '';
    if (ch === '\\') parts.push(template[++j] ?? '');
    else parts.push(ch === '0' ? null : ch);
  }
  const zeros = parts.filter((part) => part === null).length;
  const padded = digits.padStart(zeros, '0');
  let out = '';
  let i = padded.length - 1;
  for (let j = parts.length - 1; j >= 0; j--) {
    const part = parts[j];
    out = (part === null || part === undefined ? (padded[i--] ?? '') : part) + out;
  }
  // More digits than the template has zeros: the extra ones go before the first placeholder, as Excel does.
  if (i < 0) return out;
  const extra = padded.slice(0, i + 1);
  const firstPlaceholder = parts.indexOf(null);
  const before = parts.slice(0, firstPlaceholder).join('');
  return before + extra + out.slice(before.length);
}

// ---------------------------------------------------------------------------------------------
// The workbook

interface Book {
  sheets: XlsxSheet[];
  date1904: boolean;
  sharedStrings: string | null;
  styles: string | null;
}

async function readBook(zip: Zip): Promise<Book> {
  const rootRels = await readRels(zip, '/');
  const officeDocument = [...rootRels.values()].find((rel) => isType(rel, 'officeDocument'));
  const workbook = zip.find(officeDocument?.target ?? 'xl/workbook.xml');
  if (!workbook) throw new XlsxError('no_workbook', '', 'no workbook part');
  const rels = await readRels(zip, workbook);
  const listed: { name: string; id: string; state: SheetState }[] = [];
  let date1904 = false;
  await parsePart(zip, workbook, {
    open(tag) {
      const name = local(tag.name);
      if (name === 'workbookPr') {
        const value = tag.attributes.date1904;
        date1904 = value === '1' || value === 'true';
      } else if (name === 'sheet') {
        const idKey = Object.keys(tag.attributes).find((key) => key === 'id' || key.endsWith(':id'));
        const given: string | undefined = tag.attributes.state;
        listed.push({ name: tag.attributes.name ?? '', id: idKey ? (tag.attributes[idKey] ?? '') : '', state: given === 'hidden' || given === 'veryHidden' ? given : 'visible' });
      }
    },
  });
  const sheets: XlsxSheet[] = [];
  for (const sheet of listed) {
    const rel = rels.get(sheet.id);
    if (!rel || !isType(rel, 'worksheet')) continue; // chart sheets, dialog sheets
    const part = zip.find(rel.target);
    if (part) sheets.push({ name: sheet.name, state: sheet.state, part });
  }
  const find = (kind: string): string | null => {
    const rel = [...rels.values()].find((r) => isType(r, kind));
    return rel ? zip.find(rel.target) : null;
  };
  return { sheets, date1904, sharedStrings: find('sharedStrings'), styles: find('styles') };
}

async function readSharedStrings(zip: Zip, part: string | null): Promise<string[]> {
  const strings: string[] = [];
  if (!part) return strings;
  let text = '';
  let capture = false;
  let phonetic = 0;
  await parsePart(zip, part, {
    open(tag) {
      const name = local(tag.name);
      if (name === 'si') text = '';
      else if (name === 't') capture = phonetic === 0 && !tag.isSelfClosing;
      else if (name === 'rPh') phonetic++;
    },
    text(t) {
      if (capture) text += t;
    },
    close(full) {
      const name = local(full);
      if (name === 't') capture = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') strings.push(unescapeX(text));
    },
  });
  return strings;
}

/** Per cell style (cellXfs), how a number in it is shown. */
async function readStyles(zip: Zip, part: string | null): Promise<Shown[]> {
  if (!part) return [];
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  let inNumFmts = false;
  let inCellXfs = false;
  await parsePart(zip, part, {
    open(tag) {
      const name = local(tag.name);
      if (name === 'numFmts') inNumFmts = !tag.isSelfClosing;
      else if (name === 'cellXfs') inCellXfs = !tag.isSelfClosing;
      else if (name === 'numFmt' && inNumFmts) formats.set(Number(tag.attributes.numFmtId), tag.attributes.formatCode ?? '');
      else if (name === 'xf' && inCellXfs) xfFormats.push(Number(tag.attributes.numFmtId ?? 0));
    },
    close(full) {
      const name = local(full);
      if (name === 'numFmts') inNumFmts = false;
      else if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return xfFormats.map((id) => {
    const custom = formats.get(id);
    if (custom !== undefined) return classifyFormat(custom);
    const builtin = BUILTIN[id];
    return builtin ? { kind: builtin } : null;
  });
}

/** Column letters of a cell reference ("AB12") as a 0-based index; -1 when there are none. */
function columnIndex(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : col - 1;
}

interface Content {
  strings: readonly string[];
  styles: readonly Shown[];
  date1904: boolean;
}

/** What reading a sheet's XML found besides its rows (complete when the part has been read to its end). */
interface SheetTally {
  /** Formula cells without a cached value (<f> and no <v>): read as empty. */
  formulasWithoutValue: number;
  /** Merged ranges of more than one cell: their first and last row. */
  merges: [number, number][];
}

/** The first and last row of a merged range ("A2:C5" → [2, 5]); null for a single cell or no range. */
function mergeRows(ref: string): [number, number] | null {
  const match = /^\$?([A-Za-z]+)\$?(\d+):\$?([A-Za-z]+)\$?(\d+)$/.exec(ref.trim());
  if (!match) return null;
  const [, c1 = '', r1 = '', c2 = '', r2 = ''] = match;
  if (c1.toUpperCase() === c2.toUpperCase() && r1 === r2) return null;
  const a = Number(r1);
  const b = Number(r2);
  return [Math.min(a, b), Math.max(a, b)];
}

/** The rows of one worksheet as they are parsed, in batches (those of one inflated chunk); rows without any value are left out. */
async function* sheetRows(zip: Zip, part: string, content: Content, tally: SheetTally): AsyncGenerator<SheetRow[]> {
  const { strings, styles, date1904 } = content;
  let ready: SheetRow[] = [];
  let rowNumber = 0;
  let hidden = false;
  let cells: string[] = [];
  let numbers: number[] = [];
  let col = -1;
  let type = 'n';
  let style = 0;
  let inCell = false;
  let capture = false; // inside <v>, or inside <t> of an inline string
  let phonetic = 0;
  let text = '';
  let inline = false;
  let plainNumber = false;
  let formula = false; // the cell has an <f>
  let valued = false; // the cell has a <v> (or an inline string)

  const cellValue = (): string => {
    plainNumber = false;
    if (inline) return unescapeX(text);
    if (text === '') return '';
    switch (type) {
      case 's':
        return strings[Number(text)] ?? '';
      case 'str':
      case 'inlineStr': // an inline string written as <v> by some tools
        return unescapeX(text);
      case 'b':
        return text === '0' || text === 'false' ? 'FALSE' : 'TRUE';
      case 'e':
        return text;
      case 'd':
        return /T00:00:00(\.0+)?Z?$/.test(text) ? text.slice(0, 10) : text.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
      default: {
        const shown = styles[style] ?? null;
        if (shown?.kind === 'digits') {
          const n = Number(text);
          if (Number.isInteger(n) && n >= 0 && n < 1e21) return applyDigits(shown.template, String(n));
        } else if (shown?.kind === 'percent') {
          const n = Number(text);
          if (Number.isFinite(n)) return `${numberText(String(n * 100))}%`;
        } else if (shown !== null) {
          const iso = serialToIso(Number(text), date1904, shown.kind);
          if (iso !== null) return iso;
        }
        plainNumber = true;
        return numberText(text);
      }
    }
  };

  const parser = makeParser(part, {
    open(tag) {
      const name = local(tag.name);
      if (name === 'c') {
        const a = tag.attributes;
        const fromRef = a.r === undefined ? -1 : columnIndex(a.r);
        col = fromRef >= 0 ? fromRef : col + 1;
        type = a.t ?? 'n';
        style = a.s === undefined ? 0 : Number(a.s);
        inCell = true;
        inline = false;
        formula = false;
        valued = false;
        text = '';
      } else if (name === 'row') {
        const r = tag.attributes.r;
        rowNumber = r === undefined ? rowNumber + 1 : Number(r);
        const flag = tag.attributes.hidden;
        hidden = flag === '1' || flag === 'true';
        cells = [];
        numbers = [];
        col = -1;
      } else if (inCell) {
        if (name === 'v') {
          capture = !tag.isSelfClosing;
          valued = true;
        } else if (name === 'f') formula = true;
        else if (name === 'is') {
          inline = true;
          valued = true;
          text = '';
        } else if (name === 'rPh') phonetic++;
        else if (name === 't' && inline) capture = phonetic === 0 && !tag.isSelfClosing;
      } else if (name === 'mergeCell') {
        const rows = mergeRows(tag.attributes.ref ?? '');
        if (rows !== null) tally.merges.push(rows);
      }
    },
    text(t) {
      if (capture) text += t;
    },
    close(full) {
      const name = local(full);
      if (name === 'v' || name === 't') capture = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'c') {
        inCell = false;
        if (formula && !valued) tally.formulasWithoutValue++;
        const value = cellValue();
        if (value !== '' && col >= 0) {
          while (cells.length < col) cells.push('');
          cells[col] = value;
          if (plainNumber) numbers.push(col);
        }
      } else if (name === 'row') {
        if (cells.length > 0) ready.push({ row: rowNumber, cells, numbers, hidden });
        cells = [];
        numbers = [];
      }
    },
  });

  const decoder = new TextDecoder('utf-8');
  for await (const chunk of zip.read(part)) {
    parser.write(decoder.decode(chunk, { stream: true }));
    if (ready.length > 0) {
      yield ready;
      ready = [];
    }
  }
  parser.write(decoder.decode());
  parser.close();
  if (ready.length > 0) yield ready;
}

/** The worksheets of a workbook, in tab order (chart sheets left out). Throws XlsxError for a file that is not a workbook. */
export async function listSheets(path: string): Promise<XlsxSheet[]> {
  const zip = await openZip(path);
  try {
    return (await readBook(zip)).sheets;
  } finally {
    zip.close();
  }
}

/**
 * The rows of one worksheet, with at most `limit` of them (a peek stops inflating there). A
 * sheet that is no longer in the workbook (changed since it was listed) is an XlsxError.
 * @internal (also used by tests; the tool reads sheets through sheetCsv)
 */
export async function* readSheetRows(path: string, sheetName: string, limit = Infinity): AsyncGenerator<SheetRow> {
  let taken = 0;
  for await (const batch of sheetBatches(path, sheetName, { formulasWithoutValue: 0, merges: [] })) {
    for (const row of batch) {
      yield row;
      if (++taken >= limit) return;
    }
  }
}

/** The rows of one worksheet in batches (see readSheetRows). */
async function* sheetBatches(path: string, sheetName: string, tally: SheetTally): AsyncGenerator<SheetRow[]> {
  const zip = await openZip(path);
  try {
    const book = await readBook(zip);
    const sheet = book.sheets.find((s) => s.name === sheetName);
    if (!sheet) throw new XlsxError('no_sheet', sheetName, 'no sheet of that name');
    const [strings, styles] = await Promise.all([readSharedStrings(zip, book.sharedStrings), readStyles(zip, book.styles)]);
    yield* sheetRows(zip, sheet.part, { strings, styles, date1904: book.date1904 }, tally);
  } finally {
    zip.close();
  }
}

/** The stream name an encrypted OOXML package keeps its workbook under, as a compound file's directory spells it (UTF-16LE). */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage\0', 'utf16le');

/**
 * Whether a compound file (OLE2, the container of an old .xls) is a workbook saved with a password
 * to open: Excel then writes the encrypted .xlsx inside a compound file whose directory names a
 * stream "EncryptedPackage" (MS-OFFCRYPTO). A directory entry starts at a multiple of 128 bytes
 * after the header, its name first; the file is scanned for that name there.
 */
export async function isEncryptedPackage(path: string): Promise<boolean> {
  const handle = await openFile(path, 'r');
  try {
    const block = Buffer.alloc(1 << 20);
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(block, 0, block.length, position);
      if (bytesRead === 0) return false;
      for (let at = position === 0 ? 512 : 0; at + ENCRYPTED_PACKAGE.length <= bytesRead; at += 128) {
        if (block.compare(ENCRYPTED_PACKAGE, 0, ENCRYPTED_PACKAGE.length, at, at + ENCRYPTED_PACKAGE.length) === 0) return true;
      }
      position += bytesRead;
      if (bytesRead < block.length) return false;
    }
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// A sheet as CSV

/** A cell of the pupil-id column: its text, and whether it is a plain number. */
export interface IdCell {
  value: string;
  number: boolean;
}

/**
 * The pupil-id column of an export sheet: a cell below the header row typed as a number of 7–9
 * digits may be a personnummer that Excel stripped of its leading zero(s) (0901011234 →
 * 901011234). `rule` says what to do with such numbers, for the whole column at once: it is
 * asked once, when the first one is met, with every cell of the column below the header (read
 * from the sheet when iterated), and gives the function that turns the digits into the 10-digit
 * text, or null (read as they are). One rule for the whole column, so one pupil's cells are
 * always read alike.
 */
export interface IdColumn {
  column: number;
  headerRow: number;
  rule(cells: AsyncIterable<IdCell>): Promise<(digits: string) => string | null>;
}

/** The header row of an export sheet, and its width (up to its last cell with a value). */
export interface SheetHeader {
  row: number;
  width: number;
}

export interface SheetCsvOptions {
  /** The bytes' encoding (the one --encoding forces on every input): UTF-8 unless given. */
  encoding?: Encoding | undefined;
  idColumn?: IdColumn | undefined;
  header?: SheetHeader | undefined;
  /** Filled in as the sheet is read (reset first). */
  stats?: SheetStats | undefined;
}

const NEEDS_QUOTES = /[;",\t|]/;
const LINE_BREAK = /\r\n|[\r\n]/g;
const CHUNK_CHARS = 1 << 19;
const SHORT_ID = /^\d{7,9}$/;

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The cells of a sheet's pupil-id column below its header row. */
async function* idCells(path: string, sheetName: string, id: IdColumn): AsyncGenerator<IdCell> {
  for await (const batch of sheetBatches(path, sheetName, { formulasWithoutValue: 0, merges: [] })) {
    for (const row of batch) {
      if (row.row > id.headerRow) yield { value: row.cells[id.column] ?? '', number: row.numbers.includes(id.column) };
    }
  }
}

/** One sheet of a workbook as CSV bytes (see the module comment). */
export async function* sheetCsv(path: string, sheetName: string, options: SheetCsvOptions = {}): AsyncGenerator<Uint8Array> {
  const stats = options.stats ?? emptyStats();
  Object.assign(stats, emptyStats());
  const encode = encoderFor(options.encoding ?? 'utf-8');
  const id = options.idColumn;
  const header = options.header;
  const tally: SheetTally = { formulasWithoutValue: 0, merges: [] };
  let restore: ((digits: string) => string | null) | undefined;
  let line = 0;
  let width = 0;
  let out = '';
  for await (const batch of sheetBatches(path, sheetName, tally)) {
    for (const row of batch) {
      // Rows without a value (left out by the reader) are empty lines, so line N stays row N.
      const target = row.row > line ? row.row : line + 1;
      if (target - line > 1) out += '\n'.repeat(target - line - 1);
      line = target;
      const cells = row.cells;
      if (id !== undefined && row.row > id.headerRow && row.numbers.includes(id.column)) {
        const value = cells[id.column] ?? '';
        if (SHORT_ID.test(value)) {
          restore ??= await id.rule(idCells(path, sheetName, id));
          const restored = restore(value);
          if (restored === null) stats.idsShort++;
          else {
            cells[id.column] = restored;
            stats.idsRestored++;
          }
        }
      }
      let fields: number;
      if (header === undefined) {
        if (cells.length > width) width = cells.length;
        fields = width;
      } else if (row.row < header.row) fields = cells.length;
      else {
        fields = header.width;
        for (let i = fields; i < cells.length; i++) if (cells[i] !== '') stats.cellsBeyondHeader++;
      }
      if (row.hidden && row.row > (header?.row ?? 1)) stats.hiddenRows++;
      let text = '';
      for (let i = 0; i < fields; i++) {
        let value = cells[i] ?? '';
        if (value.includes('\n') || value.includes('\r')) {
          value = value.replace(LINE_BREAK, ' ');
          stats.lineBreaks++;
        }
        text += i === 0 ? csvField(value) : `;${csvField(value)}`;
      }
      out += `${text}\n`;
      if (out.length >= CHUNK_CHARS) {
        yield encode(out);
        out = '';
      }
    }
  }
  stats.lines = line;
  stats.formulasWithoutValue = tally.formulasWithoutValue;
  const below = header?.row ?? 0;
  stats.mergedRanges = tally.merges.filter(([first, last]) => last > below && first <= line).length;
  if (out !== '') yield encode(out);
}

// ---------------------------------------------------------------------------------------------
// Encoding the CSV (only when --encoding forces another encoding on every input)

function tableEncoder(decode: (bytes: Uint8Array) => string): (text: string) => Uint8Array {
  const high = decode(Uint8Array.from({ length: 128 }, (_, i) => i + 128));
  const index = new Map<string, number>();
  for (let i = 0; i < high.length; i++) index.set(high[i] ?? '', i + 128);
  return (text) => {
    const bytes = new Uint8Array(text.length);
    let n = 0;
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 63;
      bytes[n++] = code < 128 ? code : (index.get(ch) ?? 63); // "?" for what the encoding cannot hold
    }
    return bytes.subarray(0, n);
  };
}

function encoderFor(encoding: Encoding): (text: string) => Uint8Array {
  switch (encoding) {
    case 'utf-8':
      return (text) => Buffer.from(text, 'utf8');
    case 'utf-16le':
      return (text) => Buffer.from(text, 'utf16le');
    case 'utf-16be':
      return (text) => Buffer.from(text, 'utf16le').swap16();
    case 'windows-1252':
      return tableEncoder(decodeWindows1252);
    case 'macintosh':
      return tableEncoder(decodeMacRoman);
  }
}
