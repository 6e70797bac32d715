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
import { InputError, UsageError, describeWriteError } from '../errors.js';
import { linkTransition } from '../analysis/transition.js';
import { divergentPairs } from '../analysis/pairs.js';
import { genderResolver, settleDigests } from '../normalise/ingest.js';
import { buildSchoolDoc } from '../render/school-doc.js';
import { resolveSchool, schoolCases, schoolFileNames, schoolsIn } from './report-school.js';
import { otherAttribution } from './school-transition.js';
import { refuseInputAsOutput, writeOutput } from '../write-output.js';
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { visible } from '../normalise/text.js';

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
  .object({
    ...reading.shape,
    ...outputSwedish.shape,
    ...GROUPING.shape,
    ...streak.shape,
    ...LINKING.shape,
    ...references.shape,
    ...flagging.shape,
    ...FORMATS.shape,
    title: z.string().optional(),
    school: z.string().optional(),
    perSchool: z.string().optional(),
    listCases: z.boolean().optional().transform((value) => value === true),
  })
  .transform((raw) => {
    if (raw.school !== undefined && raw.perSchool !== undefined) throw new UsageError(MESSAGES.schoolAndPerSchool());
    if (raw.school !== undefined && raw.school.trim() === '') throw new UsageError(MESSAGES.schoolBlank());
    if (raw.perSchool !== undefined && (raw.perSchool.trim() === '' || raw.perSchool === '-')) throw new UsageError(MESSAGES.perSchoolBlank());
    if (raw.perSchool !== undefined && raw.output !== undefined) throw new UsageError(MESSAGES.perSchoolWithOutput());
    if (raw.listCases && raw.school === undefined && raw.perSchool === undefined) throw new UsageError(MESSAGES.listCasesNeedsSchool());
    return { ...raw, format: FORMATS.resolve(raw), link: parseLink(raw), lang: 'sv' as const };
  });

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
        .option('--title <text>', t({ sv: 'rapportens titel (standard "Betyg och nationella prov")', en: 'the report\'s title (default "Betyg och nationella prov")' }))
        .option(
          '--school <name>',
          t({
            sv: 'i stället för rapporten till nämnden: analysunderlaget för en skola (namnet som i exporterna; versaler, mellanslag och accenter spelar ingen roll)',
            en: 'instead of the board report: the analysis sheet of one school (its name as in the exports; case, spaces and accents do not matter)',
          }),
        )
        .option(
          '--per-school <dir>',
          t({
            sv: 'i stället för rapporten till nämnden: ett analysunderlag per skola i mappen, i ett svep över exporterna (filnamnen efter skolornas namn)',
            en: "instead of the board report: an analysis sheet per school in the folder, from one read of the exports (file names from the schools' names)",
          }),
        )
        .option('--list-cases', t({ sv: 'med --school eller --per-school: skolans elever att följa upp (id:n maskerade; inte för publicering)', en: 'with --school or --per-school: the school\'s pupils to follow up (ids masked; not for publication)' })),
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
  // A --per-school path that is a file is refused before anything is read.
  if (options.perSchool !== undefined) await refuseFileAsFolder(options.perSchool);
  const { references, referenceUnit } = await resolveReferences(options);
  const loaded = await loadInputs(files, options, io);
  const { config } = loaded;
  const minGroup = options.minGroup ?? config.min_group ?? 10;
  const alpha = options.alpha;
  const minStreak = options.streak;
  const schools = options.school !== undefined || options.perSchool !== undefined;

  const standard = references.standard?.tables;
  const suppression = options.smallGroupsOnly ? ('small_groups_only' as const) : ('full' as const);
  const settings = { gapBy: DEFAULT_GAP_BY, transitionBy: TRANSITION_BY, minGroup, suppression, alpha, minStreak, flagScale: options.flagScale, ...(standard ? { standard } : {}) };
  phases?.start('analyse');
  // The store is let go once everything is paired and linked: the school sheets also need the
  // links attributed the other way, and (--list-cases) the pairs two steps apart.
  const { prepared, other, divergent } = ((store: ResultStore) => {
    const made = prepare(store, link, [], schools);
    if (!schools) return { prepared: made, other: null, divergent: null };
    const genderOf = genderResolver(store);
    const otherSide = linkTransition(store, { ...link, attributeTo: link.attributeTo === 'from' ? 'to' : 'from' }, genderOf).records;
    return { prepared: made, other: otherSide, divergent: options.listCases ? divergentPairs(store, genderOf) : null };
  })(takeStore(loaded));
  const { gap, transition, trend } = analyseCycle(prepared, settings);
  const parameters = {
    format,
    ...cycleParameters(settings, link),
    ...readingParameters(options),
    ...referenceParameters(references, referenceUnit, options.referenceProvider),
    ...(schools ? { school: options.school ?? null, per_school: options.perSchool ?? null, list_cases: options.listCases } : {}),
  };
  await settleDigests(loaded.files);
  const meta = buildMeta('report', parameters, loaded.files, mergeCoverage(prepared.gapCoverage, prepared.transitionCoverage), countSuppressed([...gap.groups, ...transition.groups]), loaded.notes);
  const published = references.published;
  // The board reads this spring against the published figures; earlier years are in trend.
  const latestYear = trend.gap.school_years[trend.gap.school_years.length - 1] ?? null;
  const comparison = published ? compareWithReference(gap, published.pooled, { alpha }) : null;
  const shown = comparison ? { ...comparison, rows: comparison.rows.filter((row) => row.key.school_year === latestYear) } : null;
  phases?.stop();
  if (published) writeDiagnostics(referenceDiagnostics(published, shown), options.quiet, io);
  const inputs = inputsOf([...loaded.files, ...loaded.alsoRead, ...references.manifest], options);
  if (schools && other) {
    const otherView = prepared.records.length > 0 ? otherAttribution(prepared.records, other, transition, { minGroup, alpha, suppression }) : null;
    writeDiagnostics(renderSummary(meta, 'sv', stderrPainter(io)), options.quiet, io);
    if (prepared.gapCoverage.paired === 0 && prepared.transitionCoverage.linked === 0) throw noFigures(link);
    const names = schoolsIn([...gap.groups, ...transition.groups, ...(otherView ?? []).map((g) => ({ level: 'school', key: g.key, n: g.n }))]);
    const chosen = options.school !== undefined ? [resolveSchool(options.school, names)] : names;
    if (chosen.length === 0) throw new InputError(MESSAGES.noSchools());
    const render = (school: string): string => {
      const doc = buildSchoolDoc({
        school,
        meta,
        title: options.title ?? null,
        gap,
        transition,
        other: otherView,
        trend,
        link,
        reference: published && shown ? { comparison: shown, info: published.info } : null,
        cases: divergent ? schoolCases(school, divergent, prepared.records, other, link.attributeTo) : null,
      });
      return format === 'html' ? renderReportHtml(doc) : renderReportMarkdown(doc);
    };
    if (options.perSchool === undefined) {
      const school = chosen[0] ?? '';
      phases?.start('write');
      const text = render(school);
      phases?.stop();
      await writeReport(text, options.output, io, inputs, phases);
      if (!options.quiet && options.output !== undefined) io.stderr.write(`ska-analyze: ${MESSAGES.schoolWritten(visible(school), options.output).sv}\n`);
      return 0;
    }
    const dir = options.perSchool;
    const files = schoolFileNames(chosen, format);
    phases?.start('write');
    try {
      await makeFolder(dir);
      // No file is written when any of them would land on an input.
      for (const name of files.values()) {
        const target = join(dir, name);
        await refuseInputAsOutput(target, await stat(target).catch(() => null), inputs);
      }
      for (const [school, name] of files) await writeOutput(join(dir, name), render(school), { inputs });
    } finally {
      phases?.stop();
    }
    if (!options.quiet) io.stderr.write(`ska-analyze: ${MESSAGES.perSchoolWritten(files.size, dir).sv}\n`);
    return 0;
  }
  const extra = published && shown ? [referenceDocSection(shown, published.info)] : [];
  const sources = published ? referenceAttribution(published.info) : [];
  phases?.start('write');
  const doc = buildReportDoc({ meta, title: options.title ?? null, gap, transition, trend, extra, sources });
  const text = format === 'html' ? renderReportHtml(doc) : renderReportMarkdown(doc);
  phases?.stop();
  writeDiagnostics(renderSummary(meta, 'sv', stderrPainter(io)), options.quiet, io);
  // One of the two analyses may be empty (the report says so); both empty is no report at all.
  if (prepared.gapCoverage.paired === 0 && prepared.transitionCoverage.linked === 0) throw noFigures(link);
  await writeReport(text, options.output, io, inputs, phases);
  if (!options.quiet && options.output !== undefined && options.output !== '-') io.stderr.write(`ska-analyze: ${MESSAGES.reportWritten(options.output).sv}\n`);
  return 0;
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

