/**
 * .xlsx exports read as they are, end to end (in-process): a workbook gives exactly the figures of
 * its CSV version. The workbooks are made by spreadsheet libraries: Python's openpyxl and
 * XlsxWriter (fixtures/xlsx, an info sheet first, a title row, Personnummer typed as numbers,
 * dates in the Läsår column, formulas, a hidden sheet), and scripts/xlsx/from-csv.ts for the demo
 * exports and areas file. Also: --areas and --reference with a workbook, inspect's sheet listing,
 * what is said for a broken, old or password-protected file, and determinism.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvToWorkbook } from '../../scripts/xlsx/from-csv.js';
import { workbookParts, writeWorkbook, zipFiles } from '../../scripts/xlsx/workbook.js';
import { ROOT, runIn, type RunResult } from './run.js';
import { HOOK_TIMEOUT, runOnce } from './shared-runs.js';
import { testPersonnummer } from '../support/personnummer.js';

const CSV = 'fixtures/xlsx/betyg-prov.csv';
const OPENPYXL = 'fixtures/xlsx/betyg-prov-openpyxl.xlsx';
const XLSXWRITER = 'fixtures/xlsx/betyg-prov-xlsxwriter.xlsx';
const SHEET = 'Betyg och prov';

interface FileMeta {
  file: string;
  rows: { read: number; accepted: number; rejected: number; outside_selection: number };
  rejected: Record<string, { count: number; examples: string[]; values?: Record<string, number> }>;
  kinds: string[];
  columns: Record<string, string>;
  preamble_lines: number;
  values: Record<string, Record<string, number>>;
}

interface Report {
  meta: { files: FileMeta[]; coverage: Record<string, number>; suppressed_groups: unknown; not_read: { file: string; reason: string }[] };
  rows: Record<string, unknown>[];
}

function report(result: RunResult): Report {
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

/** What a file's row accounting says, without its name (examples keep their line numbers). */
function accounting(file: FileMeta, lineShift = 0): unknown {
  const rejected = Object.fromEntries(
    Object.entries(file.rejected).map(([reason, entry]) => [reason, { ...entry, examples: entry.examples.map((example) => Number(example.slice(example.lastIndexOf(':') + 1)) - lineShift) }]),
  );
  return { rows: file.rows, rejected, kinds: file.kinds, columns: file.columns, values: file.values };
}

describe('workbooks made by openpyxl and XlsxWriter give exactly the figures of their CSV', () => {
  for (const args of [['--min-group', '1'], [], ['--by', 'school,subject', '--min-group', '5']]) {
    it(`gap ${args.join(' ') || '(defaults)'}: the same rows, coverage and suppression, the same row accounting`, async () => {
      const csv = report(await runOnce(['gap', CSV, '--format', 'json', ...args]));
      expect(csv.rows.length).toBeGreaterThan(0);
      for (const workbook of [OPENPYXL, XLSXWRITER]) {
        const xlsx = report(await runOnce(['gap', workbook, '--format', 'json', ...args]));
        expect(xlsx.rows).toEqual(csv.rows);
        expect(xlsx.meta.coverage).toEqual(csv.meta.coverage);
        expect(xlsx.meta.suppressed_groups).toEqual(csv.meta.suppressed_groups);
        expect(xlsx.meta.files.map((file) => file.file)).toEqual([`${workbook}!${SHEET}`]);
        const [sheet] = xlsx.meta.files;
        const [text] = csv.meta.files;
        // The sheet's header is in row 2 below a title; the CSV's on line 1.
        expect(sheet?.preamble_lines).toBe(1);
        expect(accounting(sheet as FileMeta, 1)).toEqual(accounting(text as FileMeta));
        expect(xlsx.meta.not_read).toEqual([
          { file: `${workbook}!Gammalt`, reason: 'hidden_sheet' },
          { file: `${workbook}!Info`, reason: 'not_export', missing: ['student_id', 'school_year', 'subject'] },
        ]);
      }
    });
  }

  it('inspect: the same pupils and id formats (number-typed personnummer read exactly, lost zeros given back), the same school years from date cells', async () => {
    type Inspected = { files: { pupils: number; id_formats: Record<string, number>; invalid_check_digits: number; dimensions: Record<string, Record<string, number>>; workbook?: Record<string, unknown> }[] };
    const csv = JSON.parse((await runOnce(['inspect', CSV, '--format', 'json'])).stdout) as Inspected;
    const [text] = csv.files;
    expect(text?.id_formats).toEqual({ personnummer: 120, samordningsnummer: 0, opaque: 0 });
    for (const workbook of [OPENPYXL, XLSXWRITER]) {
      const xlsx = JSON.parse((await runOnce(['inspect', workbook, '--format', 'json'])).stdout) as Inspected;
      const [sheet] = xlsx.files;
      expect(sheet?.pupils).toBe(text?.pupils);
      expect(sheet?.id_formats).toEqual(text?.id_formats);
      expect(sheet?.invalid_check_digits).toBe(text?.invalid_check_digits);
      expect(sheet?.dimensions).toEqual(text?.dimensions);
      // 20 år 9 pupils × 3 subjects had ten-digit personnummer typed as numbers (0904121234 → 904121234); one comment had a line break.
      expect(sheet?.workbook).toEqual({
        file: workbook,
        sheet: SHEET,
        sheets: [
          { name: 'Info', hidden: false, use: 'not_export' },
          { name: SHEET, hidden: false, use: 'read' },
          { name: 'Gammalt', hidden: true, use: 'hidden' },
        ],
        line_breaks: 1,
        ids_restored: 60,
        ids_short: 0,
        formulas_without_value: 0,
        merged_ranges: 0,
        cells_beyond_header: 0,
        hidden_rows: 0,
      });
    }
  });
});

