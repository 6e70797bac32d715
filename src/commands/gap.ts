/**
 * `ska-analyze gap FILES…`: teacher grades against national test grades, per group.
 */
import { analyseGap, DEFAULT_GAP_BY, listCases } from '../analysis/gap.js';
import { divergentPairs, pairGradesWithTests } from '../analysis/pairs.js';
import { UsageError } from '../errors.js';
import { compareWithReference } from '../analysis/reference-compare.js';
import { referenceSection } from '../render/reference.js';
import { referenceParameters, resolveReferences, type ReferenceOptions } from './references.js';
import { readEarlierRun } from '../read/earlier-run.js';
import { GAP_COMPARE_METRICS } from '../analysis/compare.js';
import { GAP_METRIC_LABELS } from '../render/labels.js';
import { buildMeta } from '../meta.js';
import type { Io } from '../io.js';
import { genderResolver } from '../normalise/ingest.js';
import type { ResultStore } from '../normalise/store.js';
import { gapRenderers, type GapFormat } from '../render/gap.js';
import { flattenGap, GAP_FIGURE_KEYS } from '../render/gap-rows.js';
import { DIMENSIONS } from '../types.js';
import { renderSummary } from '../render/summary.js';
import {
  countSuppressed,
  checkFailOn,
  noPairs,
  comparisonFor,
  loadInputs,
  parseFailOn,
  parseOutputFormat,
  maskPupils,
  readingParameters,
  takeStore,
  parseBy,
  parseLang,
  parsePositiveInt,
  parseProbability,
  stderrPainter,
  stdoutPainter,
  writeDiagnostics,
  writeReport,
  inputsOf,
  type CommonOptions,
} from './shared.js';

export interface GapCommandOptions extends CommonOptions, ReferenceOptions {
  by?: string;
  minGroup?: string;
  smallGroupsOnly?: boolean;
  alpha?: string;
  format?: string;
  excel?: boolean;
  matrix?: boolean;
  listCases?: boolean;
  showIds?: boolean;
  shrink?: boolean;
  failOn?: string;
  compareWith?: string;
}

/** Runs the command; resolves to the exit code (3 when --fail-on is breached). */
export async function runGap(files: string[], options: GapCommandOptions, io: Io): Promise<number> {
  const format = parseOutputFormat<GapFormat>(options.format, options.excel === true, ['table', 'json', 'csv']);
  const lang = parseLang(options.lang);
  if (options.showIds && !options.listCases) throw new UsageError('--show-ids only works together with --list-cases');
  const failOn = parseFailOn(options.failOn, [...DIMENSIONS, 'level', 'n', ...GAP_FIGURE_KEYS]);
  // A bad reference file is found before the exports are read.
  const { references, referenceUnit } = await resolveReferences(options);
  const reference = references.standard?.tables;
  const earlier = options.compareWith === undefined ? null : await readEarlierRun(options.compareWith, 'gap');
  const loaded = await loadInputs(files, options, io);
  const { config } = loaded;
  const by = parseBy(options.by, config.by ?? DEFAULT_GAP_BY);
  const minGroup = parsePositiveInt('--min-group', options.minGroup, config.min_group ?? 10);
  const alpha = parseProbability('--alpha', options.alpha, 0.05);

  // The store is only needed until the pupils are paired: let it go before the report is built.
  const { cells, coverage, cases } = ((store: ResultStore) => {
    const genderOf = genderResolver(store);
    const pairing = pairGradesWithTests(store, genderOf, new Set(by));
    return { ...pairing, cases: options.listCases ? maskPupils(listCases(divergentPairs(store, genderOf)), options.showIds === true) : null };
  })(takeStore(loaded));
  const suppression = options.smallGroupsOnly === true ? 'small_groups_only' : 'full';
  const result = analyseGap(cells, { by, minGroup, suppression, alpha, shrink: options.shrink === true, ...(reference ? { reference } : {}) });

  const suppressed = countSuppressed(result.groups);
  const parameters = {
    by,
    min_group: minGroup,
    suppression,
    alpha,
    ...readingParameters(options),
    list_cases: options.listCases === true,
    show_ids: options.showIds === true,
    shrink: options.shrink === true,
    ...referenceParameters(references, referenceUnit, options.referenceProvider),
    fail_on: options.failOn ?? null,
    compare_with: options.compareWith ?? null,
  };
  const meta = { ...buildMeta('gap', parameters, loaded.files, coverage, suppressed, loaded.notes), multiple_comparisons: result.comparisons };
  const sections = earlier && !cases ? [comparisonFor(earlier, flattenGap(result), result.plan, parameters, loaded.files, GAP_COMPARE_METRICS, GAP_METRIC_LABELS, minGroup)] : [];
  if (references.published && !cases) sections.push(referenceSection(compareWithReference(result, references.published.pooled, { alpha }), references.published.info));
  if (references.published) writeDiagnostics(references.published.warnings.map((line) => `ska-analyze: ${line}\n`).join(''), options.quiet, io);
  const report = { meta, result, cases, sections };
  const text = gapRenderers[format](report, {
    lang,
    paint: stdoutPainter(options.output, io),
    excel: options.excel === true,
    matrix: options.matrix === true,
  });
  writeDiagnostics(renderSummary(meta, lang, stderrPainter(io)), options.quiet, io);
  if (coverage.paired === 0) throw noPairs();
  await writeReport(text, options.output, io, inputsOf([...loaded.files, ...references.manifest], options));
  return failOn ? checkFailOn(flattenGap(result), failOn, by, lang, io) : 0;
}
