/**
 * `--reference` on Skolverket's real files as people use them: a school name that two
 * municipalities have, Riket from a file without a nation row, the .xlsx download (read by its
 * sheet), a CSV that
 * Excel re-saved, and 2017/18's file (far from this spring, with a remark above the header).
 * Every run is in-process (runIn / runOnce).
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runIn } from './run.js';
import { HOOK_TIMEOUT, runOnce } from './shared-runs.js';

const EXPORTS = 'fixtures/demo/exports';
const BY = ['--by', 'school_year,grade_level,subject'];
const GAP = ['gap', EXPORTS, ...BY];
const FULL = 'fixtures/skolverket/relation-ak9-2024-skolniva-full.csv';
const EXCERPT = 'fixtures/skolverket/relation-ak9-2024-skolniva.csv';
const NP_2024 = 'fixtures/skolverket/np-ak9-2024-kommun.csv';
const NP_2018 = 'fixtures/skolverket/np-ak9-2018-kommun.csv';
const XLSX = 'fixtures/skolverket/betyg-ak6-2025-kommun-utdrag.xlsx';

interface Row {
  school_year: string;
  grade_level: number;
  subject: string;
  level: string;
  metric: string;
  reference: number | null;
  reference_school_year: string;
  reference_years_apart: number | null;
}

interface Report {
  reference: {
    label: string;
    files: { file: string; label: string; scope: string; remarks: string[] }[];
    far_years: { school_year: string; reference_school_year: string; years_apart: number; file: string | null; rows: number }[];
    rows: Row[];
  };
}

async function json(args: string[]): Promise<Report> {
  const result = await runOnce([...GAP, '--quiet', '--format', 'json', ...args]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

const total = (rows: Row[], year: string, subject: string, metric: string) => rows.find((r) => r.school_year === year && r.grade_level === 9 && r.subject === subject && r.level === 'total' && r.metric === metric);

describe('--reference-unit: a school name in several municipalities', () => {
  it('"Stureskolan" stops the run (exit 2) before the exports are read, listing Arboga and Boden', async () => {
    const result = await runIn([...GAP, '--reference', FULL, '--reference-unit', 'Stureskolan']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`ska-analyze: ${FULL}: "Stureskolan" är namnet på 2 skolor i olika kommuner:\n`);
    expect(result.stderr).toContain('  Stureskolan, Arboga (skolenhetskod 13854755, rad 27)\n  Stureskolan, Boden (skolenhetskod 83862028, rad 46)\n');
    expect(result.stderr).not.toContain('rader lästa'); // no export was read
    const en = await runIn([...GAP, '--reference', FULL, '--reference-unit', 'Stureskolan', '--lang', 'en']);
    expect(en.status).toBe(2);
    expect(en.stderr).toContain('"Stureskolan" is the name of 2 schools in different municipalities:');
  });

  it('"Stureskolan, Arboga" is that school: Matematik 2023/24, 15,2 % higher', async () => {
    const report = await json(['--reference', FULL, '--reference-unit', 'Stureskolan, Arboga']);
    expect(report.reference.label).toBe('Stureskolan (Arboga)');
    expect(total(report.reference.rows, '2023/24', 'MA', 'share_higher')?.reference).toBe(0.152);
    const byCode = await json(['--reference', FULL, '--reference-unit', '13854755']);
    expect(byCode.reference.rows).toEqual(report.reference.rows.map((row) => ({ ...row, reference_label: 'Stureskolan' })));
  }, HOOK_TIMEOUT);
});

describe('--reference-unit Riket in files without a nation row', () => {
  it('the full school file: Riket is all 1 502 schools pooled; the table and stderr say so', async () => {
    const report = await json(['--reference', FULL, '--reference-unit', 'Riket']);
    expect(report.reference.label).toBe('Riket (alla 1\u00a0502 skolor i filen)');
    expect(report.reference.files[0]).toMatchObject({ scope: 'whole_country', label: 'Riket (alla 1\u00a0502 skolor i filen)' });
    const result = await runOnce([...GAP, '--reference', FULL, '--reference-unit', 'Riket']);
    expect(result.status).toBe(0);
    const note = `${FULL}: filen har ingen rad för riket, så Riket är ett vägt medelvärde av alla 1 502 skolor i filen (de ligger i landets alla 290 kommuner).`;
    expect(result.stderr.replace(/\s+/g, ' ')).toContain(`ska-analyze: ${note}`);
    expect(result.stdout).toContain('Jämfört med referens: Riket (alla 1\u00a0502 skolor i filen) (2023/24)');
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(note);
  }, HOOK_TIMEOUT);

  it('an excerpt: "alla enheter i filen (70)", not Riket, and stderr says why', async () => {
    const result = await runOnce([...GAP, '--reference', EXCERPT, '--reference-unit', 'Riket']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Jämfört med referens: alla enheter i filen (70) (2023/24)');
    expect(result.stdout).not.toContain('Jämfört med referens: Riket');
    expect(result.stderr.replace(/\s+/g, ' ')).toContain('filen har ingen rad för riket och dess 70 skolor ligger i 25 av landets 290 kommuner (ett utdrag?)');
  }, HOOK_TIMEOUT);

  it('the README\'s config ("reference_unit": "Riket") with the municipality NP file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-riket-'));
    writeFileSync(join(dir, 'np.csv'), readFileSync(join(ROOT, NP_2024)));
    const config = join(dir, 'ska.config.json');
    writeFileSync(config, '{ "reference": "np.csv", "reference_unit": "Riket" }\n');
    const result = await runIn([...GAP, '--quiet', '--format', 'json', '--config', config]);
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as Report).reference.label).toBe('Riket (alla 290 kommuner i filen)');
  }, HOOK_TIMEOUT);
});

describe('Excel files', () => {
  it('Skolverket\'s .xlsx as --reference: read by its sheet, the same reference figures as the CSV of the same lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-xlsx-ref-'));
    const csv = join(dir, 'betyg-ak6-2025-kommun-utdrag.csv');
    writeFileSync(csv, readFileSync(join(ROOT, 'fixtures/skolverket/betyg-ak6-2025-kommun.csv'), 'utf8').split('\n').slice(0, 10).join('\n'));
    const args = ['gap', EXPORTS, '--by', 'school_year,grade_level', '--format', 'json', '--reference-unit', 'Ale', '--reference-provider', 'Samtliga'];
    const fromXlsx = await runIn([...args, '--reference', XLSX]);
    const fromCsv = await runIn([...args, '--reference', csv]);
    expect(fromXlsx.status, fromXlsx.stderr).toBe(0);
    expect(fromCsv.status, fromCsv.stderr).toBe(0);
    const xlsx = JSON.parse(fromXlsx.stdout) as Report;
    const plain = JSON.parse(fromCsv.stdout) as Report;
    expect(xlsx.reference.files.map((file) => file.file)).toEqual([XLSX]);
    // The table read (its layout, title, school year, the unit chosen), and what it was compared with (the demo has no 2024/25 år 6 group, so no rows).
    const strip = (report: Report) => ({ ...report.reference, files: report.reference.files.map(({ file: _file, sha256: _sha, ...rest }: Report['reference']['files'][number] & { sha256?: string }) => rest) });
    expect(strip(xlsx)).toEqual(strip(plain));
    expect(xlsx.reference.files[0]).toMatchObject({ layout: 'skolverket_grades6', school_year: '2024/25', label: 'Ale' });
    expect(fromXlsx.stderr).not.toContain('recognisable header');
  }, HOOK_TIMEOUT);

  it('the same .xlsx given as an export: its sheet is read and found to lack an export\'s columns, named file.xlsx!Sheet; in a folder: noted, the rest read', async () => {
    const named = await runIn(['gap', XLSX, '--lang', 'en']);
    expect(named.status).toBe(2);
    expect(named.stderr).toContain(`ska-analyze: ${XLSX}!Kommun:`);
    expect(named.stderr).toContain('required column missing: student_id');
    expect(named.stderr).not.toContain('Excel workbook (.xlsx)');
    const dir = mkdtempSync(join(tmpdir(), 'ska-folder-'));
    for (const name of readdirSync(join(ROOT, EXPORTS))) cpSync(join(ROOT, EXPORTS, name), join(dir, name));
    writeFileSync(join(dir, 'betyg-export.csv'), readFileSync(join(ROOT, XLSX))); // a workbook under a .csv name
    writeFileSync(join(dir, 'trasig.xlsx'), readFileSync(join(ROOT, XLSX)).subarray(0, 300)); // cut short
    const folder = await runIn(['gap', dir, ...BY, '--format', 'json']);
    expect(folder.status).toBe(0);
    expect(folder.stderr).toContain(`${join(dir, 'betyg-export.csv')}!Kommun: inte en export; lästes inte (ingen kolumn för elev-id, läsår, ämne)`);
    expect(folder.stderr).toContain(`${join(dir, 'trasig.xlsx')}: Excel-arbetsbok som inte kan läsas (skadad eller lösenordsskyddad); lästes inte`);
    const report = JSON.parse(folder.stdout) as { meta: { files: { file: string }[] } };
    expect(report.meta.files.map((file) => file.file)).toEqual(readdirSync(join(ROOT, EXPORTS)).sort().map((name) => join(dir, name)));
  }, HOOK_TIMEOUT);

  it('a municipality file re-saved by Excel (180 for 0180, rows padded with ";"): Stockholm by 0180, and said what was mended', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-resaved-'));
    const lines = readFileSync(join(ROOT, NP_2024), 'utf8').replace(/^\uFEFF/, '').replace(/\n+$/, '').split('\n');
    const width = Math.max(...lines.map((line) => line.split(';').length));
    const resaved = lines.map((line) => {
      const cells = line.split(';').map((cell) => (/^0\d+$/.test(cell) ? String(Number(cell)) : cell));
      while (cells.length < width) cells.push('');
      return cells.join(';');
    });
    const file = join(dir, 'np-excel.csv');
    writeFileSync(file, `${[...resaved, ';'.repeat(width - 1), ';'.repeat(width - 1)].join('\r\n')}\r\n`);
    const result = await runIn([...GAP, '--format', 'json', '--reference', file, '--reference-unit', '0180']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.reference.label).toBe('Stockholm');
    expect(total(report.reference.rows, '2023/24', 'MA', 'share_pass_test')?.reference).toBe(0.901);
    expect(result.stderr).toMatch(/rader hade koder utan sina inledande nollor \(rad \d+: 764 → 0764\)/);
  }, HOOK_TIMEOUT);
});

describe('a reference far from the group\'s year, with Skolverket\'s remark (2017/18)', () => {
  it('the table warns, says how far in each heading, and passes the remark on', async () => {
    const result = await runOnce([...GAP, '--reference', NP_2018, '--reference-unit', 'Ale']);
    expect(result.status).toBe(0);
    const text = result.stdout.replace(/[ \t]*\n[ \t]*/g, '\n');
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Obs! Referensen är från ett annat läsår än grupperna: 2022/23 jämförs med 2017/18 (5 läsår tidigare), 2023/24 med 2017/18 (6 läsår tidigare) och 2024/25 med 2017/18 (7 läsår tidigare).',
    );
    expect(text).toContain('2024/25 · åk 9 · Engelska (referens 2017/18, närmast föregående läsår, 7 läsår tidigare)');
    expect(text.replace(/\s+/g, ' ')).toContain(`Skolverkets anmärkning om läsåret 2017/18 (${NP_2018}): Under vårterminen 2018 fanns indikationer på att vissa av de nationella delproven i årskurs 9 hade varit åtkomliga på förhand.`);
    // stderr: the remark, as soon as the file is read.
    expect(result.stderr.replace(/\s+/g, ' ')).toContain(`ska-analyze: ${NP_2018}: Skolverkets anmärkning om läsåret 2017/18: Under vårterminen 2018`);
  }, HOOK_TIMEOUT);

  it('JSON: far_years, each row\'s distance, the file\'s remark', async () => {
    const report = await json(['--reference', NP_2018, '--reference-unit', 'Ale']);
    expect(report.reference.far_years.map((far) => [far.school_year, far.reference_school_year, far.years_apart])).toEqual([
      ['2022/23', '2017/18', 5],
      ['2023/24', '2017/18', 6],
      ['2024/25', '2017/18', 7],
    ]);
    expect(total(report.reference.rows, '2024/25', 'EN', 'share_pass_test')).toMatchObject({ reference: 0.969, reference_school_year: '2017/18', reference_years_apart: 7 });
    expect(report.reference.files[0]?.remarks[0]).toMatch(/^Under vårterminen 2018 fanns indikationer/);
  }, HOOK_TIMEOUT);

  it('two files of different years: each row (table, JSON, CSV) says which year its reference is from', async () => {
    const files = ['--reference', NP_2018, '--reference', EXCERPT, '--reference-unit', 'Ale'];
    const report = await json(files);
    expect(total(report.reference.rows, '2024/25', 'EN', 'share_pass_test')?.reference_school_year).toBe('2017/18');
    expect(total(report.reference.rows, '2024/25', 'EN', 'share_higher')?.reference_school_year).toBe('2023/24');
    const table = await runOnce([...GAP, '--quiet', ...files]);
    expect(table.stdout).toMatch(/│ Referens │ Ref\.-läsår │/);
    expect(table.stdout).toMatch(/│ Provbetyg A–E\s+│[^│]+│[^│]+│ 2017\/18\s+│/);
    expect(table.stdout).toMatch(/│ Högre betyg än prov\s+│[^│]+│[^│]+│ 2023\/24\s+│/);
    const csv = await runOnce([...GAP, '--quiet', ...files, '--format', 'csv']);
    const [head = '', ...lines] = csv.stdout.trim().split('\n');
    const columns = head.split(',');
    const row = (lines.find((line) => line.startsWith('2024/25,9,EN,')) ?? '').split(',');
    expect(row[columns.indexOf('ref_share_pass_test_school_year')]).toBe('2017/18');
    expect(row[columns.indexOf('ref_share_higher_school_year')]).toBe('2023/24');
    expect(row[columns.indexOf('ref_school_year')]).toBe('2017/18 / 2023/24');
  }, HOOK_TIMEOUT);

  it('the board report (HTML) carries the warning and the remark', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ska-report-'));
    const out = join(dir, 'rapport.html');
    const result = await runIn(['report', EXPORTS, '--areas', 'fixtures/demo/skolomraden.csv', '--reference', NP_2018, '--reference-unit', 'Ale', '-q', '-o', out]);
    expect(result.status).toBe(0);
    const html = readFileSync(out, 'utf8').replace(/\s+/g, ' ');
    expect(html).toContain('Obs! Referensen är från ett annat läsår än grupperna: 2024/25 jämförs med 2017/18 (7 läsår tidigare).');
    expect(html).toContain('Skolverkets anmärkning om läsåret 2017/18');
  }, HOOK_TIMEOUT);
});
