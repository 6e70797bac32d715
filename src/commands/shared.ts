/**
 * What every analysis command does first (read the config, the area mapping and the exports) and
 * last (write the report to stdout or --output, the accounting to stderr).
 */
import type { SuppressionReason } from '../analysis/suppression.js';
import { findBreaches, type Condition } from '../analysis/thresholds.js';
import { loadConfig, type Config } from '../config.js';
import { InputError, NoFiguresError, UsageError } from '../errors.js';
import { MESSAGES, say, type Message } from '../messages.js';
import { readExports, type FileReport } from '../normalise/ingest.js';
import type { SchoolYearSelection } from '../normalise/school-year.js';
import type { ResultStore } from '../normalise/store.js';
import { mergeAreas, readAreaMapping } from '../normalise/areas.js';
import type { Encoding } from '../read/decode.js';
import { resolveInputFiles, resolveInputs, type InputSource } from '../read/inputs.js';
import { notAnExport, sortSources, type InputNote } from '../normalise/sources.js';
import { configConstantFields, matchesFilePattern } from '../normalise/ingest.js';
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { visible } from '../normalise/text.js';
import { dirname, resolve } from 'node:path';
import { makePainter, wantsColor, type Painter } from '../render/color.js';
import { makePhases, makeProgress, type Phases } from '../render/progress.js';
import { wrapText, type Lang } from '../render/format.js';
import type { TableLayout } from '../render/text-table.js';
import { compareRuns, type CompareMetric } from '../analysis/compare.js';
import type { GroupPlan, PupilStratum } from '../analysis/groups.js';
import { compareManifests, type EarlierRun } from '../read/earlier-run.js';
import { changedParameters, comparisonSection, type ReportSection } from '../render/sections.js';
import { DIMENSIONS, isBackground, type BackgroundDimension, type Dimension } from '../types.js';
import { backgroundSpec, isPersonalHeader, type BackgroundSpec, type BackgroundTable, type FileBackgroundColumn } from '../normalise/background.js';
import { builtinDimension, dimensionNames } from './options.js';
import { writeTo, type Io, type TextSink } from '../io.js';
import { isStdout, refuseInputAsOutput, writeOutput } from '../write-output.js';

/** The reading and output options every analysis command has, parsed (see options.ts). */
export interface CommonOptions {
  config?: string | undefined;
  areas?: string | undefined;
  encoding?: Encoding | undefined;
  lang: Lang;
  /** undefined: stdout (also for `-o -`). */
  output?: string | undefined;
  quiet: boolean;
  /** --school-years, parsed. */
  schoolYears?: SchoolYearSelection | undefined;
  /** --threads: threads to read a big export with. */
  threads?: number | undefined;
}

/**
 * What a command groups by, resolved once the config is read: --by's words as dimensions (a word
 * that is not a built-in dimension names a background column: normalise/background.ts), the
 * background columns the standardised gap is adjusted for, and the columns to read.
 */
export interface Grouping {
  by: Dimension[];
  adjustFor: BackgroundDimension[];
  /** Every background column to read: those in `by`, then those only adjusted for. */
  specs: BackgroundSpec[];
  /** What each background dimension is called. */
  names: Map<BackgroundDimension, Message>;
  /** The word each background dimension was asked for by (for messages). */
  words: Map<BackgroundDimension, string>;
  /** Where each background dimension's word came from (`--by`, `--adjust-for`, or the config's `by`/`adjust_for`), for messages. */
  sources: Map<BackgroundDimension, string>;
  /** Per background dimension in `by`: the rare categories pooled into one (poolRare), once the exports are read. */
  pooled: Map<BackgroundDimension, { categories: number; pupils: number }>;
  /** The pupils a category needs not to be pooled (the run's --min-group). */
  poolBelow: number;
}

/** Where --by's and --adjust-for's words came from: the options, or the config (`by`/`adjust_for`). */
export interface GroupingSources {
  by: string;
  adjustFor: string;
}

