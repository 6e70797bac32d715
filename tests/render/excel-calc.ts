/**
 * Reads an `--excel` file the way LibreOffice Calc with Swedish settings (sv-SE) opens a .csv with
 * its Text Import defaults, and says what it would get: per cell empty, a number or text, and
 * the problems a person would meet. LibreOffice cannot be installed here, so its rules are
 * written down instead (LibreOffice Help, "Text Import"; Swedish Excel reads a .csv by the same
 * locale rules):
 * - a UTF-8 byte-order mark tells the character set and is consumed, never part of the first cell;
 * - fields are separated by `;` (a `,` is the Swedish decimal mark, never a separator here), in
 *   `"` quotes when they hold `;`, `"` or a line break; records end with CRLF;
 * - "Detect special numbers" is off by default: then only decimal numbers are numbers, in the
 *   locale's form: digits, a decimal comma, a leading hyphen-minus. "0.5", "7,9e-9", "−1" (U+2212),
 *   "12 %" or "1 234" stay text (or need the option ticked);
 * - quoted fields are typed like the others ("Format quoted field as text" is off by default);
 * - a field starting with `=` is a formula where "Evaluate formulas" is ticked (Excel always runs
 *   it), and Excel also runs one starting with `+`, `-` or `@` unless it is a number: such text
 *   must come neutralised (a leading apostrophe).
 *
 * No npm package reads CSV by these rules: SheetJS (`xlsx`) types cells by US rules (its number
 * guess drops a `,` as a thousands separator, so "0,25" would become 25), and CSV parsers
 * (csv-parse, papaparse) split fields but leave typing to the caller. So the grammar is here.
 */

export type CalcCell = { kind: 'empty' } | { kind: 'number'; value: number } | { kind: 'text'; value: string };

export interface CalcSheet {
  /** Row 0 is the header. */
  rows: CalcCell[][];
  /** What would go wrong in Calc or Excel, each with its place ("row 3, column 7: …"); empty when nothing would. */
  problems: string[];
}

/** A number as Calc sv-SE reads it without "Detect special numbers": digits, decimal comma, hyphen-minus. */
const SWEDISH_NUMBER = /^-?\d+(,\d+)?$/;

/** Looks like a figure but is not one by the rule above (a number meant, text got). */
const NEAR_NUMBER = /^[-+\u2212]?[\d.,\u00a0\u202f ]*\d[\d.,\u00a0\u202f ]*([eE][-+]?\d+)?( ?%)?$/;

/** What Excel (and Calc with "Evaluate formulas") would run as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

function splitRecords(text: string, problems: string[]): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let fieldStart = true;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      i++;
      continue;
    }
    if (c === ';') {
      record.push(field);
      field = '';
      fieldStart = true;
      i++;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStart = true;
      i += 2;
      continue;
    }
    if (c === '\r' || c === '\n') problems.push(`record ${records.length}: a line ends with ${c === '\n' ? 'LF' : 'CR'} alone, not CRLF`);
    if (c === '"') problems.push(`record ${records.length}: a quote inside an unquoted field`);
    field += c;
    fieldStart = false;
    i++;
  }
  if (quoted) problems.push('the file ends inside a quoted field');
  if (field !== '' || record.length > 0) {
    problems.push('the last record has no CRLF after it');
    record.push(field);
    records.push(record);
  }
  return records;
}

function typeCell(field: string, place: string, problems: string[]): CalcCell {
  if (field === '') return { kind: 'empty' };
  if (SWEDISH_NUMBER.test(field)) {
    if (/^-?0\d/.test(field)) problems.push(`${place}: ${JSON.stringify(field)} becomes a number and loses its leading zero`);
    return { kind: 'number', value: Number(field.replace(',', '.')) };
  }
  if (NEAR_NUMBER.test(field)) problems.push(`${place}: ${JSON.stringify(field)} looks like a number but a Swedish spreadsheet reads it as text`);
  if (FORMULA_START.test(field)) problems.push(`${place}: ${JSON.stringify(field)} would run as a formula`);
  return { kind: 'text', value: field };
}

/** The bytes of an `--excel` file as a Swedish spreadsheet reads them. */
export function readAsCalc(bytes: Uint8Array): CalcSheet {
  const problems: string[] = [];
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (!bom) problems.push('no UTF-8 byte-order mark: the spreadsheet would guess the character set (å, ä, ö broken)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { rows: [], problems: [...problems, 'not valid UTF-8'] };
  }
  if (text.startsWith('\uFEFF')) problems.push('a second byte-order mark: it would be part of the first cell');
  const records = splitRecords(text, problems);
  const width = records[0]?.length ?? 0;
  const rows = records.map((record, r) => {
    if (record.length !== width) problems.push(`row ${r}: ${record.length} fields, the header has ${width}`);
    return record.map((field, c) => typeCell(field, `row ${r}, column ${c + 1}`, problems));
  });
  return { rows, problems };
}

/** The header's names (text cells) of a sheet. */
export function headerOf(sheet: CalcSheet): string[] {
  return (sheet.rows[0] ?? []).map((cell) => (cell.kind === 'text' ? cell.value : cell.kind === 'number' ? String(cell.value) : ''));
}

/** Column `name` of every data row. */
export function column(sheet: CalcSheet, name: string): CalcCell[] {
  const index = headerOf(sheet).indexOf(name);
  if (index < 0) throw new Error(`no column ${JSON.stringify(name)} in ${JSON.stringify(headerOf(sheet))}`);
  return sheet.rows.slice(1).map((row) => row[index] ?? { kind: 'empty' });
}

/** A cell's value: a number, a string, or null for an empty cell. */
export function valueOf(cell: CalcCell | undefined): number | string | null {
  if (!cell || cell.kind === 'empty') return null;
  return cell.value;
}
