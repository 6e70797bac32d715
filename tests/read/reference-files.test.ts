/**
 * Skolverket's files as people get them, read as reference figures: the .xlsx download (its sheet
 * read as the CSV download is), a CSV
 * that Excel re-saved (kommun codes without their leading zero, rows padded with ";"), and the
 * remark above the header in 2017/18 (src/read/records.ts spreadsheetKind,
 * src/normalise/reference-table.ts, src/commands/references.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { poolReference } from '../../src/analysis/reference-pool.js';
import { readReferences } from '../../src/commands/references.js';
import { InputError } from '../../src/errors.js';
import { parseReference, type ReferenceTable, type ReferenceValue } from '../../src/normalise/reference-table.js';
import { bytesOf, readTextTable, spreadsheetKind } from '../../src/read/records.js';
import { sheetCsv } from '../../src/read/xlsx.js';

const DIR = 'fixtures/skolverket';
const XLSX = `${DIR}/betyg-ak6-2025-kommun-utdrag.xlsx`;
const NP_2018 = `${DIR}/np-ak9-2018-kommun.csv`;
const NP_2024 = `${DIR}/np-ak9-2024-kommun.csv`;
const RELATION = `${DIR}/relation-ak9-2024-skolniva.csv`;
const FULL = `${DIR}/relation-ak9-2024-skolniva-full.csv`;

async function parse(file: string, bytes: Uint8Array): Promise<ReferenceTable> {
  return parseReference(file, await readTextTable(bytesOf(bytes), { keepBlank: true }));
}

async function inputError(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** Values without their line numbers: the figures, codes and names read. */
function figures(values: readonly ReferenceValue[]): string[] {
  return values.map(({ line: _line, ...rest }) => JSON.stringify(rest)).sort();
}

/**
 * What Excel does to Skolverket's CSV when it is opened and saved again as CSV: every line padded
 * with ";" to the widest line (blank lines become ";;;;…"), codes read as numbers lose their
 * leading zeros (0180 → 180, 0764 → 764), CRLF line ends, and empty rows left below the data.
 */
function resaveAsExcel(text: string, emptyRowsBelow = 3): string {
  const lines = text.replace(/^\uFEFF/, '').replace(/\n+$/, '').split('\n');
  const width = Math.max(...lines.map((line) => line.split(';').length));
  const out = lines.map((line) => {
    const cells = line.split(';').map((cell) => (/^0\d+$/.test(cell) ? String(Number(cell)) : cell));
    while (cells.length < width) cells.push('');
    return cells.join(';');
  });
  for (let i = 0; i < emptyRowsBelow; i++) out.push(';'.repeat(width - 1));
  return `\uFEFF${out.join('\r\n')}\r\n`;
}

