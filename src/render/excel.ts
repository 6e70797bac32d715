/**
 * `--excel`: a report as a spreadsheet for people (Swedish Excel, LibreOffice Calc with Swedish
 * settings). `--format csv` and JSON keep the English keys and full precision for scripts; this
 * is the same rows with:
 * - column names that match the table's headings (Swedish; English with `--lang en`, same layout),
 *   with the unit where the table has it in its legend: "Högre (%)", "Netto (procentenheter)";
 * - verdicts, flags and reasons in words ("i nivå", "högre, utanför 95 %", "för få elever"),
 *   subjects by name, gender as Flickor/Pojkar;
 * - figures rounded as the table shows them, still numeric cells: shares in whole percent (23,
 *   not 0.2345), differences of shares in whole procentenheter, grade points with one decimal,
 *   grade steps, κw and z with two, p-values with three significant digits (a cell cannot say
 *   "< 0,001");
 * - a hidden group's figures as empty cells, never 0; Anmärkning says why.
 *
 * A difference shown beside the two figures it is the difference of is computed from those
 * figures as shown, so a row adds up when someone checks it in the spreadsheet: Netto = Högre −
 * Lägre, the transition's Skillnad = Godkänt åk 5 − Godkänt åk 6, a trend's change = this year's
 * figure − the earlier year's, a comparison's change = now − before. It can differ by one in the
 * last digit from the exact difference rounded (JSON and CSV have that); the verdicts and the
 * ▲/▼ words are the analysis's own, from the exact figures.
 *
 * Left out (in JSON and `--format csv`): the A–F × A–F matrix (36 columns per row; the step
 * distribution Steg −5 … Steg +5 is kept, and the table shows the matrix with `--matrix`), the
 * intervals of the shares, the funnel's limits and its chance-alone figures, τ, Stuart–Maxwell,
 * diff_se and the transition's four shares of the linked pupils (the four counts are kept), the
 * trend's intervals of each figure and change (the "säker förändring" words say whether a change's
 * interval leaves out 0), and the `suppressed` true/false column (Anmärkning says it in words).
 */
import type { GapCase, GapFigures } from '../analysis/gap.js';
import type { KeyValue } from '../analysis/groups.js';
import type { LinkOptions, TransitionCase, TransitionFigures } from '../analysis/transition.js';
import { subjectName } from '../normalise/subject.js';
import type { Message } from '../messages.js';
import { DIMENSIONS, isBackground, type BackgroundDimension, type BuiltinDimension, type Dimension } from '../types.js';
import type { CsvValue } from './csv.js';
import type { Lang } from './format.js';
import type { GapFlatRow } from './gap-rows.js';
import { GAP_METRIC_LABELS, hiddenReason, texts } from './labels.js';
import type { ReportSection } from './sections.js';

/** What writeCsv(header, rows, { excel: true }) writes. */
export interface ExcelSheet {
  header: string[];
  rows: CsvValue[][];
}

type Nullable<T> = { [K in keyof T]: T[K] | null };

/** The group part of every flat row (gap, transition). */
type GroupRow = Partial<Record<Dimension, KeyValue>> & {
  level: string;
  n: number | null;
  suppressed_reason: string | null;
};

/** What excelTransition reads of a row of flattenTransition. */
export type ExcelTransitionRow = GroupRow &
  Nullable<
    Pick<
      TransitionFigures,
      | 'n_from_only'
      | 'n_to_only'
      | 'n_from_missing'
      | 'n_to_missing'
      | 'share_pass_from'
      | 'share_pass_to'
      | 'diff_ci_low'
      | 'diff_ci_high'
      | 'pass_pass'
      | 'pass_fail'
      | 'fail_pass'
      | 'fail_fail'
      | 'p_value'
      | 'p_adj'
      | 'verdict'
      | 'mean_diff'
      | 'mean_diff_ci_low'
      | 'mean_diff_ci_high'
      | 'kappa_w'
    >
  >;

/** A row of flattenTrend (its keys are the trend CSV's columns). */
export type ExcelTrendRow = Readonly<Record<string, CsvValue>>;

interface Column<R> {
  header: string;
  cell(row: R): CsvValue;
}

type Words = Readonly<Record<Lang, Readonly<Record<string, string>>>>;

// ---------------------------------------------------------------------------------------------
// Figures as the table shows them

/** `value` rounded as formatNumber rounds it (toFixed), as a number; −0 becomes 0. */
function rounded(value: number | null | undefined, decimals: number): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const number = Number(value.toFixed(decimals));
  return number === 0 ? 0 : number;
}

/** A share (fraction 0–1) in whole percent; a difference of shares in whole procentenheter. */
function percent(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : rounded(value * 100, 0);
}

/** A p-value with three significant digits (0.000007916… → 0.00000792). */
function pValue(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return value === 0 ? 0 : Number(value.toPrecision(3));
}

