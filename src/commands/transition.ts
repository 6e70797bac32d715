/**
 * `ska-analyze transition FILES…`: år 5 assessments against the same pupils' år 6 results.
 */
import { analyseTransitionCells, DEFAULT_TRANSITION_BY, linkTransitionCells, listTransitionCases, transitionCohorts } from '../analysis/transition.js';
import { z } from 'zod';
import { TRANSITION_PUPIL_STRATA } from '../analysis/groups.js';
import { defineCommand, FILES_ARGUMENT, SHOW_IDS_HELP } from './command.js';
import { byHelp, formats, grouping, linking, output, parseFailOn, parseLink, parseOptions, reading, tableColumns } from './options.js';
import { UsageError } from '../errors.js';
import { buildMeta } from '../meta.js';
import { MESSAGES } from '../messages.js';
import type { Io } from '../io.js';
import { genderResolver, settleDigests } from '../normalise/ingest.js';
import type { ResultStore } from '../normalise/store.js';
import { renderSummary } from '../render/summary.js';
import { flattenTransition, TRANSITION_FIGURE_KEYS, transitionColumnNames, transitionRenderers, type TransitionFormat } from '../render/transition.js';
import type { Phases } from '../render/progress.js';
import { DIMENSIONS } from '../types.js';
import { readEarlierRun } from '../read/earlier-run.js';
import { linkParameters } from './analyses.js';
import { TRANSITION_COMPARE_METRICS } from '../analysis/compare.js';
import { TRANSITION_METRIC_LABELS } from '../render/labels.js';
import { backgroundMeta, backgroundNotes, pooledStrataNote, resolveGrouping, noLinks, checkFailOn, comparisonFor, countSuppressed, loadInputs, maskPupils, readingParameters, takeStore, stderrPainter, stdoutPainter, writeDiagnostics, writeReport, inputsOf, startPhases, tableLayout } from './shared.js';

const FORMATS = formats<TransitionFormat>(['table', 'json', 'csv'], 'table', true);
const GROUPING = grouping(
  byHelp(DIMENSIONS.filter((d) => d !== 'teacher'), DEFAULT_TRANSITION_BY),
  { sv: 'grupper med färre länkade elever visar inga siffror (standard 10)', en: 'groups with fewer linked pupils show no figures (default 10)' },
  { sv: 'signifikansnivå för omdömena sträng / generös (standard 0,05)', en: 'significance level for the verdicts strict / generous (default 0.05)' },
);
const LINKING = linking('');
const FAIL_ON_KEYS = [...DIMENSIONS, 'level', 'n', ...TRANSITION_FIGURE_KEYS];
const COLUMNS = tableColumns(transitionColumnNames());

const schema = z
  .object({
    ...reading.shape,
    ...output.shape,
    ...GROUPING.shape,
    ...FORMATS.shape,
    ...LINKING.shape,
    ...COLUMNS.shape,
    listCases: z.boolean().optional().transform((value) => value === true),
    showIds: z.boolean().optional().transform((value) => value === true),
    failOn: z.string().optional(),
    compareWith: z.string().optional(),
  })
  .transform((raw) => {
    if (raw.showIds && !raw.listCases) throw new UsageError(MESSAGES.showIdsAlone());
    if (raw.by?.includes('teacher')) throw new UsageError(MESSAGES.noTeacherInTransition());
    return { ...raw, format: FORMATS.resolve(raw), columns: COLUMNS.resolve(raw), link: parseLink(raw), failOnConditions: parseFailOn(raw.failOn, FAIL_ON_KEYS) };
  });

export type TransitionOptions = z.output<typeof schema>;

export const transitionCommand = defineCommand<TransitionOptions>({
  name: 'transition',
  description: {
    sv: 'bedömningar (omdömen) i åk 5 mot samma elevers nationella prov i åk 6, per skolområde och skola',
    en: 'år 5 assessments (omdömen) against the same pupils\' år 6 national tests, per area and school',
  },
  argument: FILES_ARGUMENT,
  declare: (command, t) =>
    [reading, output, LINKING, GROUPING, FORMATS, COLUMNS].reduce(
      (cmd, group) => group.declare(cmd, t),
      command
        .option('--list-cases', t({ sv: 'lista länkade elever vars godkänt/underkänt ändrades mellan åren (id:n maskerade)', en: 'list linked pupils whose pass/fail changed between the years (ids masked)' }))
        .option('--show-ids', t(SHOW_IDS_HELP))
        .option(
          '--fail-on <conditions>',
          t({
            sv: 'avsluta med slutkod 3 när någon grupp passerar en gräns, t.ex. "verdict=strict" eller "diff_pp<-0.1" (kommaseparerat)',
            en: 'exit with code 3 when any group breaches a threshold, e.g. "verdict=strict" or "diff_pp<-0.1" (comma-separated)',
          }),
        )
        .option(
          '--compare-with <file>',
          t({ sv: 'visa vad som har ändrats sedan en tidigare körning: JSON från en tidigare "transition --format json"', en: 'show what changed against an earlier run: the JSON of an earlier "transition --format json" run' }),
        ),
    ),
  parse: (raw) => parseOptions(schema, raw),
  run: runTransition,
});