describe('the demo exports and areas file as workbooks (info sheet, title row, numbers, terms as dates, formulas, empty rows at the end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-demo-'));
  const exports = join(dir, 'exports');
  const areas = join(dir, 'skolomraden.xlsx');
  beforeAll(async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(exports);
    for (const name of readdirSync(join(ROOT, 'fixtures/demo/exports'))) {
      writeFileSync(join(exports, name.replace(/\.csv$/, '.xlsx')), await csvToWorkbook(readFileSync(join(ROOT, 'fixtures/demo/exports', name)), name));
    }
    writeFileSync(areas, await csvToWorkbook(readFileSync(join(ROOT, 'fixtures/demo/skolomraden.csv')), 'skolomraden.csv'));
  }, HOOK_TIMEOUT);

  it('gap with --areas: the same rows and coverage as the CSV demo; every rejected row at its row in the sheet (one below its CSV line)', async () => {
    const csv = report(await runOnce(['gap', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '--format', 'json']));
    const xlsx = report(await runIn(['gap', exports, '--areas', areas, '--format', 'json']));
    expect(xlsx.rows).toEqual(csv.rows);
    expect(xlsx.rows.some((row) => row.area !== null && row.area !== undefined)).toBe(true);
    expect(xlsx.meta.coverage).toEqual(csv.meta.coverage);
    expect(xlsx.meta.files.map((file) => file.file)).toEqual(csv.meta.files.map((file) => `${file.file.replace('fixtures/demo/exports', exports).replace(/\.csv$/, '.xlsx')}!Data`));
    xlsx.meta.files.forEach((file, i) => {
      const text = csv.meta.files[i] as FileMeta;
      expect(file.rows).toEqual(text.rows);
      // A sheet row cannot have a wrong number of fields: the CSV's short line (4 of 7 fields) is a row whose last cells are empty, so its subject is missing.
      const shortLine = text.rejected.field_count;
      if (shortLine === undefined) expect(accounting(file, 1)).toEqual(accounting(text));
      else {
        const { field_count: _short, ...rest } = text.rejected;
        const { unknown_subject: subject, ...others } = file.rejected;
        expect(accounting({ ...file, rejected: others }, 1)).toEqual(accounting({ ...text, rejected: rest }));
        expect(subject).toMatchObject({ count: shortLine.count, values: { '': 1 } });
        expect(subject?.examples.map((example) => Number(example.slice(example.lastIndexOf(':') + 1)) - 1)).toEqual(shortLine.examples.map((example) => Number(example.slice(example.lastIndexOf(':') + 1))));
      }
    });
    expect(xlsx.meta.files[1]?.rejected.unknown_subject?.examples[0]).toMatch(/betyg_ak6_ak9\.xlsx!Data:\d+$/);
  }, HOOK_TIMEOUT);

  it('transition: the same rows and coverage as the CSV demo', async () => {
    const csv = report(await runIn(['transition', 'fixtures/demo/exports', '--format', 'json']));
    const xlsx = report(await runIn(['transition', exports, '--format', 'json']));
    expect(xlsx.rows.length).toBeGreaterThan(0);
    expect(xlsx.rows).toEqual(csv.rows);
    expect(xlsx.meta.coverage).toEqual(csv.meta.coverage);
  }, HOOK_TIMEOUT);
});