describe('a workbook is told by its bytes', () => {
  it('Excel .xlsx (a zip), old .xls (OLE2), LibreOffice .ods; text is none of them', () => {
    expect(spreadsheetKind(readFileSync(XLSX))).toBe('xlsx');
    expect(spreadsheetKind(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toBe('xls');
    const ods = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')]);
    expect(spreadsheetKind(ods)).toBe('ods');
    for (const path of [NP_2024, RELATION]) expect(spreadsheetKind(readFileSync(path))).toBeNull();
    expect(spreadsheetKind(Buffer.from('PK;Skola\n'))).toBeNull();
  });

  it('--reference with an .xlsx reads its sheet: the figures of the CSV download (numbers typed as numbers: 17,1 is the number 17.1)', async () => {
    // The workbook holds the first 10 lines of the CSV (make-xlsx-excerpt.py).
    const csv = Buffer.from(readFileSync(`${DIR}/betyg-ak6-2025-kommun.csv`, 'utf8').split('\n').slice(0, 10).join('\n'), 'utf8');
    const fromCsv = await parse('utdrag.csv', csv);
    const fromSheet = parseReference(`${XLSX}!Kommun`, await readTextTable(sheetCsv(XLSX, 'Kommun'), { keepBlank: true }));
    expect(fromCsv.values.length).toBeGreaterThan(0);
    // The same figures; only the text of a figure read as a number differs ("8.4" for "8,4"), and that text is kept for no figure that is read.
    const same = (values: readonly ReferenceValue[]) => figures(values.map((value) => (value.status === 'ok' ? { ...value, raw: '' } : value)));
    expect(same(fromSheet.values)).toEqual(same(fromCsv.values));
    expect(fromSheet.values.filter((value) => value.status !== 'ok').length).toBeGreaterThan(0); // "~100", "..", "." as in the CSV
    // Lines are the sheet's rows (row 8 is the first figure row, as line 8 of the CSV).
    expect(Math.min(...fromSheet.values.map((value) => value.line))).toBe(Math.min(...fromCsv.values.map((value) => value.line)));
    // Through --reference: the same pooled figures, whatever the file is named (a workbook is told by its bytes).
    const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-'));
    const csvFile = join(dir, 'utdrag.csv');
    writeFileSync(csvFile, csv);
    const renamed = join(dir, 'betyg.csv');
    writeFileSync(renamed, readFileSync(XLSX));
    const pooled = async (file: string) => ((await readReferences([file])).published?.pooled ?? []).map(({ file: _file, ...rest }) => JSON.stringify(rest)).sort();
    const expected = await pooled(csvFile);
    expect(expected.length).toBeGreaterThan(0);
    expect(await pooled(XLSX)).toEqual(expected);
    expect(await pooled(renamed)).toEqual(expected);
  });

  it('--reference with an old .xls or an .ods: what it is and how to save it, not "no recognisable header"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-xls-'));
    const xls = join(dir, 'betyg.xls');
    writeFileSync(xls, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
    const error = await inputError(() => readReferences([xls]));
    expect(error.exitCode).toBe(2);
    expect(error.text.sv).toBe(
      `${xls}: filen är en Excel-fil i det äldre .xls-formatet och läses inte (.xlsx och CSV läses). ` +
        'Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx) eller som "CSV UTF-8 (kommaavgränsad) (*.csv)", och ange den filen i stället. ' +
        'Från Skolverkets statistiksidor går det också att ladda ned tabellen som CSV (filerna läses som de är).',
    );
    expect(error.text.en).toContain('is an Excel file in the older .xls format and is not read');
    expect(error.text.en).not.toContain('recognisable header');
  });

  it('--reference with a broken .xlsx names the file and says it cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-'));
    const broken = join(dir, 'trasig.xlsx');
    writeFileSync(broken, readFileSync(XLSX).subarray(0, 400));
    const error = await inputError(() => readReferences([broken]));
    expect(error.exitCode).toBe(2);
    expect(error.text.sv).toBe(
      `${broken}: filen ser ut som en Excel-arbetsbok (.xlsx) men kan inte läsas: den är inte en hel zip-fil: avbruten när den laddades ned eller kopierades, eller inte en arbetsbok. Öppna den i Excel och spara den igen, eller spara bladet som "CSV UTF-8 (kommaavgränsad) (*.csv)"`,
    );
  });
});