/** Runs the command; resolves to the exit code (3 when --fail-on is breached). */
async function runTransition(files: string[], options: TransitionOptions, io: Io): Promise<number> {
  const phases = startPhases(options, io);
  try {
    return await transition(files, options, io, phases);
  } finally {
    phases?.close();
  }
}

async function transition(files: string[], options: TransitionOptions, io: Io, phases: Phases | null): Promise<number> {
  const { format, lang, link, excel, failOnConditions: failOn } = options;
  const earlier = options.compareWith === undefined ? null : await readEarlierRun(options.compareWith, 'transition');
  const loaded = await loadInputs(files, options, io, (config) => resolveGrouping(options.by ?? DEFAULT_TRANSITION_BY, [], config));
  const { config } = loaded;
  const grouping = loaded.grouping ?? resolveGrouping(DEFAULT_TRANSITION_BY, [], config);
  const { by } = grouping;
  const minGroup = options.minGroup ?? config.min_group ?? 10;
  const alpha = options.alpha;
  phases?.start('analyse');

  // The store is only needed until the pupils are linked: let it go before the report is built.
  let disagreements: readonly number[] = [];
  // Linked straight into cells of pupils sharing every group attribute: no object per pupil.
  const { cells, coverage, cases: changed } = ((store: ResultStore) => {
    disagreements = store.background?.disagreements ?? [];
    return linkTransitionCells(store, link, genderResolver(store), by, options.listCases);
  })(takeStore(loaded));
  const suppression = options.smallGroupsOnly ? 'small_groups_only' : 'full';
  const result = analyseTransitionCells(cells, { by, minGroup, suppression, alpha, ...(grouping.specs.length > 0 ? { names: grouping.names } : {}) });
  const cases = changed ? maskPupils(listTransitionCases(changed), options.showIds) : null;
  const suppressed = countSuppressed(result.groups);
  const parameters = {
    ...linkParameters(link),
    by,
    min_group: minGroup,
    suppression,
    alpha,
    ...readingParameters(options),
    list_cases: options.listCases,
    show_ids: options.showIds,
    fail_on: options.failOn ?? null,
    compare_with: options.compareWith ?? null,
  };
  const background = grouping.specs.length > 0 ? backgroundMeta(grouping, loaded.files, disagreements) : null;
  await settleDigests(loaded.files);
  const meta = {
    ...buildMeta('transition', parameters, loaded.files, { ...coverage }, suppressed, loaded.notes),
    multiple_comparisons: result.comparisons,
    cohorts: transitionCohorts(cells, link, minGroup),
    ...(background ? { background } : {}),
  };
  const sections = earlier && !cases ? [comparisonFor(earlier, flattenTransition(result), result.plan, parameters, loaded.files, TRANSITION_COMPARE_METRICS, TRANSITION_METRIC_LABELS, minGroup)] : [];
  phases?.start('write');
  const text = transitionRenderers[format]({ meta, result, link, cases, sections }, { lang, paint: stdoutPainter(options.output, io), excel, matrix: false, layout: tableLayout(options, io) });
  phases?.stop();
  writeDiagnostics(renderSummary(meta, lang, stderrPainter(io)), options.quiet, io);
  if (background) writeDiagnostics(backgroundNotes(grouping, background, lang), options.quiet, io);
  if (!options.listCases) writeDiagnostics(pooledStrataNote(grouping.by, TRANSITION_PUPIL_STRATA, lang), options.quiet, io);
  if (coverage.linked === 0) throw noLinks(link);
  await writeReport(text, options.output, io, inputsOf([...loaded.files, ...loaded.alsoRead], options), phases);
  return failOn ? checkFailOn(flattenTransition(result), failOn, by, lang, io) : 0;
}
