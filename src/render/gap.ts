/**
 * Renderers for the gap report: one signature, chosen by `--format`.
 */
import { renderBlocks, TextTable, WIDE, type Block, type ColumnName, type ColumnSpec } from './text-table.js';
import type { GapCase, GapFigures, GapGroup, GapResult } from '../analysis/gap.js';
import type { GroupKey, GroupPlan, KeyValue } from '../analysis/groups.js';
import type { ReportMeta } from '../meta.js';
import { subjectName } from '../normalise/subject.js';
import { GRADE_LETTERS, type Dimension } from '../types.js';
import type { Painter } from './color.js';
import { writeCsv, type CsvValue } from './csv.js';
import { excelGap, excelGapCases } from './excel.js';
import { formatCount, formatInterval, formatNumber, formatPoints, formatShare, formatSigned, wrapText, type Lang } from './format.js';
import { flattenGap, gapFigureKeys } from './gap-rows.js';
import { columnNames, columnsNote, hiddenReason, INTERNAL_NOTICE, NOTE_HEAD, texts, type Texts } from './labels.js';
import type { ReportSection } from './sections.js';
import { dimName, dimValue, keyLabel, strataTitle, type RenderOptions, type ReportText } from './groups.js';

export interface GapReport {
  meta: ReportMeta;
  result: GapResult;
  /** Present with --list-cases; pupil ids already masked unless --show-ids. */
  cases: GapCase[] | null;
  /** --compare-with, --reference with published figures. */
  sections?: readonly ReportSection[];
}

/** The sections' JSON, keyed, for the end of the JSON report. */
export function sectionsJson(sections: readonly ReportSection[] | undefined): Record<string, unknown> {
  return Object.fromEntries((sections ?? []).map((section) => [section.key, section.json]));
}

export type GapFormat = 'table' | 'json' | 'csv';

export const gapRenderers: Readonly<Record<GapFormat, (report: GapReport, options: RenderOptions) => ReportText>> = {
  json: renderGapJson,
  csv: renderGapCsv,
  table: renderGapTable,
};

function renderGapJson(report: GapReport): ReportText {
  if (report.cases) return `${JSON.stringify({ meta: report.meta, cases: report.cases }, null, 2)}\n`;
  const result = report.result;
  return jsonPieces(report.meta, 'rows', result.groups, (group) => group, gapRowJson(result), sectionsJson(report.sections));
}

/** A row's lines start this far in (the rows array's items are indented 4, their fields 6). */
const ROW_INNER = '\n      ';

/** JSON.stringify(v) for one value of a row (undefined as null), numbers without the serialiser's detour. */
function jsonValue(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

/** Each key as JSON writes it (the matrix's letters, the steps "-5" … "5"), made once. */
const jsonKeys = new Map<string, string>();
function jsonKey(key: string): string {
  let text = jsonKeys.get(key);
  if (text === undefined) jsonKeys.set(key, (text = JSON.stringify(key)));
  return text;
}

/**
 * JSON.stringify(record, null, 2).replaceAll('\n', indent) for the matrix (records of numbers)
 * and diff_steps (numbers): the keys in the object's own order, as JSON.stringify takes them.
 */
function recordJson(record: Readonly<Record<string, unknown>>, indent: string): string {
  const keys = Object.keys(record);
  if (keys.length === 0) return '{}';
  const deeper = `${indent}  `;
  const next = `,${deeper}`;
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = record[key];
    out += `${i === 0 ? deeper : next}${jsonKey(key)}: ${typeof v === 'object' && v !== null ? recordJson(v as Record<string, unknown>, deeper) : jsonValue(v)}`;
  }
  return `${out}${indent}}`;
}

/**
 * One gap row as JSON.stringify(flattenGroup(…), null, 2) would write it, indented for the rows
 * array, without building the flat object first (on a city's 40 000 groups that object was the
 * slowest part of the report). Each field's start (`,\n      "key": `) is made once per report.
 */