describe('--areas and --reference with a workbook', () => {
  it('--areas: the areas sheet behind an info sheet is used, as its CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-areas-'));
    const areasCsv = join(dir, 'omraden.csv');
    writeFileSync(areasCsv, 'Skola;Skolområde\nEkbackens skola;Norra\nSolåsens skola;Södra\n');
    const areasXlsx = join(dir, 'omraden.xlsx');
    writeFileSync(areasXlsx, await csvToWorkbook(readFileSync(areasCsv), 'omraden.csv'));
    const csv = report(await runIn(['gap', CSV, '--areas', areasCsv, '--by', 'area,subject', '--min-group', '1', '--format', 'json']));
    const xlsx = report(await runIn(['gap', OPENPYXL, '--areas', areasXlsx, '--by', 'area,subject', '--min-group', '1', '--format', 'json']));
    expect(new Set(xlsx.rows.map((row) => row.area))).toEqual(new Set([null, 'Norra', 'Södra']));
    expect(xlsx.rows).toEqual(csv.rows);
  });

  it('--reference: a workbook of published figures is read by its sheet (tests/cli/reference-real-files.test.ts compares it with the CSV)', async () => {
    const result = await runOnce(['gap', CSV, '--reference', 'fixtures/skolverket/betyg-ak6-2025-kommun-utdrag.xlsx', '--reference-unit', 'Ale', '--format', 'json']);
    const json = JSON.parse(result.stdout) as { reference: { files: { file: string; layout: string }[] } };
    expect(result.status, result.stderr).toBe(0);
    expect(json.reference.files).toMatchObject([{ file: 'fixtures/skolverket/betyg-ak6-2025-kommun-utdrag.xlsx', layout: 'skolverket_grades6' }]);
  });
});

describe('inspect lists the sheets and which one was used', () => {
  it('in Swedish', async () => {
    const result = await runOnce(['inspect', OPENPYXL]);
    expect(result.status, result.stderr).toBe(0);
    const text = result.stdout.replace(/\n {4}/g, ' ');
    expect(text).toContain(`${OPENPYXL}!${SHEET}\n  Excel-arbetsbok: ${OPENPYXL}; blad: Info (inte en export), ${SHEET} (läses: det här bladet), Gammalt (dolt; läses inte)\n`);
    expect(text).toContain('  Radbrytningar i celler: 1 cell; lästes som mellanslag, så varje rad i bladet är en rad\n');
    expect(text).toContain('  Personnummer som tal: 60 celler hade tappat sin inledande nolla i Excel (0901011234 blir talet 901011234); nollan lades tillbaka\n');
    expect(text).not.toContain('Teckenkodning');
    expect(text).toContain(`${OPENPYXL}!Gammalt: dolt blad i arbetsboken; lästes inte`);
  });

  it('in English', async () => {
    const result = await runOnce(['inspect', OPENPYXL, '--lang', 'en']);
    expect(result.status, result.stderr).toBe(0);
    const text = result.stdout.replace(/\n {4}/g, ' ');
    expect(text).toContain(`  Excel workbook: ${OPENPYXL}; sheets: Info (not an export), ${SHEET} (read: this sheet), Gammalt (hidden; not read)\n`);
    expect(text).toContain('  Personnummer typed as numbers: 60 cells had lost their leading zero in Excel');
    expect(text).toContain(`${OPENPYXL}!Gammalt: a hidden sheet of the workbook; not read`);
  });

  it('ids typed as numbers that no leading zero makes a personnummer are a problem, not silently taken for personnummer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-ids-'));
    const path = join(dir, 'korta-id.xlsx');
    const header = ['Personnummer', 'Läsår', 'Ämne', 'Betyg', 'Årskurs'];
    // 901011234 is 0901011234 (a personnummer); 991399999 is no date with or without its zero.
    writeFileSync(path, writeWorkbook([{ name: 'Data', rows: [header, [901011234, '2024/25', 'Matematik', 'C', 9], [991399999, '2024/25', 'Matematik', 'B', 9]] }]));
    const sv = await runIn(['inspect', path]);
    const text = sv.stdout.replace(/\n {6}/g, ' ');
    expect(text).toContain('Id som tal: 1 elev-id (celler) är tal med 7–9 siffror (Excel tar bort inledande nollor) som inte kunde läsas som personnummer');
    expect(sv.stdout).not.toContain('Inga problem hittades');
    // Said once (not again as the meta warning), as is the id given back its zero (a note, not a problem).
    expect(text.match(/7–9 siffror/g)).toHaveLength(1);
    expect(text.match(/inledande nolla i Excel/g)).toHaveLength(1);
    const json = JSON.parse((await runIn(['inspect', path, '--format', 'json'])).stdout) as { files: { id_formats: Record<string, number>; workbook: { ids_restored: number; ids_short: number } }[] };
    expect(json.files[0]?.workbook).toMatchObject({ ids_restored: 1, ids_short: 1 });
    expect(json.files[0]?.id_formats).toEqual({ personnummer: 1, samordningsnummer: 0, opaque: 1 });
  });

  it('7–8-digit numbers among personnummer are restored only with a valid check digit: an id system\'s short numbers are not made into personnummer (found by review)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-ids-'));
    const book = join(dir, 'blandat.xlsx');
    const tests = join(dir, 'prov.csv');
    const header = ['Elev-ID', 'Läsår', 'Ämne', 'Betyg', 'Årskurs'];
    // Five text personnummer (synthetic) and three temporary ids typed as numbers, each of which is a date once padded.
    const text = ['201001011234', '201002021234', '201003031234', '201004041234', '201005051234'];
    const temporary = [1231234, 5010101, 3112999];
    writeFileSync(book, writeWorkbook([{ name: 'Betyg', rows: [header, ...text.map((id) => [id, '2024/25', 'Matematik', 'C', 9]), ...temporary.map((id) => [id, '2024/25', 'Matematik', 'C', 9])] }]));
    writeFileSync(tests, ['Elev-ID;Läsår;Ämne;Provbetyg;Årskurs', ...text.map((id) => `${id};2024/25;Matematik;C;9`), ...temporary.map((id) => `${id};2024/25;Matematik;C;9`)].join('\n') + '\n');
    const result = await runIn(['gap', book, tests, '--min-group', '1', '--format', 'json', '--by', 'ämne']);
    expect(result.status, result.stderr).toBe(0);
    const total = (JSON.parse(result.stdout) as { rows: { n: number; n_grade_only: number; n_test_only: number }[] }).rows[0];
    expect([total?.n, total?.n_grade_only, total?.n_test_only]).toEqual([8, 0, 0]);
    expect(result.stderr).not.toContain('nollan lades tillbaka');
  });

  it('gap says the same on stderr and in meta: the sheet is an Excel sheet (no encoding or delimiter), and its ids that Excel typed as numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-ids-'));
    const path = join(dir, 'korta-id.xlsx');
    const header = ['Personnummer', 'Läsår', 'Ämne', 'Betyg', 'Provbetyg', 'Årskurs'];
    writeFileSync(path, writeWorkbook([{ name: 'Data', rows: [header, [901011234, '2024/25', 'Matematik', 'C', 'C', 9], [991399999, '2024/25', 'Matematik', 'B', 'C', 9]] }]));
    const sv = await runIn(['gap', path, '--min-group', '1', '--format', 'json']);
    expect(sv.stderr).toContain(`${path}!Data (Excel-blad, brett format): 2 rader lästa: 2 godtagna, 0 avvisade\n`);
    expect(sv.stderr).toContain('  1 elev-id var tal som tappat sin inledande nolla i Excel (0901011234 blir talet 901011234); nollan lades tillbaka\n');
    expect(sv.stderr).toContain('  1 elev-id är tal med 7–9 siffror (Excel tar bort inledande nollor) som inte kunde läsas som personnummer;');
    const file = (JSON.parse(sv.stdout) as { meta: { files: { encoding: string; delimiter: string; warnings: string[] }[] } }).meta.files[0];
    expect(file?.encoding).toBe('xlsx');
    expect(file?.delimiter).toBe('cells');
    expect(file?.warnings).toHaveLength(2);
    const en = await runIn(['gap', path, '--min-group', '1', '--format', 'json', '--lang', 'en']);
    expect(en.stderr).toContain(`${path}!Data (Excel sheet, wide): 2 rows read`);
    expect(en.stderr).toContain('  1 pupil ids were numbers that had lost their leading zero in Excel');
  });
});

