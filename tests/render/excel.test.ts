/**
 * `--excel` for people (issue 13): excel.ts on the demo municipality's real results (the JSON
 * rows are the flat rows flattenGap, flattenTransition and flattenTrend give), written by
 * writeCsv as --excel writes them and read back as a Swedish spreadsheet reads them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GapCase } from '../../src/analysis/gap.js';
import type { TransitionCase } from '../../src/analysis/transition.js';
import { writeCsv, type CsvValue } from '../../src/render/csv.js';
import { excelGap, excelGapCases, excelTransition, excelTransitionCases, excelTrend, type ExcelSheet, type ExcelTransitionRow, type ExcelTrendRow } from '../../src/render/excel.js';
import type { GapFlatRow } from '../../src/render/gap-rows.js';
import type { ReportSection } from '../../src/render/sections.js';
import { SUBJECT_NAMES, SUBJECT_NAMES_EN } from '../../src/normalise/subject.js';
import type { Dimension } from '../../src/types.js';
import { HOOK_TIMEOUT, runOnce } from '../cli/shared-runs.js';
import { column, headerOf, readAsCalc, valueOf, type CalcSheet } from './excel-calc.js';

const DEMO = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '-q'];

interface Report<R> {
  meta: { parameters: Record<string, unknown> };
  rows: R[];
}

async function json<R>(args: readonly string[]): Promise<Report<R>> {
  const result = await runOnce([...args, ...DEMO, '--format', 'json']);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report<R>;
}

/** The sheet as --excel writes it, read back as Calc (sv-SE) reads it. */
function calc(sheet: ExcelSheet): CalcSheet {
  return readAsCalc(Buffer.from(writeCsv(sheet.header, sheet.rows, { excel: true }), 'utf8'));
}

const byOf = (report: Report<unknown>) => report.meta.parameters.by as Dimension[];
const link = { fromLevel: 5, toLevel: 6 };

/**
 * Every cell of a figure column is a number or empty; every cell of a word column is text or
 * empty. `words`: the columns that hold words (everything else is a figure).
 */
function expectTyped(sheet: CalcSheet, words: readonly string[]): void {
  const header = headerOf(sheet);
  for (const name of words) expect(header, name).toContain(name);
  header.forEach((name, index) => {
    const kinds = new Set(sheet.rows.slice(1).map((row) => row[index]?.kind ?? 'empty'));
    if (words.includes(name)) expect(kinds.has('number'), `${name} holds a number`).toBe(false);
    else expect(kinds.has('text'), `${name} holds text`).toBe(false);
  });
}

/** A hidden row (Anmärkning says why) has no figure at all: empty cells, never 0. */
function expectHiddenEmpty(sheet: CalcSheet, keep: readonly string[]): number {
  const header = headerOf(sheet);
  const note = header.indexOf('Anmärkning');
  let hidden = 0;
  for (const row of sheet.rows.slice(1)) {
    if (valueOf(row[note]) === null) continue;
    hidden++;
    header.forEach((name, index) => {
      if (keep.includes(name) || index === note) return;
      expect(valueOf(row[index]), `${name} of a hidden row`).toBeNull();
    });
  }
  return hidden;
}

/** Subjects by name, never by code: every value is one of `names`, and there are several. */
function expectNames(values: ReadonlySet<unknown>, names: Readonly<Record<string, string>>): void {
  expect(values.size).toBeGreaterThan(3);
  for (const value of values) expect(Object.values(names)).toContain(value);
}

const SV_GROUP = ['Läsår', 'Åk', 'Område', 'Skola', 'Ämne', 'Nivå'];

