/**
 * src/read/xlsx.ts: an .xlsx worksheet read as Excel typed its cells, and turned into the CSV the
 * rest of the tool reads (line N = row N). Workbooks are written by scripts/xlsx/workbook.ts
 * (laid out as Excel writes them), some with hand-written sheet XML for what that writer does not
 * make (booleans, errors, rich text, cells without references); the files made by Python's
 * openpyxl and XlsxWriter are in fixtures/xlsx (tests/cli/xlsx.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { normaliseSchoolYear } from '../../src/normalise/school-year.js';
import { sortSources } from '../../src/normalise/sources.js';
import { resolveInputFiles } from '../../src/read/inputs.js';
import { readTextTable } from '../../src/read/records.js';
import { classifyFormat, isEncryptedPackage, listSheets, numberText, readSheetRows, serialToIso, sheetCsv, type SheetRow } from '../../src/read/xlsx.js';
import { emptyStats, XlsxError, type SheetStats } from '../../src/read/workbook.js';
import { workbookParts, writeWorkbook, zipFiles, type SheetSpec } from '../../scripts/xlsx/workbook.js';
import { testPersonnummer } from '../support/personnummer.js';

const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-unit-'));
let count = 0;

function file(bytes: Uint8Array, name = `book${++count}.xlsx`): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A workbook whose first sheet's XML is `sheetData` (and whose shared strings are `strings`). */
function handWritten(sheetData: string, strings: readonly string[] = [], extra: { styles?: string; workbookPr?: string } = {}): string {
  const parts = workbookParts([{ name: 'Blad1', rows: [] }]);
  parts.set('xl/worksheets/sheet1.xml', `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetData}</sheetData></worksheet>`);
  parts.set('xl/sharedStrings.xml', `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.join('')}</sst>`);
  if (extra.styles !== undefined) parts.set('xl/styles.xml', extra.styles);
  if (extra.workbookPr !== undefined) parts.set('xl/workbook.xml', (parts.get('xl/workbook.xml') ?? '').replace('<workbookPr/>', extra.workbookPr));
  return file(zipFiles(parts));
}

async function rows(path: string, sheet = 'Blad1'): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const row of readSheetRows(path, sheet)) out.push(row);
  return out;
}

async function csv(path: string, sheet: string, stats = emptyStats()): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of sheetCsv(path, sheet, { stats })) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