/** A 10-digit personnummer born in 20`yy` (synthetic: tests/support/personnummer.ts). */
const personnummer = (yy: string, i: number): string => testPersonnummer(i, yy);

interface SheetReport {
  meta: { files: { file: string; bytes: number; rows: { read: number; accepted: number }; warnings: string[]; rejected: Record<string, unknown> }[]; coverage: Record<string, number>; not_read: { file: string; reason: string }[] };
}

describe('what Excel did to the cells is counted and said, never silent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-cells-'));
  const GRADES = ['A', 'B', 'C', 'D', 'E'];
  const header = ['Elev-ID', 'Läsår', 'Ämne', 'Betyg', 'Årskurs'];
  /** A workbook of grades with these ids as numbers (header Elev-ID), and a CSV of test grades with the same pupils' personnummer as text. */
  function gradesAndTests(name: string, ids: readonly string[]): { workbook: string; tests: string } {
    const workbook = join(dir, `${name}.xlsx`);
    writeFileSync(workbook, writeWorkbook([{ name: 'Betyg', rows: [header, ...ids.map((id, i) => [Number(id), '2024/25', 'Matematik', GRADES[i % 5] ?? 'C', 9])] }]));
    const tests = join(dir, `${name}_prov.csv`);
    writeFileSync(tests, `Personnummer;Läsår;Ämne;Provbetyg;Årskurs\n${ids.map((id, i) => `${id};2024/25;Matematik;${GRADES[(i + 1) % 5]};9`).join('\n')}\n`);
    return { workbook, tests };
  }

  it('Elev-ID of pupils born 2009 (9-digit numbers): their zero given back and said, so every pupil pairs with the CSV of tests', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => personnummer('09', i));
    const { workbook, tests } = gradesAndTests('eid', ids);
    const result = await runIn(['gap', workbook, tests, '--min-group', '1', '--format', 'json']);
    const json = JSON.parse(result.stdout) as SheetReport;
    expect(result.status, result.stderr).toBe(0);
    expect(json.meta.coverage).toMatchObject({ paired: 60, grade_only: 0, test_only: 0 });
    expect(json.meta.files[0]?.warnings).toEqual(['30 pupil ids were numbers that had lost their leading zero in Excel (0901011234 becomes the number 901011234); the zero was put back']);
    expect(result.stderr).toContain('  30 elev-id var tal som tappat sin inledande nolla i Excel (0901011234 blir talet 901011234); nollan lades tillbaka\n');
    const inspect = await runIn(['inspect', workbook, '--format', 'json']);
    const file = (JSON.parse(inspect.stdout) as { files: { id_formats: Record<string, number> }[] }).files[0];
    expect(file?.id_formats).toEqual({ personnummer: 30, samordningsnummer: 0, opaque: 0 });
  });

  it('a mixed 2009/2010 cohort (2009 first): all pupils pair', async () => {
    const ids = [...Array.from({ length: 15 }, (_, i) => personnummer('09', i)), ...Array.from({ length: 15 }, (_, i) => personnummer('10', i + 40))];
    const { workbook, tests } = gradesAndTests('blandat', ids);
    const json = report(await runIn(['gap', workbook, tests, '--min-group', '1', '--format', 'json'])) as unknown as SheetReport;
    expect(json.meta.coverage).toMatchObject({ paired: 60, grade_only: 0, test_only: 0 });
    expect(json.meta.files[0]?.warnings).toEqual(['15 pupil ids were numbers that had lost their leading zero in Excel (0901011234 becomes the number 901011234); the zero was put back']);
  });

  it('an id system of its own (9-digit numbers that are no personnummer): read as they are, and said on stderr, in meta and by inspect', async () => {
    const path = join(dir, 'egna-id.xlsx');
    writeFileSync(path, writeWorkbook([{ name: 'Betyg', rows: [header, ...Array.from({ length: 30 }, (_, i) => [123_456_700 + i * 13, '2024/25', 'Matematik', GRADES[i % 5] ?? 'C', 9])] }]));
    const gap = await runIn(['gap', path, '--min-group', '1', '--format', 'json']);
    expect(gap.stderr).toContain('  30 elev-id är tal med 7–9 siffror (Excel tar bort inledande nollor) som inte kunde läsas som personnummer; de lästes som de står');
    const en = await runIn(['gap', path, '--min-group', '1', '--format', 'json', '--lang', 'en']);
    expect(en.stderr).toContain('  30 pupil ids are numbers of 7–9 digits (Excel drops leading zeros) that could not be read as personnummer;');
    const inspect = await runIn(['inspect', path]);
    expect(inspect.stdout).not.toContain('Inga problem hittades');
    expect(inspect.stdout.replace(/\n {6}/g, ' ')).toContain('Id som tal: 30 elev-id (celler) är tal med 7–9 siffror');
    expect(inspect.stdout).toContain('annat id (30)');
  });

  it('formulas without a saved value: counted and said (sv, en, inspect)', async () => {
    const path = join(dir, 'formler.xlsx');
    const rows = [['Personnummer', 'Läsår', 'Ämne', 'Betyg', 'Provbetyg', 'Årskurs'], ...Array.from({ length: 10 }, (_, i) => [`2009010${i}1234`, '2024/25', 'Matematik', i < 3 ? { formula: 'IF(TRUE,"C")' } : 'C', 'C', 9])];
    writeFileSync(path, writeWorkbook([{ name: 'Data', rows }]));
    const sv = await runIn(['gap', path, '--min-group', '1', '--format', 'json']);
    expect(sv.stderr).toContain('  3 formler i bladet saknar sparat värde (arbetsboken skrevs av ett program och har inte sparats i Excel); cellerna lästes som tomma');
    expect((JSON.parse(sv.stdout) as SheetReport).meta.coverage).toMatchObject({ paired: 14, test_only: 3 });
    const en = await runIn(['gap', path, '--min-group', '1', '--format', 'json', '--lang', 'en']);
    expect(en.stderr).toContain('  3 formulas in the sheet have no saved value (the workbook was written by a program and not saved in Excel); the cells were read as empty');
    const inspect = await runIn(['inspect', path]);
    expect(inspect.stdout.replace(/\n {6}/g, ' ')).toContain('  Problem:\n    3 formler i bladet saknar sparat värde');
    const json = JSON.parse((await runIn(['inspect', path, '--format', 'json'])).stdout) as { files: { workbook: Record<string, unknown> }[] };
    expect(json.files[0]?.workbook).toMatchObject({ formulas_without_value: 3, merged_ranges: 0, cells_beyond_header: 0 });
  });

  it('rows hidden in Excel (a filter): read like the others, counted and said (sv, en, inspect); a hidden title row above the header is not', async () => {
    const path = join(dir, 'filtrerat.xlsx');
    const rows = [['Betyg vårterminen 2025'], ['Personnummer', 'Läsår', 'Ämne', 'Betyg', 'Provbetyg', 'Årskurs'], ...Array.from({ length: 8 }, (_, i) => [`2009010${i}1234`, '2024/25', 'Matematik', 'C', 'B', 9])];
    writeFileSync(path, writeWorkbook([{ name: 'Data', rows, hiddenRows: [1, 4, 5, 9] }]));
    const sv = await runIn(['gap', path, '--min-group', '1', '--format', 'json']);
    expect(sv.stderr).toContain('  3 rader under rubrikraden är dolda i Excel (av ett filter eller för hand) och lästes ändå, som alla rader; ska de inte räknas, ta bort dem i Excel (eller exportera igen)\n');
    // Every row is read and paired, the hidden ones too.
    expect((JSON.parse(sv.stdout) as SheetReport).meta.coverage).toMatchObject({ paired: 16 });
    const en = await runIn(['gap', path, '--min-group', '1', '--lang', 'en']);
    expect(en.stderr).toContain('  3 rows below the header are hidden in Excel (by a filter or by hand) and were read all the same, like every row; if they are not to count, delete them in Excel (or export again)\n');
    const inspect = await runIn(['inspect', path]);
    expect(inspect.stdout.replace(/\n {6}/g, ' ')).toContain('  Problem:\n    3 rader under rubrikraden är dolda i Excel');
    const json = JSON.parse((await runIn(['inspect', path, '--format', 'json'])).stdout) as { files: { workbook: Record<string, unknown> }[] };
    expect(json.files[0]?.workbook).toMatchObject({ hidden_rows: 3 });
    // The same rows, none hidden: nothing said.
    const plain = join(dir, 'ofiltrerat.xlsx');
    writeFileSync(plain, writeWorkbook([{ name: 'Data', rows }]));
    expect((await runIn(['gap', plain, '--min-group', '1'])).stderr).not.toContain('dolda i Excel');
  });

  it('merged cells below the header: counted and said (a title merged above it is not)', async () => {
    const path = join(dir, 'sammanfogat.xlsx');
    const rows = [['Betyg vårterminen 2025'], ['Personnummer', 'Läsår', 'Ämne', 'Betyg', 'Provbetyg', 'Årskurs'], ...Array.from({ length: 6 }, (_, i) => [`2009010${i}1234`, i % 3 === 0 ? '2024/25' : null, 'Matematik', 'C', 'C', 9])];
    writeFileSync(path, writeWorkbook([{ name: 'Data', rows, merged: ['A1:F1', 'B3:B5', 'B6:B8'] }]));
    const sv = await runIn(['gap', path, '--min-group', '1']);
    expect(sv.stderr).toContain('  2 sammanfogade celler under rubrikraden: bara den första cellen har ett värde, de andra lästes som tomma; dela upp dem i Excel (Dela upp celler) och fyll i värdet i varje cell\n');
    // The cells Excel shows as merged are empty to the tool: their rows have no school year (a named reason too).
    expect(sv.stderr).toContain('  4 läsår/termin kunde inte tolkas');
    const en = await runIn(['inspect', path, '--lang', 'en']);
    expect(en.stdout.replace(/\n {6}/g, ' ')).toContain('    2 merged cells below the header row: only the first cell holds a value, the others were read as empty; unmerge them in Excel');
  });

  it('a copied sheet ("Betyg (2)") is read once, with a note, like a copied file; a hint names the workbook, which inspect can read', async () => {
    const path = join(dir, 'kopierat blad.xlsx');
    const rows = [['Personnummer', 'Läsår', 'Ämne', 'Betyg', 'Provbetyg', 'Årskurs'], ...Array.from({ length: 6 }, (_, i) => [`2009010${i}1234`, '2024/25', 'Matematik', 'C', 'B', 9])];
    writeFileSync(path, writeWorkbook([{ name: 'Betyg', rows }, { name: 'Betyg (2)', rows }]));
    const gap = await runIn(['gap', path, '--min-group', '1', '--format', 'json']);
    const json = report(gap) as unknown as SheetReport;
    expect(json.meta.files.map((file) => file.file)).toEqual([`${path}!Betyg`]);
    expect(json.meta.not_read).toEqual([{ file: `${path}!Betyg (2)`, reason: 'same_sheet' }]);
    expect(gap.stderr).toContain(`${path}!Betyg (2): samma innehåll som ett blad före det i arbetsboken (ett kopierat blad); lästes en gång\n`);
    const inspect = await runIn(['inspect', path]);
    expect(inspect.status, inspect.stderr).toBe(0);
    expect(inspect.stdout.replace(/\n {4}/g, ' ')).toContain('blad: Betyg (läses: det här bladet), Betyg (2) (samma innehåll som Betyg; lästes en gång)');
    // A sheet whose every row is rejected: the hint names the workbook (`file.xlsx!Sheet` is no file to give).
    const broken = join(dir, 'trasigt blad.xlsx');
    writeFileSync(broken, writeWorkbook([{ name: 'Betyg', rows }, { name: 'Prov', rows: [rows[0] ?? [], ['200901011234', 'igår', 'Matematik', 'C', 'B', 9]] }]));
    const stopped = await runIn(['gap', broken]);
    expect(stopped.status).toBe(2);
    expect(stopped.stderr).toContain(`${broken}!Prov:2: alla rader avvisades (1 rad; främst: läsår/termin kunde inte tolkas), så filen kan inte användas. Kör "ska-analyze inspect ${broken}" för att se varför.`);
    const named = await runIn(['inspect', broken]);
    expect(named.stdout).toContain(`${broken}!Prov\n`);
  });

  it('one stray value far to the right (column XFD) does not make every row 16 384 fields: the cell is left out and said, the rows read as without it', async () => {
    const path = join(dir, 'xfd.xlsx');
    const plain = join(dir, 'utan-xfd.xlsx');
    const rows: (string | number | null)[][] = [['Personnummer', 'Läsår', 'Ämne', 'Betyg', 'Provbetyg', 'Årskurs']];
    for (let i = 0; i < 3000; i++) {
      const pupil = Math.floor(i / 3);
      rows.push([`2009${String(1 + (pupil % 12)).padStart(2, '0')}${String(1 + (Math.floor(pupil / 12) % 28)).padStart(2, '0')}${1000 + pupil}`, '2024/25', ['Matematik', 'Svenska', 'Engelska'][i % 3] ?? 'Matematik', 'C', 'B', 9]);
    }
    writeFileSync(plain, writeWorkbook([{ name: 'Data', rows }]));
    const stray = [...(rows[4] ?? [])];
    stray[16_383] = 'anteckning';
    writeFileSync(path, writeWorkbook([{ name: 'Data', rows: [...rows.slice(0, 4), stray, ...rows.slice(5)] }]));
    const without = report(await runIn(['gap', plain, '--min-group', '1', '--format', 'json'])) as unknown as SheetReport;
    const result = await runIn(['gap', path, '--min-group', '1', '--format', 'json']);
    const json = report(result) as unknown as SheetReport;
    expect(json.meta.files[0]?.rows).toEqual(without.meta.files[0]?.rows);
    expect(json.meta.files[0]?.rejected).toEqual(without.meta.files[0]?.rejected);
    expect(json.meta.coverage).toEqual(without.meta.coverage);
    // The bytes read are the sheet's rows as they are, not padded to column XFD (3 000 × 16 384 separators).
    expect(json.meta.files[0]?.bytes).toBe(without.meta.files[0]?.bytes);
    expect(result.stderr).toContain('  1 cell med värde till höger om rubrikradens sista kolumn lästes inte (ingen kolumnrubrik att läsa den som)\n');
  });
});