/** `a − b` of two figures as shown (same number of decimals), so the cells add up. */
function shownDifference(a: number | null, b: number | null, decimals: number): number | null {
  return a === null || b === null ? null : rounded(a - b, decimals);
}

function numberOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function word(words: Words, lang: Lang, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return words[lang][String(value)] ?? String(value);
}

// ---------------------------------------------------------------------------------------------
// Words

const UNIT: Readonly<Record<Lang, Readonly<Record<'share' | 'pp' | 'points' | 'steps', string>>>> = {
  sv: { share: '%', pp: 'procentenheter', points: 'betygspoäng', steps: 'steg' },
  en: { share: '%', pp: 'percentage points', points: 'grade points', steps: 'steps' },
};

const FUNNEL_WORDS: Words = {
  sv: { within: 'inom', above_95: 'högre, utanför 95 %', 'above_99.8': 'högre, utanför 99,8 %', below_95: 'lägre, utanför 95 %', 'below_99.8': 'lägre, utanför 99,8 %' },
  en: { within: 'within', above_95: 'higher, outside 95%', 'above_99.8': 'higher, outside 99.8%', below_95: 'lower, outside 95%', 'below_99.8': 'lower, outside 99.8%' },
};

const VS_TOTAL_WORDS: Words = {
  sv: { higher: 'högre', lower: 'lägre', in_line: 'i nivå' },
  en: { higher: 'higher', lower: 'lower', in_line: 'in line' },
};

const STANDARD_WORDS: Words = {
  sv: { rest_of_municipality: 'övriga kommunen', reference: 'referensen' },
  en: { rest_of_municipality: 'rest of the municipality', reference: 'the reference' },
};

const VERDICT_WORDS: Words = {
  sv: { strict: 'sträng', generous: 'generös', in_line: 'i linje' },
  en: { strict: 'strict', generous: 'generous', in_line: 'in line' },
};

/** Whether a change's 95 % interval leaves out 0 (the table's ▲/▼). */
const SIGN_WORDS: Words = {
  sv: { up: 'ökning', down: 'minskning', stable: 'nej' },
  en: { up: 'increase', down: 'decrease', stable: 'no' },
};

const GAP_DIRECTION_WORDS: Words = {
  sv: { higher: 'högre än proven', lower: 'lägre än proven', in_line: 'i nivå med proven' },
  en: { higher: 'above the tests', lower: 'below the tests', in_line: 'in line with the tests' },
};

const RELATIVE_WORDS: Words = {
  sv: { above: 'över kommunen', below: 'under kommunen', in_line: 'i nivå med kommunen' },
  en: { above: 'above the municipality', below: 'below the municipality', in_line: 'in line with the municipality' },
};

const REFERENCE_VERDICT_WORDS: Words = {
  sv: { better: 'bättre', worse: 'sämre', in_line: 'i linje' },
  en: { better: 'better', worse: 'worse', in_line: 'in line' },
};

const REFERENCE_STATUS_WORDS: Words = {
  sv: { ok: '', too_few: 'dold (för få elever)', missing: 'saknas', rounded: 'avrundad (~100)' },
  en: { ok: '', too_few: 'hidden (too few pupils)', missing: 'missing', rounded: 'rounded (~100)' },
};

/** The reference measures, named as in the reference table. */
const REFERENCE_NAMES: Words = {
  sv: {
    share_higher: 'Högre betyg än prov',
    share_same: 'Samma betyg som prov',
    share_lower: 'Lägre betyg än prov',
    share_pass_test: 'Provbetyg A–E',
    mean_points_test: 'Provbetygspoäng (medel)',
    share_pass_grade: 'Betyg A–E',
  },
  en: {
    share_higher: 'Grade above test',
    share_same: 'Grade same as test',
    share_lower: 'Grade below test',
    share_pass_test: 'Test grade A–E',
    mean_points_test: 'Mean test points',
    share_pass_grade: 'Grade A–E',
  },
};

function dimensionValue(dim: Dimension, value: unknown, lang: Lang): CsvValue {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  if (dim === 'subject') return subjectName(String(value), lang);
  if (dim === 'gender') return value === 'girl' ? texts(lang).girl : value === 'boy' ? texts(lang).boy : String(value);
  if (isBackground(dim)) return value === 'yes' ? texts(lang).yes : value === 'no' ? texts(lang).no : value;
  return value;
}

function isDimension(value: string): value is BuiltinDimension {
  return (DIMENSIONS as readonly string[]).includes(value);
}

/** What background dimensions are called (GroupPlan.names). */
type Names = ReadonlyMap<BackgroundDimension, Message>;

function levelName(level: unknown, lang: Lang): string | null {
  if (typeof level !== 'string') return null;
  if (level === 'total') return texts(lang).total;
  return isDimension(level) ? texts(lang)[level] : level;
}

function reasonText(reason: unknown, lang: Lang): string | null {
  if (reason === 'small_group' || reason === 'complementary') return hiddenReason(reason, lang);
  return typeof reason === 'string' ? reason : null;
}