describe('cell text as Excel typed it', () => {
  it('shared strings (rich text runs joined, phonetic runs left out, _xHHHH_ decoded) and inline strings', async () => {
    const path = handWritten(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Ekbackens skola</t></is></c><c r="D1" t="s"><v>2</v></c></row>',
      ['<si><t>Läsår</t></si>', '<si><r><t>Sol</t></r><r><rPr><b/></rPr><t>åsen</t></r><rPh sb="0" eb="1"><t>ソ</t></rPh></si>', '<si><t>a_x000D_b</t></si>'],
    );
    expect((await rows(path)).map((row) => row.cells)).toEqual([['Läsår', 'Solåsen', 'Ekbackens skola', 'a\rb']]);
  });

  it('numbers: a 12-digit personnummer exactly, whatever the writer wrote (E notation, ".0"); fractions to Excel\'s 15 digits', async () => {
    const path = handWritten('<row r="1"><c r="A1"><v>200901011234</v></c><c r="B1"><v>2.00901011234E+11</v></c><c r="C1"><v>200901011234.0</v></c><c r="D1"><v>0.30000000000000004</v></c><c r="E1"><v>6</v></c><c r="F1"><v>-0</v></c></row>');
    const [row] = await rows(path);
    expect(row?.cells).toEqual(['200901011234', '200901011234', '200901011234', '0.3', '6', '0']);
    expect(row?.numbers).toEqual([0, 1, 2, 3, 4, 5]);
    expect(numberText('199912319999')).toBe('199912319999');
    expect(numberText('1e21')).toBe('1e+21');
    expect(numberText('17.1')).toBe('17.1');
  });

  it('a digit-template format shows the number as Excel does (0901011234 kept with its zero), and is not a plain number', async () => {
    const path = file(writeWorkbook([{ name: 'Blad1', rows: [[{ number: 901011234, format: '0000000000' }, { number: 901011234, format: '000000-0000' }, { number: 1234, format: '"19"000000-0000' }, { number: 200901011234, format: '000000-0000' }]] }]));
    const [row] = await rows(path);
    // More digits than zeros: the extra ones in front (Excel shows 200901011234 as 20090101-1234).
    expect(row?.cells).toEqual(['0901011234', '090101-1234', '19000000-1234', '20090101-1234']);
    expect(row?.numbers).toEqual([]);
  });

  it('booleans TRUE/FALSE, errors as written, a percent as Excel shows it', async () => {
    const styles =
      '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="10"/></cellXfs></styleSheet>';
    const path = handWritten('<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" t="e"><v>#N/A</v></c><c r="D1" s="1"><v>0.823</v></c></row>', [], { styles });
    expect((await rows(path))[0]?.cells).toEqual(['TRUE', 'FALSE', '#N/A', '82.3%']);
  });

  it('dates: ISO text (1900 and 1904 date systems, t="d" cells), and a date in a Läsår column gives its läsår and term', async () => {
    const book1900 = file(writeWorkbook([{ name: 'Blad1', rows: [[{ date: '2025-06-10' }, { date: '2024-08-19' }, { number: 45818.5, format: 'yyyy-mm-dd hh:mm' }, { number: 0.75, format: 'hh:mm:ss' }]] }]));
    expect((await rows(book1900))[0]?.cells).toEqual(['2025-06-10', '2024-08-19', '2025-06-10 12:00:00', '18:00:00']);
    const book1904 = file(writeWorkbook([{ name: 'Blad1', rows: [[{ date: '2025-06-10' }]] }], { date1904: true }));
    expect((await rows(book1904))[0]?.cells).toEqual(['2025-06-10']);
    const typed = handWritten('<row r="1"><c r="A1" t="d"><v>2025-06-10T00:00:00Z</v></c><c r="B1" t="d"><v>2024-08-19T08:30:00.000Z</v></c></row>');
    expect((await rows(typed))[0]?.cells).toEqual(['2025-06-10', '2024-08-19 08:30:00']);
    expect(normaliseSchoolYear('2025-06-10')).toEqual({ label: '2024/25', startYear: 2024, term: 'VT' });
    expect(normaliseSchoolYear('2024-08-19 08:30:00')).toEqual({ label: '2024/25', startYear: 2024, term: 'HT' });
    // Excel's serials: 1 is 1900-01-01, 60 the Lotus leap day, 61 is 1 March 1900; 0 in 1904 is 1904-01-01.
    expect(serialToIso(1, false, 'date')).toBe('1900-01-01');
    expect(serialToIso(60, false, 'date')).toBe('1900-02-29');
    expect(serialToIso(61, false, 'date')).toBe('1900-03-01');
    expect(serialToIso(0, true, 'date')).toBe('1904-01-01');
    expect(serialToIso(-1, false, 'date')).toBeNull();
  });

  it('number formats: dates, times, percent and digit templates told from plain numbers', () => {
    expect(classifyFormat('yyyy-mm-dd')).toEqual({ kind: 'date' });
    expect(classifyFormat('[$-41D]d mmmm yyyy;@')).toEqual({ kind: 'date' });
    expect(classifyFormat('yyyy-mm-dd hh:mm')).toEqual({ kind: 'datetime' });
    expect(classifyFormat('[h]:mm:ss')).toEqual({ kind: 'time' });
    expect(classifyFormat('mm:ss')).toEqual({ kind: 'time' });
    expect(classifyFormat('0.0%')).toEqual({ kind: 'percent' });
    expect(classifyFormat('000000-0000')).toEqual({ kind: 'digits', template: '000000-0000' });
    expect(classifyFormat('"19"000000-0000')).toEqual({ kind: 'digits', template: '\\1\\9000000-0000' });
    expect(classifyFormat('00.0')).toBeNull();
    expect(classifyFormat('0.00')).toBeNull();
    expect(classifyFormat('#,##0')).toBeNull();
    expect(classifyFormat('"kr" #,##0;[Red]-#,##0')).toBeNull();
  });

  it('formulas by their cached value (text or number); a formula without one is empty', async () => {
    const path = handWritten('<row r="1"><c r="A1" t="str"><f>IF(TRUE,"B")</f><v>B</v></c><c r="B1"><f>1+2</f><v>3</v></c><c r="C1"><f>F1=G1</f></c><c r="D1" t="s"><v>0</v></c></row>', ['<si><t>x</t></si>']);
    expect((await rows(path))[0]?.cells).toEqual(['B', '3', '', 'x']);
  });

  it('cells without references follow on; gaps between cells are empty; a row without r follows the one before', async () => {
    const path = handWritten('<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c><c r="E1" t="inlineStr"><is><t>e</t></is></c></row><row><c><v>1</v></c></row>');
    expect((await rows(path)).map((row) => [row.row, row.cells])).toEqual([
      [1, ['a', 'b', '', '', 'e']],
      [2, ['1']],
    ]);
  });
});