/**
 * --per-school DIR, before anything is read: a folder, or nothing yet (it is made when the sheets
 * are written); a file there is refused (exit 2), and so is a path whose nearest existing folder
 * cannot be written to, or that runs through a file.
 */
async function refuseFileAsFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return null;
    throw describeWriteError(error, dir);
  });
  if (info !== null && !info.isDirectory()) throw new UsageError(MESSAGES.perSchoolNotFolder(dir));
  let existing = resolve(dir);
  for (;;) {
    const found = await stat(existing).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return null;
      throw describeWriteError(error, dir);
    });
    if (found !== null) {
      if (!found.isDirectory()) throw describeWriteError(Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }), dir);
      await access(existing, constants.W_OK | constants.X_OK).catch((error: unknown) => {
        throw describeWriteError(error, dir);
      });
      return;
    }
    const parent = dirname(existing);
    if (parent === existing) return;
    existing = parent;
  }
}

/**
 * Make the folder and the folders above it that are missing, one at a time (Node's recursive
 * mkdir never returns on some file systems, /proc for one); a failure is a write problem of `dir`.
 */
async function makeFolder(dir: string): Promise<void> {
  const path = resolve(dir);
  const missing: string[] = [];
  for (let at = path; ; ) {
    const info = await stat(at).catch(() => null);
    if (info !== null) {
      if (!info.isDirectory()) throw describeWriteError(Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }), dir);
      break;
    }
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: unknown) => {
      if (errorCode(error) !== 'EEXIST') throw describeWriteError(error, dir);
    });
  }
}
