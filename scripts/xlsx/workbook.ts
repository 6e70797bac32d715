/**
 * A small .xlsx writer for tests and benchmarks (not part of the tool): a workbook laid out the
 * way Excel writes one (shared strings, a styles part with date and custom number formats, cell
 * references, formulas with their cached value, formatted empty rows at the end), zipped with
 * node:zlib, byte for byte the same for the same input (fixed zip dates). Enough to make the
 * .xlsx version of any export; no dependency just to write test files.
 */
import { crc32, deflateRawSync } from 'node:zlib';

/** A cell as written: text, a number, a date, a number with a custom format, a formula with its cached value (none: as a program that never calculates writes it), an inline string, or empty. */
export type Cell =
  | string
  | number
  | { date: string }
  | { number: number; format: string }
  | { formula: string; cached?: string | number }
  | { inline: string }
  | null;

export interface SheetSpec {
  name: string;
  /** Row i is sheet row i + 1; null leaves the row out (an empty row). */
  rows: readonly (readonly Cell[] | null)[];
  hidden?: boolean;
  /** Formatted empty rows after the last one, as Excel keeps them. */
  emptyTail?: number;
  /** Merged ranges ("A2:A4"), written after the rows as Excel does (<mergeCells>). */
  merged?: readonly string[];
  /** Sheet rows (1-based) hidden as a filter hides them (<row hidden="1">). */
  hiddenRows?: readonly number[];
}