function gapRowJson(result: GapResult): (group: GapGroup) => string {
  const dims = result.plan.by;
  const figureKeys = gapFigureKeys(result);
  const names = [...dims, 'level', 'n', ...figureKeys, 'suppressed', 'suppressed_reason', 'matrix', 'diff_steps'];
  const heads = names.map((key, i) => `${i === 0 ? '' : ','}${ROW_INNER}"${key}": `);
  // The groups' names repeat from row to row (a school in every subject): each written once.
  const quoted = new Map<KeyValue, string>();
  const keyJson = (v: KeyValue): string => {
    let text = quoted.get(v);
    if (text === undefined) quoted.set(v, (text = jsonValue(v)));
    return text;
  };
  return (group) => {
    const f = group.figures;
    let out = '{';
    let h = 0;
    for (const dim of dims) out += heads[h++] + keyJson(group.key[dim] ?? null);
    out += heads[h++] + keyJson(group.level);
    out += heads[h++] + jsonValue(group.suppressed ? null : group.n);
    for (const key of figureKeys) out += heads[h++] + jsonValue(f ? f[key] : null);
    out += heads[h++] + jsonValue(group.suppressed !== null);
    out += heads[h++] + jsonValue(group.suppressed);
    out += heads[h++] + (f ? recordJson(f.matrix, ROW_INNER) : 'null');
    out += heads[h++] + (f ? recordJson(f.diff_steps, ROW_INNER) : 'null');
    return `${out}\n    }`;
  };
}

/**
 * `{ "meta": …, "<key>": [ … ] }` exactly as JSON.stringify(…, null, 2) writes it, built one item
 * at a time so a report with tens of thousands of groups never exists twice in memory.
 */
export function* jsonPieces<T>(
  meta: unknown,
  key: string,
  items: readonly T[],
  toJson: (item: T) => unknown,
  serialise?: (item: T) => string,
  tail: Readonly<Record<string, unknown>> = {},
): Generator<string> {
  const head = `{\n  "meta": ${JSON.stringify(meta, null, 2).replace(/\n/g, '\n  ')},\n  ${JSON.stringify(key)}: `;
  let end = '';
  for (const [name, value] of Object.entries(tail)) end += `,\n  ${JSON.stringify(name)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`;
  end += '\n}\n';
  if (items.length === 0) {
    yield `${head}[]${end}`;
    return;
  }
  let batch = `${head}[\n`;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    const text = serialise ? serialise(item) : JSON.stringify(toJson(item), null, 2).replaceAll('\n', '\n    ');
    batch += `    ${text}${i < items.length - 1 ? ',\n' : '\n'}`;
    if (batch.length > 1 << 20) {
      yield batch;
      batch = '';
    }
  }
  yield `${batch}  ]${end}`;
}

const CASE_FIELDS = ['school_year', 'grade_level', 'area', 'school', 'class', 'subject', 'teacher', 'pupil', 'grade', 'test', 'diff_steps'] as const;

function renderGapCsv(report: GapReport, options: RenderOptions): string {
  const csvOptions = { excel: options.excel };
  if (options.excel) {
    const sheet = report.cases
      ? excelGapCases(report.cases, options.lang)
      : excelGap(flattenGap(report.result), {
          by: report.result.plan.by,
          names: report.result.plan.names,
          lang: options.lang,
          shrink: report.result.options.shrink === true,
          adjusted: (report.result.options.adjustFor ?? []).length > 0,
          sections: report.sections ?? [],
        });
    return writeCsv(sheet.header, sheet.rows, csvOptions);
  }
  if (report.cases) {
    return writeCsv(CASE_FIELDS, report.cases.map((c) => CASE_FIELDS.map((field) => c[field])), csvOptions);
  }
  const dims = report.result.plan.by;
  const letters = [...GRADE_LETTERS].reverse();
  const matrixColumns = letters.flatMap((g) => letters.map((t) => `m_${g}_${t}`));
  const stepColumns: string[] = [];
  for (let d = -5; d <= 5; d++) stepColumns.push(`d_${d}`);
  const sections = report.sections ?? [];
  const figureKeys = gapFigureKeys(report.result);
  const header = [...dims, 'level', 'n', ...figureKeys, 'suppressed', 'suppressed_reason', ...matrixColumns, ...stepColumns, ...sections.flatMap((s) => s.csvColumns)];
  const rows = flattenGap(report.result).map((row) => {
    const cells: CsvValue[] = [];
    for (const dim of dims) cells.push(row[dim] ?? null);
    cells.push(row.level, row.n);
    for (const key of figureKeys) cells.push(row[key] ?? null);
    cells.push(row.suppressed, row.suppressed_reason);
    for (const g of letters) for (const t of letters) cells.push(row.matrix ? row.matrix[g][t] : null);
    for (let d = -5; d <= 5; d++) cells.push(row.diff_steps ? (row.diff_steps[String(d)] ?? 0) : null);
    for (const section of sections) cells.push(...section.csvCells(row));
    return cells;
  });
  return writeCsv(header, rows, csvOptions);
}

