/**
 * Read every input once, streaming, and normalise each row into the result store. Bad rows are
 * counted in the file's ledger with their line; file-level problems (unreadable, empty, a
 * required column missing) stop the run with an InputError naming the file.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Config } from '../config.js';
import { InputError, describeFsError } from '../errors.js';
import { basename } from 'node:path';
import { RecordReader, type ByteRow, type Delimiter, type LineEnd } from '../read/records.js';
import type { DecodeInfo, Encoding } from '../read/decode.js';
import type { InputSource } from '../read/inputs.js';
import type { SheetStats } from '../read/workbook.js';
import type { GradeStep, ResultKind } from '../types.js';
import { FIELDS, HEADER_ALIASES, mapHeaders, type ColumnMapping, type Field } from './headers.js';
import { BackgroundTable, FileBackground, matchBackground, type BackgroundSpec, type FileBackgroundColumn } from './background.js';
import { FileLedger, REASON_TEXT } from './ledger.js';
import { makeRowParser, type FileConstant, type ParseContext, type ParsedRow, type RowTarget } from './row-parser.js';
import type { RowLog } from './blocks.js';

/** How a block's table ids map to the store's (parallel.ts keeps one per worker). */
export interface LogMaps {
  contexts: readonly number[];
  subjects: readonly number[];
  labels: readonly number[];
  tallies: readonly number[];
  opaque: readonly string[];
  /** The block's background cell ids → the file's (StoreTarget.backgroundRaw). */
  background: readonly number[];
  lineOffset: number;
}
import { genderFromPersonnummer, type PupilIdKind } from './pupil-id.js';
import type { SchoolYearSelection } from './school-year.js';
import { KIND_ASSESSMENT, ResultStore, type KindIndex } from './store.js';
import { visible } from './text.js';
import { join, MESSAGES } from '../messages.js';

type ValueTally = Record<string, number>;

export interface FileReport {
  /** As shown in every message (control characters made visible). */
  file: string;
  /** The path it was read from (null for stdin). */
  path: string | null;
  encoding: DecodeInfo['encoding'];
  bom: boolean;
  invalidBytes: boolean;
  delimiter: Delimiter;
  lineEnd: LineEnd;
  layout: 'wide' | 'long';
  /** Which kinds of result the file holds (from its columns, or seen in its kind column). */
  kinds: ResultKind[];
  /** Field → header text, as found. */
  columns: Partial<Record<Field, string>>;
  unmatchedHeaders: string[];
  /** Headers that matched a field another column already supplies (not used). */
  duplicateHeaders: { header: string; field: Field }[];
  blankLines: number;
  ledger: FileLedger;
  /** Per kind: counts of A–F / streck / blank values on accepted rows. */
  values: Record<ResultKind, ValueTally>;
  idFormats: Record<PupilIdKind, number>;
  /** SHA-256 of the file's bytes and their number, for the run manifest. */
  sha256: string;
  bytes: number;
  /**
   * A big file read by threads is hashed by one more thread after its rows are read, while the
   * analysis runs: until `settleDigests`, sha256 and bytes are pending here.
   */
  digest?: Promise<{ sha256: string; bytes: number }> | undefined;
  /**
   * Values set for the whole file, not read from a column: from the config (`files`, which always
   * wins) or a grade level in the file name (for rows that have none): field → value and source.
   */
  constants: FileConstant[];
  /** Rows that got their grade level from the file name (they had none of their own). */
  levelFromName: number;
  /** Rows with no grade level from any source (a column, the class, the config or the file name). */
  noLevel: number;
  /** Lines above the header (a title, a date line): not rows. */
  preambleLines: number;
  /** The background columns asked for that the file has (absent when none was asked for). */
  background?: FileBackgroundColumn[];
  /** A worksheet of an Excel workbook (absent for a text file): the workbook's path (what a user can name) and what reading the sheet changed. */
  sheet?: Omit<SheetStats, 'lines' | 'lineBreaks'> & { workbook: string };
}