/** The group columns: the --by dimensions (empty = all, the total over that dimension), then Nivå. */
function groupColumns<R extends Readonly<Partial<Record<Dimension, unknown>>> & { readonly level?: unknown }>(dims: readonly Dimension[], lang: Lang, names: Names = new Map()): Column<R>[] {
  const t = texts(lang);
  return [
    ...dims.map((dim): Column<R> => ({ header: isBackground(dim) ? (names.get(dim)?.[lang] ?? dim) : t[dim], cell: (row) => dimensionValue(dim, row[dim], lang) })),
    { header: lang === 'sv' ? 'Nivå' : 'Group level', cell: (row) => levelName(row.level, lang) },
  ];
}

/** Columns after the report's own that are made together for a row (a section's). */
interface Tail<R> {
  header: string[];
  cells(row: R): CsvValue[];
}

function sheet<R>(columns: readonly Column<R>[], rows: readonly R[], tails: readonly Tail<R>[] = []): ExcelSheet {
  return {
    header: [...columns.map((c) => c.header), ...tails.flatMap((tail) => tail.header)],
    rows: rows.map((row) => [...columns.map((c) => c.cell(row)), ...tails.flatMap((tail) => tail.cells(row))]),
  };
}

/** A section's columns (--compare-with, --reference), translated. */
function sectionTails<R extends Readonly<Record<string, unknown>>>(sections: readonly ReportSection[], lang: Lang, names: CompareNames): Tail<R>[] {
  return sections.map((section) => {
    const translated = translateSection(section.csvColumns, lang, names);
    return { header: translated.header, cells: (row: R) => translated.convert(section.csvCells(row), row) };
  });
}

// ---------------------------------------------------------------------------------------------
// gap

export interface ExcelGapOptions {
  /** The report's --by (its group key columns, in order). */
  by: readonly Dimension[];
  /** What its background dimensions are called. */
  names?: Names;
  lang: Lang;
  /** --shrink: add Std-diff krympt. */
  shrink?: boolean;
  /** Background adjustment (a background column in --by, or --adjust-for): add the adjusted Std-diff. */
  adjusted?: boolean;
  /** --compare-with, --reference: their columns, translated, after the report's own. */
  sections?: readonly ReportSection[];
}