function stratumTitle(result: GapResult, group: GapGroup, t: Texts, lang: Lang): string {
  return strataTitle(result.plan, group.key, t, lang);
}

function groupLabel(result: GapResult, group: GapGroup, t: Texts, lang: Lang): string {
  return keyLabel(result.plan, group.key, t, lang);
}

/**
 * The gap table's columns. By default (see text-table.ts): the group, its pupils and the funnel's flag always; then
 * Std-diff, Högre and Lägre, Lika, Anmärkning as the width allows. The rest with --wide or --columns.
 */
function gapColumns(t: Texts, note: string | null, steps: boolean, adjusted = false): ColumnSpec[] {
  return [
    { key: 'group', head: t.group, priority: 0, shorten: true },
    { key: 'n', head: t.n, align: 'right', priority: 0 },
    { key: 'higher', head: t.higher, align: 'right', priority: 2 },
    { key: 'same', head: t.same, align: 'right', priority: 3 },
    { key: 'lower', head: t.lower, align: 'right', priority: 2 },
    { key: 'net', head: t.net, align: 'right' },
    { key: 'mean_diff', head: t.meanDiff, align: 'right' },
    { key: 'std_gap', head: steps ? t.stdGapSteps : t.stdGap, align: 'right', priority: 1 },
    ...(adjusted ? [{ key: 'std_gap_adjusted', head: steps ? t.stdGapAdjustedSteps : t.stdGapAdjusted, align: 'right' as const, priority: 1 }] : []),
    { key: 'funnel', head: t.funnel, priority: 0 },
    { key: 'pass', head: t.pass, align: 'right' },
    { key: 'kappa', head: t.kappa, align: 'right' },
    { key: 'vs_rest', head: t.vsTotal },
    { key: 'no_test', head: t.gradeOnly, align: 'right' },
    { key: 'no_grade', head: t.testOnly, align: 'right' },
    ...(note === null ? [] : [{ key: 'note', head: note, priority: 4, wrap: 'words' as const }]),
  ];
}

/** Other names a gap column may be given by in --columns (besides its key and its headings): the JSON keys. */
const GAP_COLUMN_ALIASES: Readonly<Record<string, readonly string[]>> = {
  n: ['antal'],
  higher: ['share_higher'],
  same: ['share_same'],
  lower: ['share_lower'],
  net: ['net_gap'],
  std_gap: ['std_gap_steps'],
  std_gap_adjusted: ['std_gap_adjusted_steps'],
  funnel: ['funnel_flag', 'flagga'],
  pass: ['share_pass', 'minst_e', 'godkänt'],
  kappa: ['kappa_w'],
  vs_rest: ['vs_total'],
  no_test: ['n_grade_only'],
  no_grade: ['n_test_only'],
};

/** The gap table's columns for --columns: key, headings in Swedish and English, aliases. */
export function gapColumnNames(): ColumnName[] {
  return columnNames(gapColumns(texts('sv'), NOTE_HEAD.sv, false, true), gapColumns(texts('en'), NOTE_HEAD.en, false, true), GAP_COLUMN_ALIASES);
}

/** A stratum's table; `note`: with the column that says why a row is hidden. */
function gapTable(t: Texts, note: string | null, steps: boolean, adjusted: boolean): TextTable {
  return new TextTable({ columns: gapColumns(t, note, steps, adjusted) });
}

