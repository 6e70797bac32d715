/**
 * Renderers for the trend report: a table with one row per group and a sparkline per metric
 * (terminal), or one flat row per group and school year (JSON, CSV).
 */
import type { GroupKey } from '../analysis/groups.js';
import type { Change, TrendMetric, TrendPart, TrendResult, TrendSeries, YearPoint } from '../analysis/trend.js';
import type { ReportMeta } from '../meta.js';
import type { Dimension } from '../types.js';
import { writeCsv, type CsvValue } from './csv.js';
import { formatCount, formatShare, formatSigned, type Lang } from './format.js';
import { keyLabel, strataTitle, type RenderOptions } from './groups.js';
import { hiddenReason, INTERNAL_NOTICE, NO_PUPILS, NOTE_HEAD, texts } from './labels.js';
import { sparkline } from './sparkline.js';
import { TextTable } from './text-table.js';

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

/** A figure for people: shares in %, points with one decimal. */
export function formatMetric(metric: TrendMetric, value: number, lang: Lang): string {
  if (metric === 'diff_pp') return formatSigned(value * 100, 0, lang);
  return SHARE_METRICS.has(metric) ? formatShare(value, lang) : formatSigned(value, 1, lang);
}

/** A change for people: shares in procentenheter, points with one decimal; ▲/▼ when its interval leaves out 0. */
export function formatChange(metric: TrendMetric, change: Change | null | undefined, lang: Lang): string {
  if (!change) return '';
  const text = SHARE_METRICS.has(metric) ? formatSigned(change.change * 100, 0, lang) : formatSigned(change.change, 1, lang);
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

function renderPartTable(part: TrendPart, minStreak: number, options: RenderOptions): string[] {
  const { lang, paint } = options;
  const t = texts(lang);
  const out: string[] = [paint.bold(partTitle(part, lang)), ''];
  if (part.series.length === 0) {
    out.push(lang === 'sv' ? 'Inga grupper.' : 'No groups.', '');
    return out;
  }
  const head = [t.group, `${t.n} ${part.school_years[part.school_years.length - 1] ?? ''}`, ...part.metrics.map((m) => metricLabel(m, lang)), lang === 'sv' ? 'Samma riktning' : 'Same direction'];
  let title = '';
  let table: TextTable | null = null;
  const flush = () => {
    if (table) out.push(table.toString(), '');
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
      out.push(paint.bold(heading));
      note = withNote.has(heading);
      table = new TextTable({ head: note ? [...head, NOTE_HEAD[lang]] : head, colAligns: ['left', 'right', ...part.metrics.map(() => 'left' as const), 'left', 'left'] });
    }
    const latest = latestPoint(series);
    // ".." a hidden year, "–" no pupils that year, blank a figure the group has not (a total's std_gap).
    const missing = latest === null ? '–' : latest.suppressed ? t.suppressed : '';
    const cells = part.metrics.map((metric) => {
      const values = series.points.map((point) => point?.estimates[metric]?.value ?? null);
      const spark = sparkline(values);
      const now = latest?.estimates[metric];
      const figure = now ? formatMetric(metric, now.value, lang) : missing;
      const change = formatChange(metric, series.change_prev[metric], lang);
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
  return out;
}

const LEGEND: Readonly<Record<Lang, readonly string[]>> = {
  sv: [
    'Kurvan visar läsåren i ordning; tomt = dold grupp eller inga elever det året. Siffran är det senaste läsåret, inom parentes förändringen från året innan (procentenheter för andelar, betygspoäng annars); ▲/▼: förändringen är statistiskt säker (95 %). ..: dold det året, Anmärkning säger varför (för få elever: färre än {min}; dold för att skydda en liten grupp: den skulle annars kunna räknas fram ur en summa). –: inga elever det året.',
    'Samma riktning: hur många läsår i rad, till och med det senaste, gruppen legat åt samma håll: betygen högre/lägre än proven (medeldiffens 95 %-intervall utanför 0), över/under kommunen (utanför trattens 95 %-gränser), år 5-bedömningen sträng/generös. {streak} år eller fler i rad är ett mönster, inte ett enstaka år.',
  ],
  en: [
    'The sparkline shows the school years in order; blank = hidden group or no pupils that year. The figure is the latest school year, in brackets the change from the year before (percentage points for shares, grade points otherwise); ▲/▼: the change is statistically clear (95 %). ..: hidden that year, Note says why (too few pupils: fewer than {min}; hidden to protect a small group: it could otherwise be worked out from a total by subtraction). –: no pupils that year.',
    'Same direction: how many school years in a row, up to the latest, the group has leaned the same way: grades above/below the tests (mean difference 95 % interval excludes 0), above/below the municipality (outside the funnel\'s 95 % limits), year 5 assessment strict/generous. {streak} or more years running is a pattern, not one noisy year.',
  ],
};

function renderTrendTable(report: TrendReport, options: RenderOptions): string {
  const { result } = report;
  // --small-groups-only: the first line of the output says it is not for publication.
  const out: string[] = report.meta.parameters.suppression === 'small_groups_only' ? [options.paint.warn(INTERNAL_NOTICE[options.lang]), ''] : [];
  const coverage = report.meta.coverage;
  for (const part of [result.gap, result.transition]) {
    if (!part) continue;
    // An analysis with nothing in it gets one plain line, not a table of hidden rows.
    const empty = part.analysis === 'gap' ? coverage.paired === 0 : coverage.linked === 0;
    if (empty) out.push(options.paint.bold(partTitle({ ...part, school_years: [] }, options.lang)), '', emptyPartText(part.analysis, options.lang), '');
    else out.push(...renderPartTable(part, result.options.minStreak, options));
  }
  const minGroup = String(report.meta.parameters.min_group ?? '');
  for (const line of LEGEND[options.lang]) out.push(options.paint.dim(line.replace('{min}', minGroup).replace('{streak}', String(result.options.minStreak))));
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
  const header = rows.length > 0 ? Object.keys(rows[0] ?? {}) : ['analysis', 'school_year', 'level', 'n'];
  return writeCsv(header, rows.map((row) => header.map((column) => row[column] ?? null)), { excel: options.excel });
}

export const trendRenderers: Readonly<Record<TrendFormat, (report: TrendReport, options: RenderOptions) => string>> = {
  table: renderTrendTable,
  json: renderTrendJson,
  csv: renderTrendCsv,
};