/** --by's and --adjust-for's words (or the config's `by` and `adjust_for`) as a Grouping. */
export function resolveGrouping(
  byWords: readonly string[],
  adjustWords: readonly string[],
  config: Config,
  from: GroupingSources = { by: '--by', adjustFor: '--adjust-for' },
): Grouping {
  const specs: BackgroundSpec[] = [];
  const words = new Map<BackgroundDimension, string>();
  const sources = new Map<BackgroundDimension, string>();
  const background = (word: string, source: string): BackgroundDimension => {
    const spec = backgroundSpec(word, config.background ?? {});
    if (spec === null) throw new UsageError(MESSAGES.unknownDimension(word, dimensionNames().sv, dimensionNames().en));
    // A column of names or contact details would print them as group names.
    if (spec.headers.some(isPersonalHeader) || (spec.kind === 'column' && isPersonalHeader(word))) throw new UsageError(MESSAGES.backgroundPersonalColumn(word, source));
    if (!specs.some((known) => known.key === spec.key)) {
      specs.push(spec);
      words.set(spec.key, word);
      sources.set(spec.key, source);
    }
    return spec.key;
  };
  const by: Dimension[] = [];
  for (const word of byWords) {
    const dim = builtinDimension(word) ?? background(word, from.by);
    if (!by.includes(dim)) by.push(dim);
  }
  const adjustFor: BackgroundDimension[] = by.filter(isBackground);
  for (const word of adjustWords) {
    if (builtinDimension(word) !== undefined) throw new UsageError(MESSAGES.adjustForBuiltin(word));
    const dim = background(word, from.adjustFor);
    if (!adjustFor.includes(dim)) adjustFor.push(dim);
  }
  return { by, adjustFor, specs, names: new Map(specs.map((spec) => [spec.key, spec.label])), words, sources, pooled: new Map(), poolBelow: 0 };
}

/**
 * Every background column asked for must be in some export: else a usage error naming the word,
 * what was looked for, and the columns the exports have that no field uses.
 */
function checkBackground(grouping: Grouping, files: readonly FileReport[]): void {
  // Columns of names and contact details are never offered.
  const unused = [...new Set(files.flatMap((file) => file.unmatchedHeaders).filter((header) => !isPersonalHeader(header)))].slice(0, 12);
  for (const spec of grouping.specs) {
    if (files.some((file) => file.background?.some((column) => column.key === spec.key))) continue;
    const word = grouping.words.get(spec.key) ?? spec.key;
    const source = grouping.sources.get(spec.key) ?? '--by';
    if (spec.kind === 'column') throw new UsageError(MESSAGES.unknownByColumn(word, dimensionNames().sv, dimensionNames().en, unused, source));
    throw new UsageError(MESSAGES.backgroundColumnMissing(word, spec.headers.slice(0, 4), unused, source));
  }
}

/**
 * A background column whose values say who a pupil is is refused, like a column of names by its
 * header (the message names the column and why, never a value): most of its cells are e-mail
 * addresses, dates (birth dates), names or personnummer, or more than half of the pupils with a
 * value have one no other pupil has (at least 3 of them: an id, a name or free text).
 */
function checkBackgroundValues(grouping: Grouping, files: readonly FileReport[], table: BackgroundTable): void {
  grouping.specs.forEach((spec, dim) => {
    const word = grouping.words.get(spec.key) ?? spec.key;
    const source = grouping.sources.get(spec.key) ?? '--by';
    const columns = files.flatMap((file) => (file.background ?? []).filter((column) => column.key === spec.key));
    const sum = (of: (shapes: FileBackgroundColumn['shapes']) => number) => columns.reduce((total, column) => total + of(column.shapes), 0);
    const rows = sum((shapes) => shapes.rows);
    const shapes = (['personal_id', 'email', 'date', 'name'] as const).map((shape) => ({ shape, rows: sum((shapes) => shapes[shape]) })).sort((a, b) => b.rows - a.rows);
    const personal = shapes.reduce((total, shape) => total + shape.rows, 0);
    const most = shapes[0];
    if (most && rows > 0 && personal * 2 > rows) throw new UsageError(MESSAGES.backgroundPersonalValues(word, most.shape, source));
    const { valued, categories } = table.pupilsOf(dim);
    const alone = [...categories.values()].filter((pupils) => pupils === 1).length;
    // Nearly every pupil with a value of their own: an id or free text, not a background. A column
    // where many pupils have a rare value (languages in a small run) is pooled, not refused.
    if (alone >= 3 && alone * 10 >= valued * 9) throw new UsageError(MESSAGES.backgroundPersonalValues(word, 'unique', source, { alone, valued }));
  });
}

