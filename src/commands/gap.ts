/**
 * `ska-analyze gap FILES…`: teacher grades against national test grades, per group.
 */
import { analyseGap, DEFAULT_GAP_BY, listCases } from '../analysis/gap.js';
import { divergentPairs, pairGradesWithTests } from '../analysis/pairs.js';
import { GAP_PUPIL_STRATA } from '../analysis/groups.js';
import { UsageError } from '../errors.js';
import { compareWithReference } from '../analysis/reference-compare.js';
import { referenceSection } from '../render/reference.js';
import { referenceDiagnostics, referenceParameters, resolveReferences } from './references.js';
import { readEarlierRun } from '../read/earlier-run.js';
import { GAP_COMPARE_METRICS } from '../analysis/compare.js';
import { GAP_METRIC_LABELS } from '../render/labels.js';
import { buildMeta } from '../meta.js';
import { MESSAGES } from '../messages.js';
import type { Io } from '../io.js';
import type { Phases } from '../render/progress.js';
import { genderResolver, settleDigests } from '../normalise/ingest.js';
import type { ResultStore } from '../normalise/store.js';
import { gapColumnNames, gapRenderers, type GapFormat } from '../render/gap.js';
import { flattenGap, GAP_ADJUSTED_KEYS, GAP_FIGURE_KEYS } from '../render/gap-rows.js';
import { DIMENSIONS } from '../types.js';
import { renderSummary } from '../render/summary.js';
import { z } from 'zod';
import { defineCommand, FILES_ARGUMENT, SHOW_IDS_HELP } from './command.js';
import { ADJUST_FOR_HELP, byHelp, flagging, formats, grouping, output, parseFailOn, parseOptions, parseWords, reading, references, tableColumns } from './options.js';
import {
  backgroundMeta,
  backgroundNotes,
  pooledStrataNote,
  resolveGrouping,
  countSuppressed,
  checkFailOn,
  noPairs,
  comparisonFor,
  loadInputs,
  maskPupils,
  readingParameters,
  takeStore,
  stderrPainter,
  stdoutPainter,
  writeDiagnostics,
  writeReport,
  inputsOf,
  startPhases,
  tableLayout,
} from './shared.js';

const FORMATS = formats<GapFormat>(['table', 'json', 'csv'], 'table', true);
const GROUPING = grouping(
  byHelp(DIMENSIONS, DEFAULT_GAP_BY),
  { sv: 'grupper med färre elever visar inga siffror (standard 10)', en: 'groups with fewer pupils show no figures (default 10)' },
  { sv: 'signifikansnivå för jämförelsen med resten av kommunen (standard 0,05)', en: 'significance level for the comparison with the rest of the municipality (default 0.05)' },
);
const FAIL_ON_KEYS = [...DIMENSIONS, 'level', 'n', ...GAP_FIGURE_KEYS, ...GAP_ADJUSTED_KEYS];
const COLUMNS = tableColumns(gapColumnNames());

const schema = z
  .object({
    ...reading.shape,
    ...output.shape,
    ...GROUPING.shape,
    ...FORMATS.shape,
    ...references.shape,
    ...flagging.shape,
    ...COLUMNS.shape,
    matrix: z.boolean().optional().transform((value) => value === true),
    listCases: z.boolean().optional().transform((value) => value === true),
    showIds: z.boolean().optional().transform((value) => value === true),
    shrink: z.boolean().optional().transform((value) => value === true),
    failOn: z.string().optional(),
    compareWith: z.string().optional(),
    /** undefined: the config's `adjust_for` (and the background columns in --by either way). */
    adjustFor: z
      .string()
      .optional()
      .transform((value) => (value === undefined ? undefined : parseWords(value))),
  })
  .transform((raw) => {
    if (raw.showIds && !raw.listCases) throw new UsageError(MESSAGES.showIdsAlone());
    return { ...raw, format: FORMATS.resolve(raw), columns: COLUMNS.resolve(raw), failOnConditions: parseFailOn(raw.failOn, FAIL_ON_KEYS) };
  });

export type GapOptions = z.output<typeof schema>;

export const gapCommand = defineCommand<GapOptions>({
  name: 'gap',
  description: { sv: 'lärarnas betyg (terminsbetyg) mot provbetygen (nationella prov), per grupp', en: 'teacher grades (terminsbetyg) against national test grades (provbetyg), per group' },
  argument: FILES_ARGUMENT,
  declare: (command, t) =>
    [reading, output, GROUPING, FORMATS, COLUMNS, references, flagging].reduce(
      (cmd, group) => group.declare(cmd, t),
      command
        .option('--matrix', t({ sv: 'tabellformat: skriv tabellen A–F × A–F och stegskillnaderna under varje grupp', en: 'table format: print the A–F × A–F table and the step differences under every group' }))
        .option('--list-cases', t({ sv: 'lista elever vars betyg och provbetyg skiljer sig 2 steg eller mer (id:n maskerade)', en: 'list pupils whose grade and test grade differ by 2 steps or more (ids masked)' }))
        .option('--show-ids', t(SHOW_IDS_HELP))
        .option(
          '--fail-on <conditions>',
          t({
            sv: 'avsluta med slutkod 3 när någon grupp passerar en gräns, t.ex. "share_higher>0.25" eller "funnel_flag=above_99.8" (kommaseparerat)',
            en: 'exit with code 3 when any group breaches a threshold, e.g. "share_higher>0.25" or "funnel_flag=above_99.8" (comma-separated)',
          }),
        )
        .option(
          '--compare-with <file>',
          t({
            sv: 'visa vad som har ändrats sedan en tidigare körning: JSON från en tidigare "gap --format json" (förra vårens)',
            en: 'show what changed against an earlier run: the JSON of an earlier "gap --format json" run (last spring\'s)',
          }),
        )
        .option('--adjust-for <columns>', t(ADJUST_FOR_HELP))
        .option(
          '--shrink',
          t({
            sv: 'lägg till empiriska Bayes-skattningar av varje grupps standardiserade skillnad (std_gap_shrunk) bredvid de råa. Obs: krympningen drar små skolor mot medelvärdet, så en liten skolas verkliga skillnad underskattas; använd den för att rangordna, aldrig i stället för de råa siffrorna',
            en: 'add empirical-Bayes estimates of each group\'s standardised gap (std_gap_shrunk) next to the raw ones. Caveat: shrinkage moves small schools toward the mean, so a small school\'s real difference is understated; use it to rank, never instead of the raw figures',
          }),
        ),
    ),
  parse: (raw) => parseOptions(schema, raw),
  run: runGap,
});