/** The gap report (rows of flattenGap) as a spreadsheet; see the module comment. */
export function excelGap(rows: readonly GapFlatRow[], options: ExcelGapOptions): ExcelSheet {
  const { lang } = options;
  const sv = lang === 'sv';
  const h = (swedish: string, english: string) => (sv ? swedish : english);
  const t = texts(lang);
  const u = UNIT[lang];
  const ci95 = sv ? '95 % KI' : '95% CI';
  type Row = GapFlatRow;
  type Key = keyof GapFigures & keyof Row;
  const share = (header: string, key: Key): Column<Row> => ({ header: `${header} (${u.share})`, cell: (row) => percent(numberOf(row[key])) });
  const fixed = (header: string, key: Key, decimals: number): Column<Row> => ({ header, cell: (row) => rounded(numberOf(row[key]), decimals) });
  const p = (header: string, key: Key): Column<Row> => ({ header, cell: (row) => pValue(numberOf(row[key])) });
  const count = (header: string, key: 'n' | Key): Column<Row> => ({ header, cell: (row) => numberOf(row[key]) });
  // "Medeldiff, 95 % KI låg" in grade points; "Std-diff (steg), 95 % KI låg" in steps.
  const withInterval = (name: string, key: Key, low: Key, high: Key, unit: string, decimals: number): Column<Row>[] => {
    const stem = unit === u.points ? name : `${name} (${unit})`;
    return [
      fixed(`${name} (${unit})`, key, decimals),
      fixed(`${stem}, ${ci95} ${h('låg', 'low')}`, low, decimals),
      fixed(`${stem}, ${ci95} ${h('hög', 'high')}`, high, decimals),
    ];
  };
  const columns: Column<Row>[] = [
    ...groupColumns<Row>(options.by, lang, options.names),
    // The table's columns, in its order.
    count(t.n, 'n'),
    share(t.higher, 'share_higher'),
    share(t.same, 'share_same'),
    share(t.lower, 'share_lower'),
    { header: `${t.net} (${u.pp})`, cell: (row) => shownDifference(percent(row.share_higher), percent(row.share_lower), 0) },
    ...withInterval(h('Medeldiff', 'Mean diff'), 'mean_diff', 'mean_diff_ci_low', 'mean_diff_ci_high', u.points, 1),
    ...withInterval(t.stdGap, 'std_gap', 'std_gap_ci_low', 'std_gap_ci_high', u.points, 1),
    { header: t.funnel, cell: (row) => word(FUNNEL_WORDS, lang, row.funnel_flag) },
    share(GAP_METRIC_LABELS.share_pass_grade?.[lang] ?? 'share_pass_grade', 'share_pass_grade'),
    share(GAP_METRIC_LABELS.share_pass_test?.[lang] ?? 'share_pass_test', 'share_pass_test'),
    fixed(t.kappa, 'kappa_w', 2),
    { header: t.vsTotal, cell: (row) => word(VS_TOTAL_WORDS, lang, row.vs_total) },
    count(t.gradeOnly, 'n_grade_only'),
    count(t.testOnly, 'n_test_only'),
    { header: h('Anmärkning', 'Note'), cell: (row) => reasonText(row.suppressed_reason, lang) },
    // The figures behind them.
    fixed(`${h('Medeldiff', 'Mean diff')} (${u.steps})`, 'mean_diff_steps', 2),
    ...withInterval(t.stdGap, 'std_gap_steps', 'std_gap_steps_ci_low', 'std_gap_steps_ci_high', u.steps, 2),
    fixed(`${t.funnel} z`, 'funnel_z', 2),
    p(`${t.funnel} p`, 'funnel_p'),
    p(`${t.funnel} p, ${h('justerat', 'adjusted')} (BH)`, 'p_adj'),
    p(`${t.vsTotal} p`, 'vs_total_p'),
    p(`${t.vsTotal} p, ${h('justerat', 'adjusted')} (BH)`, 'vs_total_p_adj'),
    { header: h('Jämförs med', 'Compared with'), cell: (row) => word(STANDARD_WORDS, lang, row.standard) },
    count(h('Elever i jämförelsen', 'Pupils compared'), 'std_n'),
    share(h('Förväntat högre', 'Expected higher'), 'expected_share_higher'),
    share(h('Förväntat lägre', 'Expected lower'), 'expected_share_lower'),
    fixed(`${h('Förväntad medeldiff', 'Expected mean diff')} (${u.points})`, 'expected_mean_diff', 1),
    { header: `${h('Högre utöver förväntat', 'Higher beyond expected')} (${u.pp})`, cell: (row) => percent(row.excess_share_higher) },
    { header: `${h('Lägre utöver förväntat', 'Lower beyond expected')} (${u.pp})`, cell: (row) => percent(row.excess_share_lower) },
  ];
  if (options.by.includes('gender')) {
    const name = h('Könsskillnad, flickor − pojkar', 'Gender gap, girls − boys');
    columns.push(...withInterval(name, 'gender_gap', 'gender_gap_ci_low', 'gender_gap_ci_high', u.points, 1), fixed(`${name} (${u.steps})`, 'gender_gap_steps', 2));
  }
  if (options.shrink) columns.push(fixed(`${t.stdGap} ${h('krympt', 'shrunk')} (${u.points})`, 'std_gap_shrunk', 1));
  if (options.adjusted) {
    const adjusted = (key: keyof Row) => (row: Row) => numberOf(row[key]);
    columns.push(
      { header: h('Justerat för', 'Adjusted for'), cell: (row) => (typeof row.adjusted_for === 'string' ? row.adjusted_for.split(',').map((dim) => options.names?.get(dim as BackgroundDimension)?.[lang] ?? dim).join(', ') : null) },
      { header: `${t.stdGapAdjusted} (${u.points})`, cell: (row) => rounded(adjusted('std_gap_adjusted')(row), 1) },
      { header: `${t.stdGapAdjusted}, ${ci95} ${h('låg', 'low')}`, cell: (row) => rounded(adjusted('std_gap_adjusted_ci_low')(row), 1) },
      { header: `${t.stdGapAdjusted}, ${ci95} ${h('hög', 'high')}`, cell: (row) => rounded(adjusted('std_gap_adjusted_ci_high')(row), 1) },
      { header: `${t.stdGapAdjusted} (${u.steps})`, cell: (row) => rounded(adjusted('std_gap_adjusted_steps')(row), 2) },
      { header: `${t.stdGapAdjusted} (${u.steps}), ${ci95} ${h('låg', 'low')}`, cell: (row) => rounded(adjusted('std_gap_adjusted_steps_ci_low')(row), 2) },
      { header: `${t.stdGapAdjusted} (${u.steps}), ${ci95} ${h('hög', 'high')}`, cell: (row) => rounded(adjusted('std_gap_adjusted_steps_ci_high')(row), 2) },
    );
  }
  for (let d = -5; d <= 5; d++) {
    const step = String(d);
    columns.push({
      header: `${h('Steg', 'Step')} ${d > 0 ? '+' : d < 0 ? '−' : ''}${Math.abs(d)}`,
      // The step distribution as counts; a hidden group has none (empty, not 0).
      cell: (row) => (row.diff_steps ? (row.diff_steps[step] ?? 0) : null),
    });
  }
  return sheet(columns, rows, sectionTails<Row>(options.sections ?? [], lang, gapNames(lang)));
}

