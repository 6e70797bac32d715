/**
 * The .xlsx version of a CSV export, laid out as school systems and people hand them out: an
 * info sheet first, a title row above the header, numbers typed as numbers (the personnummer
 * column too: 0901011234 becomes the number 901011234, as in Excel), terms (VT23, HT22) as
 * date cells, every 40th text cell of the last column a formula with its cached value, and
 * formatted empty rows at the end. Row N + 1 of the sheet is line N of the CSV (blank lines are
 * empty rows), so a location in the workbook is the CSV's one row further down.
 *
 *   npm run build:scripts
 *   node build/scripts/xlsx/from-csv.js EXPORT.csv OUT.xlsx [--plain]
 *
 * `--plain`: only the data sheet, header in row 1, text cells as in the CSV (a faithful copy).
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bytesOf, readTextTable } from '../../src/read/records.js';
import { writeWorkbook, type Cell } from './workbook.js';

export interface FromCsvOptions {
  /** Only the data sheet, header in row 1, every cell text: the CSV as it is. */
  plain?: boolean;
}

const PERSONNUMMER = /^(\d{6}|\d{8})[-+]?\d{4}$/;
const INTEGER = /^-?(0|[1-9]\d{0,14})$/;
const TERM = /^(VT|HT)\s?(\d{2}|\d{4})$/i;

/** A CSV cell as Excel types it (see the module comment). */
function typed(value: string, column: 'id' | 'other', row: number, last: boolean): Cell {
  const text = value.trim();
  if (column === 'id' && PERSONNUMMER.test(text)) return Number(text.replace(/[-+]/, ''));
  if (INTEGER.test(text)) return Number(text);
  const term = TERM.exec(text);
  if (term) {
    const digits = term[2] ?? '';
    const year = digits.length === 2 ? 2000 + Number(digits) : Number(digits);
    return { date: (term[1] ?? '').toUpperCase() === 'VT' ? `${year}-06-10` : `${year}-12-15` };
  }
  if (last && value !== '' && row % 40 === 0) return { formula: `"${value.replace(/"/g, '""')}"`, cached: value };
  return value;
}

/** The header's pupil-id column (a personnummer or pupil id header), or -1. */
function idColumn(header: readonly string[]): number {
  return header.findIndex((name) => /personnummer|personnr|elev-?id|student_id/i.test(name.trim()));
}

/** The workbook of a CSV export's bytes. */
export async function csvToWorkbook(csv: Uint8Array, name: string, options: FromCsvOptions = {}): Promise<Buffer> {
  const table = await readTextTable(bytesOf(csv), { keepBlank: true });
  const plain = options.plain === true;
  const offset = plain ? 0 : 1;
  const rows: (Cell[] | null)[] = [];
  if (!plain) rows.push([`Export: ${name}`]);
  const header = table.records.find((record) => record.fields.length > 0)?.fields ?? [];
  const id = idColumn(header);
  for (const record of table.records) {
    const at = record.line - 1 + offset;
    while (rows.length < at) rows.push(null);
    if (record.fields.length === 0) {
      rows.push(null);
      continue;
    }
    const isHeader = record.fields === header;
    rows.push(record.fields.map((value, c) => (plain || isHeader ? value : typed(value, c === id ? 'id' : 'other', record.line, c === record.fields.length - 1))));
  }
  // Blank lines at the end of the CSV are no rows of the sheet.
  while (rows.length > 0 && rows[rows.length - 1] === null) rows.pop();
  const info = {
    name: 'Info',
    rows: [['Export från skoladministrativt system'], ['Fil', name], ['Skapad', { date: '2025-06-15' }]] as Cell[][],
  };
  const data = { name: 'Data', rows, emptyTail: plain ? 0 : 3 };
  return writeWorkbook(plain ? [data] : [info, data]);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { plain: { type: 'boolean' } } });
  const [from, to] = positionals;
  if (from === undefined || to === undefined) {
    process.stderr.write('usage: node build/scripts/xlsx/from-csv.js EXPORT.csv OUT.xlsx [--plain]\n');
    process.exitCode = 2;
    return;
  }
  writeFileSync(to, await csvToWorkbook(readFileSync(from), basename(from), { plain: values.plain === true }));
}

if (process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url) await main();