describe('a sheet as CSV: line N is row N', () => {
  const sheet: SheetSpec = {
    name: 'Data',
    rows: [['Betyg vårterminen 2025'], null, ['Personnummer', 'Skola', 'Kommentar', 'Årskurs'], [200901011234, 'Ekbackens skola', 'Bra; "mycket"\nfortsätt', 6], [200902021234, 'Solåsens skola', '', 9]],
    emptyTail: 4,
  };

  it('rows as lines (empty rows kept as blank lines, none after the last), padded to the widest row, quoted where needed; a line break in a cell becomes a space and is counted', async () => {
    const path = file(writeWorkbook([sheet]));
    const stats = emptyStats();
    const text = await csv(path, 'Data', stats);
    expect(text).toBe(
      ['Betyg vårterminen 2025', '', 'Personnummer;Skola;Kommentar;Årskurs', '200901011234;Ekbackens skola;"Bra; ""mycket"" fortsätt";6', '200902021234;Solåsens skola;;9', ''].join('\n'),
    );
    expect(stats).toEqual({ lines: 5, lineBreaks: 1, idsRestored: 0, idsShort: 0, formulasWithoutValue: 0, mergedRanges: 0, cellsBeyondHeader: 0, hiddenRows: 0 });
    // Read back as a table: the header on line 3, two records, the formatted empty rows at the end not there at all.
    const table = await readTextTable(sheetCsv(path, 'Data'), { keepBlank: true });
    expect(table.records.filter((record) => record.fields.length > 1).map((record) => record.line)).toEqual([3, 4, 5]);
  });

  it('an id column: 7–9 digit numbers below the header given back their zeros when that makes a personnummer, else counted and read as they are', async () => {
    const path = file(writeWorkbook([{ name: 'Data', rows: [['Personnummer', 'Skola'], [901011234, 'A'], [12345678, 'B'], ['0901011234', 'C'], [200901011234, 'D']] }]));
    const stats = emptyStats();
    const chunks: Buffer[] = [];
    const idColumn = { column: 0, headerRow: 1, rule: async () => (digits: string) => (digits.length === 9 ? digits.padStart(10, '0') : null) };
    for await (const chunk of sheetCsv(path, 'Data', { stats, idColumn })) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).toString('utf8').split('\n')).toEqual(['Personnummer;Skola', '0901011234;A', '12345678;B', '0901011234;C', '200901011234;D', '']);
    expect(stats).toMatchObject({ idsRestored: 1, idsShort: 1 });
  });

  it('a peek stops early: readSheetRows with a limit gives that many rows', async () => {
    const path = file(writeWorkbook([{ name: 'Data', rows: Array.from({ length: 500 }, (_, i) => [`rad ${i + 1}`, i]) }]));
    const peeked: SheetRow[] = [];
    for await (const row of readSheetRows(path, 'Data', 3)) peeked.push(row);
    expect(peeked.map((row) => row.cells[0])).toEqual(['rad 1', 'rad 2', 'rad 3']);
  });

  it('the same workbook gives the same CSV bytes (and the writer the same workbook bytes)', async () => {
    const a = file(writeWorkbook([sheet]));
    const b = file(writeWorkbook([sheet]));
    expect(Buffer.compare(writeWorkbook([sheet]), writeWorkbook([sheet]))).toBe(0);
    expect(await csv(a, 'Data')).toBe(await csv(b, 'Data'));
  });

  it('the header row decides the width: shorter rows padded to it, values right of it left out and counted, rows above it as wide as their own values', async () => {
    const stray: (string | number | null)[] = Array<string | null>(16_384).fill(null);
    stray[0] = 200901011234;
    stray[1] = 'B';
    stray[16_383] = 'XFD';
    const path = file(writeWorkbook([{ name: 'Data', rows: [['Betyg vårterminen 2025', null, null, null, null, 'utskriven 2025-06-15'], ['Personnummer', 'Betyg', 'Årskurs'], [200901011234, 'A'], stray, [200902021234, 'C', 9, null, 'en kommentar utan rubrik']] }]));
    const stats = emptyStats();
    const chunks: Buffer[] = [];
    for await (const chunk of sheetCsv(path, 'Data', { stats, header: { row: 2, width: 3 } })) chunks.push(Buffer.from(chunk));
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split('\n')).toEqual(['Betyg vårterminen 2025;;;;;utskriven 2025-06-15', 'Personnummer;Betyg;Årskurs', '200901011234;A;', '200901011234;B;', '200902021234;C;9', '']);
    expect(stats).toMatchObject({ lines: 5, cellsBeyondHeader: 2 });
    // Without a header (a first peek): padded to the widest row so far, as Excel's "Save as CSV" does.
    const peek = await csv(path, 'Data');
    expect(peek.split('\n')[2]).toBe('200901011234;A;;;;');
    expect(peek.split('\n')[3]?.split(';')).toHaveLength(16_384);
  });

  it('formulas without a cached value are read as empty and counted; merged ranges below the header counted (a title merged above it is not)', async () => {
    const path = file(
      writeWorkbook([
        {
          name: 'Data',
          rows: [['Betyg vårterminen 2025'], ['Personnummer', 'Skola', 'Betyg'], [200901011234, 'Ekbackens skola', { formula: 'IF(TRUE,"B")' }], [200902021234, null, { formula: '"C"', cached: 'C' }], [200903031234, null, { formula: 'C4' }]],
          merged: ['A1:C1', 'B3:B5', 'C2:C2'],
        },
      ]),
    );
    const stats = emptyStats();
    const chunks: Buffer[] = [];
    for await (const chunk of sheetCsv(path, 'Data', { stats, header: { row: 2, width: 3 } })) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).toString('utf8').split('\n')).toEqual(['Betyg vårterminen 2025', 'Personnummer;Skola;Betyg', '200901011234;Ekbackens skola;', '200902021234;;C', '200903031234;;', '']);
    expect(stats).toMatchObject({ formulasWithoutValue: 2, mergedRanges: 1 });
  });

  it('the id column\'s rule is asked once, with the whole column, when the first number of 7–9 digits is met (none: never asked)', async () => {
    const path = file(writeWorkbook([{ name: 'Data', rows: [['Elev-ID', 'Skola'], ['200901011234', 'A'], [901011230, 'B'], [77, 'C'], [901011230, 'D']] }]));
    const asked: { value: string; number: boolean }[][] = [];
    const idColumn = {
      column: 0,
      headerRow: 1,
      rule: async (cells: AsyncIterable<{ value: string; number: boolean }>) => {
        const seen: { value: string; number: boolean }[] = [];
        for await (const cell of cells) seen.push(cell);
        asked.push(seen);
        return (digits: string) => digits.padStart(10, '0');
      },
    };
    const stats = emptyStats();
    const chunks: Buffer[] = [];
    for await (const chunk of sheetCsv(path, 'Data', { stats, idColumn })) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).toString('utf8').split('\n')).toEqual(['Elev-ID;Skola', '200901011234;A', '0901011230;B', '77;C', '0901011230;D', '']);
    expect(asked).toEqual([
      [
        { value: '200901011234', number: false },
        { value: '901011230', number: true },
        { value: '77', number: true },
        { value: '901011230', number: true },
      ],
    ]);
    expect(stats).toMatchObject({ idsRestored: 2, idsShort: 0 });
    const none = file(writeWorkbook([{ name: 'Data', rows: [['Elev-ID', 'Skola'], ['200901011234', 'A']] }]));
    for await (const _ of sheetCsv(none, 'Data', { idColumn })) void _;
    expect(asked).toHaveLength(1);
  });
});