export function excelGapCases(cases: readonly GapCase[], lang: Lang): ExcelSheet {
  const t = texts(lang);
  const columns: Column<GapCase>[] = [
    { header: t.school_year, cell: (c) => c.school_year },
    { header: t.grade_level, cell: (c) => c.grade_level },
    { header: t.area, cell: (c) => c.area },
    { header: t.school, cell: (c) => c.school },
    { header: t.class, cell: (c) => c.class },
    { header: t.subject, cell: (c) => subjectName(c.subject, lang) },
    { header: t.teacher, cell: (c) => c.teacher },
    { header: t.pupil, cell: (c) => c.pupil },
    { header: t.grade, cell: (c) => c.grade },
    { header: t.test, cell: (c) => c.test },
    { header: `${t.diff} (${lang === 'sv' ? 'betyg − prov' : 'grade − test'})`, cell: (c) => c.diff_steps },
  ];
  return sheet(columns, cases);
}

// ---------------------------------------------------------------------------------------------
// transition

export interface ExcelTransitionOptions {
  by: readonly Dimension[];
  names?: Names;
  lang: Lang;
  link: Pick<LinkOptions, 'fromLevel' | 'toLevel'>;
  sections?: readonly ReportSection[];
}

/** The transition report (rows of flattenTransition) as a spreadsheet; see the module comment. */
export function excelTransition(rows: readonly ExcelTransitionRow[], options: ExcelTransitionOptions): ExcelSheet {
  const { lang, link } = options;
  const sv = lang === 'sv';
  const h = (swedish: string, english: string) => (sv ? swedish : english);
  const u = UNIT[lang];
  const from = link.fromLevel;
  const to = link.toLevel;
  type Row = ExcelTransitionRow;
  const count = (header: string, key: keyof Row): Column<Row> => ({ header, cell: (row) => numberOf(row[key]) });
  const fixed = (header: string, key: keyof Row, decimals: number): Column<Row> => ({ header, cell: (row) => rounded(numberOf(row[key]), decimals) });
  const cross = sv ? { pp: 'G→G', pf: 'G→IG', fp: 'IG→G', ff: 'IG→IG' } : { pp: 'P→P', pf: 'P→F', fp: 'F→P', ff: 'F→F' };
  const meanDiff = h('Medeldiff', 'Mean diff');
  const ci95 = sv ? '95 % KI' : '95% CI';
  const columns: Column<Row>[] = [
    ...groupColumns<Row>(options.by, lang, options.names),
    // The table's columns, in its order.
    { header: h('Bedömning', 'Verdict'), cell: (row) => word(VERDICT_WORDS, lang, row.verdict) },
    count(h('Elever', 'Pupils'), 'n'),
    { header: `${passName(from, lang)} (${u.share})`, cell: (row) => percent(row.share_pass_from) },
    { header: `${passName(to, lang)} (${u.share})`, cell: (row) => percent(row.share_pass_to) },
    { header: `${h('Skillnad', 'Difference')} (${u.pp})`, cell: (row) => shownDifference(percent(row.share_pass_from), percent(row.share_pass_to), 0) },
    // At level 1 − α (--alpha), like the verdict.
    { header: `${h('Skillnad, KI låg', 'Difference, CI low')} (${u.pp})`, cell: (row) => percent(row.diff_ci_low) },
    { header: `${h('Skillnad, KI hög', 'Difference, CI high')} (${u.pp})`, cell: (row) => percent(row.diff_ci_high) },
    count(cross.pp, 'pass_pass'),
    count(cross.pf, 'pass_fail'),
    count(cross.fp, 'fail_pass'),
    count(cross.ff, 'fail_fail'),
    { header: 'p', cell: (row) => pValue(row.p_value) },
    { header: `p, ${h('justerat', 'adjusted')} (BH)`, cell: (row) => pValue(row.p_adj) },
    count(h(`Saknar åk ${to}`, `No yr ${to}`), 'n_from_only'),
    count(h(`Saknar åk ${from}`, `No yr ${from}`), 'n_to_only'),
    { header: h('Anmärkning', 'Note'), cell: (row) => reasonText(row.suppressed_reason, lang) },
    // The figures behind them.
    count(h(`Länkade utan resultat åk ${from}`, `Linked, no result yr ${from}`), 'n_from_missing'),
    count(h(`Länkade utan resultat åk ${to}`, `Linked, no result yr ${to}`), 'n_to_missing'),
    fixed(`${meanDiff} (${u.points})`, 'mean_diff', 1),
    fixed(`${meanDiff}, ${ci95} ${h('låg', 'low')}`, 'mean_diff_ci_low', 1),
    fixed(`${meanDiff}, ${ci95} ${h('hög', 'high')}`, 'mean_diff_ci_high', 1),
    fixed('κw', 'kappa_w', 2),
  ];
  return sheet(columns, rows, sectionTails<Row>(options.sections ?? [], lang, transitionNames(link, lang)));
}

function passName(level: number, lang: Lang): string {
  return lang === 'sv' ? `Godkänt åk ${level}` : `Pass yr ${level}`;
}

