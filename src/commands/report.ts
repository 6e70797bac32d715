/**
 * `ska-analyze report FILES… --format html|md --output FILE`: gap, transition and trend in one
 * go, as a report for the board (nämnd) and principals, in Swedish.
 */
import { DEFAULT_GAP_BY } from '../analysis/gap.js';
import { UsageError } from '../errors.js';
import { buildMeta } from '../meta.js';
import type { Io } from '../io.js';
import type { ResultStore } from '../normalise/store.js';
import { buildReportDoc } from '../render/report-doc.js';
import { renderReportHtml } from '../render/report-html.js';
import { renderReportMarkdown } from '../render/report-md.js';
import { renderSummary } from '../render/summary.js';
import type { Dimension } from '../types.js';
import { analyseCycle, cycleParameters, mergeCoverage, prepare } from './analyses.js';
import { countSuppressed, loadInputs, parsePositiveInt, parseProbability, readingParameters, stderrPainter, takeStore, writeDiagnostics, writeReport, inputsOf, type CommonOptions } from './shared.js';
import { noFigures } from './shared.js';
import { linkOptions, type LinkCommandOptions } from './transition.js';
import { referenceParameters, resolveReferences, type ReferenceOptions } from './references.js';
import { compareWithReference } from '../analysis/reference-compare.js';
import { referenceAttribution, referenceDocSection } from '../render/reference.js';

export interface ReportCommandOptions extends CommonOptions, LinkCommandOptions, ReferenceOptions {
  format?: string;
  title?: string;
  minGroup?: string;
  smallGroupsOnly?: boolean;
  alpha?: string;
  streak?: string;
}

/** The report follows schools within areas; transition is counted per år 6 school year. */
const TRANSITION_BY: readonly Dimension[] = ['school_year', 'area', 'school', 'subject'];

export async function runReport(files: string[], options: ReportCommandOptions, io: Io): Promise<number> {
  const format = options.format ?? 'html';
  if (format !== 'html' && format !== 'md') throw new UsageError(`--format: use html or md, not "${format}"`);
  const link = linkOptions(options);
  const { references, referenceUnit } = await resolveReferences(options);
  const loaded = await loadInputs(files, options, io);
  const { config } = loaded;
  const minGroup = parsePositiveInt('--min-group', options.minGroup, config.min_group ?? 10);
  const alpha = parseProbability('--alpha', options.alpha, 0.05);
  const minStreak = parsePositiveInt('--streak', options.streak, 3);

  const standard = references.standard?.tables;
  const settings = { gapBy: DEFAULT_GAP_BY, transitionBy: TRANSITION_BY, minGroup, suppression: options.smallGroupsOnly === true ? ('small_groups_only' as const) : ('full' as const), alpha, minStreak, ...(standard ? { standard } : {}) };
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
  const extra = published
    ? [(() => {
        const comparison = compareWithReference(gap, published.pooled, { alpha });
        return referenceDocSection({ ...comparison, rows: comparison.rows.filter((row) => row.key.school_year === latestYear) }, published.info);
      })()]
    : [];
  const sources = published ? referenceAttribution(published.info) : [];
  if (published) writeDiagnostics(published.warnings.map((line) => `ska-analyze: ${line}\n`).join(''), options.quiet, io);
  const doc = buildReportDoc({ meta, title: options.title ?? null, gap, transition, trend, extra, sources });
  const text = format === 'html' ? renderReportHtml(doc) : renderReportMarkdown(doc);
  writeDiagnostics(renderSummary(meta, 'sv', stderrPainter(io)), options.quiet, io);
  // One of the two analyses may be empty (the report says so); both empty is no report at all.
  if (prepared.gapCoverage.paired === 0 && prepared.transitionCoverage.linked === 0) throw noFigures(link);
  await writeReport(text, options.output, io, inputsOf([...loaded.files, ...references.manifest], options));
  if (!options.quiet && options.output !== undefined && options.output !== '-') io.stderr.write(`ska-analyze: rapporten skrevs till ${options.output}\n`);
  return 0;
}