function renderGapTable(report: GapReport, options: RenderOptions): string {
  const { lang, paint } = options;
  const layout = options.layout ?? WIDE;
  const prose = (line: string, hang = 0) => wrapText(line, layout.width, hang);
  const t = texts(lang);
  // --small-groups-only: the first line of the output says it is not for publication.
  const notice = report.result.options.suppression === 'small_groups_only' ? [...prose(INTERNAL_NOTICE[lang]).map(paint.warn), ''] : [];
  if (report.cases) return [...notice, renderCasesTable(report.cases, options)].join('\n');
  const { result } = report;
  if (result.groups.length === 0) return [...notice, paint.bold(t.title), '', t.noGroups, ''].join('\n');
  const out: Block[] = [...notice, ...prose(t.title).map(paint.bold), ''];
  let currentTitle = '';
  let table: TextTable | null = null;
  const flush = () => {
    if (table) out.push(table, '');
  };
  const suppressedCell = paint.dim(t.suppressed);
  const steps = result.options.flagScale === 'steps';
  const adjusted = (result.options.adjustFor ?? []).length > 0;
  // Strata with a hidden row get the column that says why.
  const withNote = new Set(result.groups.filter((group) => group.suppressed !== null).map((group) => stratumTitle(result, group, t, lang)));
  let note: string | null = null;
  for (const group of result.groups) {
    const title = stratumTitle(result, group, t, lang);
    if (title !== currentTitle) {
      flush();
      currentTitle = title;
      out.push(...prose(title).map(paint.bold));
      note = withNote.has(title) ? NOTE_HEAD[lang] : null;
      table = gapTable(t, note, steps, adjusted);
    }
    const label = groupLabel(result, group, t, lang);
    const f = group.figures;
    if (!f) {
      const why = group.suppressed ? paint.dim(hiddenReason(group.suppressed, lang)) : '';
      table?.push([paint.dim(label), suppressedCell, ...Array.from({ length: adjusted ? 13 : 12 }, () => suppressedCell), ...(note === null ? [] : [why])]);
      continue;
    }
    const ci = f.mean_diff_ci_low !== null && f.mean_diff_ci_high !== null ? ` ${formatInterval(f.mean_diff_ci_low, f.mean_diff_ci_high, 1, lang)}` : '';
    const verdict = f.vs_total === 'higher' ? paint.warn(t.cmpHigher) : f.vs_total === 'lower' ? paint.info(t.cmpLower) : f.vs_total === 'in_line' ? t.cmpInLine : '';
    table?.push([
      group.level === 'total' ? paint.bold(label) : label,
      formatCount(group.n, lang),
      formatShare(f.share_higher, lang),
      formatShare(f.share_same, lang),
      formatShare(f.share_lower, lang),
      formatPoints(f.net_gap, lang),
      `${formatSigned(f.mean_diff, 1, lang)}${ci}`,
      (steps ? f.std_gap_steps : f.std_gap) === null || group.level === 'total' ? '' : formatSigned((steps ? f.std_gap_steps : f.std_gap) ?? 0, steps ? 2 : 1, lang),
      ...(adjusted ? [adjustedCell(f, steps, lang)] : []),
      funnelCell(f.funnel_flag, t, paint),
      `${formatShare(f.share_pass_grade, lang)} / ${formatShare(f.share_pass_test, lang)}`,
      f.kappa_w === null ? '' : formatNumber(f.kappa_w, 2, lang),
      verdict,
      f.n_grade_only === null ? '' : formatCount(f.n_grade_only, lang),
      f.n_test_only === null ? '' : formatCount(f.n_test_only, lang),
      ...(note === null ? [] : ['']),
    ]);
    if (options.matrix) {
      flush();
      out.push(renderMatrix(group, t, lang));
      table = gapTable(t, note, steps, adjusted);
    }
  }
  flush();
  const alpha = formatNumber(result.options.alpha, 2, lang);
  const funnel = result.comparisons.funnel;
  if (funnel.tests > 0) {
    const chance = formatNumber(funnel.expected_by_chance, 0, lang);
    const alone = result.comparisons.funnel_chance_alone.flagged;
    const unit = steps ? (lang === 'sv' ? 'betygssteg' : 'grade steps') : lang === 'sv' ? 'betygspoäng' : 'grade points';
    const taus = result.between_groups
      .filter((b) => !b.gender_rows && !b.background_rows)
      .map((b) => `${dimName(result.plan, b.level, t, lang).toLowerCase()}: ${b.tau2 === null ? (lang === 'sv' ? 'kan inte skattas' : 'cannot be estimated') : `τ = ${formatNumber(Math.sqrt(b.tau2), 2, lang)}`}`);
    const summary =
      lang === 'sv'
        ? `Tratten: ${formatCount(funnel.flagged, lang)} av ${formatCount(funnel.tests, lang)} grupper utanför 95 %-gränserna för slump plus vanliga skillnader mellan skolor; om ingen grupp avvek mer än så skulle omkring ${chance} hamna där. Med slumpens gränser ensamma hade ${formatCount(alone, lang)} hamnat utanför. Efter justering för många jämförelser (Benjamini–Hochberg) kvarstår ${formatCount(funnel.flagged_adjusted, lang)}. Vanliga skillnader (${unit}): ${taus.join('; ')}.`
        : `Funnel: ${formatCount(funnel.flagged, lang)} of ${formatCount(funnel.tests, lang)} groups outside the 95 % limits for chance plus ordinary differences between schools; if no group differed more than that, about ${chance} would be there. With the limits of chance alone, ${formatCount(alone, lang)} would have been outside. After adjusting for many comparisons (Benjamini–Hochberg), ${formatCount(funnel.flagged_adjusted, lang)} remain. Ordinary differences (${unit}): ${taus.join('; ')}.`;
    out.push(...prose(summary), '');
  }
  // Each legend line explains these columns (the last, "..", every hidden row): left out with them.
  const explains = [['higher', 'same', 'lower'], ['net', 'mean_diff'], ['std_gap', 'funnel'], ['kappa', 'vs_rest']];
  t.legend.forEach((line, i) => {
    const lines = prose(line.replace('{alpha}', alpha).replace('{min}', String(result.options.minGroup))).map(paint.dim);
    out.push({ columns: explains[i] ?? ['group'], lines });
    // After the line that explains Std-diff: what the background-adjusted one adds.
    if (adjusted && i === 2) out.push({ columns: ['std_gap_adjusted'], lines: prose(adjustedLegend(result, t, lang)).map(paint.dim) });
  });
  out.push('');
  for (const section of report.sections ?? []) out.push(section.table(options));
  return renderBlocks(out, layout, (shown, total) => prose(columnsNote(shown, total, layout.width, lang)).map(paint.dim)).join('\n');
}

