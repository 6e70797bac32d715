/**
 * `ska-analyze trend FILES…`: the gap and transition figures per school year for each group,
 * the change since the previous year and over the whole period, and same-direction streaks.
 */
import { DEFAULT_TREND_BY, GAP_TREND_METRICS, TRANSITION_TREND_METRICS } from '../analysis/trend.js';
import { buildMeta } from '../meta.js';
import type { Io } from '../io.js';
import type { ResultStore } from '../normalise/store.js';
import { renderSummary } from '../render/summary.js';
import { flattenTrend, trendRenderers, type TrendFormat } from '../render/trend.js';
import { DIMENSIONS, type Dimension } from '../types.js';
import { parseOutputFormat } from './shared.js';
import { noFigures } from './shared.js';
import { analyseCycle, cycleParameters, mergeCoverage, prepare, trendBy } from './analyses.js';
import { checkFailOn, countSuppressed, loadInputs, parseFailOn, parseLang, parsePositiveInt, parseProbability, readingParameters, stderrPainter, stdoutPainter, takeStore, writeDiagnostics, writeReport, inputsOf, type CommonOptions } from './shared.js';
import { linkOptions, type LinkCommandOptions } from './transition.js';

export interface TrendCommandOptions extends CommonOptions, LinkCommandOptions {
  by?: string;
  minGroup?: string;
  smallGroupsOnly?: boolean;
  alpha?: string;
  streak?: string;
  format?: string;
  excel?: boolean;
  failOn?: string;
}

/** Keys --fail-on may name: those of the flat trend rows. */
function trendKeys(): string[] {
  const perMetric = [...GAP_TREND_METRICS, ...TRANSITION_TREND_METRICS].flatMap((m) => [
    m,
    `${m}_ci_low`,
    `${m}_ci_high`,
    `${m}_change_prev`,
    `${m}_change_prev_sign`,
    `${m}_change_period`,
    `${m}_change_period_sign`,
  ]);
  return [...DIMENSIONS, 'analysis', 'level', 'n', 'direction', 'relative', 'streak', 'streak_direction', 'streak_relative', 'streak_relative_direction', ...perMetric];
}

export async function runTrend(files: string[], options: TrendCommandOptions, io: Io): Promise<number> {
  const excel = options.excel === true;
  const format = parseOutputFormat<TrendFormat>(options.format, excel, ['table', 'json', 'csv']);
  const lang = parseLang(options.lang);
  const link = linkOptions(options);
  const failOn = parseFailOn(options.failOn, trendKeys());
  const loaded = await loadInputs(files, options, io);
  const { config } = loaded;
  const { gapBy, transitionBy } = trendBy(options.by, config.by ?? DEFAULT_TREND_BY);
  const minGroup = parsePositiveInt('--min-group', options.minGroup, config.min_group ?? 10);
  const alpha = parseProbability('--alpha', options.alpha, 0.05);
  const minStreak = parsePositiveInt('--streak', options.streak, 3);

  const settings = { gapBy, transitionBy, minGroup, suppression: options.smallGroupsOnly === true ? ('small_groups_only' as const) : ('full' as const), alpha, minStreak };
  const prepared = ((store: ResultStore) => prepare(store, link))(takeStore(loaded));
  const { gap, transition, trend: result } = analyseCycle(prepared, settings);
  const parameters = { ...cycleParameters(settings, link), ...readingParameters(options), fail_on: options.failOn ?? null };
  const suppressed = countSuppressed([...gap.groups, ...transition.groups]);
  const meta = buildMeta('trend', parameters, loaded.files, mergeCoverage(prepared.gapCoverage, prepared.transitionCoverage), suppressed, loaded.notes);
  const text = trendRenderers[format]({ meta, result }, { lang, paint: stdoutPainter(options.output, io), excel, matrix: false });
  writeDiagnostics(renderSummary(meta, lang, stderrPainter(io)), options.quiet, io);
  // One of the two analyses may be empty (the report says so); both empty is no report at all.
  if (prepared.gapCoverage.paired === 0 && prepared.transitionCoverage.linked === 0) throw noFigures(link);
  if (!options.quiet && result.gap.school_years.length === 1) {
    io.stderr.write(lang === 'sv' ? 'ska-analyze: bara ett läsår i exporterna; ingen förändring att visa.\n' : 'ska-analyze: only one school year in the exports; no change to show.\n');
  }
  await writeReport(text, options.output, io, inputsOf(loaded.files, options));
  if (!failOn) return 0;
  // Thresholds apply to each series' latest school year (where its streak ends), once per group.
  const latest = flattenTrend(result).filter((row) => row.school_year === (row.analysis === 'gap' ? result.gap.school_years.at(-1) : result.transition?.school_years.at(-1)));
  return checkFailOn(latest, failOn, ['analysis' as Dimension, ...gapBy], lang, io);
}