export function excelTransitionCases(cases: readonly TransitionCase[], link: Pick<LinkOptions, 'fromLevel' | 'toLevel'>, lang: Lang): ExcelSheet {
  const sv = lang === 'sv';
  const t = texts(lang);
  const outcome = (side: 'pass' | 'fail') => (sv ? (side === 'pass' ? 'godkänd' : 'inte godkänd') : side);
  const columns: Column<TransitionCase>[] = [
    { header: t.school_year, cell: (c) => c.school_year },
    { header: t.area, cell: (c) => c.area },
    { header: t.school, cell: (c) => c.school },
    { header: t.class, cell: (c) => c.class },
    { header: t.subject, cell: (c) => subjectName(c.subject, lang) },
    { header: t.pupil, cell: (c) => c.pupil },
    { header: sv ? `Åk ${link.fromLevel}` : `Year ${link.fromLevel}`, cell: (c) => outcome(c.from) },
    { header: sv ? `Åk ${link.toLevel}` : `Year ${link.toLevel}`, cell: (c) => outcome(c.to) },
    { header: sv ? 'Bytt skola' : 'Changed school', cell: (c) => (c.changed_school ? (sv ? 'ja' : 'yes') : sv ? 'nej' : 'no') },
  ];
  return sheet(columns, cases);
}

// ---------------------------------------------------------------------------------------------
// trend

/** Shares (fractions, shown in %), differences of shares (fractions, shown in procentenheter), grade points. */
type Scale = 'share' | 'pp' | 'points';

/** The trend measures in report order, named as in the trend table, and their scale. */
const TREND_METRICS: readonly { key: string; sv: string; en: string; scale: Scale }[] = [
  { key: 'share_higher', sv: 'Högre', en: 'Higher', scale: 'share' },
  { key: 'share_lower', sv: 'Lägre', en: 'Lower', scale: 'share' },
  { key: 'mean_diff', sv: 'Medeldiff', en: 'Mean diff', scale: 'points' },
  { key: 'std_gap', sv: 'Std-diff', en: 'Std diff', scale: 'points' },
  { key: 'share_pass_from', sv: 'År 5 godtagbar', en: 'Yr 5 pass', scale: 'share' },
  { key: 'share_pass_to', sv: 'År 6 minst E', en: 'Yr 6 ≥ E', scale: 'share' },
  { key: 'diff_pp', sv: 'Skillnad', en: 'Difference', scale: 'pp' },
];

/** A trend figure as shown: shares and differences of shares ×100, whole; grade points, one decimal. */
function trendFigure(scale: Scale, value: number | null): number | null {
  return scale === 'points' ? rounded(value, 1) : percent(value);
}

/**
 * The trend report (rows of flattenTrend: one per group and school year) as a spreadsheet. A
 * change is the difference of the two years' figures as shown (see the module comment).
 */