describe('excelGap', () => {
  let report: Report<GapFlatRow>;
  let sheet: CalcSheet;
  beforeAll(async () => {
    report = await json<GapFlatRow>(['gap']);
    sheet = calc(excelGap(report.rows, { by: byOf(report), lang: 'sv' }));
  }, HOOK_TIMEOUT);

  it('opens in a Swedish spreadsheet with nothing to fix: BOM, ;, CRLF, numbers numeric, no formula', () => {
    expect(sheet.problems).toEqual([]);
    expect(sheet.rows).toHaveLength(report.rows.length + 1);
  });

  it('has Swedish column names matching the table, in its order, no English keys', () => {
    const header = headerOf(sheet);
    expect(header.slice(0, 27)).toEqual([
      ...SV_GROUP,
      'Elever',
      'Högre (%)',
      'Lika (%)',
      'Lägre (%)',
      'Netto (procentenheter)',
      'Medeldiff (betygspoäng)',
      'Medeldiff, 95 % KI låg',
      'Medeldiff, 95 % KI hög',
      'Std-diff (betygspoäng)',
      'Std-diff, 95 % KI låg',
      'Std-diff, 95 % KI hög',
      'Tratt',
      'Minst E betyg (%)',
      'Minst E prov (%)',
      'κw',
      'Mot övriga',
      'Utan prov',
      'Utan betyg',
      'Anmärkning',
      'Medeldiff (steg)',
      'Std-diff (steg)',
    ]);
    expect(header.slice(-11)).toEqual(['Steg −5', 'Steg −4', 'Steg −3', 'Steg −2', 'Steg −1', 'Steg 0', 'Steg +1', 'Steg +2', 'Steg +3', 'Steg +4', 'Steg +5']);
    expect(header.filter((name) => /^[a-z0-9_]+$/.test(name) || /^[md]_/.test(name))).toEqual([]);
    expect(new Set(header).size).toBe(header.length);
    // Far fewer than the 99 columns of --format csv: no matrix, no limits, no intervals of the shares.
    expect(header.length).toBeLessThan(60);
  });

  it('types every cell: figures numeric, words text', () => {
    expectTyped(sheet, [...SV_GROUP.filter((name) => name !== 'Åk'), 'Tratt', 'Mot övriga', 'Anmärkning', 'Jämförs med']);
  });

  it('rounds as the table shows (whole %, one decimal for grade points) and keeps the figures the analysis gave', () => {
    let checked = 0;
    report.rows.forEach((row, i) => {
      const cells = sheet.rows[i + 1] ?? [];
      const at = (name: string) => valueOf(cells[headerOf(sheet).indexOf(name)]);
      if (row.n === null) return;
      expect(at('Elever')).toBe(row.n);
      expect(at('Högre (%)')).toBe(Number(((row.share_higher ?? NaN) * 100).toFixed(0)));
      expect(at('Lägre (%)')).toBe(Number(((row.share_lower ?? NaN) * 100).toFixed(0)));
      expect(at('Medeldiff (betygspoäng)')).toBe(Number((row.mean_diff ?? NaN).toFixed(1)) || 0);
      if (row.kappa_w !== null) expect(at('κw')).toBe(Number(row.kappa_w.toFixed(2)) || 0);
      // Netto is Högre − Lägre as shown, so the row adds up; it is never more than 1 off the exact net gap.
      expect(at('Netto (procentenheter)')).toBe((at('Högre (%)') as number) - (at('Lägre (%)') as number));
      expect(Math.abs((at('Netto (procentenheter)') as number) - (row.net_gap ?? NaN) * 100)).toBeLessThanOrEqual(1);
      expect(at('Utan prov')).toBe(row.n_grade_only);
      if (row.vs_total_p !== null) expect(at('Mot övriga p')).toBe(Number(row.vs_total_p.toPrecision(3)));
      const steps = Array.from({ length: 11 }, (_, k) => at(`Steg ${k < 5 ? '−' : k > 5 ? '+' : ''}${Math.abs(k - 5)}`) as number);
      expect(steps.reduce((a, b) => a + b, 0)).toBe(row.n);
      checked++;
    });
    expect(checked).toBeGreaterThan(300);
    // Figures as people read them: shares 0–100, negatives numeric.
    for (const cell of column(sheet, 'Högre (%)')) if (cell.kind === 'number') expect(cell.value).toBeGreaterThanOrEqual(0);
    expect(column(sheet, 'Std-diff (betygspoäng)').some((cell) => cell.kind === 'number' && cell.value < 0)).toBe(true);
  });

  it('says verdicts, flags, subjects and levels in Swedish words', () => {
    const words = (name: string) => new Set(column(sheet, name).map(valueOf).filter((v) => v !== null));
    expect(words('Ämne')).toContain('Svenska som andraspråk');
    expectNames(words('Ämne'), SUBJECT_NAMES);
    expect(words('Nivå')).toEqual(new Set(['Totalt', 'Område', 'Skola']));
    expect(words('Mot övriga')).toEqual(new Set(['i nivå', 'högre', 'lägre']));
    for (const flag of words('Tratt')) expect(['inom', 'högre, utanför 95 %', 'högre, utanför 99,8 %', 'lägre, utanför 95 %', 'lägre, utanför 99,8 %']).toContain(flag);
    expect(words('Tratt').has('inom')).toBe(true);
    expect(words('Anmärkning')).toEqual(new Set(['för få elever', 'dold för att skydda en liten grupp']));
    expect(words('Jämförs med')).toEqual(new Set(['övriga kommunen']));
  });

  it('leaves every figure of a hidden group empty, never 0', () => {
    const hidden = expectHiddenEmpty(sheet, SV_GROUP);
    expect(hidden).toBe(report.rows.filter((row) => row.suppressed).length);
    expect(hidden).toBeGreaterThan(50);
  });

  it('gives English names in the same layout with --lang en', () => {
    const english = excelGap(report.rows, { by: byOf(report), lang: 'en' });
    const swedish = excelGap(report.rows, { by: byOf(report), lang: 'sv' });
    expect(english.header).toHaveLength(swedish.header.length);
    expect(english.header.slice(0, 10)).toEqual(['Year', 'Level', 'Area', 'School', 'Subject', 'Group level', 'Pupils', 'Higher (%)', 'Same (%)', 'Lower (%)']);
    expect(english.header).toContain('Note');
    // The same figures; only the words differ.
    const figure = english.header.indexOf('Mean diff (grade points)');
    expect(english.rows.map((row) => row[figure])).toEqual(swedish.rows.map((row) => row[swedish.header.indexOf('Medeldiff (betygspoäng)')]));
    expectNames(new Set(english.rows.map((row) => row[english.header.indexOf('Subject')])), SUBJECT_NAMES_EN);
    expect(calc(english).problems).toEqual([]);
  });
});