export interface ReadOptions {
  encoding?: Encoding;
  /** Show rejected values as they are (inspect --raw-values); otherwise only what is not a person. */
  rawValues?: boolean;
  /** Do not stop on a file whose every row was rejected (inspect reports it instead). */
  allowUnusable?: boolean;
  /** Threads to read a big file with (--threads; 1: this thread only). */
  threads?: number;
  /** Block size for threaded reading (tests make it small). */
  blockBytes?: number | undefined;
  /** Files at least this big are read by several threads (tests make it small). */
  parallelMinBytes?: number | undefined;
  config: Config;
  /** Folded school name → area, from --areas or the config file. */
  areas: ReadonlyMap<string, string>;
  /**
   * --school-years: rows of other school years are counted as outside the selection, not rejected
   * (after the checks for field count, a blank pupil id and an unreadable school year; before all
   * others).
   */
  schoolYears?: SchoolYearSelection;
  /** Called as bytes are read (for a progress bar); `total` is the file size when known. */
  onProgress?: (file: string, done: number, total: number | undefined) => void;
  /** Background columns to read per pupil and school year (`--by nyanländ`; background.ts). */
  background?: readonly BackgroundSpec[];
}

export interface ReadResult {
  store: ResultStore;
  files: FileReport[];
}

const REQUIRED: readonly Field[] = ['student_id', 'school_year', 'subject'];
/** At most this many records above the header are taken for a preamble. */
const MAX_PREAMBLE = 10;

function describeMissing(file: string, line: number, fields: readonly Field[]): InputError {
  return new InputError(MESSAGES.requiredColumnMissing(`${file}:${line}`, fields.map((field) => ({ field, aliases: HEADER_ALIASES[field].slice(0, 4).join(', ') }))));
}

/** Wait for the files' SHA-256 made in other threads (before the run manifest is written). */
export async function settleDigests(files: readonly FileReport[]): Promise<void> {
  for (const report of files) {
    const pending = report.digest;
    if (pending === undefined) continue;
    const digest = await pending;
    report.sha256 = digest.sha256;
    report.bytes = digest.bytes;
    delete report.digest;
  }
}

export async function readExports(sources: readonly InputSource[], options: ReadOptions): Promise<ReadResult> {
  const store = new ResultStore();
  if (options.background && options.background.length > 0) store.background = new BackgroundTable(options.background);
  const files: FileReport[] = [];
  for (const source of sources) files.push(await readOne(source, store, options));
  // The first row of every conflict was counted as accepted when it was read.
  for (const { file, line } of store.conflictFirsts) files[file]?.ledger.reclassify('conflict', line);
  for (const report of files) {
    report.ledger.checkBalance();
    if (!options.allowUnusable) unusable(report);
  }
  return { store, files };
}

/**
 * A file whose every row (inside the selection) was rejected cannot be used: stop, naming the
 * file and the main reason, rather than build a report from the other files as if it were not
 * there (a UTF-16 file read as something else, a shifted column, the wrong file).
 */
function unusable(report: FileReport): void {
  const { ledger } = report;
  if (ledger.accepted > 0 || ledger.rejectedTotal === 0) return;
  // Rows rejected before their school year is known cannot be placed in or outside --school-years;
  // a file whose other rows are all outside the selection is not broken, just not selected.
  const beforeYear = (['field_count', 'unterminated_quote', 'missing_id', 'invalid_school_year'] as const).reduce((sum, reason) => sum + (ledger.rejected.get(reason)?.count ?? 0), 0);
  if (ledger.outside.count > 0 && ledger.rejectedTotal === beforeYear) return;
  const reason = ledger.mainReason();
  const entry = reason === null ? undefined : ledger.rejected.get(reason);
  const line = entry?.lines[0];
  const text = reason === null ? { sv: '', en: '' } : REASON_TEXT[reason];
  // A sheet is inspected by naming its workbook (`file.xlsx!Sheet` is no path).
  throw new InputError(MESSAGES.everyRowRejected(`${report.file}${line === undefined ? '' : `:${line}`}`, report.sheet?.workbook ?? report.file, ledger.rejectedTotal, text));
}

