/**
 * Renderers for the trend report: a table with one row per group and a sparkline per metric
 * (terminal), or one flat row per group and school year (JSON, CSV).
 */
import type { GroupKey } from '../analysis/groups.js';
import { GAP_TREND_METRICS, TRANSITION_TREND_METRICS, type Change, type TrendMetric, type TrendPart, type TrendResult, type TrendSeries, type YearPoint } from '../analysis/trend.js';
import type { ReportMeta } from '../meta.js';
import type { Dimension } from '../types.js';
import { writeCsv, type CsvValue } from './csv.js';
import { excelTrend } from './excel.js';
import { formatCount, formatShare, formatSigned, wrapText, type Lang } from './format.js';
import { keyLabel, strataTitle, type RenderOptions } from './groups.js';
import { columnNames, columnsNote, hiddenReason, INTERNAL_NOTICE, NO_PUPILS, NOTE_HEAD, texts } from './labels.js';
import { sparkline } from './sparkline.js';
import { renderBlocks, TextTable, WIDE, type Block, type ColumnName, type ColumnSpec } from './text-table.js';

export interface TrendReport {
  meta: ReportMeta;
  result: TrendResult;
}

export type TrendFormat = 'table' | 'json' | 'csv';

/** Metrics that are shares (shown in %, changes in procentenheter); the rest are grade points. */
const SHARE_METRICS: ReadonlySet<TrendMetric> = new Set(['share_higher', 'share_lower', 'share_pass_from', 'share_pass_to', 'diff_pp']);

const METRIC_LABELS: Readonly<Record<Lang, Readonly<Record<TrendMetric, string>>>> = {
  sv: {
    share_higher: 'Högre',
    share_lower: 'Lägre',
    mean_diff: 'Medeldiff',
    std_gap: 'Std-diff',
    share_pass_from: 'År 5 godtagbar',
    share_pass_to: 'År 6 minst E',
    diff_pp: 'Skillnad',
  },
  en: {
    share_higher: 'Higher',
    share_lower: 'Lower',
    mean_diff: 'Mean diff',
    std_gap: 'Std diff',
    share_pass_from: 'Yr 5 pass',
    share_pass_to: 'Yr 6 ≥ E',
    diff_pp: 'Difference',
  },
};

const DIRECTION_WORDS: Readonly<Record<Lang, Readonly<Record<string, string>>>> = {
  sv: { higher: 'högre än proven', lower: 'lägre än proven', above: 'över kommunen', below: 'under kommunen', strict: 'sträng', generous: 'generös' },
  en: { higher: 'above the tests', lower: 'below the tests', above: 'above the municipality', below: 'below the municipality', strict: 'strict', generous: 'generous' },
};

function metricLabel(metric: TrendMetric, lang: Lang): string {
  return METRIC_LABELS[lang][metric];
}

/** Decimals a table shows: whole % and procentenheter for shares, one decimal for grade points. */
function shownDecimals(metric: TrendMetric): number {
  return SHARE_METRICS.has(metric) ? 0 : 1;
}

/**
 * A figure as a table shows it, as a number in its display unit: 0.3349 → 33 (%), −0.084 → −8
 * (procentenheter), 0.25 → 0.3 (grade points). Rounded as formatNumber rounds (toFixed on the size).
 */
function shownNumber(metric: TrendMetric, value: number): number {
  const scaled = SHARE_METRICS.has(metric) ? value * 100 : value;
  return Math.sign(scaled) * Number(Math.abs(scaled).toFixed(shownDecimals(metric)));
}

/** A figure for people: shares in %, differences of shares in procentenheter (signed), points with one decimal. */
export function formatMetric(metric: TrendMetric, value: number, lang: Lang): string {
  if (metric === 'diff_pp') return formatSigned(value * 100, 0, lang);
  return SHARE_METRICS.has(metric) ? formatShare(value, lang) : formatSigned(value, 1, lang);
}