/**
 * Pool each background dimension's rare categories (fewer than `minGroup` pupils in the run, and
 * at least every category of one pupil) into
 * one, before anything is grouped, so that no rare category's name is ever shown; counted in
 * `grouping.pooled` (meta.background). Only the dimensions in `by`: those only adjusted for are
 * never shown.
 */
function poolRareCategories(grouping: Grouping, table: BackgroundTable, minGroup: number): void {
  grouping.poolBelow = minGroup;
  grouping.specs.forEach((spec, dim) => {
    if (grouping.by.includes(spec.key)) grouping.pooled.set(spec.key, table.poolRare(dim, minGroup));
  });
}

/** meta.background: each background dimension, its column in each file, and its pupils and school years whose rows disagree. */
export function backgroundMeta(grouping: Grouping, files: readonly FileReport[], disagreements: readonly number[]): Record<string, unknown> {
  return {
    dimensions: grouping.specs.map((spec, index) => {
      const columns = files.flatMap((file) => (file.background ?? []).filter((column) => column.key === spec.key).map((column) => ({ file: file.file, column })));
      return {
        key: spec.key,
        name: spec.label.en,
        columns: columns.map(({ file, column }) => ({ file, header: column.header, values: column.style })),
        conflicts: disagreements[index] ?? 0,
        conflict_examples: columns.flatMap(({ file, column }) => column.conflicts.lines.map((line) => `${file}:${line}`)).slice(0, 5),
        unread: {
          personal_id: columns.reduce((sum, { column }) => sum + column.unread.personal_id, 0),
          // Most rows first, then by name: the same whatever order the cells were met in.
          unmapped: Object.fromEntries(
            Object.entries(
              columns.reduce<Record<string, number>>((all, { column }) => {
                for (const [value, count] of Object.entries(column.unread.unmapped)) all[value] = (all[value] ?? 0) + count;
                return all;
              }, {}),
            ).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)),
          ),
        },
        // Rare categories shown together as (övriga) (poolRare): how many, and their pupils.
        pooled: grouping.pooled.get(spec.key) ?? { categories: 0, pupils: 0 },
      };
    }),
    adjusted_for: grouping.adjustFor,
  };
}

const STRATUM_NAMES: Readonly<Record<PupilStratum, Message>> = {
  school_year: { sv: 'läsår', en: 'school year' },
  grade_level: { sv: 'årskurs', en: 'grade level' },
  subject: { sv: 'ämne', en: 'subject' },
};

/**
 * The stderr line when --by leaves out a dimension a figure is otherwise always split by (gap:
 * school year, grade level, subject; transition: subject): each group then adds a pupil's
 * results together, so its n and the minimum group size count results, not pupils.
 */
export function pooledStrataNote(by: readonly Dimension[], strata: readonly PupilStratum[], lang: Lang): string {
  const missing = strata.filter((dim) => !by.includes(dim));
  if (missing.length === 0) return '';
  return `ska-analyze: ${say(MESSAGES.pooledStrata(missing.map((dim) => STRATUM_NAMES[dim].sv), missing.map((dim) => STRATUM_NAMES[dim].en)), lang)}\n`;
}