describe('excelGap with gender and --shrink', () => {
  it('adds the gender gap and the shrunk std-diff only when asked for, Flickor/Pojkar as words', async () => {
    const report = await json<GapFlatRow>(['gap', '--by', 'school_year,grade_level,area,subject,gender', '--shrink']);
    const with_ = excelGap(report.rows, { by: byOf(report), lang: 'sv', shrink: true });
    const sheet = calc(with_);
    expect(sheet.problems).toEqual([]);
    expect(with_.header).toContain('Könsskillnad, flickor − pojkar (betygspoäng)');
    expect(with_.header).toContain('Std-diff krympt (betygspoäng)');
    expect(new Set(column(sheet, 'Kön').map(valueOf))).toEqual(new Set([null, 'Flickor', 'Pojkar']));
    expect(column(sheet, 'Könsskillnad, flickor − pojkar (betygspoäng)').some((cell) => cell.kind === 'number' && cell.value < 0)).toBe(true);
    const without = excelGap(report.rows, { by: ['school_year', 'grade_level', 'area', 'subject'], lang: 'sv' });
    expect(without.header.filter((name) => name.startsWith('Könsskillnad') || name.includes('krympt'))).toEqual([]);
  });
});

describe('excelTransition', () => {
  let report: Report<ExcelTransitionRow>;
  let sheet: CalcSheet;
  beforeAll(async () => {
    report = await json<ExcelTransitionRow>(['transition']);
    sheet = calc(excelTransition(report.rows, { by: byOf(report), lang: 'sv', link }));
  }, HOOK_TIMEOUT);

  it('opens with nothing to fix, with the table\'s Swedish headings', () => {
    expect(sheet.problems).toEqual([]);
    expect(headerOf(sheet).slice(0, 20)).toEqual([
      'Område',
      'Skola',
      'Ämne',
      'Nivå',
      'Bedömning',
      'Elever',
      'Godkänt åk 5 (%)',
      'Godkänt åk 6 (%)',
      'Skillnad (procentenheter)',
      'Skillnad, KI låg (procentenheter)',
      'Skillnad, KI hög (procentenheter)',
      'G→G',
      'G→IG',
      'IG→G',
      'IG→IG',
      'p',
      'p, justerat (BH)',
      'Saknar åk 6',
      'Saknar åk 5',
      'Anmärkning',
    ]);
    expectTyped(sheet, ['Område', 'Skola', 'Ämne', 'Nivå', 'Bedömning', 'Anmärkning']);
  });

  it('rounds as the table, Skillnad adds up, p-values keep three digits however small', () => {
    const header = headerOf(sheet);
    let checked = 0;
    report.rows.forEach((row, i) => {
      if (row.n === null) return;
      const at = (name: string) => valueOf(sheet.rows[i + 1]?.[header.indexOf(name)]);
      expect(at('Godkänt åk 5 (%)')).toBe(Number(((row.share_pass_from ?? NaN) * 100).toFixed(0)));
      expect(at('Skillnad (procentenheter)')).toBe((at('Godkänt åk 5 (%)') as number) - (at('Godkänt åk 6 (%)') as number));
      expect(at('p')).toBe(Number((row.p_value ?? NaN).toPrecision(3)));
      expect(at('G→G')).toBe(row.pass_pass);
      checked++;
    });
    expect(checked).toBeGreaterThan(20);
    // The strict area's p-value is far below 0,001: a number still, not "7,9e-9" (text in Calc).
    expect(column(sheet, 'p').some((cell) => cell.kind === 'number' && cell.value > 0 && cell.value < 1e-6)).toBe(true);
    expect(new Set(column(sheet, 'Bedömning').map(valueOf))).toEqual(new Set([null, 'i linje', 'sträng', 'generös']));
  });

  it('leaves a hidden group empty', () => {
    expect(expectHiddenEmpty(sheet, ['Område', 'Skola', 'Ämne', 'Nivå'])).toBe(report.rows.filter((row) => row.n === null).length);
  });

  it('names the years it links (--from/--to) and speaks English with --lang en', () => {
    const other = excelTransition(report.rows, { by: byOf(report), lang: 'sv', link: { fromLevel: 6, toLevel: 9 } });
    expect(other.header).toContain('Godkänt åk 6 (%)');
    expect(other.header).toContain('Saknar åk 9');
    const english = excelTransition(report.rows, { by: byOf(report), lang: 'en', link });
    expect(english.header.slice(4, 9)).toEqual(['Verdict', 'Pupils', 'Pass yr 5 (%)', 'Pass yr 6 (%)', 'Difference (percentage points)']);
    expect(english.header).toHaveLength(other.header.length);
  });
});