describe('a CSV re-saved by Excel reads as the original', () => {
  it('NP per municipality: the same figures, Stockholm 0180 again; codes given their zeros back and said so', async () => {
    const original = await parse('np.csv', readFileSync(NP_2024));
    const resaved = await parse('np-excel.csv', Buffer.from(resaveAsExcel(readFileSync(NP_2024, 'utf8')), 'utf8'));
    expect(resaved.skipped).toEqual([]);
    expect(figures(resaved.values)).toEqual(figures(original.values));
    expect(resaved.values.find((value) => value.unit === 'Stockholm')).toMatchObject({ unit_code: '0180', municipality_code: '0180' });
    // Every row of a municipality with a code below 1000 (Stockholm's, Uppsala's, … län) was mended, once.
    const zeroRows = new Set(original.values.filter((value) => value.unit_code?.startsWith('0')).map((value) => value.line));
    expect(zeroRows.size).toBeGreaterThan(100);
    expect(resaved.repairs).toMatchObject({ padded_codes: zeroRows.size, blank_lines_in_data: 0 });
    expect(resaved.repairs?.padded_example).toEqual({ line: Math.min(...zeroRows), from: '764', to: '0764' });
    expect(original.repairs).toBeUndefined();
    expect(poolReference(resaved, { unit: '0180' })).toEqual(poolReference(original, { unit: '0180' }));
  });

  it('the school file: 70 schools, not 80 (the footer padded to the header width is not units), nothing skipped', async () => {
    const original = await parse('relation.csv', readFileSync(RELATION));
    const resaved = await parse('relation-excel.csv', Buffer.from(resaveAsExcel(readFileSync(RELATION, 'utf8')), 'utf8'));
    expect(new Set(resaved.values.map((value) => value.unit_code)).size).toBe(70);
    expect(resaved.skipped).toEqual([]);
    expect(figures(resaved.values)).toEqual(figures(original.values));
    expect(poolReference(resaved)[0]?.label).toBe('alla enheter i filen (70)');
    // The full file stays Riket: its 290 municipalities (0114 Upplands Väsby … as 114) are still 290.
    const full = await parse('full-excel.csv', Buffer.from(resaveAsExcel(readFileSync(FULL, 'utf8')), 'utf8'));
    expect(new Set(full.values.map((value) => value.unit_code)).size).toBe(1502);
    expect(poolReference(full, { unit: 'Riket' })[0]?.label).toBe('Riket (alla 1\u00a0502 skolor i filen)');
  });

  it('a skolenhetskod that starts with 0 gets it back (8 digits, as every code in the file)', async () => {
    // Ahlafors Fria skola's code given a leading zero, then re-saved: 01387206 → 1387206.
    const edited = readFileSync(RELATION, 'utf8').replace('Ahlafors Fria skola;71387206;', 'Ahlafors Fria skola;01387206;');
    const table = await parse('zero.csv', Buffer.from(resaveAsExcel(edited), 'utf8'));
    expect(table.values.find((value) => value.unit === 'Ahlafors Fria skola')?.unit_code).toBe('01387206');
    // Ahlafors's row (line 11, the first) and each row whose Kommun-kod starts with 0: one count per row.
    const original = await parse('relation.csv', readFileSync(RELATION));
    const zeroKommun = new Set(original.values.filter((value) => value.municipality_code?.startsWith('0')).map((value) => value.line));
    expect(zeroKommun.size).toBe(16);
    expect(table.repairs).toMatchObject({ padded_codes: 1 + zeroKommun.size, padded_example: { line: 11, from: '1387206', to: '01387206' } });
    expect(figures(table.values)).toEqual(figures((await parse('edited.csv', Buffer.from(edited, 'utf8'))).values));
  });

  it('emptied rows (";;;;") among the units are skipped and counted, never units', async () => {
    const lines = resaveAsExcel(readFileSync(RELATION, 'utf8'), 0).split('\r\n');
    const empty = ';'.repeat((lines[10] ?? '').split(';').length - 1);
    lines.splice(20, 0, empty, empty); // two empty rows after line 20
    lines.splice(40, 0, empty);
    const table = await parse('holes.csv', Buffer.from(lines.join('\r\n'), 'utf8'));
    expect(new Set(table.values.map((value) => value.unit_code)).size).toBe(70);
    expect(table.repairs).toMatchObject({ blank_lines_in_data: 3, blank_line_numbers: [21, 22, 41] });
    expect(table.skipped).toEqual([]);
  });

  it('a row whose figure columns are all empty is no unit: skipped with the reason', async () => {
    const lines = readFileSync(RELATION, 'utf8').split('\n');
    // Line 12, Aroseniusskolan: every figure emptied (as deleting the cells in Excel does).
    lines[11] = `${(lines[11] ?? '').split(';').slice(0, 7).join(';')};${';'.repeat(16)}`;
    const table = await parse('emptied.csv', Buffer.from(lines.join('\n'), 'utf8'));
    expect(table.skipped).toEqual([{ line: 12, reason: { sv: 'inga siffror (varje sifferkolumn är tom)', en: 'no figures (every figure column is empty)' } }]);
    expect(new Set(table.values.map((value) => value.unit_code)).size).toBe(69);
  });

  it('readReferences says what it mended, in Swedish by default and in English with lang en', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-excel-'));
    const file = join(dir, 'np.csv');
    writeFileSync(file, resaveAsExcel(readFileSync(NP_2024, 'utf8')));
    const sv = await readReferences([file], { unit: 'Stockholm' });
    const zeros = sv.published?.warnings.find((line) => line.includes('inledande nollor')) ?? '';
    expect(zeros).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: \\d+ rader hade koder utan sina inledande nollor \\(rad \\d+: 764 → 0764\\), som när Excel sparar om filen; nollorna är tillagda$`));
    const en = await readReferences([file], { unit: 'Stockholm' }, { lang: 'en' });
    expect(en.published?.warnings.some((line) => /rows had codes without their leading zeros \(line \d+: 764 → 0764\)/.test(line))).toBe(true);
  });
});

describe('the text above the header is passed on when it is a remark', () => {
  it('2017/18: the remark on test parts seen beforehand, as one paragraph, verbatim', async () => {
    const table = await parse(NP_2018, readFileSync(NP_2018));
    expect(table).toMatchObject({ layout: 'skolverket_np', school_year: '2017/18', skipped: [] });
    expect(table.title).toBe('Grundskola - Resultat nationella prov årskurs 9, provbetyg per kön - Engelska, Matematik och Svenska/svenska som andraspråk');
    expect(table.remarks).toHaveLength(1);
    const remark = table.remarks?.[0] ?? '';
    expect(remark.startsWith('Under vårterminen 2018 fanns indikationer på att vissa av de nationella delproven i årskurs 9 hade varit åtkomliga på förhand. Skolverket rekommenderade')).toBe(true);
    expect(remark).toContain('"eleven ej deltagit"');
    expect(remark.endsWith('enligt 3 a § lagen (2001:99) om den officiella statistiken.')).toBe(true);
    // 103 rows of 14 municipalities, 2017/18's column order (participation first), no Matematik.
    expect(new Set(table.values.map((value) => value.unit)).size).toBe(14);
    expect(new Set(table.values.map((value) => value.line)).size).toBe(103);
    expect(new Set(table.values.map((value) => value.subject))).toEqual(new Set(['EN', 'SV', 'SVA']));
    // Ale;1440;…;Samtliga;Engelska;75,1;76,6;73,8;292;134;158;96,9;~100;..;14,8;15,1;14,6;
    const ale = (metric: string, gender: string) => table.values.find((value) => value.unit === 'Ale' && value.provider === 'Samtliga' && value.subject === 'EN' && value.metric === metric && value.gender === gender);
    expect(ale('share_participated', 'all')).toMatchObject({ value: 0.751, n: null });
    expect(ale('share_pass_test', 'all')).toMatchObject({ value: 0.969, n: 292 });
    expect(ale('share_pass_test', 'F')).toMatchObject({ status: 'rounded', raw: '~100', n: 134 });
    expect(ale('mean_points_test', 'M')).toMatchObject({ value: 14.6, n: 158 });
  });

  it('the standard lines (the 15-pupil limit, what "." means) are not remarks', async () => {
    for (const path of [RELATION, NP_2024, `${DIR}/relation-ak9-2023-skolniva.csv`, `${DIR}/betyg-ak6-2025-kommun.csv`]) {
      expect((await parse(path, readFileSync(path))).remarks, path).toEqual([]);
    }
  });

  it('readReferences passes the remark on for stderr, with the school year, in the run\'s language', async () => {
    const sv = await readReferences([NP_2018], { unit: 'Ale' });
    expect(sv.published?.warnings).toContainEqual(expect.stringMatching(/^fixtures\/skolverket\/np-ak9-2018-kommun\.csv: Skolverkets anmärkning om läsåret 2017\/18: Under vårterminen 2018 fanns indikationer/));
    expect(sv.published?.info.files[0]?.remarks).toHaveLength(1);
    const en = await readReferences([NP_2018], { unit: 'Ale' }, { lang: 'en' });
    expect(en.published?.warnings).toContainEqual(expect.stringContaining("Skolverket's remark on the school year 2017/18 (in Swedish): Under vårterminen 2018"));
  });
});
