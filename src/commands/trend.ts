/**
 * `ska-analyze trend FILES…`: the gap and transition figures per school year for each group,
 * the change since the previous year and over the whole period, and same-direction streaks.
 */
import { DEFAULT_TREND_BY, GAP_TREND_METRICS, TRANSITION_TREND_METRICS } from '../analysis/trend.js';
import { buildMeta } from '../meta.js';
import { MESSAGES, say } from '../messages.js';
import type { Io } from '../io.js';
import type { ResultStore } from '../normalise/store.js';
import { settleDigests } from '../normalise/ingest.js';
import { renderSummary } from '../render/summary.js';
import { flattenTrend, trendColumnNames, trendRenderers, type TrendFormat } from '../render/trend.js';
import type { Phases } from '../render/progress.js';
import { DIMENSIONS, isBackground, type Dimension } from '../types.js';
import { backgroundMeta, backgroundNotes, noFigures, resolveGrouping } from './shared.js';
import { analyseCycle, cycleParameters, mergeCoverage, prepare, trendBy } from './analyses.js';
import { checkFailOn, countSuppressed, loadInputs, readingParameters, stderrPainter, stdoutPainter, takeStore, writeDiagnostics, writeReport, inputsOf, startPhases, tableLayout } from './shared.js';
import { z } from 'zod';
import { defineCommand } from './command.js';
import { byHelp, flagging, formats, grouping, linking, output, parseFailOn, parseLink, parseOptions, reading, streak, tableColumns } from './options.js';

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

const FORMATS = formats<TrendFormat>(['table', 'json', 'csv'], 'table', true);
const GROUPING = grouping(
  byHelp(
    DIMENSIONS.filter((d) => d !== 'school_year'),
    DEFAULT_TREND_BY,
    { sv: 'en serie per grupp av dessa (läsår läggs till)', en: 'one series per group of these (school_year is added)' },
  ),
  { sv: 'grupper med färre elever ett år visar inga siffror det året (standard 10)', en: 'groups with fewer pupils in a year show no figures that year (default 10)' },
  { sv: 'signifikansnivå för transitions omdömen sträng / generös (standard 0,05)', en: 'significance level for the transition verdicts (default 0.05)' },
);
const LINKING = linking('transition: ');
const COLUMNS = tableColumns(trendColumnNames());

const schema = z
  .object({ ...reading.shape, ...output.shape, ...GROUPING.shape, ...streak.shape, ...LINKING.shape, ...flagging.shape, ...FORMATS.shape, ...COLUMNS.shape, failOn: z.string().optional() })
  .transform((raw) => ({ ...raw, format: FORMATS.resolve(raw), columns: COLUMNS.resolve(raw), link: parseLink(raw), failOnConditions: parseFailOn(raw.failOn, trendKeys()) }));

export type TrendOptions = z.output<typeof schema>;

export const trendCommand = defineCommand<TrendOptions>({
  name: 'trend',
  description: {
    sv: 'gap- och transition-siffror per läsår för varje grupp: förändringen sedan förra året och över perioden, mönster i samma riktning flera år i rad',
    en: 'gap and transition figures per school year for each group: change since last year and over the period, same-direction streaks',
  },
  argument: [
    { sv: '<filer...>', en: '<files...>' },
    { sv: 'exporter (CSV eller Excel .xlsx) som täcker flera läsår, mappar med sådana, eller - för stdin', en: 'exports (CSV or Excel .xlsx) covering several school years, folders of them, or - for stdin' },
  ],
  declare: (command, t) =>
    [reading, output, GROUPING, streak, LINKING, flagging, FORMATS, COLUMNS].reduce(
      (cmd, group) => group.declare(cmd, t),
      command.option(
        '--fail-on <conditions>',
        t({
          sv: 'avsluta med slutkod 3 när en grupp passerar en gräns det senaste läsåret, t.ex. "streak_relative>=3" (en skola över eller under kommunen tre vårar i rad)',
          en: 'exit with code 3 when a group breaches a threshold in the latest school year, e.g. "streak_relative>=3" (a school above or below the municipality three springs running)',
        }),
      ),
    ),
  parse: (raw) => parseOptions(schema, raw),
  run: runTrend,
});