export function excelTrend(rows: readonly ExcelTrendRow[], lang: Lang, names: Names = new Map()): ExcelSheet {
  const sv = lang === 'sv';
  const h = (swedish: string, english: string) => (sv ? swedish : english);
  const t = texts(lang);
  const u = UNIT[lang];
  const first = rows[0] ?? {};
  const dims: Dimension[] = [...DIMENSIONS.filter((dim) => dim !== 'school_year' && dim in first), ...Object.keys(first).filter(isBackground)];
  const metrics = TREND_METRICS.filter((metric) => metric.key in first);
  // Each series' rows by school year, and each analysis's school years in order.
  const seriesId = (row: ExcelTrendRow) => JSON.stringify([row.analysis, ...dims.map((dim) => row[dim] ?? null), row.level]);
  const byYear = new Map<string, ExcelTrendRow>();
  const years = new Map<string, string[]>();
  for (const row of rows) {
    const year = String(row.school_year);
    byYear.set(`${seriesId(row)}\u0001${year}`, row);
    const list = years.get(String(row.analysis)) ?? [];
    if (!list.includes(year)) list.push(year);
    years.set(String(row.analysis), list);
  }
  for (const list of years.values()) list.sort();
  const rowOf = (row: ExcelTrendRow, year: string | null) => (year === null ? undefined : byYear.get(`${seriesId(row)}\u0001${year}`));
  const yearsOf = (row: ExcelTrendRow) => years.get(String(row.analysis)) ?? [];
  const previousYear = (row: ExcelTrendRow) => yearsOf(row)[yearsOf(row).indexOf(String(row.school_year)) - 1] ?? null;
  const lastYear = (row: ExcelTrendRow) => yearsOf(row)[yearsOf(row).length - 1] ?? null;
  /** A change as the difference of the two rows' shown figures; the exact one rounded when a row is not there. */
  const change = (key: string, scale: Scale, exact: unknown, later: ExcelTrendRow | undefined, earlier: ExcelTrendRow | undefined): number | null => {
    const value = numberOf(exact);
    if (value === null) return null;
    const now = later ? trendFigure(scale, numberOf(later[key])) : null;
    const before = earlier ? trendFigure(scale, numberOf(earlier[key])) : null;
    return now !== null && before !== null ? shownDifference(now, before, scale === 'points' ? 1 : 0) : trendFigure(scale, value);
  };
  const directionWords = (row: ExcelTrendRow, value: unknown) => word(row.analysis === 'transition' ? VERDICT_WORDS : GAP_DIRECTION_WORDS, lang, value);
  const analysisWords: Words = {
    sv: { gap: 'Betyg mot prov', transition: 'År 5 mot år 6' },
    en: { gap: 'Grades vs tests', transition: 'Year 5 vs year 6' },
  };
  const columns: Column<ExcelTrendRow>[] = [
    { header: h('Analys', 'Analysis'), cell: (row) => word(analysisWords, lang, row.analysis) },
    { header: t.school_year, cell: (row) => textOf(row.school_year) },
    ...groupColumns<ExcelTrendRow>(dims, lang, names),
    { header: t.n, cell: (row) => numberOf(row.n) },
    { header: h('Riktning', 'Direction'), cell: (row) => directionWords(row, row.direction) },
    { header: h('Mot kommunen', 'Vs municipality'), cell: (row) => word(RELATIVE_WORDS, lang, row.relative) },
  ];
  for (const metric of metrics) {
    const name = metric[lang];
    const { key, scale } = metric;
    const unit = scale === 'points' ? u.points : scale === 'pp' ? u.pp : u.share;
    const changeUnit = scale === 'points' ? u.points : u.pp;
    columns.push(
      { header: `${name} (${unit})`, cell: (row) => trendFigure(scale, numberOf(row[key])) },
      { header: `${name}, ${h('förändring', 'change')} (${changeUnit})`, cell: (row) => change(key, scale, row[`${key}_change_prev`], row, rowOf(row, previousYear(row))) },
      { header: `${name}, ${h('säker förändring', 'clear change')}`, cell: (row) => word(SIGN_WORDS, lang, row[`${key}_change_prev_sign`]) },
      {
        header: `${name}, ${h('förändring under perioden', 'change over the period')} (${changeUnit})`,
        cell: (row) => change(key, scale, row[`${key}_change_period`], rowOf(row, lastYear(row)), rowOf(row, textOf(row[`${key}_change_period_from`]))),
      },
      { header: `${name}, ${h('periodens första läsår', 'period from')}`, cell: (row) => textOf(row[`${key}_change_period_from`]) },
      { header: `${name}, ${h('säker förändring under perioden', 'clear change over the period')}`, cell: (row) => word(SIGN_WORDS, lang, row[`${key}_change_period_sign`]) },
    );
  }
  columns.push(
    { header: h('Samma riktning (år i rad)', 'Same direction (years running)'), cell: (row) => numberOf(row.streak) },
    { header: h('Samma riktning', 'Same direction'), cell: (row) => directionWords(row, row.streak_direction) },
    { header: h('Samma läge mot kommunen (år i rad)', 'Same position vs municipality (years running)'), cell: (row) => numberOf(row.streak_relative) },
    { header: h('Samma läge mot kommunen', 'Same position vs municipality'), cell: (row) => word(RELATIVE_WORDS, lang, row.streak_relative_direction) },
    { header: h('Anmärkning', 'Note'), cell: (row) => reasonText(row.suppressed_reason, lang) },
  );
  return sheet(columns, rows);
}

// ---------------------------------------------------------------------------------------------
// --compare-with and --reference columns

interface CompareName {
  name: string;
  scale: Scale;
}

type CompareNames = Readonly<Record<string, CompareName>>;

function gapNames(lang: Lang): CompareNames {
  const label = (key: string) => GAP_METRIC_LABELS[key]?.[lang] ?? key;
  return {
    share_higher: { name: label('share_higher'), scale: 'share' },
    share_same: { name: label('share_same'), scale: 'share' },
    share_lower: { name: label('share_lower'), scale: 'share' },
    net_gap: { name: label('net_gap'), scale: 'pp' },
    mean_diff: { name: label('mean_diff'), scale: 'points' },
    std_gap: { name: label('std_gap'), scale: 'points' },
    share_pass_grade: { name: label('share_pass_grade'), scale: 'share' },
    share_pass_test: { name: label('share_pass_test'), scale: 'share' },
  };
}

function transitionNames(link: Pick<LinkOptions, 'fromLevel' | 'toLevel'>, lang: Lang): CompareNames {
  return {
    share_pass_from: { name: passName(link.fromLevel, lang), scale: 'share' },
    share_pass_to: { name: passName(link.toLevel, lang), scale: 'share' },
    diff_pp: { name: lang === 'sv' ? 'Skillnad' : 'Difference', scale: 'pp' },
  };
}