describe('sheets', () => {
  const info: SheetSpec = { name: 'Info', rows: [['Export från skoladministrativt system'], ['Skapad', { date: '2025-06-15' }]] };
  const data: SheetSpec = {
    name: 'Betyg och prov',
    rows: [['Betyg vårterminen 2025'], ['Personnummer', 'Skola', 'Årskurs', 'Läsår', 'Ämne', 'Betyg'], [201301010004, 'Ekbackens skola', 6, '2024/25', 'Svenska', 'B']],
  };
  const old: SheetSpec = { name: 'Gammalt', rows: data.rows, hidden: true };

  it('listed in tab order with their state', async () => {
    const path = file(writeWorkbook([info, data, old]));
    expect((await listSheets(path)).map((sheet) => [sheet.name, sheet.state])).toEqual([
      ['Info', 'visible'],
      ['Betyg och prov', 'visible'],
      ['Gammalt', 'hidden'],
    ]);
  });

  it('an info sheet first, a title row above the header: the data sheet is the export, the info sheet noted, the hidden one never read', async () => {
    const path = file(writeWorkbook([info, data, old]));
    const { sources, skipped } = await resolveInputFiles([path], (async function* () {})());
    expect(sources.map((source) => source.name)).toEqual([`${path}!Info`, `${path}!Betyg och prov`]);
    expect(skipped).toEqual([{ file: `${path}!Gammalt`, reason: 'hidden_sheet' }]);
    const sorted = await sortSources(sources, {} as Config, undefined, () => new Set());
    expect(sorted.map((entry) => [entry.source.name, entry.kind])).toEqual([
      [`${path}!Info`, 'not_export'],
      [`${path}!Betyg och prov`, 'export'],
    ]);
    const workbook = sources[0]?.sheet?.workbook;
    expect(workbook?.sheets.map((sheet) => [sheet.name, sheet.use])).toEqual([
      ['Info', 'not_export'],
      ['Betyg och prov', 'read'],
      ['Gammalt', 'hidden'],
    ]);
  });

  it('a sheet named in no workbook any more is an XlsxError', async () => {
    const path = file(writeWorkbook([data]));
    await expect(rows(path, 'Saknas')).rejects.toThrow(XlsxError);
    await expect(rows(path, 'Saknas')).rejects.toMatchObject({ problem: 'no_sheet', detail: 'Saknas' });
  });
});