/**
 * Gender of a pupil by id: the column if any row had it, else from the personnummer.
 * @internal (also used by tests)
 */
export function pupilGender(store: ResultStore, pupil: string): 'girl' | 'boy' | null {
  const index = store.findPupil(pupil);
  return (index >= 0 ? store.genderColumn(index) : null) ?? genderFromId(pupil);
}

/** Gender from an id alone: personnummer (second-to-last digit) or SCB's TF10/TF20. */
function genderFromId(pupil: string): 'girl' | 'boy' | null {
  if (/^\d{12}$/.test(pupil)) return genderFromPersonnummer({ id: pupil, kind: 'personnummer' });
  // Protected identity in SCB's collections: birth date + TF10 (boy) / TF20 (girl).
  if (/TF10$/.test(pupil)) return 'boy';
  if (/TF20$/.test(pupil)) return 'girl';
  return null;
}

/** Fast per-index gender for the analyses: column first, then the id. */
export function genderResolver(store: ResultStore): (pupil: number) => 'girl' | 'boy' | null {
  // Memoised per pupil: 0 not yet known, 1 girl, 2 boy, 3 unknown.
  const codes = new Int8Array(store.pupilCount);
  return (pupil) => {
    let code = codes[pupil] ?? 3;
    if (code === 0) {
      const gender = store.genderColumn(pupil) ?? genderFromId(store.pupilId(pupil));
      code = gender === 'girl' ? 1 : gender === 'boy' ? 2 : 3;
      codes[pupil] = code;
    }
    return code === 1 ? 'girl' : code === 2 ? 'boy' : null;
  };
}

/** A grade level named in a file name: `ak5`, `åk 5`, `år5`, `årskurs 5`, `arskurs5` (one level only). */
function gradeLevelFromFileName(path: string): number | null {
  const name = basename(path).normalize('NFC');
  const found = new Set<number>();
  for (const match of name.matchAll(/(?<![\p{L}\d])(?:årskurs|arskurs|åk|ak|år|ar)[\s_.-]*([1-9])(?!\d)/giu)) found.add(Number(match[1]));
  return found.size === 1 ? [...found][0]! : null;
}

