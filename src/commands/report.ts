/**
 * `ska-analyze report FILES… --format html|md --output FILE`: gap, transition and trend in one
 * go, as a report for the board (nämnd) and principals, in Swedish.
 */
import { DEFAULT_GAP_BY } from '../analysis/gap.js';
import { Option } from 'commander';
import { z } from 'zod';
import { defineCommand, FILES_ARGUMENT } from './command.js';
import { flagging, formats, grouping, linking, outputSwedish, parseLink, parseOptions, reading, references, streak } from './options.js';
import { buildMeta } from '../meta.js';
import { MESSAGES } from '../messages.js';
import type { Io } from '../io.js';
import type { ResultStore } from '../normalise/store.js';
import { buildReportDoc } from '../render/report-doc.js';
import { renderReportHtml } from '../render/report-html.js';
import { renderReportMarkdown } from '../render/report-md.js';
import { renderSummary } from '../render/summary.js';
import type { Dimension } from '../types.js';
import { analyseCycle, cycleParameters, mergeCoverage, prepare } from './analyses.js';
import type { Phases } from '../render/progress.js';
import { countSuppressed, loadInputs, readingParameters, startPhases, stderrPainter, takeStore, writeDiagnostics, writeReport, inputsOf } from './shared.js';
import { noFigures } from './shared.js';
import { referenceDiagnostics, referenceParameters, resolveReferences } from './references.js';
import { compareWithReference } from '../analysis/reference-compare.js';
import { referenceAttribution, referenceDocSection } from '../render/reference.js';

/** The report follows schools within areas; transition is counted per år 6 school year. */
const TRANSITION_BY: readonly Dimension[] = ['school_year', 'area', 'school', 'subject'];

const FORMATS = formats<'html' | 'md'>(['html', 'md'], 'html', false);
const GROUPING = grouping(
  null,
  { sv: 'grupper med färre elever visar inga siffror (standard 10)', en: 'groups with fewer pupils show no figures (default 10)' },
  { sv: 'signifikansnivå (standard 0,05)', en: 'significance level (default 0.05)' },
);
const LINKING = linking('transition: ');

const schema = z
  .object({ ...reading.shape, ...outputSwedish.shape, ...GROUPING.shape, ...streak.shape, ...LINKING.shape, ...references.shape, ...flagging.shape, ...FORMATS.shape, title: z.string().optional() })
  .transform((raw) => ({ ...raw, format: FORMATS.resolve(raw), link: parseLink(raw), lang: 'sv' as const }));

export type ReportOptions = z.output<typeof schema>;

export const reportCommand = defineCommand<ReportOptions>({
  name: 'report',
  description: {
    sv: 'gap, transition och trend i en rapport för nämnden: fristående HTML (diagram, tabeller, bilaga) eller Markdown, på svenska',
    en: 'gap, transition and trend in one report for the board: self-contained HTML (charts, tables, appendix) or Markdown, in Swedish',
  },
  argument: FILES_ARGUMENT,
  // The report is written in Swedish only: --lang is not offered.
  declare: (command, t) =>
    [reading, outputSwedish, GROUPING, streak, LINKING, references, flagging].reduce(
      (cmd, group) => group.declare(cmd, t),
      command
        .addOption(
          new Option('--format <format>', t({ sv: 'html (en fristående fil) eller md (tabeller att klistra in i dokument)', en: 'html (one self-contained file) or md (tables for pasting into documents)' }))
            .choices(['html', 'md'])
            .default('html'),
        )
        .option('--title <text>', t({ sv: 'rapportens titel (standard "Betyg och nationella prov")', en: 'the report\'s title (default "Betyg och nationella prov")' })),
    ),
  parse: (raw) => parseOptions(schema, raw),
  run: runReport,
});

async function runReport(files: string[], options: ReportOptions, io: Io): Promise<number> {
  const phases = startPhases({ quiet: options.quiet, lang: 'sv' }, io);
  try {
    return await report(files, options, io, phases);
  } finally {
    phases?.close();
  }
}

async function report(files: string[], options: ReportOptions, io: Io, phases: Phases | null): Promise<number> {
  const { format, link } = options;
  const { references, referenceUnit } = await resolveReferences(options);
  const loaded = await loadInputs(files, options, io);
  const { config } = loaded;
  const minGroup = options.minGroup ?? config.min_group ?? 10;
  const alpha = options.alpha;
  const minStreak = options.streak;

  const standard = references.standard?.tables;
  const settings = { gapBy: DEFAULT_GAP_BY, transitionBy: TRANSITION_BY, minGroup, suppression: options.smallGroupsOnly ? ('small_groups_only' as const) : ('full' as const), alpha, minStreak, flagScale: options.flagScale, ...(standard ? { standard } : {}) };
  phases?.start('analyse');
  const prepared = ((store: ResultStore) => prepare(store, link))(takeStore(loaded));
  const { gap, transition, trend } = analyseCycle(prepared, settings);
  const parameters = {
    format,
    ...cycleParameters(settings, link),
    ...readingParameters(options),
    ...referenceParameters(references, referenceUnit, options.referenceProvider),
  };
  const meta = buildMeta('report', parameters, loaded.files, mergeCoverage(prepared.gapCoverage, prepared.transitionCoverage), countSuppressed([...gap.groups, ...transition.groups]), loaded.notes);
  const published = references.published;
  // The board reads this spring against the published figures; earlier years are in trend.
  const latestYear = trend.gap.school_years[trend.gap.school_years.length - 1] ?? null;
  const comparison = published ? compareWithReference(gap, published.pooled, { alpha }) : null;
  const shown = comparison ? { ...comparison, rows: comparison.rows.filter((row) => row.key.school_year === latestYear) } : null;
  const extra = published && shown ? [referenceDocSection(shown, published.info)] : [];
  const sources = published ? referenceAttribution(published.info) : [];
  phases?.stop();
  if (published) writeDiagnostics(referenceDiagnostics(published, shown), options.quiet, io);
  phases?.start('write');
  const doc = buildReportDoc({ meta, title: options.title ?? null, gap, transition, trend, extra, sources });
  const text = format === 'html' ? renderReportHtml(doc) : renderReportMarkdown(doc);
  phases?.stop();
  writeDiagnostics(renderSummary(meta, 'sv', stderrPainter(io)), options.quiet, io);
  // One of the two analyses may be empty (the report says so); both empty is no report at all.
  if (prepared.gapCoverage.paired === 0 && prepared.transitionCoverage.linked === 0) throw noFigures(link);
  await writeReport(text, options.output, io, inputsOf([...loaded.files, ...loaded.alsoRead, ...references.manifest], options), phases);
  if (!options.quiet && options.output !== undefined && options.output !== '-') io.stderr.write(`ska-analyze: ${MESSAGES.reportWritten(options.output).sv}\n`);
  return 0;
}