interface TranslatedSection {
  header: string[];
  /** The section's cells for one row → the spreadsheet's cells. */
  convert(cells: readonly CsvValue[], row: Readonly<Record<string, unknown>>): CsvValue[];
}

type CellConverter = (cells: readonly CsvValue[], row: Readonly<Record<string, unknown>>) => CsvValue;

/**
 * A section's English CSV columns (sections.ts comparisonSection, reference.ts referenceSection)
 * as spreadsheet columns, recognised by name. A column not recognised keeps its key and value.
 */
function translateSection(columns: readonly string[], lang: Lang, names: CompareNames): TranslatedSection {
  const sv = lang === 'sv';
  const u = UNIT[lang];
  const header: string[] = [];
  const converters: CellConverter[] = [];
  const at = (cells: readonly CsvValue[], index: number) => cells[index] ?? null;
  columns.forEach((column, index) => {
    const add = (text: string, convert: CellConverter) => {
      header.push(text);
      converters.push(convert);
    };
    let match: RegExpExecArray | null;
    if (column === 'before_school_year') return add(sv ? 'Läsår före' : 'Year before', (cells) => at(cells, index));
    if (column === 'n_before') return add(sv ? 'Elever före' : 'Pupils before', (cells) => numberOf(at(cells, index)));
    if (column === 'ref_school_year') return add(sv ? 'Referensens läsår' : 'Reference year', (cells) => at(cells, index));
    if ((match = /^ref_(.+)_school_year$/.exec(column))) {
      return add(`${sv ? 'Referensens läsår' : 'Reference year'}: ${word(REFERENCE_NAMES, lang, match[1])}`, (cells) => at(cells, index));
    }
    if ((match = /^ref_(.+)_diff$/.exec(column))) {
      const metric = match[1] ?? '';
      const points = metric === 'mean_points_test';
      return add(`${sv ? 'Skillnad mot referens' : 'Difference from reference'}: ${word(REFERENCE_NAMES, lang, metric)} (${points ? u.points : u.pp})`, (cells) => {
        const value = numberOf(at(cells, index));
        return value === null ? null : rounded(points ? value : value * 100, 1);
      });
    }
    if ((match = /^ref_(.+)_verdict$/.exec(column))) {
      return add(`${sv ? 'Mot referens' : 'Vs reference'}: ${word(REFERENCE_NAMES, lang, match[1])}`, (cells) => word(REFERENCE_VERDICT_WORDS, lang, at(cells, index)));
    }
    if ((match = /^ref_(.+)_status$/.exec(column))) {
      return add(`${sv ? 'Referensstatus' : 'Reference status'}: ${word(REFERENCE_NAMES, lang, match[1])}`, (cells) => word(REFERENCE_STATUS_WORDS, lang, at(cells, index)) || null);
    }
    if ((match = /^ref_(.+)$/.exec(column))) {
      const metric = match[1] ?? '';
      const points = metric === 'mean_points_test';
      // Published shares have one decimal; the reference table shows them so.
      return add(`${sv ? 'Referens' : 'Reference'}: ${word(REFERENCE_NAMES, lang, metric)} (${points ? u.points : u.share})`, (cells) => {
        const value = numberOf(at(cells, index));
        return value === null ? null : rounded(points ? value : value * 100, 1);
      });
    }
    if ((match = /^(.+)_change_sign$/.exec(column)) && names[match[1] ?? '']) {
      const { name } = names[match[1] ?? ''] as CompareName;
      return add(`${name}, ${sv ? 'säker förändring' : 'clear change'}`, (cells) => word(SIGN_WORDS, lang, at(cells, index)));
    }
    if ((match = /^(.+)_change$/.exec(column)) && names[match[1] ?? '']) {
      const key = match[1] ?? '';
      const { name, scale } = names[key] as CompareName;
      const beforeIndex = columns.indexOf(`${key}_before`);
      return add(`${name}, ${sv ? 'förändring' : 'change'} (${scale === 'points' ? u.points : u.pp})`, (cells, row) => {
        const exact = numberOf(at(cells, index));
        if (exact === null) return null;
        const now = trendFigure(scale, numberOf(row[key]));
        const before = beforeIndex >= 0 ? trendFigure(scale, numberOf(at(cells, beforeIndex))) : null;
        return now !== null && before !== null ? shownDifference(now, before, scale === 'points' ? 1 : 0) : trendFigure(scale, exact);
      });
    }
    if ((match = /^(.+)_before$/.exec(column)) && names[match[1] ?? '']) {
      const { name, scale } = names[match[1] ?? ''] as CompareName;
      const unit = scale === 'points' ? u.points : scale === 'pp' ? u.pp : u.share;
      return add(`${name} ${sv ? 'före' : 'before'} (${unit})`, (cells) => trendFigure(scale, numberOf(at(cells, index))));
    }
    return add(column, (cells) => at(cells, index));
  });
  return { header, convert: (cells, row) => converters.map((convert) => convert(cells, row)) };
}