/** The unit of a change: procentenheter for shares and differences of shares, grade points otherwise. */
export function changeUnit(metric: TrendMetric, lang: Lang, short = false): string {
  if (SHARE_METRICS.has(metric)) return short ? (lang === 'sv' ? 'p.e.' : 'pp') : lang === 'sv' ? 'procentenheter' : 'percentage points';
  return lang === 'sv' ? 'betygspoäng' : 'grade points';
}

/**
 * The change since the year before, as the two figures shown beside it give it: the later figure
 * rounded as shown minus the earlier figure rounded as shown, so "10 % → 10 %" reads 0, never −1
 * (the unrounded change, which the ▲/▼ test uses, is in JSON and CSV). Shares in procentenheter,
 * points with one decimal; ▲/▼ when its 95 % interval leaves out 0. `unit`: add the short unit of
 * a share's change ("+2 p.e."), for tables whose column head does not say it.
 */
export function formatChange(metric: TrendMetric, series: TrendSeries, lang: Lang, options: { unit?: boolean } = {}): string {
  const change = series.change_prev[metric];
  if (!change) return '';
  const decimals = shownDecimals(metric);
  const valueIn = (year: string) => series.points.find((point) => point?.school_year === year)?.estimates[metric]?.value ?? null;
  const before = valueIn(change.from);
  const after = valueIn(change.to);
  const scale = 10 ** decimals;
  const shown = before !== null && after !== null ? Math.round((shownNumber(metric, after) - shownNumber(metric, before)) * scale) / scale : shownNumber(metric, change.change);
  let text = formatSigned(shown, decimals, lang);
  if (options.unit && SHARE_METRICS.has(metric)) text += ` ${changeUnit(metric, lang, true)}`;
  return change.sign === 'up' ? `${text}▲` : change.sign === 'down' ? `${text}▼` : text;
}

export function streakText(series: TrendSeries, lang: Lang): string {
  const words = DIRECTION_WORDS[lang];
  const parts: string[] = [];
  for (const streak of [series.streak, series.streak_relative]) {
    if (streak.years >= 2 && streak.direction) {
      parts.push(lang === 'sv' ? `${streak.years} år i rad ${words[streak.direction] ?? streak.direction}` : `${streak.years} years running ${words[streak.direction] ?? streak.direction}`);
    }
  }
  return parts.join('; ');
}

function latestPoint(series: TrendSeries): YearPoint | null {
  return series.points[series.points.length - 1] ?? null;
}

function partTitle(part: TrendPart, lang: Lang): string {
  const first = part.school_years[0] ?? '';
  const last = part.school_years[part.school_years.length - 1] ?? '';
  const span = first === last ? first : `${first}–${last}`;
  if (span === '') return part.analysis === 'gap' ? (lang === 'sv' ? 'Betyg jämfört med nationella prov' : 'Teacher grades compared with national tests') : lang === 'sv' ? 'Bedömning i år 5 jämfört med provresultat i år 6' : 'Year 5 assessments compared with year 6 test results';
  if (part.analysis === 'gap') return lang === 'sv' ? `Betyg jämfört med nationella prov, ${span}` : `Teacher grades compared with national tests, ${span}`;
  return lang === 'sv' ? `Bedömning i år 5 jämfört med provresultat i år 6, ${span}` : `Year 5 assessments compared with year 6 test results, ${span}`;
}

function emptyPartText(analysis: TrendPart['analysis'], lang: Lang): string {
  if (analysis === 'gap') return lang === 'sv' ? 'Exporterna innehåller inga elever med både betyg och provbetyg i samma ämne och läsår.' : 'The exports hold no pupil with both a grade and a test grade in the same subject and school year.';
  return lang === 'sv' ? 'Inga elever kunde följas från åk 5 till åk 6 läsåret efter.' : 'No pupil could be followed from year 5 to year 6 the school year after.';
}

/** Column keys of the trend measures (--columns), the same as gap's and transition's. */
const METRIC_KEYS: Readonly<Record<TrendMetric, string>> = {
  share_higher: 'higher',
  share_lower: 'lower',
  mean_diff: 'mean_diff',
  std_gap: 'std_gap',
  share_pass_from: 'pass_from',
  share_pass_to: 'pass_to',
  diff_pp: 'diff',
};