/** A file-name pattern of the config's `files`: `*` any run of characters, `?` one; case-insensitive, matched against the base name. */
export function matchesFilePattern(pattern: string, path: string): boolean {
  const name = basename(path).normalize('NFC').toLowerCase();
  const wanted = basename(pattern).normalize('NFC').toLowerCase();
  const regex = new RegExp(`^${wanted.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'u');
  return regex.test(name);
}

/** The fields the config's `files` sets for a file. */
export function configConstantFields(config: Config, file: string): Set<string> {
  return new Set(configConstants(config, file).map((constant) => constant.field));
}

/** The constant fields for a file: the config's `files` entries that match its name, in order (the first gives a field its value). */
function configConstants(config: Config, file: string): FileConstant[] {
  const out: FileConstant[] = [];
  for (const [pattern, values] of Object.entries(config.files ?? {})) {
    if (!matchesFilePattern(pattern, file)) continue;
    for (const [field, value] of Object.entries(values)) {
      if (value === undefined || out.some((c) => c.field === field)) continue;
      out.push({ field: field as Field, value: visible(String(value)), source: 'config', pattern: visible(pattern) });
    }
  }
  return out;
}

/**
 * Finds a file's header: the first record that names the export's columns; records above it (a
 * title, "Utskrivet 2025-06-10") are a preamble, counted, not rows. Used by both ways of reading.
 */
class HeaderFinder {
  private readonly constants: FileConstant[];
  private readonly constantFields: Set<string>;
  private readonly preamble: number[] = [];
  private first: { fields: string[]; line: number; mapping: ColumnMapping } | null = null;
  report: FileReport | null = null;
  headerCount = 0;
  mapping: ColumnMapping | null = null;
  /** The header's fields, as shown. */
  headers: string[] = [];
  /** The column of each background dimension asked for (-1: none in this file). */
  background: number[] = [];

  constructor(
    private readonly source: InputSource,
    private readonly options: ReadOptions,
    private readonly ledger: FileLedger,
  ) {
    this.constants = configConstants(options.config, source.name);
    this.constantFields = new Set<string>(this.constants.map((constant) => constant.field));
  }

  /** Offer a record before the header; true when it was the header (`report` is then set). */
  offer(reader: RecordReader, row: ByteRow): boolean {
    const fields = reader.fields(row).map((field) => visible(field.trim()));
    const mapping = mapHeaders(fields, this.options.config.columns ?? {});
    const isHeader = REQUIRED.every((field) => mapping.columns[field] !== undefined || this.constantFields.has(field));
    if (!isHeader && this.preamble.length < MAX_PREAMBLE) {
      this.first ??= { fields, line: row.line, mapping };
      this.preamble.push(row.line);
      return false;
    }
    const header = isHeader ? { fields, line: row.line, mapping } : (this.first ?? { fields, line: row.line, mapping });
    reader.expectedFields = header.fields.length;
    const report = startReport(this.source.name, header.fields, header.mapping, this.ledger, reader.detectedDelimiter, reader.info, header.line, this.constants);
    report.preambleLines = isHeader ? this.preamble.length : 0;
    this.report = report;
    this.headerCount = header.fields.length;
    this.mapping = header.mapping;
    this.headers = header.fields;
    const taken = new Set(Object.values(header.mapping.columns));
    this.background = matchBackground(header.fields, this.options.background ?? [], taken);
    return true;
  }

  /** After the last record: the report, or the error for a file with no header. */
  finish(reader: RecordReader): FileReport {
    if (this.report === null && this.first !== null) {
      // No record named the export's columns: report the first one, as the header it should have been.
      startReport(this.source.name, this.first.fields, this.first.mapping, this.ledger, reader.detectedDelimiter, reader.info, this.first.line, this.constants);
    }
    if (this.report === null) throw new InputError(MESSAGES.emptyFile(this.source.name));
    return this.report;
  }
}

/** Files at least this big are read by several threads (when --threads allows). */
const PARALLEL_MIN_BYTES = 48 << 20;

async function readOne(source: InputSource, store: ResultStore, options: ReadOptions): Promise<FileReport> {
  const fileIndex = store.files.length;
  store.files.push(source.name);
  const ledger = new FileLedger(source.name, options.rawValues === true);
  const threads = options.threads ?? 1;
  if (threads > 1 && source.path && source.size !== undefined && source.size >= (options.parallelMinBytes ?? PARALLEL_MIN_BYTES) && options.encoding === undefined) {
    const finder = new HeaderFinder(source, options, ledger);
    const reader: RecordReader = new RecordReader({
      record(row) {
        if (finder.offer(reader, row)) reader.stop();
      },
    });
    try {
      await reader.readAll(headOf(source, 4 << 20));
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw describeFsError(error, source.name);
    }
    const report = finder.report;
    const encoding = reader.info.encoding;
    const lineEnd = reader.detectedLineEnd;
    // Only where the head settles the encoding and the line ends for the whole file (not UTF-16,
    // which is read converted); otherwise the file is read in one thread as usual.
    if (report !== null && finder.mapping !== null && encoding !== 'ascii' && encoding !== 'utf-16le' && encoding !== 'utf-16be' && lineEnd !== 'none') {
      const { readParallel } = await import('./parallel.js');
      const parallelTarget = new StoreTarget(store, ledger, fileIndex, finder.background);
      const done = await readParallel({
        source: { name: source.name, path: source.path, size: source.size },
        store,
        fileIndex,
        ledger,
        report,
        setup: {
          path: source.path,
          encoding,
          delimiter: reader.detectedDelimiter,
          lineEnd,
          headerCount: finder.headerCount,
          context: { ...parseContext(report, finder.headerCount, finder.mapping, options, finder.background), areas: [...options.areas] },
          rawValues: options.rawValues === true,
        },
        dataStart: reader.offset,
        firstLine: reader.nextLine,
        blankLines: reader.blankLines,
        info: reader.info,
        threads,
        blockBytes: options.blockBytes,
        onProgress: options.onProgress,
        target: parallelTarget,
      });
      if (done !== null) {
        if (store.background) done.background = parallelTarget.finishBackground(finder.headers);
        return done;
      }
      // The worker threads could not be started: read in this thread.
      ledger.reset();
    }
  }
  const digest = { hash: createHash('sha256'), bytes: 0 };
  const state: { handler: ((row: ByteRow) => void) | null; target: StoreTarget | null } = { handler: null, target: null };
  const finder = new HeaderFinder(source, options, ledger);
  const reader: RecordReader = new RecordReader(
    {
      record(row) {
        if (state.handler) return state.handler(row);
        if (!finder.offer(reader, row) || finder.report === null || finder.mapping === null) return;
        state.target = new StoreTarget(store, ledger, fileIndex, finder.background);
        state.handler = makeRowParser({ reader, ledger, counts: finder.report }, parseContext(finder.report, finder.headerCount, finder.mapping, options, finder.background), state.target);
      },
      brokenQuote(line) {
        if (state.handler) ledger.reject('unterminated_quote', line);
      },
      firstChunk(bytes, lines) {
        // Size the store once for a big file instead of doubling its arrays as rows arrive.
        if (source.size !== undefined && lines > 0 && bytes < source.size) store.reserve(Math.ceil((source.size / bytes) * lines * 1.02));
      },
    },
    options.encoding ? { encoding: options.encoding } : {},
  );
  try {
    await reader.readAll(counted(source, options.onProgress, digest));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw describeFsError(error, source.name);
  }
  const done = finder.finish(reader);
  if (state.target) done.values = state.target.tallies();
  if (state.target && store.background) done.background = state.target.finishBackground(finder.headers);
  done.encoding = reader.info.encoding;
  done.bom = reader.info.bom;
  done.invalidBytes = reader.info.replaced;
  done.blankLines = reader.blankLines;
  done.lineEnd = reader.detectedLineEnd;
  done.path = source.path ?? null;
  done.sha256 = digest.hash.digest('hex');
  done.bytes = digest.bytes;
  if (source.sheet) {
    const { idsRestored, idsShort, formulasWithoutValue, mergedRanges, cellsBeyondHeader, hiddenRows } = source.sheet.stats;
    done.sheet = { workbook: source.sheet.workbook.file, idsRestored, idsShort, formulasWithoutValue, mergedRanges, cellsBeyondHeader, hiddenRows };
  }
  return done;
}

/** The first `max` bytes of a source. */
async function* headOf(source: InputSource, max: number): AsyncGenerator<Uint8Array> {
  let taken = 0;
  for await (const chunk of source.open()) {
    const room = max - taken;
    yield chunk.length > room ? chunk.subarray(0, room) : chunk;
    taken += chunk.length;
    if (taken >= max) break;
  }
}

/** The source's chunks, hashed (SHA-256, for the manifest) and reported for progress on the way. */
async function* counted(source: InputSource, progress: ReadOptions['onProgress'], digest: { hash: Hash; bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of source.open()) {
    digest.bytes += chunk.length;
    digest.hash.update(chunk);
    progress?.(source.name, digest.bytes, source.size);
    yield chunk;
  }
}

/** What the row parser needs, from the file's report and the read options. */
function parseContext(report: FileReport, headerCount: number, mapping: ColumnMapping, options: ReadOptions, background: readonly number[]): ParseContext {
  return {
    ...(background.length > 0 ? { background } : {}),
    headerCount,
    columns: mapping.columns,
    constants: report.constants,
    layout: report.layout,
    options: { config: { subjects: options.config.subjects, kinds: options.config.kinds, assessment_scale: options.config.assessment_scale }, schoolYears: options.schoolYears },
    areas: options.areas,
  };
}

function startReport(
  file: string,
  headers: string[],
  mapping: ColumnMapping,
  ledger: FileLedger,
  delimiter: Delimiter,
  info: DecodeInfo,
  headerLine: number,
  fromConfig: FileConstant[],
): FileReport {
  const { columns } = mapping;
  const constant = new Set(fromConfig.map((c) => c.field));
  const missing = REQUIRED.filter((field) => columns[field] === undefined && !constant.has(field));
  const isLong = (columns.kind !== undefined || constant.has('kind')) && columns.value !== undefined;
  const valueColumns = (['grade', 'test', 'assessment'] as const).filter((field) => columns[field] !== undefined);
  if (missing.length > 0) {
    const error = describeMissing(file, headerLine, missing);
    // A UTF-8 mark over Windows-1252 text garbles å, ä, ö in the headers themselves.
    if (headers.some((header) => header.includes('\uFFFD'))) {
      throw new InputError(join(error.text, MESSAGES.headerNotUtf8()));
    }
    throw error;
  }
  if (!isLong && valueColumns.length === 0) {
    throw new InputError(MESSAGES.noResultColumn(`${file}:${headerLine}`));
  }
  const named: Partial<Record<Field, string>> = {};
  for (const field of FIELDS) {
    const index = columns[field];
    if (index !== undefined && !constant.has(field)) named[field] = (headers[index] ?? '').trim();
  }
  const constants = [...fromConfig];
  // A grade level in the file name, for rows that have none (no level column, no class that names one).
  const nameLevel = constant.has('grade_level') ? null : gradeLevelFromFileName(file);
  if (nameLevel !== null) constants.push({ field: 'grade_level', value: String(nameLevel), source: 'file_name' });
  return {
    file,
    path: null,
    encoding: info.encoding,
    bom: info.bom,
    invalidBytes: false,
    delimiter,
    lineEnd: 'none',
    layout: isLong ? 'long' : 'wide',
    kinds: isLong ? [] : valueColumns.map((field) => field),
    columns: named,
    unmatchedHeaders: mapping.unmatched,
    duplicateHeaders: mapping.duplicates,
    blankLines: 0,
    ledger,
    values: { grade: {}, test: {}, assessment: {} },
    idFormats: { personnummer: 0, samordningsnummer: 0, opaque: 0 },
    sha256: '',
    bytes: 0,
    constants,
    levelFromName: 0,
    noLevel: 0,
    preambleLines: 0,
  };
}

const KINDS: readonly ResultKind[] = ['grade', 'test', 'assessment'];
/** A store kind's result kind (its index in KINDS): spring and autumn grades are both grades. */
const RESULT_KIND_OF: readonly number[] = [0, 0, 1, 2];

/**
 * The apply half of reading, for one file: each accepted row goes into the store in file order,
 * where a duplicate or a conflict with an earlier row is found; the row is then accepted or
 * counted as a duplicate or conflict in the ledger, and its values tallied.
 */
export class StoreTarget implements RowTarget {
  private readonly tallyIds = new Map<string, number>();
  readonly tallyNames: string[] = [];
  private readonly tallyCounts: [number[], number[], number[]] = [[], [], []];
  private lastCtx = -1;
  private readonly lastParts = new Int32Array([-2, -2, -2, -2, -2]);

  /** This file's background cells (null when no background column was asked for). */
  private readonly background: FileBackground | null;

  constructor(
    private readonly store: ResultStore,
    private readonly ledger: FileLedger,
    private readonly fileIndex: number,
    backgroundColumns: readonly number[] = [],
  ) {
    this.background = store.background ? new FileBackground(store.background, backgroundColumns) : null;
  }

  backgroundRaw(dim: number, text: string): number {
    return this.background ? this.background.raw(dim, text) : -1;
  }

  /** After the file's last row: its background columns judged, their values given to the store. */
  finishBackground(headers: readonly string[]): FileBackgroundColumn[] {
    return this.background ? this.background.finish(headers) : [];
  }

  /** A row's background cells, for its pupil in its school year. */
  private noteBackground(pupil: number, yearIndex: number, cells: Int32Array, at: number, width: number, map: readonly number[] | null, line: number): void {
    const background = this.background;
    const table = this.store.background;
    if (!background || !table) return;
    let pupilYear = -1;
    for (let dim = 0; dim < width; dim++) {
      const local = cells[at + dim] ?? -1;
      if (local < 0) continue;
      if (pupilYear < 0) pupilYear = table.pupilYear(pupil, yearIndex);
      background.note(dim, pupilYear, map ? (map[local] ?? 0) : local, line);
    }
  }

  stringId(text: string | null): number {
    return this.store.stringId(text);
  }
  stringOf(id: number): string | null {
    return this.store.stringOf(id);
  }
  subjectIndex(code: string): number {
    return this.store.subjectIndex(code);
  }
  labelIndex(label: string, pass: boolean | null, step: GradeStep | null): number {
    return this.store.labelIndex(label, pass, step);
  }
  /** A pupil is made when a row of theirs is accepted (as a threaded read does): the key until then. */
  pupilByNumber(key: number): number {
    return key;
  }
  private readonly opaque: string[] = [];
  private readonly opaqueIds = new Map<string, number>();
  pupilByString(id: string): number {
    if (/^\d{12}$/.test(id)) return Number(id);
    let index = this.opaqueIds.get(id);
    if (index === undefined) {
      index = this.opaque.length;
      this.opaque.push(id);
      this.opaqueIds.set(id, index);
    }
    return -(1 + index);
  }
  tallyId(name: string): number {
    let id = this.tallyIds.get(name);
    if (id === undefined) {
      id = this.tallyNames.length;
      this.tallyNames.push(name);
      this.tallyIds.set(name, id);
    }
    return id;
  }

  private contextOf(school: number, area: number, cls: number, teacher: number, level: number): number {
    const last = this.lastParts;
    if (last[0] === school && last[1] === area && last[2] === cls && last[3] === teacher && last[4] === level) return this.lastCtx;
    last[0] = school;
    last[1] = area;
    last[2] = cls;
    last[3] = teacher;
    last[4] = level;
    this.lastCtx = this.store.context(school, area, cls, teacher, level);
    return this.lastCtx;
  }

  accept(row: ParsedRow): void {
    const store = this.store;
    const key = row.pupil;
    const pupil = key >= 0 ? store.pupilByNumber(key) : store.pupilByString(this.opaque[-key - 1] ?? '');
    this.acceptAs(row, pupil);
  }

  /** Apply a row whose pupil is already the store's (a threaded read resolves it itself). */
  acceptAs(row: ParsedRow, pupil: number): void {
    const store = this.store;
    const line = row.line;
    if (row.gender !== 0) store.noteGender(pupil, row.gender === 1 ? 'girl' : 'boy');
    const ctx = this.contextOf(row.school, row.area, row.cls, row.teacher, row.level);
    const yearIndex = store.yearIndex(row.startYear);
    const slot = store.slotIndex(pupil, yearIndex, row.subject);
    if (row.background.length > 0) this.noteBackground(pupil, yearIndex, row.background, 0, row.background.length, null, line);
    const term = row.term;
    let added = 0;
    let duplicates = 0;
    let conflict = false;
    for (let i = 0; i < row.n; i++) {
      const value = row.values[i] ?? -2;
      if (value === -2) continue; // blank: nothing to record
      const kind = (row.kinds[i] ?? 0) as KindIndex;
      const outcome = store.add(kind, slot, value, kind === KIND_ASSESSMENT ? 0 : term, ctx, this.fileIndex, line);
      if (outcome === 'conflict') conflict = true;
      else if (outcome === 'duplicate') duplicates++;
      else added++;
    }
    if (conflict) this.ledger.reject('conflict', line);
    else if (added === 0 && duplicates > 0) this.ledger.reject('duplicate', line);
    else {
      this.ledger.accept();
      for (let i = 0; i < row.n; i++) {
        const counts = this.tallyCounts[RESULT_KIND_OF[row.kinds[i] ?? 0] ?? 0] ?? [];
        const id = row.tallies[i] ?? 0;
        counts[id] = (counts[id] ?? 0) + 1;
      }
    }
  }

  /**
   * A block's row log (parsed in another thread), applied as accept() applies one row: the ids of
   * the block's tables mapped to the store's by `map`, its lines made file lines.
   */
  applyLog(log: RowLog, map: LogMaps): void {
    const store = this.store;
    const ledger = this.ledger;
    const counts = this.tallyCounts;
    const offset = map.lineOffset - 1;
    let lastYear = -1;
    let yearIndex = 0;
    for (let i = 0; i < log.count; i++) {
      const key = log.pupil[i] ?? 0;
      const pupil = key >= 0 ? store.pupilByNumber(key) : store.pupilByString(map.opaque[-key - 1] ?? '');
      const line = (log.line[i] ?? 0) + offset;
      const packed = log.packed[i] ?? 0;
      const gender = packed & 3;
      if (gender !== 0) store.noteGender(pupil, gender === 1 ? 'girl' : 'boy');
      const ctx = map.contexts[log.ctx[i] ?? 0] ?? 0;
      const yearTerm = log.yearTerm[i] ?? 0;
      const startYear = yearTerm >> 2;
      if (startYear !== lastYear) {
        lastYear = startYear;
        yearIndex = store.yearIndex(startYear);
      }
      const term = yearTerm & 3;
      const slot = store.slotIndex(pupil, yearIndex, map.subjects[log.subject[i] ?? 0] ?? 0);
      if (log.backgroundWidth > 0) this.noteBackground(pupil, yearIndex, log.background, i * log.backgroundWidth, log.backgroundWidth, map.background, line);
      const n = (packed >> 2) & 3;
      let added = 0;
      let duplicates = 0;
      let conflict = false;
      for (let k = 0; k < n; k++) {
        const raw = log.values[i * 3 + k] ?? -2;
        if (raw === -2) continue; // blank: nothing to record
        const kind = ((packed >> (4 + 2 * k)) & 3) as KindIndex;
        // An omdöme's value is a label id of the block's table; grades are steps.
        const value = kind === KIND_ASSESSMENT ? (map.labels[raw] ?? 0) : raw;
        const outcome = store.add(kind, slot, value, kind === KIND_ASSESSMENT ? 0 : term, ctx, this.fileIndex, line);
        if (outcome === 'conflict') conflict = true;
        else if (outcome === 'duplicate') duplicates++;
        else added++;
      }
      if (conflict) ledger.reject('conflict', line);
      else if (added === 0 && duplicates > 0) ledger.reject('duplicate', line);
      else {
        ledger.accept();
        for (let k = 0; k < n; k++) {
          const kind = (packed >> (4 + 2 * k)) & 3;
          const list = counts[RESULT_KIND_OF[kind] ?? 0] ?? [];
          const id = map.tallies[log.tallies[i * 3 + k] ?? 0] ?? 0;
          list[id] = (list[id] ?? 0) + 1;
        }
      }
    }
  }

  /** The value tallies of the accepted rows, per kind (cheap: a handful of labels). */
  tallies(): Record<ResultKind, ValueTally> {
    const out: Record<ResultKind, ValueTally> = { grade: {}, test: {}, assessment: {} };
    KINDS.forEach((kind, k) => {
      const counts = this.tallyCounts[k];
      const values: ValueTally = {};
      counts?.forEach((count, id) => {
        if (count > 0) values[this.tallyNames[id] ?? '?'] = count;
      });
      out[kind] = values;
    });
    return out;
  }
}