/** The background-adjusted standardised gap as the Std-diff column shows the other (grade points, or steps). */
function adjustedCell(f: GapFigures, steps: boolean, lang: Lang): string {
  const value = steps ? f.std_gap_adjusted_steps : f.std_gap_adjusted;
  return value === null ? '' : formatSigned(value, steps ? 2 : 1, lang);
}

/** The legend line of the background-adjusted column, naming the background columns. */
function adjustedLegend(result: GapResult, t: Texts, lang: Lang): string {
  const names = (result.options.adjustFor ?? []).map((dim) => dimName(result.plan, dim, t, lang).toLowerCase()).join(', ');
  return lang === 'sv'
    ? `${t.stdGapAdjusted}: som Std-diff, men jämfört inom varje provbetyg och bakgrund (${names}): vad resten av kommunens lärare ger elever med samma provbetyg och samma bakgrund. Skillnaden mot Std-diff är den del av gruppens avvikelse som elevernas bakgrund förklarar.`
    : `${t.stdGapAdjusted}: as Std diff, but compared within each test grade and background (${names}): what the rest of the municipality's teachers give pupils with the same test grade and the same background. Its difference from Std diff is the part of the group's gap its pupils' background explains.`;
}

function funnelCell(flag: GapFigures['funnel_flag'], t: Texts, paint: Painter): string {
  switch (flag) {
    case 'above_99.8':
      return paint.warn(`${t.cmpHigher}▲`);
    case 'above_95':
      return paint.warn(t.cmpHigher);
    case 'below_99.8':
      return paint.info(`${t.cmpLower}▼`);
    case 'below_95':
      return paint.info(t.cmpLower);
    case 'within':
      return t.funnelWithin;
    default:
      return '';
  }
}

function renderMatrix(group: GapGroup, t: Texts, lang: Lang): string {
  const f = group.figures;
  if (!f) return '';
  const letters = [...GRADE_LETTERS].reverse();
  const table = new TextTable({ head: ['', ...letters], colAligns: ['left', ...letters.map(() => 'right' as const)] });
  for (const g of letters) table.push([g, ...letters.map((test) => formatCount(f.matrix[g][test], lang))]);
  const steps: string[] = [];
  for (let d = -5; d <= 5; d++) {
    const count = f.diff_steps[String(d)] ?? 0;
    if (count > 0) steps.push(`${d > 0 ? '+' : ''}${d}: ${formatCount(count, lang)}`);
  }
  return `${t.matrixTitle}\n${table.toString()}\n${t.stepsTitle}: ${steps.join(', ')}\n`;
}

function renderCasesTable(cases: readonly GapCase[], options: RenderOptions): string {
  const { lang, paint } = options;
  const t = texts(lang);
  const table = new TextTable({ head: [t.school_year, t.grade_level, t.area, t.school, t.class, t.subject, t.teacher, t.pupil, t.grade, t.test, t.diff] });
  for (const c of cases) {
    table.push([c.school_year, String(c.grade_level), c.area, c.school, c.class, subjectName(c.subject, lang), c.teacher, c.pupil, c.grade, c.test, `${c.diff_steps > 0 ? '+' : ''}${c.diff_steps}`]);
  }
  return `${paint.bold(t.casesTitle)} (${formatCount(cases.length, lang)})\n${table.toString()}\n`;
}