/** How important each measure is when the terminal is narrow (0 always; see text-table.ts). */
const METRIC_PRIORITY: Readonly<Record<TrendMetric, number>> = { mean_diff: 0, diff_pp: 0, std_gap: 2, share_pass_from: 2, share_pass_to: 2, share_higher: 3, share_lower: 3 };

/**
 * A trend table's columns: group, pupils, each measure with its change, the streaks, the note. By default the group,
 * its pupils and the main measure (Medeldiff; for år 5 → 6 Skillnad) always, then the others as the width allows.
 */
function trendColumns(lang: Lang, metrics: readonly TrendMetric[], lastYear: string, note: boolean): ColumnSpec[] {
  const t = texts(lang);
  return [
    { key: 'group', head: t.group, priority: 0, shorten: true },
    { key: 'n', head: `${t.n} ${lastYear}`.trim(), align: 'right', priority: 0 },
    ...metrics.map((metric): ColumnSpec => ({ key: METRIC_KEYS[metric], head: metricLabel(metric, lang), priority: METRIC_PRIORITY[metric] })),
    { key: 'streak', head: lang === 'sv' ? 'Samma riktning' : 'Same direction', priority: 1, wrap: 'parts' },
    ...(note ? [{ key: 'note', head: NOTE_HEAD[lang], priority: 4, wrap: 'words' as const }] : []),
  ];
}

/** The trend tables' columns for --columns (both parts): key, headings in Swedish and English, aliases (the JSON names of the measures). */
export function trendColumnNames(): ColumnName[] {
  const metrics = [...GAP_TREND_METRICS, ...TRANSITION_TREND_METRICS];
  const aliases: Record<string, string[]> = { n: [texts('sv').n, texts('en').n], streak: ['streak_relative'] };
  for (const metric of metrics) aliases[METRIC_KEYS[metric]] = [metric];
  return columnNames(trendColumns('sv', metrics, '', true), trendColumns('en', metrics, '', true), aliases);
}

function renderPartTable(part: TrendPart, minStreak: number, options: RenderOptions): string[] {
  const { lang, paint } = options;
  const layout = options.layout ?? WIDE;
  const t = texts(lang);
  const partHeading = wrapText(partTitle(part, lang), layout.width).map(paint.bold);
  const out: Block[] = [...partHeading, ''];
  if (part.series.length === 0) return [...partHeading, '', lang === 'sv' ? 'Inga grupper.' : 'No groups.', ''];
  const lastYear = part.school_years[part.school_years.length - 1] ?? '';
  let title = '';
  let table: TextTable | null = null;
  const flush = () => {
    if (table) out.push(table, '');
  };
  // The latest school year's figures are shown: why there are none, where there are none.
  const noteOf = (series: TrendSeries): string => {
    const latest = latestPoint(series);
    if (!latest) return NO_PUPILS[lang];
    return latest.suppressed ? hiddenReason(latest.suppressed, lang) : '';
  };
  const withNote = new Set(part.series.filter((series) => noteOf(series) !== '').map((series) => strataTitle(part.plan, series.key, t, lang)));
  let note = false;
  for (const series of part.series) {
    const heading = strataTitle(part.plan, series.key, t, lang);
    if (heading !== title) {
      flush();
      title = heading;
      out.push(...wrapText(heading, layout.width).map(paint.bold));
      note = withNote.has(heading);
      table = new TextTable({ columns: trendColumns(lang, part.metrics, lastYear, note) });
    }
    const latest = latestPoint(series);
    // ".." a hidden year, "–" no pupils that year, blank a figure the group has not (a total's std_gap).
    const missing = latest === null ? '–' : latest.suppressed ? t.suppressed : '';
    const cells = part.metrics.map((metric) => {
      const values = series.points.map((point) => point?.estimates[metric]?.value ?? null);
      const spark = sparkline(values);
      const now = latest?.estimates[metric];
      const figure = now ? formatMetric(metric, now.value, lang) : missing;
      const change = formatChange(metric, series, lang, { unit: true });
      return `${spark} ${figure}${change ? ` (${change})` : ''}`;
    });
    const streak = streakText(series, lang);
    const pattern = Math.max(series.streak.years, series.streak_relative.years) >= minStreak;
    const label = keyLabel(part.plan, series.key, t, lang);
    table?.push([
      series.level === 'total' ? paint.bold(label) : label,
      latest?.n !== null && latest?.n !== undefined ? formatCount(latest.n, lang) : paint.dim(latest === null ? '–' : t.suppressed),
      ...cells,
      pattern ? paint.warn(streak) : streak,
      ...(note ? [paint.dim(noteOf(series))] : []),
    ]);
  }
  flush();
  return renderBlocks(out, layout, (shown, total) => wrapText(columnsNote(shown, total, layout.width, lang), layout.width).map(paint.dim));
}