/** A 10-digit personnummer born in 20`yy` (synthetic: tests/support/personnummer.ts). */
const personnummer = (yy: string, i: number): string => testPersonnummer(i, yy);

describe('the pupil-id column, whatever its header: numbers that lost their leading zero', () => {
  /** The export sheet of a workbook as the tool reads it: its CSV lines and what reading it changed. */
  async function readAsExport(rows: SheetSpec['rows']): Promise<{ lines: string[]; stats: SheetStats }> {
    const path = file(writeWorkbook([{ name: 'Betyg', rows }]));
    const { sources } = await resolveInputFiles([path], (async function* () {})());
    const [sorted] = await sortSources(sources, {} as Config, undefined, () => new Set());
    const chunks: Buffer[] = [];
    for await (const chunk of sorted?.source.open() ?? []) chunks.push(Buffer.from(chunk));
    const stats = sorted?.source.sheet?.stats ?? emptyStats();
    return { lines: Buffer.concat(chunks).toString('utf8').split('\n').slice(1, -1), stats };
  }
  const header = ['Elev-ID', 'Läsår', 'Ämne', 'Betyg'];

  it('Elev-ID, all born 2009 (9 digits as numbers, valid check digits): every id given its zero back, and counted', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => personnummer('09', i));
    const { lines, stats } = await readAsExport([header, ...ids.map((id) => [Number(id), '2024/25', 'Matematik', 'C'])]);
    expect(lines.map((line) => line.split(';')[0])).toEqual(ids);
    expect(stats).toMatchObject({ idsRestored: 12, idsShort: 0 });
  });

  it('a mixed 2009/2010 cohort (10 digits from 2010 on): the 2009 ids given their zero, also when the first rows are all 2009', async () => {
    const ids = [...Array.from({ length: 12 }, (_, i) => personnummer('09', i)), ...Array.from({ length: 12 }, (_, i) => personnummer('10', i))];
    const { lines, stats } = await readAsExport([header, ...ids.map((id) => [Number(id), '2024/25', 'Matematik', 'C'])]);
    expect(lines.map((line) => line.split(';')[0])).toEqual(ids);
    expect(stats).toMatchObject({ idsRestored: 12, idsShort: 0 });
  });

  it('an id system of its own (9-digit numbers, not dates with a check digit): read as they are, all counted', async () => {
    // 301010000 + …: given a zero, every one is even a date (0301010007 is 2003-01-01), but few have a check digit that fits.
    const ids = Array.from({ length: 20 }, (_, i) => 301_010_000 + i * 7);
    const { lines, stats } = await readAsExport([header, ...ids.map((id) => [id, '2024/25', 'Matematik', 'C'])]);
    expect(lines.map((line) => line.split(';')[0])).toEqual(ids.map(String));
    expect(stats).toMatchObject({ idsRestored: 0, idsShort: 20 });
  });

  it('a header naming personnummer keeps the rule it had: the date decides (synthetic ids need no valid check digit)', async () => {
    const { lines, stats } = await readAsExport([['Personnummer', 'Läsår', 'Ämne', 'Betyg'], [901011234, '2024/25', 'Matematik', 'C'], [991399999, '2024/25', 'Matematik', 'B']]);
    expect(lines.map((line) => line.split(';')[0])).toEqual(['0901011234', '991399999']);
    expect(stats).toMatchObject({ idsRestored: 1, idsShort: 1 });
  });
});