describe('files that cannot be read: a clear message naming the file, exit 2, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-bad-'));

  it('a broken .xlsx', async () => {
    const path = join(dir, 'trasig.xlsx');
    writeFileSync(path, readFileSync(join(ROOT, OPENPYXL)).subarray(0, 2000));
    const result = await runIn(['gap', path]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `ska-analyze: ${path}: filen ser ut som en Excel-arbetsbok (.xlsx) men kan inte läsas: den är inte en hel zip-fil: avbruten när den laddades ned eller kopierades, eller inte en arbetsbok. Öppna den i Excel och spara den igen, eller spara bladet som "CSV UTF-8 (kommaavgränsad) (*.csv)"\n`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a sheet damaged past its first rows (found while reading, not when peeking): the sheet named, exit 2', async () => {
    const rows: (string | number)[][] = [['Personnummer', 'Läsår', 'Ämne', 'Betyg', 'Årskurs']];
    for (let i = 0; i < 40_000; i++) rows.push([200901011234 + i * 10, '2024/25', 'Matematik', 'C', 9]);
    const parts = workbookParts([{ name: 'Data', rows }]);
    const xml = parts.get('xl/worksheets/sheet1.xml') ?? '';
    parts.set('xl/worksheets/sheet1.xml', `${xml.slice(0, Math.floor(xml.length * 0.9))}<row r="x"><c><<<`);
    const path = join(dir, 'skadad.xlsx');
    writeFileSync(path, zipFiles(parts));
    const result = await runIn(['gap', path]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^ska-analyze: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}!Data: kan inte läsas \\(xl/worksheets/sheet1\\.xml: `));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a text file named .xlsx is read as the text it is', async () => {
    const path = join(dir, 'text.xlsx');
    writeFileSync(path, readFileSync(join(ROOT, CSV)));
    expect(report(await runIn(['gap', path, '--min-group', '1', '--format', 'json'])).rows).toEqual(report(await runOnce(['gap', CSV, '--format', 'json', '--min-group', '1'])).rows);
  });

  it('an old .xls and a password-protected workbook: what each is and what to do', async () => {
    const cfb = (names: readonly string[]): Buffer => {
      const header = Buffer.alloc(512);
      Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(header, 0);
      header.writeUInt16LE(9, 0x1e);
      header.writeUInt32LE(1, 0x30);
      const directory = Buffer.alloc(512);
      names.forEach((name, i) => Buffer.from(`${name}\0`, 'utf16le').copy(directory, 128 * i));
      return Buffer.concat([header, Buffer.alloc(512, 0xff), directory]);
    };
    const xls = join(dir, 'betyg.xls');
    writeFileSync(xls, cfb(['Root Entry', 'Workbook']));
    const old = await runIn(['gap', xls]);
    expect(old.status).toBe(2);
    expect(old.stderr).toContain(`ska-analyze: ${xls}: filen är en Excel-fil i det äldre .xls-formatet och läses inte (.xlsx och CSV läses). Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx)`);
    const locked = join(dir, 'betyg-lösenord.xlsx');
    writeFileSync(locked, cfb(['Root Entry', 'EncryptionInfo', 'EncryptedPackage']));
    const result = await runIn(['gap', locked, '--lang', 'en']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`ska-analyze: ${locked}: the workbook is password-protected (encrypted) and cannot be read. Open it in Excel, remove the password`);
    const sv = await runIn(['gap', '--reference', locked, CSV]);
    expect(sv.status).toBe(2);
    expect(sv.stderr).toContain(`${locked}: arbetsboken är lösenordsskyddad (krypterad) och kan inte läsas.`);
  });

  it('in a folder: each such file named with why it is not read, the rest read', async () => {
    const { mkdirSync } = await import('node:fs');
    const folder = join(dir, 'mapp');
    mkdirSync(folder);
    writeFileSync(join(folder, 'betyg-prov.csv'), readFileSync(join(ROOT, CSV)));
    writeFileSync(join(folder, 'gammal.xls'), Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1016)]));
    writeFileSync(join(folder, 'trasig.xlsx'), readFileSync(join(ROOT, OPENPYXL)).subarray(0, 500));
    const result = await runIn(['gap', folder, '--format', 'json']);
    expect(report(result).meta.files.map((file) => file.file)).toEqual([join(folder, 'betyg-prov.csv')]);
    expect(result.stderr).toContain(`${join(folder, 'gammal.xls')}: kalkylark i ett format som inte läses (.xls, .ods, .numbers); spara det som Excel-arbetsbok (.xlsx) eller som "CSV UTF-8"`);
    expect(result.stderr).toContain(`${join(folder, 'trasig.xlsx')}: Excel-arbetsbok som inte kan läsas (skadad eller lösenordsskyddad); lästes inte`);
  });

  it('a workbook with only hidden sheets says so', async () => {
    const path = join(dir, 'dold.xlsx');
    writeFileSync(path, writeWorkbook([{ name: 'Data', rows: [['Personnummer', 'Läsår', 'Ämne', 'Betyg']], hidden: true }]));
    const result = await runIn(['gap', path]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${path}: arbetsboken har inget synligt kalkylblad (1 dolt blad läses inte: visa bladet i Excel om det är det som ska läsas)`);
  });
});

describe('determinism', () => {
  it('the same workbook bytes give the same report, under any name; the writer gives the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-same-'));
    const copy = join(dir, 'kopia.xlsx');
    writeFileSync(copy, readFileSync(join(ROOT, XLSXWRITER)));
    const first = await runIn(['gap', XLSXWRITER, '--min-group', '1', '--format', 'csv']);
    const again = await runIn(['gap', XLSXWRITER, '--min-group', '1', '--format', 'csv']);
    const renamed = await runIn(['gap', copy, '--min-group', '1', '--format', 'csv']);
    expect(first.status).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(renamed.stdout).toBe(first.stdout);
    const csv = readFileSync(join(ROOT, CSV));
    expect(Buffer.compare(await csvToWorkbook(csv, 'betyg-prov.csv'), await csvToWorkbook(csv, 'betyg-prov.csv'))).toBe(0);
  });
});