export interface WorkbookOptions {
  /** Excel for Mac 2011's 1904 date system. */
  date1904?: boolean;
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PNS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const DATE_STYLE = 1;
const EMPTY_STYLE = 2;
const FIRST_CUSTOM = 3;

function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry are written as OOXML's _xHHHH_ (a carriage return in a cell).
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** An ISO date as an Excel serial. */
function serialOf(iso: string, date1904: boolean): number {
  const [y = 0, m = 1, d = 1] = iso.split('-').map(Number);
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return Math.round((Date.UTC(y, m - 1, d) - base) / 86_400_000);
}

/** The parts of a workbook, as XML text. */
export function workbookParts(sheets: readonly SheetSpec[], options: WorkbookOptions = {}): Map<string, string> {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  let stringCount = 0;
  const shared = (text: string): number => {
    stringCount++;
    let index = stringIndex.get(text);
    if (index === undefined) {
      index = strings.length;
      strings.push(text);
      stringIndex.set(text, index);
    }
    return index;
  };
  const formats: string[] = [];
  const styleOf = (format: string): number => {
    let at = formats.indexOf(format);
    if (at < 0) at = formats.push(format) - 1;
    return FIRST_CUSTOM + at;
  };
  const date1904 = options.date1904 === true;
  const cellXml = (cell: Cell, ref: string): string => {
    if (cell === null || cell === '') return '';
    if (typeof cell === 'string') return `<c r="${ref}" t="s"><v>${shared(cell)}</v></c>`;
    if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`;
    if ('date' in cell) return `<c r="${ref}" s="${DATE_STYLE}"><v>${serialOf(cell.date, date1904)}</v></c>`;
    if ('format' in cell) return `<c r="${ref}" s="${styleOf(cell.format)}"><v>${cell.number}</v></c>`;
    if ('formula' in cell) {
      if (cell.cached === undefined) return `<c r="${ref}"><f>${escapeXml(cell.formula)}</f></c>`;
      const text = typeof cell.cached === 'string';
      return `<c r="${ref}"${text ? ' t="str"' : ''}><f>${escapeXml(cell.formula)}</f><v>${text ? escapeXml(String(cell.cached)) : cell.cached}</v></c>`;
    }
    return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(cell.inline)}</t></is></c>`;
  };
  const parts = new Map<string, string>();
  sheets.forEach((sheet, s) => {
    const rows: string[] = [];
    let width = 1;
    sheet.rows.forEach((cells, i) => {
      if (cells === null) return;
      const r = i + 1;
      width = Math.max(width, cells.length);
      const hidden = sheet.hiddenRows?.includes(r) ? ' hidden="1"' : '';
      rows.push(`<row r="${r}"${hidden}>${cells.map((cell, c) => cellXml(cell, `${columnName(c)}${r}`)).join('')}</row>`);
    });
    const last = sheet.rows.length;
    for (let r = last + 1; r <= last + (sheet.emptyTail ?? 0); r++) rows.push(`<row r="${r}" s="${EMPTY_STYLE}" customFormat="1"><c r="A${r}" s="${EMPTY_STYLE}"/></row>`);
    const dimension = `A1:${columnName(width - 1)}${Math.max(1, last)}`;
    const merged = sheet.merged && sheet.merged.length > 0 ? `<mergeCells count="${sheet.merged.length}">${sheet.merged.map((ref) => `<mergeCell ref="${ref}"/>`).join('')}</mergeCells>` : '';
    parts.set(`xl/worksheets/sheet${s + 1}.xml`, `${HEAD}<worksheet xmlns="${NS}" xmlns:r="${RNS}"><dimension ref="${dimension}"/><sheetData>${rows.join('')}</sheetData>${merged}</worksheet>`);
  });
  const sheetList = sheets.map((sheet, s) => `<sheet name="${escapeXml(sheet.name)}" sheetId="${s + 1}"${sheet.hidden ? ' state="hidden"' : ''} r:id="rId${s + 1}"/>`).join('');
  parts.set('xl/workbook.xml', `${HEAD}<workbook xmlns="${NS}" xmlns:r="${RNS}"><workbookPr${date1904 ? ' date1904="1"' : ''}/><sheets>${sheetList}</sheets></workbook>`);
  const n = sheets.length;
  const rels = sheets.map((_, s) => `<Relationship Id="rId${s + 1}" Type="${RNS}/worksheet" Target="worksheets/sheet${s + 1}.xml"/>`);
  rels.push(`<Relationship Id="rId${n + 1}" Type="${RNS}/styles" Target="styles.xml"/>`, `<Relationship Id="rId${n + 2}" Type="${RNS}/sharedStrings" Target="sharedStrings.xml"/>`);
  parts.set('xl/_rels/workbook.xml.rels', `${HEAD}<Relationships xmlns="${PNS}">${rels.join('')}</Relationships>`);
  parts.set('_rels/.rels', `${HEAD}<Relationships xmlns="${PNS}"><Relationship Id="rId1" Type="${RNS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  const numFmts = formats.map((format, i) => `<numFmt numFmtId="${164 + i}" formatCode="${escapeXml(format)}"/>`).join('');
  const xfs = [
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
    '<xf numFmtId="0" fontId="0" fillId="1" borderId="0" xfId="0" applyFill="1"/>',
    ...formats.map((_, i) => `<xf numFmtId="${164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`),
  ];
  parts.set(
    'xl/styles.xml',
    `${HEAD}<styleSheet xmlns="${NS}">${formats.length > 0 ? `<numFmts count="${formats.length}">${numFmts}</numFmts>` : ''}<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs></styleSheet>`,
  );
  parts.set('xl/sharedStrings.xml', `${HEAD}<sst xmlns="${NS}" count="${stringCount}" uniqueCount="${strings.length}">${strings.map((text) => `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`).join('')}</sst>`);
  const overrides = [
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
    ...sheets.map((_, s) => `<Override PartName="/xl/worksheets/sheet${s + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`),
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>',
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>',
  ];
  parts.set(
    '[Content_Types].xml',
    `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides.join('')}</Types>`,
  );
  return parts;
}

/** Parts in Excel's order: content types and rels first, the workbook, its sheets, styles, shared strings last. */
const ORDER = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels'];

/** A zip of the given files (deflated, fixed dates: the same bytes for the same files). */
export function zipFiles(files: ReadonlyMap<string, string | Uint8Array>): Buffer {
  const names = [...ORDER.filter((name) => files.has(name)), ...[...files.keys()].filter((name) => !ORDER.includes(name))];
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const content = files.get(name) ?? '';
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    const packed = deflateRawSync(data, { level: 6 });
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE(33, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(0, 12);
    entry.writeUInt16LE(33, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    central.push(entry, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A workbook's bytes. */
export function writeWorkbook(sheets: readonly SheetSpec[], options: WorkbookOptions = {}): Buffer {
  return zipFiles(workbookParts(sheets, options));
}