async function runTrend(files: string[], options: TrendOptions, io: Io): Promise<number> {
  const phases = startPhases(options, io);
  try {
    return await trend(files, options, io, phases);
  } finally {
    phases?.close();
  }
}

async function trend(files: string[], options: TrendOptions, io: Io, phases: Phases | null): Promise<number> {
  const { format, lang, link, excel, failOnConditions: failOn } = options;
  const loaded = await loadInputs(files, options, io, (config) => resolveGrouping(options.by ?? config.by ?? DEFAULT_TREND_BY, [], config, { by: options.by ? '--by' : '"by"', adjustFor: '--adjust-for' }));
  const { config } = loaded;
  const grouping = loaded.grouping ?? resolveGrouping(DEFAULT_TREND_BY, [], config);
  const { gapBy, transitionBy } = trendBy(grouping.by, DEFAULT_TREND_BY);
  const background = grouping.by.filter(isBackground);
  const minGroup = options.minGroup ?? config.min_group ?? 10;
  const alpha = options.alpha;
  const minStreak = options.streak;
  phases?.start('analyse');

  const settings = {
    gapBy,
    transitionBy,
    minGroup,
    suppression: options.smallGroupsOnly ? ('small_groups_only' as const) : ('full' as const),
    alpha,
    minStreak,
    flagScale: options.flagScale,
    ...(background.length > 0 ? { names: grouping.names } : {}),
  };
  let disagreements: readonly number[] = [];
  const prepared = ((store: ResultStore) => {
    disagreements = store.background?.disagreements ?? [];
    return prepare(store, link, background);
  })(takeStore(loaded));
  const { gap, transition, trend: result } = analyseCycle(prepared, settings);
  const parameters = { ...cycleParameters(settings, link), ...readingParameters(options), fail_on: options.failOn ?? null };
  const suppressed = countSuppressed([...gap.groups, ...transition.groups]);
  const backgroundInfo = grouping.specs.length > 0 ? backgroundMeta(grouping, loaded.files, disagreements) : null;
  await settleDigests(loaded.files);
  const meta = { ...buildMeta('trend', parameters, loaded.files, mergeCoverage(prepared.gapCoverage, prepared.transitionCoverage), suppressed, loaded.notes), ...(backgroundInfo ? { background: backgroundInfo } : {}) };
  phases?.start('write');
  const text = trendRenderers[format]({ meta, result }, { lang, paint: stdoutPainter(options.output, io), excel, matrix: false, layout: tableLayout(options, io) });
  phases?.stop();
  writeDiagnostics(renderSummary(meta, lang, stderrPainter(io)), options.quiet, io);
  if (backgroundInfo) writeDiagnostics(backgroundNotes(grouping, backgroundInfo, lang), options.quiet, io);
  // One of the two analyses may be empty (the report says so); both empty is no report at all.
  if (prepared.gapCoverage.paired === 0 && prepared.transitionCoverage.linked === 0) throw noFigures(link);
  if (result.gap.school_years.length === 1) {
    writeDiagnostics(`ska-analyze: ${say(MESSAGES.onlyOneSchoolYear(), lang)}\n`, options.quiet, io);
  }
  await writeReport(text, options.output, io, inputsOf([...loaded.files, ...loaded.alsoRead], options), phases);
  if (!failOn) return 0;
  // Thresholds apply to each series' latest school year (where its streak ends), once per group.
  const latest = flattenTrend(result).filter((row) => row.school_year === (row.analysis === 'gap' ? result.gap.school_years.at(-1) : result.transition?.school_years.at(-1)));
  return checkFailOn(latest, failOn, ['analysis' as Dimension, ...gapBy], lang, io);
}
