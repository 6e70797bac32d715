/**
 * `ska-analyze transition FILES…`: år 5 assessments against the same pupils' år 6 results.
 */
import { analyseTransition, DEFAULT_TRANSITION_BY, linkTransition, listTransitionCases, transitionCohorts, type LinkOptions, type SideKind } from '../analysis/transition.js';
import { UsageError } from '../errors.js';
import { buildMeta } from '../meta.js';
import type { Io } from '../io.js';
import { genderResolver } from '../normalise/ingest.js';
import type { ResultStore } from '../normalise/store.js';
import { renderSummary } from '../render/summary.js';
import { flattenTransition, TRANSITION_FIGURE_KEYS, transitionRenderers, type TransitionFormat } from '../render/transition.js';
import { DIMENSIONS } from '../types.js';
import { readEarlierRun } from '../read/earlier-run.js';
import { linkParameters } from './analyses.js';
import { TRANSITION_COMPARE_METRICS } from '../analysis/compare.js';
import { TRANSITION_METRIC_LABELS } from '../render/labels.js';
import { noLinks, checkFailOn, comparisonFor, countSuppressed, parseOutputFormat, loadInputs, parseFailOn, maskPupils, readingParameters, takeStore, parseBy, parseLang, parsePositiveInt, parseProbability, stderrPainter, stdoutPainter, writeDiagnostics, writeReport, inputsOf, type CommonOptions } from './shared.js';

/** The options that say which results are linked (transition, trend, report). */
export interface LinkCommandOptions {
  from?: string;
  to?: string;
  fromKind?: string;
  toKind?: string;
  attributeTo?: string;
}

export interface TransitionCommandOptions extends CommonOptions, LinkCommandOptions {
  by?: string;
  minGroup?: string;
  smallGroupsOnly?: boolean;
  alpha?: string;
  format?: string;
  excel?: boolean;
  listCases?: boolean;
  showIds?: boolean;
  failOn?: string;
  compareWith?: string;
}

const KINDS: Readonly<Record<string, SideKind>> = {
  assessment: 'assessment',
  bedomning: 'assessment',
  'bedömning': 'assessment',
  omdome: 'assessment',
  'omdöme': 'assessment',
  grade: 'grade',
  betyg: 'grade',
  test: 'test',
  provbetyg: 'test',
  np: 'test',
};

function parseKind(name: string, value: string | undefined, fallback: SideKind): SideKind {
  if (value === undefined) return fallback;
  const kind = KINDS[value.toLowerCase()];
  if (!kind) throw new UsageError(`${name}: use assessment, grade or test, not "${value}"`);
  return kind;
}

function parseLevel(name: string, value: string | undefined, fallback: number): number {
  const level = parsePositiveInt(name, value, fallback);
  if (level > 9) throw new UsageError(`${name}: a grade level is 1–9, not ${level}`);
  return level;
}

/** --from, --to, --from-kind, --to-kind and --attribute-to, checked. */
export function linkOptions(options: LinkCommandOptions): LinkOptions {
  const fromLevel = parseLevel('--from', options.from, 5);
  const toLevel = parseLevel('--to', options.to, 6);
  if (toLevel <= fromLevel) throw new UsageError(`--to (${toLevel}) must be a later grade level than --from (${fromLevel})`);
  const fromKind = parseKind('--from-kind', options.fromKind, fromLevel <= 5 ? 'assessment' : 'grade');
  const toKind = parseKind('--to-kind', options.toKind, 'test');
  const attributeTo = options.attributeTo ?? 'from';
  if (attributeTo !== 'from' && attributeTo !== 'to') throw new UsageError(`--attribute-to: use from or to, not "${attributeTo}"`);

  return { fromLevel, toLevel, fromKind, toKind, attributeTo };
}

/** Runs the command; resolves to the exit code (3 when --fail-on is breached). */
export async function runTransition(files: string[], options: TransitionCommandOptions, io: Io): Promise<number> {
  const excel = options.excel === true;
  const format = parseOutputFormat<TransitionFormat>(options.format, excel, ['table', 'json', 'csv']);
  const lang = parseLang(options.lang);
  if (options.showIds && !options.listCases) throw new UsageError('--show-ids only works together with --list-cases');
  const link = linkOptions(options);

  const failOn = parseFailOn(options.failOn, [...DIMENSIONS, 'level', 'n', ...TRANSITION_FIGURE_KEYS]);
  const earlier = options.compareWith === undefined ? null : await readEarlierRun(options.compareWith, 'transition');
  const loaded = await loadInputs(files, options, io);
  const { config } = loaded;
  const by = parseBy(options.by, DEFAULT_TRANSITION_BY);
  if (by.includes('teacher')) throw new UsageError('--by teacher is not available for transition (år 5 assessments have no grading teacher)');
  const minGroup = parsePositiveInt('--min-group', options.minGroup, config.min_group ?? 10);
  const alpha = parseProbability('--alpha', options.alpha, 0.05);

  // The store is only needed until the pupils are linked: let it go before the report is built.
  const { records, coverage } = ((store: ResultStore) => linkTransition(store, link, genderResolver(store)))(takeStore(loaded));
  const suppression = options.smallGroupsOnly === true ? 'small_groups_only' : 'full';
  const result = analyseTransition(records, { by, minGroup, suppression, alpha });
  const cases = options.listCases ? maskPupils(listTransitionCases(records), options.showIds === true) : null;
  const suppressed = countSuppressed(result.groups);
  const parameters = {
    ...linkParameters(link),
    by,
    min_group: minGroup,
    suppression,
    alpha,
    ...readingParameters(options),
    list_cases: options.listCases === true,
    show_ids: options.showIds === true,
    fail_on: options.failOn ?? null,
    compare_with: options.compareWith ?? null,
  };
  const meta = { ...buildMeta('transition', parameters, loaded.files, { ...coverage }, suppressed, loaded.notes), cohorts: transitionCohorts(records, link, minGroup) };
  const sections = earlier && !cases ? [comparisonFor(earlier, flattenTransition(result), result.plan, parameters, loaded.files, TRANSITION_COMPARE_METRICS, TRANSITION_METRIC_LABELS, minGroup)] : [];
  const text = transitionRenderers[format]({ meta, result, link, cases, sections }, { lang, paint: stdoutPainter(options.output, io), excel, matrix: false });
  writeDiagnostics(renderSummary(meta, lang, stderrPainter(io)), options.quiet, io);
  if (coverage.linked === 0) throw noLinks(link);
  await writeReport(text, options.output, io, inputsOf(loaded.files, options));
  return failOn ? checkFailOn(flattenTransition(result), failOn, by, lang, io) : 0;
}