/** Runs the command; resolves to the exit code (3 when --fail-on is breached). */
async function runGap(files: string[], options: GapOptions, io: Io): Promise<number> {
  const phases = startPhases(options, io);
  try {
    return await gap(files, options, io, phases);
  } finally {
    phases?.close();
  }
}

async function gap(files: string[], options: GapOptions, io: Io, phases: Phases | null): Promise<number> {
  const { format, lang, failOnConditions: failOn } = options;
  // A bad reference file is found before the exports are read.
  const { references, referenceUnit } = await resolveReferences(options);
  const reference = references.standard?.tables;
  const earlier = options.compareWith === undefined ? null : await readEarlierRun(options.compareWith, 'gap');
  const loaded = await loadInputs(files, options, io, (config) =>
    resolveGrouping(options.by ?? config.by ?? DEFAULT_GAP_BY, options.adjustFor ?? config.adjust_for ?? [], config, {
      by: options.by ? '--by' : '"by"',
      adjustFor: options.adjustFor ? '--adjust-for' : '"adjust_for"',
    }),
  );
  const { config } = loaded;
  const grouping = loaded.grouping ?? resolveGrouping(DEFAULT_GAP_BY, [], config);
  const { by, adjustFor } = grouping;
  const minGroup = options.minGroup ?? config.min_group ?? 10;
  const alpha = options.alpha;
  phases?.start('analyse');

  // The store is only needed until the pupils are paired: let it go before the report is built.
  let disagreements: readonly number[] = [];
  const { cells, coverage, cases } = ((store: ResultStore) => {
    const genderOf = genderResolver(store);
    const pairing = pairGradesWithTests(store, genderOf, new Set([...by, ...adjustFor]));
    disagreements = store.background?.disagreements ?? [];
    return { ...pairing, cases: options.listCases ? maskPupils(listCases(divergentPairs(store, genderOf)), options.showIds) : null };
  })(takeStore(loaded));
  const suppression = options.smallGroupsOnly ? 'small_groups_only' : 'full';
  const adjusting = adjustFor.length > 0 ? { adjustFor, names: grouping.names } : grouping.specs.length > 0 ? { names: grouping.names } : {};
  const result = analyseGap(cells, { by, minGroup, suppression, alpha, shrink: options.shrink, flagScale: options.flagScale, ...(reference ? { reference } : {}), ...adjusting });

  const suppressed = countSuppressed(result.groups);
  const parameters = {
    by,
    min_group: minGroup,
    suppression,
    alpha,
    ...readingParameters(options),
    list_cases: options.listCases,
    show_ids: options.showIds,
    shrink: options.shrink,
    flag_scale: options.flagScale,
    ...referenceParameters(references, referenceUnit, options.referenceProvider),
    fail_on: options.failOn ?? null,
    compare_with: options.compareWith ?? null,
    ...(adjustFor.length > 0 ? { adjust_for: adjustFor } : {}),
  };
  const background = grouping.specs.length > 0 ? backgroundMeta(grouping, loaded.files, disagreements) : null;
  await settleDigests(loaded.files);
  const meta = {
    ...buildMeta('gap', parameters, loaded.files, coverage, suppressed, loaded.notes),
    multiple_comparisons: result.comparisons,
    between_groups: result.between_groups,
    ...(background ? { background } : {}),
  };
  const sections = earlier && !cases ? [comparisonFor(earlier, flattenGap(result), result.plan, parameters, loaded.files, GAP_COMPARE_METRICS, GAP_METRIC_LABELS, minGroup)] : [];
  const comparison = references.published && !cases ? compareWithReference(result, references.published.pooled, { alpha }) : null;
  if (references.published && comparison) sections.push(referenceSection(comparison, references.published.info));
  const referenceNotes = references.published ? referenceDiagnostics(references.published, comparison) : '';
  if (referenceNotes !== '') {
    phases?.stop();
    writeDiagnostics(referenceNotes, options.quiet, io);
  }
  const report = { meta, result, cases, sections };
  phases?.start('write');
  const text = gapRenderers[format](report, {
    lang,
    paint: stdoutPainter(options.output, io),
    excel: options.excel,
    matrix: options.matrix,
    layout: tableLayout(options, io),
  });
  phases?.stop();
  writeDiagnostics(renderSummary(meta, lang, stderrPainter(io)), options.quiet, io);
  if (background) writeDiagnostics(backgroundNotes(grouping, background, lang), options.quiet, io);
  if (!options.listCases) writeDiagnostics(pooledStrataNote(grouping.by, GAP_PUPIL_STRATA, lang), options.quiet, io);
  if (coverage.paired === 0) throw noPairs();
  await writeReport(text, options.output, io, inputsOf([...loaded.files, ...loaded.alsoRead, ...references.manifest], options), phases);
  return failOn ? checkFailOn(flattenGap(result), failOn, by, lang, io) : 0;
}