const LEGEND: Readonly<Record<Lang, readonly string[]>> = {
  sv: [
    'Kurvan visar läsåren i ordning; tomt = dold grupp eller inga elever det året. Siffran är det senaste läsåret, inom parentes förändringen från året innan, räknad på de avrundade siffrorna (p.e. = procentenheter för andelar, betygspoäng annars); ▲/▼: förändringen är statistiskt säker (95 %). ..: dold det året, Anmärkning säger varför (för få elever: färre än {min}; dold för att skydda en liten grupp: den skulle annars kunna räknas fram ur en summa). –: inga elever det året.',
    'Samma riktning: hur många läsår i rad, till och med det senaste, gruppen legat åt samma håll: betygen högre/lägre än proven (medeldiffens 95 %-intervall utanför 0), över/under kommunen (utanför trattens 95 %-gränser), år 5-bedömningen sträng/generös. {streak} år eller fler i rad är ett mönster, inte ett enstaka år.',
  ],
  en: [
    'The sparkline shows the school years in order; blank = hidden group or no pupils that year. The figure is the latest school year, in brackets the change from the year before, computed from the rounded figures (pp = percentage points for shares, grade points otherwise); ▲/▼: the change is statistically clear (95 %). ..: hidden that year, Note says why (too few pupils: fewer than {min}; hidden to protect a small group: it could otherwise be worked out from a total by subtraction). –: no pupils that year.',
    'Same direction: how many school years in a row, up to the latest, the group has leaned the same way: grades above/below the tests (mean difference 95 % interval excludes 0), above/below the municipality (outside the funnel\'s 95 % limits), year 5 assessment strict/generous. {streak} or more years running is a pattern, not one noisy year.',
  ],
};

function renderTrendTable(report: TrendReport, options: RenderOptions): string {
  const { result } = report;
  const width = (options.layout ?? WIDE).width;
  // --small-groups-only: the first line of the output says it is not for publication.
  const out: string[] = report.meta.parameters.suppression === 'small_groups_only' ? [...wrapText(INTERNAL_NOTICE[options.lang], width).map(options.paint.warn), ''] : [];
  const coverage = report.meta.coverage;
  for (const part of [result.gap, result.transition]) {
    if (!part) continue;
    // An analysis with nothing in it gets one plain line, not a table of hidden rows.
    const empty = part.analysis === 'gap' ? coverage.paired === 0 : coverage.linked === 0;
    if (empty) out.push(...wrapText(partTitle({ ...part, school_years: [] }, options.lang), width).map(options.paint.bold), '', ...wrapText(emptyPartText(part.analysis, options.lang), width), '');
    else out.push(...renderPartTable(part, result.options.minStreak, options));
  }
  const minGroup = String(report.meta.parameters.min_group ?? '');
  for (const line of LEGEND[options.lang]) out.push(...wrapText(line.replace('{min}', minGroup).replace('{streak}', String(result.options.minStreak)), width).map(options.paint.dim));
  out.push('');
  return out.join('\n');
}