describe('a copied sheet ("Betyg" and "Betyg (2)")', () => {
  const rows = [['Personnummer', 'Läsår', 'Ämne', 'Betyg'], ...Array.from({ length: 14 }, (_, i) => [`2009020${i % 10}1234`, '2024/25', i < 10 ? 'Matematik' : 'Svenska', 'C'])];

  it('is read once: the copy is a note naming the sheet it repeats; a sheet whose rows differ only far down is read', async () => {
    const other = [...rows.slice(0, -1), ['200901011234', '2024/25', 'Svenska', 'A']];
    const path = file(writeWorkbook([{ name: 'Betyg', rows }, { name: 'Betyg (2)', rows }, { name: 'Betyg (3)', rows: other }]));
    const { sources } = await resolveInputFiles([path], (async function* () {})());
    const sorted = await sortSources(sources, {} as Config, undefined, () => new Set());
    expect(sorted.map((entry) => [entry.source.name, entry.kind, entry.source.fromFolder])).toEqual([
      [`${path}!Betyg`, 'export', false],
      [`${path}!Betyg (2)`, 'same_sheet', true],
      [`${path}!Betyg (3)`, 'export', false],
    ]);
    expect(sources[0]?.sheet?.workbook.sheets).toEqual([
      { name: 'Betyg', state: 'visible', use: 'read' },
      { name: 'Betyg (2)', state: 'visible', use: 'copy', of: 'Betyg' },
      { name: 'Betyg (3)', state: 'visible', use: 'read' },
    ]);
  });
});