/** The stderr lines about background values that disagree (one per dimension with any). */
export function backgroundNotes(grouping: Grouping, meta: Record<string, unknown>, lang: Lang): string {
  const dimensions = (meta.dimensions ?? []) as { key: BackgroundDimension; conflicts: number; conflict_examples: string[]; unread: { personal_id: number; unmapped: Record<string, number> } }[];
  const lines: string[] = [];
  for (const dim of dimensions) {
    const name = grouping.names.get(dim.key)?.[lang] ?? dim.key;
    const pooled = grouping.pooled.get(dim.key);
    if (pooled && pooled.categories > 0) lines.push(`ska-analyze: ${say(MESSAGES.backgroundPooled(name, pooled.categories, pooled.pupils, grouping.poolBelow), lang)}\n`);
    if (dim.conflicts > 0) lines.push(`ska-analyze: ${say(MESSAGES.backgroundConflicts(name, dim.conflicts, dim.conflict_examples), lang)}\n`);
    if (dim.unread.personal_id > 0 || Object.keys(dim.unread.unmapped).length > 0) lines.push(`ska-analyze: ${say(MESSAGES.backgroundUnread(name, dim.unread.personal_id, dim.unread.unmapped), lang)}\n`);
  }
  return lines.join('');
}

export interface Loaded {
  config: Config;
  files: FileReport[];
  /** Set to null once the analysis is done, so its memory is free before rendering. */
  store: ResultStore | null;
  /** Inputs not read as exports (other files in the folders, areas files, earlier reports). */
  notes: InputNote[];
  /** Files read besides the exports (areas files found in the folders): never an output. */
  alsoRead: { file: string; path?: string | null }[];
  /** What the command groups by (null when it did not ask: inspect, report). */
  grouping: Grouping | null;
}

/** Two paths name the same file (following symlinks); false when either cannot be found. */
async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([stat(a), stat(b)]);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Which inputs are exports: every file named, and in folders every CSV whose header is an
 * export's. An areas file among them is used as --areas (or skipped when --areas names another);
 * a report this tool wrote, and tables that are not exports, are skipped when found in a folder.
 * Each is named in `notes`. A named file that is not an export is read anyway, so its problem is
 * reported as it is.
 */
export async function sortInputs(
  files: readonly string[],
  options: { areas?: string | undefined },
  config: Config,
  encoding: Encoding | undefined,
  io: Io,
  { allowNone = false, failed }: { allowNone?: boolean; failed?: { file: string; error: Message }[] } = {},
): Promise<{ exports: InputSource[]; areasFiles: InputSource[]; notes: InputNote[] }> {
  const sources: InputSource[] = [];
  const notes: InputNote[] = [];
  if (failed === undefined) {
    const resolved = await resolveInputFiles(files, io.stdin);
    sources.push(...resolved.sources);
    notes.push(...resolved.skipped.map((file) => ({ file: file.file, reason: file.reason })));
  } else {
    // inspect: a path that cannot be used is reported, and the others are still read.
    if (files.length === 0) await resolveInputFiles(files, io.stdin);
    for (const file of files) {
      try {
        const resolved = await resolveInputFiles([file], io.stdin);
        sources.push(...resolved.sources);
        notes.push(...resolved.skipped.map((skip) => ({ file: skip.file, reason: skip.reason })));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        failed.push({ file, error: error.text });
      }
    }
  }
  const sorted = await sortSources(sources, config, encoding, (file) => configConstantFields(config, file));
  const exports: InputSource[] = [];
  const areasFiles: InputSource[] = [];
  for (const { source, kind, missing } of sorted) {
    if (kind === 'export' || (!source.fromFolder && kind !== 'own_output' && kind !== 'areas')) {
      exports.push(source);
      continue;
    }
    if (kind === 'areas') {
      if (options.areas === undefined) {
        areasFiles.push(source);
        notes.push({ file: source.name, reason: 'areas_used' });
      } else if (source.path && (await sameFile(source.path, options.areas))) notes.push({ file: source.name, reason: 'areas_used' });
      else notes.push({ file: source.name, reason: 'areas_skipped' });
      continue;
    }
    if (kind === 'own_output' && !source.fromFolder) throw notAnExport(source, kind);
    notes.push({ file: source.name, reason: kind, ...(kind === 'not_export' ? { missing } : {}) });
  }
  const unique = await withoutCopies(exports, notes);
  if (unique.length === 0 && !allowNone) {
    throw new InputError(MESSAGES.noExport(notes.map((note) => note.file)));
  }
  return { exports: unique, areasFiles, notes };
}