describe('excelTrend', () => {
  let report: Report<ExcelTrendRow>;
  let sheet: CalcSheet;
  beforeAll(async () => {
    report = await json<ExcelTrendRow>(['trend']);
    sheet = calc(excelTrend(report.rows, 'sv'));
  }, HOOK_TIMEOUT);

  it('opens with nothing to fix, in Swedish, words as text and figures as numbers', () => {
    expect(sheet.problems).toEqual([]);
    const header = headerOf(sheet);
    expect(header.slice(0, 10)).toEqual(['Analys', 'Läsår', 'Åk', 'Område', 'Skola', 'Ämne', 'Nivå', 'Elever', 'Riktning', 'Mot kommunen']);
    expect(header).toContain('Högre, förändring (procentenheter)');
    expect(header).toContain('Medeldiff, förändring under perioden (betygspoäng)');
    const words = header.filter((name) => /^(Analys|Läsår|Område|Skola|Ämne|Nivå|Riktning|Mot kommunen|Anmärkning|Samma riktning|Samma läge mot kommunen)$/.test(name) || /(säker förändring|periodens första läsår)/.test(name));
    expectTyped(sheet, words);
    expect(new Set(column(sheet, 'Analys').map(valueOf))).toEqual(new Set(['Betyg mot prov', 'År 5 mot år 6']));
  });

  it('gives a change that adds up with the two years\' figures as shown', () => {
    const header = headerOf(sheet);
    const rows = sheet.rows.slice(1);
    const key = (row: (typeof rows)[number]) => JSON.stringify(['Analys', 'Åk', 'Område', 'Skola', 'Ämne', 'Nivå'].map((name) => valueOf(row[header.indexOf(name)])));
    const byKeyYear = new Map(rows.map((row) => [`${key(row)}|${String(valueOf(row[header.indexOf('Läsår')]))}`, row]));
    let checked = 0;
    for (const row of rows) {
      const year = String(valueOf(row[header.indexOf('Läsår')]));
      const previous = year === '2023/24' ? '2022/23' : year === '2024/25' ? '2023/24' : null;
      const before = previous ? byKeyYear.get(`${key(row)}|${previous}`) : undefined;
      for (const name of ['Högre', 'Lägre', 'År 6 minst E']) {
        const change = valueOf(row[header.indexOf(`${name}, förändring (procentenheter)`)]);
        if (change === null || !before) continue;
        const now = valueOf(row[header.indexOf(`${name} (%)`)]) as number;
        const then = valueOf(before[header.indexOf(`${name} (%)`)]) as number;
        expect(change).toBe(now - then);
        checked++;
      }
      const mean = valueOf(row[header.indexOf('Medeldiff, förändring (betygspoäng)')]);
      if (mean !== null && before) {
        const now = valueOf(row[header.indexOf('Medeldiff (betygspoäng)')]) as number;
        const then = valueOf(before[header.indexOf('Medeldiff (betygspoäng)')]) as number;
        expect(mean).toBeCloseTo(now - then, 10);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('leaves a hidden year empty but keeps the series\' streak', () => {
    const keep = ['Analys', 'Läsår', 'Åk', 'Område', 'Skola', 'Ämne', 'Nivå', 'Samma riktning (år i rad)', 'Samma riktning', 'Samma läge mot kommunen (år i rad)', 'Samma läge mot kommunen'];
    // The period change is the series' own (first and latest year with figures): repeated on a hidden year.
    const header = headerOf(sheet);
    const series = header.filter((name) => /(under perioden|periodens första läsår)/.test(name));
    expect(expectHiddenEmpty(sheet, [...keep, ...series])).toBeGreaterThan(10);
  });
});

describe('the trend change of figures that round apart', () => {
  const row = (year: string, share: number, change: number | null): ExcelTrendRow => ({
    analysis: 'gap',
    school_year: year,
    school: 'Ekbackens skola',
    level: 'school',
    n: 50,
    suppressed_reason: null,
    share_higher: share,
    share_higher_change_prev: change,
    share_higher_change_prev_sign: change === null ? null : 'stable',
    share_higher_change_period: 0.5 - 0.104,
    share_higher_change_period_from: '2022/23',
    share_higher_change_period_sign: 'up',
    streak: 0,
  });
  // 10,4 % → 9,6 %: both shown as 10 %; the exact change −0,8 would show as −1 beside them.
  const rows = [row('2022/23', 0.104, null), row('2023/24', 0.096, 0.096 - 0.104), row('2024/25', 0.5, 0.5 - 0.096)];
  const sheet = excelTrend(rows, 'sv');
  const at = (r: number, name: string) => sheet.rows[r]?.[sheet.header.indexOf(name)];

  it('is the difference of the shown figures, not the exact change rounded', () => {
    expect([at(0, 'Högre (%)'), at(1, 'Högre (%)'), at(2, 'Högre (%)')]).toEqual([10, 10, 50]);
    expect(at(1, 'Högre, förändring (procentenheter)')).toBe(0);
    expect(at(2, 'Högre, förändring (procentenheter)')).toBe(40);
    expect(at(0, 'Högre, förändring (procentenheter)')).toBeNull();
    // Over the period: latest (50) minus the first year (10), on every row of the series.
    expect([0, 1, 2].map((r) => at(r, 'Högre, förändring under perioden (procentenheter)'))).toEqual([40, 40, 40]);
    expect(at(1, 'Högre, säker förändring')).toBe('nej');
    expect(at(0, 'Högre, säker förändring under perioden')).toBe('ökning');
  });
});

describe('excel sections (--compare-with, --reference)', () => {
  const section = (csvColumns: string[], cells: CsvValue[]): ReportSection => ({ key: 'x', json: null, table: () => '', csvColumns, csvCells: () => cells });
  const row = { school_year: '2024/25', area: 'Norra', level: 'area', n: 120, suppressed: false, suppressed_reason: null, share_higher: 0.2349, share_lower: 0.05, mean_diff: 0.44, diff_steps: null } as unknown as GapFlatRow;

  it('translates the comparison\'s and the reference\'s columns and rounds their figures', () => {
    const compare = section(
      ['before_school_year', 'n_before', 'share_higher_before', 'share_higher_change', 'share_higher_change_sign', 'mean_diff_before', 'mean_diff_change', 'mean_diff_change_sign'],
      ['2023/24', 110, 0.175, 0.0599, 'up', 0.26, 0.18, 'stable'],
    );
    const reference = section(
      ['ref_share_higher', 'ref_share_higher_diff', 'ref_share_higher_verdict', 'ref_share_higher_status', 'ref_mean_points_test', 'ref_mean_points_test_diff', 'ref_mean_points_test_verdict', 'ref_mean_points_test_status', 'ref_school_year'],
      [0.181, 0.0539, 'worse', 'ok', null, null, null, 'too_few', '2024/25'],
    );
    const sheet = excelGap([row], { by: ['school_year', 'area'], lang: 'sv', sections: [compare, reference] });
    const tail = Object.fromEntries(sheet.header.map((name, i) => [name, sheet.rows[0]?.[i] ?? null]).slice(-17));
    expect(tail).toEqual({
      'Läsår före': '2023/24',
      'Elever före': 110,
      'Högre före (%)': 18,
      // 23 % now, 18 % before: +5, as shown (the exact 5,99 would say +6).
      'Högre, förändring (procentenheter)': 5,
      'Högre, säker förändring': 'ökning',
      'Medeldiff före (betygspoäng)': 0.3,
      'Medeldiff, förändring (betygspoäng)': 0.1,
      'Medeldiff, säker förändring': 'nej',
      'Referens: Högre betyg än prov (%)': 18.1,
      'Skillnad mot referens: Högre betyg än prov (procentenheter)': 5.4,
      'Mot referens: Högre betyg än prov': 'sämre',
      'Referensstatus: Högre betyg än prov': null,
      'Referens: Provbetygspoäng (medel) (betygspoäng)': null,
      'Skillnad mot referens: Provbetygspoäng (medel) (betygspoäng)': null,
      'Mot referens: Provbetygspoäng (medel)': null,
      'Referensstatus: Provbetygspoäng (medel)': 'dold (för få elever)',
      'Referensens läsår': '2024/25',
    });
    expect(sheet.header.filter((name) => /^[a-z_]+$/.test(name))).toEqual([]);
    expect(calc(sheet).problems).toEqual([]);
  });
});

describe('excel --list-cases', () => {
  it('lists the gap\'s pupils with Swedish headings and subject names, the step as a number', async () => {
    const result = await runOnce(['gap', ...DEMO, '--list-cases', '--format', 'json']);
    const cases = (JSON.parse(result.stdout) as { cases: GapCase[] }).cases;
    const sheet = calc(excelGapCases(cases, 'sv'));
    expect(sheet.problems).toEqual([]);
    expect(headerOf(sheet)).toEqual(['Läsår', 'Åk', 'Område', 'Skola', 'Klass', 'Ämne', 'Lärare', 'Elev', 'Betyg', 'Provbetyg', 'Steg (betyg − prov)']);
    expectNames(new Set(column(sheet, 'Ämne').map(valueOf)), SUBJECT_NAMES);
    const steps = column(sheet, 'Steg (betyg − prov)');
    expect(steps.map(valueOf)).toEqual(cases.map((c) => c.diff_steps));
    expect(steps.every((cell) => cell.kind === 'number' && Math.abs(cell.value) >= 2)).toBe(true);
    expect(excelGapCases(cases, 'en').header[10]).toBe('Steps (grade − test)');
  });

  it('lists the transition\'s pupils with the outcome in words', async () => {
    const result = await runOnce(['transition', ...DEMO, '--list-cases', '--format', 'json']);
    const cases = (JSON.parse(result.stdout) as { cases: TransitionCase[] }).cases;
    const sheet = calc(excelTransitionCases(cases, link, 'sv'));
    expect(sheet.problems).toEqual([]);
    expect(headerOf(sheet)).toEqual(['Läsår', 'Område', 'Skola', 'Klass', 'Ämne', 'Elev', 'Åk 5', 'Åk 6', 'Bytt skola']);
    expect(new Set(column(sheet, 'Åk 5').map(valueOf))).toEqual(new Set(['godkänd', 'inte godkänd']));
    expect(new Set(column(sheet, 'Bytt skola').map(valueOf))).toEqual(new Set(['ja', 'nej']));
  });
});