/** A compound file (OLE2) whose directory names these streams, as an old .xls or a password-protected .xlsx is stored. */
function compoundFile(names: readonly string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e); // 512-byte sectors
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c); // one FAT sector
  header.writeUInt32LE(1, 0x30); // the directory starts at sector 1
  header.writeUInt32LE(0x1000, 0x38);
  header.writeUInt32LE(0xfffffffe, 0x3c);
  header.writeUInt32LE(0xfffffffe, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + 4 * i);
  const sectors = Math.ceil(names.length / 4);
  const fat = Buffer.alloc(512, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0);
  for (let i = 0; i < sectors; i++) fat.writeUInt32LE(i === sectors - 1 ? 0xfffffffe : 2 + i, 4 * (1 + i));
  const directory = Buffer.alloc(512 * sectors);
  names.forEach((name, i) => {
    const bytes = Buffer.from(`${name}\0`, 'utf16le');
    bytes.copy(directory, 128 * i);
    directory.writeUInt16LE(bytes.length, 128 * i + 0x40);
    directory[128 * i + 0x42] = i === 0 ? 5 : 2;
  });
  return Buffer.concat([header, fat, directory]);
}

describe('files that are not a readable workbook', () => {
  it('not a zip, or a zip cut short: an XlsxError (the caller names the file), never a crash', async () => {
    await expect(listSheets(file(Buffer.from('PK\u0003\u0004 not really a zip')))).rejects.toMatchObject({ name: 'XlsxError', problem: 'not_zip' });
    const whole = writeWorkbook([{ name: 'Data', rows: [['a']] }]);
    await expect(listSheets(file(whole.subarray(0, whole.length - 40)))).rejects.toThrow(XlsxError);
    // A zip that is no workbook.
    await expect(listSheets(file(zipFiles(new Map([['hej.txt', 'hej']]))))).rejects.toMatchObject({ problem: 'no_workbook' });
    // A damaged sheet part: named.
    const parts = workbookParts([{ name: 'Data', rows: [['a', 'b']] }]);
    parts.set('xl/worksheets/sheet1.xml', '<worksheet><sheetData><row><c><<</row>');
    await expect(rows(file(zipFiles(parts)), 'Data')).rejects.toMatchObject({ problem: 'broken_part', detail: 'xl/worksheets/sheet1.xml' });
  });

  it('a password-protected workbook is told from an old .xls by its directory (EncryptedPackage, here in the second directory sector)', async () => {
    const encrypted = file(compoundFile(['Root Entry', '\u0006DataSpaces', 'Version', 'DataSpaceMap', 'EncryptionInfo', 'EncryptedPackage']));
    const xls = file(compoundFile(['Root Entry', 'Workbook', '\u0005SummaryInformation']), 'old.xls');
    expect(await isEncryptedPackage(encrypted)).toBe(true);
    expect(await isEncryptedPackage(xls)).toBe(false);
  });
});