/**
 * The same export given twice (a file inside a folder also named, one file by two paths) or a
 * copy of it (`np_ak6 (1).csv`, the same bytes): read once, the others named in a note. Every
 * row of a second copy would otherwise be a duplicate, and the file rejected as unusable.
 */
async function withoutCopies(exports: readonly InputSource[], notes: InputNote[]): Promise<InputSource[]> {
  const seen = new Map<string, InputSource>();
  const bySize = new Map<number, InputSource[]>();
  const out: InputSource[] = [];
  for (const source of exports) {
    if (!source.path) {
      out.push(source);
      continue;
    }
    const info = await stat(source.path).catch(() => null);
    if (info === null) {
      out.push(source);
      continue;
    }
    const same = seen.get(`${info.dev}:${info.ino}`);
    if (same) {
      notes.push({ file: source.name, reason: 'same_file', of: same.name });
      continue;
    }
    seen.set(`${info.dev}:${info.ino}`, source);
    const sizeMates = bySize.get(info.size) ?? [];
    let copyOf: InputSource | null = null;
    // Only files of the same size can be copies: hash just those.
    for (const mate of sizeMates) if (await sameBytes(mate, source)) copyOf = mate;
    if (copyOf) {
      notes.push({ file: source.name, reason: 'copy', of: copyOf.name });
      continue;
    }
    sizeMates.push(source);
    bySize.set(info.size, sizeMates);
    out.push(source);
  }
  return out;
}

async function sha256Of(source: InputSource): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source.open()) hash.update(chunk);
  return hash.digest('hex');
}

async function sameBytes(a: InputSource, b: InputSource): Promise<boolean> {
  return (await sha256Of(a)) === (await sha256Of(b));
}

export async function loadInputs(
  files: readonly string[],
  options: Omit<CommonOptions, 'lang'> & { lang?: Lang | undefined; minGroup?: number | undefined },
  io: Io,
  group?: (config: Config) => Grouping,
): Promise<Loaded> {
  const schoolYears = options.schoolYears;
  const config = await loadConfig(options.config);
  const grouping = group ? group(config) : null;
  const encoding = options.encoding;
  const { exports, areasFiles, notes } = await sortInputs(files, options, config, encoding, io);
  let fromFile: Map<string, string> | null = null;
  if (options.areas !== undefined) {
    const [source] = await resolveInputs([options.areas], io.stdin);
    if (source) fromFile = await readAreaMapping(source);
  }
  for (const source of areasFiles) {
    const mapping = await readAreaMapping(source);
    fromFile = fromFile === null ? mapping : mergeAreaFiles(fromFile, mapping, source.name);
  }
  const areas = mergeAreas(config.areas, fromFile);
  const alsoRead = areasFiles.map((source) => ({ file: source.name, path: source.path ?? null }));
  // -o onto an input is refused before anything is read (and again when writing).
  if (options.output !== undefined) {
    const named = [...exports.map((source) => source.path ?? source.name), ...alsoRead.map((a) => a.path ?? a.file), options.config, options.areas].filter((file): file is string => typeof file === 'string');
    await refuseInputAsOutput(options.output, await stat(options.output).catch(() => null), named);
  }
  await noteOutputInInputFolder(files, options, io);
  // A "files" pattern in the config that names none of the exports is most likely a typo.
  if (!options.quiet) {
    for (const pattern of Object.keys(config.files ?? {})) {
      if (exports.some((source) => matchesFilePattern(pattern, source.name))) continue;
      io.stderr.write(`ska-analyze: ${say(MESSAGES.filesPatternUnused(visible(pattern)), options.lang ?? 'sv')}\n`);
    }
  }
  const progress = makeProgress(io.stderr, options.quiet !== true);
  const read = await readExports(exports, {
    ...(encoding ? { encoding } : {}),
    config,
    areas,
    threads: options.threads ?? 1,
    // For tests: small blocks and files to exercise threaded reading on small inputs.
    blockBytes: numberFromEnv(io.env.SKA_BLOCK_BYTES),
    parallelMinBytes: numberFromEnv(io.env.SKA_PARALLEL_MIN_BYTES),
    ...(schoolYears ? { schoolYears } : {}),
    ...(progress ? { onProgress: (file: string, done: number, total: number | undefined) => progress.update(file, done, total) } : {}),
    ...(grouping && grouping.specs.length > 0 ? { background: grouping.specs } : {}),
  });
  progress?.done();
  if (grouping) checkBackground(grouping, read.files);
  if (grouping && read.store.background) {
    checkBackgroundValues(grouping, read.files, read.store.background);
    // A category of one pupil is pooled even with --min-group 1: its name alone may be the pupil's.
    poolRareCategories(grouping, read.store.background, Math.max(2, options.minGroup ?? config.min_group ?? 10));
  }
  const accepted = read.files.reduce((sum, file) => sum + file.ledger.accepted, 0);
  const outside = read.files.flatMap((file) => [...file.ledger.outsideYears.keys()]);
  if (accepted === 0 && outside.length > 0 && schoolYears) {
    const held = [...new Set(outside)].sort().join(', ');
    throw new NoFiguresError(MESSAGES.noRowInSchoolYears(schoolYears.label, held));
  }
  return { config, files: read.files, store: read.store, notes, alsoRead, grouping };
}