/** One flat row per group and school year; the series' own figures (period change, streaks) repeated on each. */
export function flattenTrend(result: TrendResult): Record<string, CsvValue>[] {
  const dims = trendDims(result);
  const metrics = trendMetrics(result);
  const rows: Record<string, CsvValue>[] = [];
  for (const part of [result.gap, result.transition]) {
    if (!part) continue;
    for (const series of part.series) {
      part.school_years.forEach((year, index) => {
        const point = series.points[index] ?? null;
        if (!point) return;
        rows.push(flatRow(part, series, point, year, dims, metrics));
      });
    }
  }
  return rows;
}

function trendDims(result: TrendResult): Dimension[] {
  const dims: Dimension[] = [];
  for (const part of [result.gap, result.transition]) for (const dim of part?.plan.by ?? []) if (!dims.includes(dim)) dims.push(dim);
  return dims;
}

function trendMetrics(result: TrendResult): TrendMetric[] {
  return [...(result.gap?.metrics ?? []), ...(result.transition?.metrics ?? [])];
}

function flatRow(part: TrendPart, series: TrendSeries, point: YearPoint, year: string, dims: readonly Dimension[], metrics: readonly TrendMetric[]): Record<string, CsvValue> {
  const key: GroupKey = series.key;
  const row: Record<string, CsvValue> = { analysis: part.analysis, school_year: year };
  for (const dim of dims) row[dim] = dim in key ? (key[dim] ?? null) : null;
  row.level = series.level;
  row.n = point.n;
  row.suppressed = point.suppressed !== null;
  row.suppressed_reason = point.suppressed;
  row.direction = point.direction;
  row.relative = point.relative;
  for (const metric of metrics) {
    const own = part.metrics.includes(metric);
    const estimate = own ? (point.estimates[metric] ?? null) : null;
    row[metric] = estimate ? estimate.value : null;
    row[`${metric}_ci_low`] = estimate ? estimate.low : null;
    row[`${metric}_ci_high`] = estimate ? estimate.high : null;
    const change = own ? (point.change[metric] ?? null) : null;
    row[`${metric}_change_prev`] = change ? change.change : null;
    row[`${metric}_change_prev_ci_low`] = change ? change.low : null;
    row[`${metric}_change_prev_ci_high`] = change ? change.high : null;
    row[`${metric}_change_prev_sign`] = change ? change.sign : null;
    const period = own ? (series.change_period[metric] ?? null) : null;
    row[`${metric}_change_period`] = period ? period.change : null;
    row[`${metric}_change_period_from`] = period ? period.from : null;
    row[`${metric}_change_period_sign`] = period ? period.sign : null;
  }
  row.streak = series.streak.years;
  row.streak_direction = series.streak.direction;
  row.streak_relative = series.streak_relative.years;
  row.streak_relative_direction = series.streak_relative.direction;
  return row;
}

function renderTrendJson(report: TrendReport): string {
  const { result } = report;
  return `${JSON.stringify(
    {
      meta: report.meta,
      school_years: [...new Set([...(result.gap?.school_years ?? []), ...(result.transition?.school_years ?? [])])].sort(),
      rows: flattenTrend(result),
    },
    null,
    2,
  )}\n`;
}

function renderTrendCsv(report: TrendReport, options: RenderOptions): string {
  const rows = flattenTrend(report.result);
  if (options.excel) {
    const sheet = excelTrend(rows, options.lang, report.result.gap?.plan.names ?? report.result.transition?.plan.names);
    return writeCsv(sheet.header, sheet.rows, { excel: true });
  }
  const header = rows.length > 0 ? Object.keys(rows[0] ?? {}) : ['analysis', 'school_year', 'level', 'n'];
  return writeCsv(header, rows.map((row) => header.map((column) => row[column] ?? null)), { excel: options.excel });
}

export const trendRenderers: Readonly<Record<TrendFormat, (report: TrendReport, options: RenderOptions) => string>> = {
  table: renderTrendTable,
  json: renderTrendJson,
  csv: renderTrendCsv,
};