/** The one line when gap found no grade–test pair: why, and what to check. */
export function noPairs(): NoFiguresError {
  return new NoFiguresError(MESSAGES.noPairs());
}

/** The one line when transition linked no pupil: why, and what to check. */
export function noLinks(link: { fromLevel: number; toLevel: number; fromKind: string; toKind: string }): NoFiguresError {
  return new NoFiguresError(MESSAGES.noLinks(link));
}

function numberFromEnv(value: string | undefined): number | undefined {
  const number = value === undefined ? NaN : Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** Two areas files found in folders: one mapping, and a school mapped two ways is an error. */
function mergeAreaFiles(a: Map<string, string>, b: Map<string, string>, file: string): Map<string, string> {
  const merged = new Map(a);
  for (const [school, area] of b) {
    const known = merged.get(school);
    if (known !== undefined && known !== area) throw new InputError(MESSAGES.areasFilesDisagree(file, known, area));
    merged.set(school, area);
  }
  return merged;
}

/** -o into a folder of exports: say that the next run will not read the report as an export. */
async function noteOutputInInputFolder(files: readonly string[], options: { output?: string | undefined; quiet: boolean; lang?: Lang }, io: Io): Promise<void> {
  const output = options.output;
  if (output === undefined || output === '-' || options.quiet) return;
  for (const file of files) {
    if (file === '-') continue;
    const info = await stat(file).catch(() => null);
    if (info?.isDirectory() && (await sameFile(dirname(resolve(output)), file))) {
      io.stderr.write(`ska-analyze: ${say(MESSAGES.outputInInputFolder(visible(file)), options.lang ?? 'sv')}\n`);
      return;
    }
  }
}

/**
 * Check the report's rows against --fail-on; say on stderr which groups breach what (group keys
 * only, never pupils) and return the exit code: 3 when any group breaches a condition, else 0.
 */
export function checkFailOn(rows: readonly Record<string, unknown>[], conditions: readonly Condition[] | null, by: readonly Dimension[], lang: Lang, io: Io): number {
  if (!conditions) return 0;
  const breaches = findBreaches(rows, conditions);
  const total = MESSAGES.total();
  for (const { condition, rows: hits } of breaches) {
    const shown = hits.slice(0, 5);
    const labels = (lang: Lang) => shown.map((row) => by.map((dim) => (row[dim] === null || row[dim] === undefined ? total[lang] : String(row[dim]))).join(' · ')).join('; ');
    const message = MESSAGES.failOnBreached(condition.text, { sv: labels('sv'), en: labels('en') }, hits.length, shown.length);
    io.stderr.write(`ska-analyze: ${say(message, lang)}\n`);
  }
  return breaches.length > 0 ? 3 : 0;
}

/** Replace pupil ids by a running number (elev-0001, …) unless the user asked to see them. */
export function maskPupils<T extends { pupil: string }>(cases: readonly T[], showIds: boolean): T[] {
  if (showIds) return [...cases];
  const numbers = new Map<string, string>();
  return cases.map((c) => {
    let label = numbers.get(c.pupil);
    if (label === undefined) {
      label = `elev-${String(numbers.size + 1).padStart(4, '0')}`;
      numbers.set(c.pupil, label);
    }
    return { ...c, pupil: label };
  });
}

/** The reading options every command reports in `meta.parameters`. */
export function readingParameters(options: CommonOptions): { encoding: string; config: string | null; areas: string | null; school_years: string | null } {
  return {
    encoding: options.encoding ?? 'auto',
    config: options.config ?? null,
    areas: options.areas ?? null,
    // The canonical form ("2022/23..2023/24"), so VT24 and 2023/24 record the same selection.
    school_years: options.schoolYears?.label ?? null,
  };
}

/** How many groups each suppression rule hid, for `meta`. */
export function countSuppressed(groups: readonly { suppressed: SuppressionReason | null }[]): Record<SuppressionReason, number> {
  const counts: Record<SuppressionReason, number> = { small_group: 0, complementary: 0 };
  for (const group of groups) if (group.suppressed) counts[group.suppressed]++;
  return counts;
}

/** Hand the store to the analysis once and forget it here, so it can be freed after use. */
export function takeStore(loaded: Loaded): ResultStore {
  const { store } = loaded;
  if (store === null) throw new Error('the store was already taken');
  loaded.store = null;
  return store;
}

export function stderrPainter(io: Io): Painter {
  return makePainter(wantsColor(io.stderr, io.env));
}

export function stdoutPainter(output: string | undefined, io: Io): Painter {
  return makePainter(isStdout(output) && wantsColor(io.stdout, io.env));
}

/**
 * Write the report: to --output (never onto one of `inputs`, through a temporary file and a
 * rename; see write-output.ts), or to stdout for no --output or `-o -` (a closed pipe ends the
 * program quietly). `inputs`: every file the command read (inputsOf). `phases`: "skriver
 * rapport…" on the terminal while a file or a pipe is written (not while the report itself goes
 * to the terminal).
 */
export async function writeReport(text: string | Iterable<string>, output: string | undefined, io: Io, inputs: readonly string[], phases: Phases | null = null): Promise<void> {
  const toTerminal = isStdout(output) && io.stdout.isTTY === true;
  if (toTerminal) phases?.stop();
  else phases?.start('write');
  try {
    if (!isStdout(output)) return await writeOutput(output, text, { inputs });
    const pieces = typeof text === 'string' ? [text] : text;
    for (const piece of pieces) await writeTo(io.stdout, piece);
  } finally {
    phases?.stop();
  }
}

/** The width a text is laid out for: the terminal's, else 100 (a pipe, a file, a CI log). */
export function widthOf(sink: TextSink): number {
  return sink.isTTY && sink.columns !== undefined && sink.columns > 0 ? sink.columns : 100;
}

/**
 * How the report's tables are laid out: fitted to stdout's width (--wide: every column; --columns:
 * those), or, in a file written with -o, every column and no line wrapped, as before.
 */
export function tableLayout(options: { output?: string | undefined; wide: boolean; columns: readonly string[] | null }, io: Io): TableLayout {
  const width = isStdout(options.output) ? widthOf(io.stdout) : null;
  if (options.columns) return { mode: 'pick', keys: options.columns, width };
  if (options.wide || width === null) return { mode: 'wide', width };
  return { mode: 'fit', width };
}

/** The phase line on a terminal's stderr after reading ("analyserar…"); null off a terminal and with -q. */
export function startPhases(options: { quiet: boolean; lang: Lang }, io: Io): Phases | null {
  return makePhases(io.stderr, !options.quiet, options.lang);
}

/** The files a command read, for writeReport: the exports (and reference files) read, and the file options. */
export function inputsOf(
  read: readonly { file: string; path?: string | null | undefined }[],
  options: { config?: string | undefined; areas?: string | undefined; reference?: string | string[] | undefined; compareWith?: string | undefined },
): string[] {
  const references = typeof options.reference === 'string' ? [options.reference] : (options.reference ?? []);
  const named = [options.config, options.areas, options.compareWith, ...references].filter((file): file is string => file !== undefined);
  return [...read.map((r) => r.path ?? r.file), ...named];
}

/**
 * Messages and the row accounting for stderr. On a terminal, wrapped at spaces to its width (a
 * line's continuation 2 further in); in a log file or a pipe each stays one line, so that a
 * file:line in it is found by grep.
 */
export function writeDiagnostics(text: string, quiet: boolean | undefined, io: Io): void {
  if (quiet || text === '') return;
  const width = io.stderr.isTTY ? widthOf(io.stderr) : null;
  const lines = text.replace(/\n$/, '').split('\n').flatMap((line) => wrapText(line, width, 2));
  io.stderr.write(`${lines.join('\n')}${text.endsWith('\n') ? '\n' : ''}`);
}

/** Parameters whose change between runs changes figures (named in a --compare-with section). */
const FIGURE_PARAMETERS = ['by', 'min_group', 'alpha', 'flag_scale', 'from', 'to', 'from_kind', 'to_kind', 'attribute_to', 'config', 'areas', 'shrink', 'reference', 'adjust_for'] as const;

/**
 * The `--compare-with` section: this run's flat rows against an earlier run's JSON. The earlier
 * run must group by the same dimensions, or groups would be matched wrongly.
 */
export function comparisonFor(
  earlier: EarlierRun,
  rows: readonly Record<string, unknown>[],
  plan: GroupPlan,
  parameters: Record<string, unknown>,
  files: readonly FileReport[],
  metrics: readonly CompareMetric[],
  labels: Readonly<Record<string, Readonly<Record<Lang, string>>>>,
  minGroup: number,
): ReportSection {
  const earlierBy = Array.isArray(earlier.parameters.by) ? earlier.parameters.by.map(String) : null;
  if (earlierBy === null) throw new InputError(MESSAGES.compareNoBy(earlier.file));
  if (!plan.by.includes('school_year')) throw new UsageError(MESSAGES.compareNeedsSchoolYear(plan.by.join(',')));
  if ([...earlierBy].sort().join(',') !== [...plan.by].sort().join(',')) throw new UsageError(MESSAGES.compareOtherBy(earlier.file, earlierBy.join(',')));
  const comparison = compareRuns(earlier.rows, rows, plan.by, metrics, minGroup);
  if (comparison.duplicates > 0) throw new InputError(MESSAGES.compareRepeatedGroups(earlier.file, comparison.duplicates, earlierBy.join(',')));
  return comparisonSection(
    comparison,
    {
      file: earlier.file,
      sha256: earlier.sha256,
      version: earlier.version,
      files: compareManifests(earlier.files, files.map((f) => ({ file: f.file, sha256: f.sha256 }))),
      parameters_changed: changedParameters(earlier.parameters, parameters, FIGURE_PARAMETERS),
    },
    plan,
    metrics,
    labels,
    minGroup,
  );
}

/** trend and report: neither pairs nor links. */
export function noFigures(link: { fromLevel: number; toLevel: number; fromKind: string; toKind: string }): NoFiguresError {
  return new NoFiguresError(MESSAGES.noPairsNorLinks(link));
}
