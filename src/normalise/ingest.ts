/**
 * Read every input once, streaming, and normalise each row into the result store. Bad rows are
 * counted in the file's ledger with their line; file-level problems (unreadable, empty, a
 * required column missing) stop the run with an InputError naming the file.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Config } from '../config.js';
import { InputError, describeFsError } from '../errors.js';
import { basename } from 'node:path';
import { ByteDict } from '../read/byte-dict.js';
import { RecordReader, type ByteRow, type Delimiter, type LineEnd } from '../read/records.js';
import type { DecodeInfo, Encoding } from '../read/decode.js';
import type { InputSource } from '../read/inputs.js';
import { GRADE_LETTERS, type ResultKind } from '../types.js';
import { assessmentParser } from './assessment.js';
import { FIELDS, HEADER_ALIASES, mapHeaders, type ColumnMapping, type Field } from './headers.js';
import { FileLedger, REASON_TEXT } from './ledger.js';
import { containsPersonalId, genderFromPersonnummer, keyKind, normalisePupilId, pupilKeyFromBytes, type PupilIdKind } from './pupil-id.js';
import { inSchoolYears, normaliseSchoolYear, type SchoolYearSelection } from './school-year.js';
import { KIND_ASSESSMENT, KIND_GRADE, KIND_GRADE_AUTUMN, KIND_TEST, ResultStore } from './store.js';
import { subjectLookup } from './subject.js';
import { fold, tidy, visible } from './text.js';
import { normaliseGender, normaliseGrade, normaliseGradeLevel, normaliseKind } from './values.js';

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
}

interface FileConstant {
  field: Field;
  value: string;
  /** `config`: "files" in the config file, matched by `pattern`; `file_name`: found in the file's name. */
  source: 'config' | 'file_name';
  pattern?: string;
}

export interface ReadOptions {
  encoding?: Encoding;
  /** Show rejected values as they are (inspect --raw-values); otherwise only what is not a person. */
  rawValues?: boolean;
  /** Do not stop on a file whose every row was rejected (inspect reports it instead). */
  allowUnusable?: boolean;
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
}

export interface ReadResult {
  store: ResultStore;
  files: FileReport[];
}

const REQUIRED: readonly Field[] = ['student_id', 'school_year', 'subject'];
/** At most this many records above the header are taken for a preamble. */
const MAX_PREAMBLE = 10;

function describeMissing(file: string, line: number, fields: readonly Field[]): InputError {
  const parts = fields.map((field) => `${field} (looked for: ${HEADER_ALIASES[field].slice(0, 4).join(', ')}, …)`);
  return new InputError(`${file}:${line}: required column missing: ${parts.join('; ')}. Map it with "columns" in --config.`);
}

export async function readExports(sources: readonly InputSource[], options: ReadOptions): Promise<ReadResult> {
  const store = new ResultStore();
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
  const text = reason === null ? '' : REASON_TEXT[reason].en;
  throw new InputError(
    `${report.file}${line === undefined ? '' : `:${line}`}: every row was rejected (${formatInt(ledger.rejectedTotal)} rows; mostly: ${text}), so the file cannot be used. Run "ska-analyze inspect ${report.file}" to see why.`,
  );
}

function formatInt(value: number): string {
  return String(value);
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

const SCB_TEST_CODES: Readonly<Record<string, string>> = { '99': 'not_taken (99)', '88': 'unavailable (88)' };
/** Words systems write in a test column for a pupil who did not take the test (folded). */
const NOT_TAKEN = new Set(['ejdeltagit', 'deltogej', 'ejdeltog', 'franvarande', 'franvaro', 'ejgenomfort', 'ejgjort', 'ejskrivit', 'befriad']);

/** What one distinct cell text means as a grade/test value. */
interface GradeMeaning {
  /** -2 blank or SCB code (nothing recorded), -1 streck, 0–5 step, -9 invalid. */
  step: number;
  invalid: 'old_grade_scale' | 'invalid_grade' | null;
  tally: string;
  tallyId: number;
  detail: string;
}

/** What one distinct cell text means as an omdöme. */
interface AssessmentMeaning {
  /** -2 blank, -9 invalid, else a label index in the store. */
  label: number;
  tally: string;
  tallyId: number;
  detail: string;
}

/**
 * A column's distinct values, each decoded and interpreted once. `T` is the interpretation.
 */
class ColumnCache<T> {
  readonly dict = new ByteDict(64);
  readonly values: T[] = [];
  /** The previous row's bytes and value: exports are sorted, so a column often repeats itself. */
  private readonly last = new Uint8Array(64);
  private lastLength = -1;
  private lastValue: T | undefined;
  constructor(private readonly interpret: (text: string) => T) {}

  get(reader: RecordReader, row: ByteRow, field: number): T {
    const buf = row.buf;
    const start = row.starts[field] ?? 0;
    const end = row.ends[field] ?? 0;
    const length = end - start;
    if (length === this.lastLength && row.quoted[field] === 0) {
      const last = this.last;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (last[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastValue as T;
    }
    const id = this.dict.intern(buf, start, end);
    if (this.dict.isNew) this.values[id] = this.interpret(reader.text(row, field));
    const value = this.values[id] as T;
    if (length <= 64 && row.quoted[field] === 0) {
      const last = this.last;
      for (let i = 0; i < length; i++) last[i] = buf[start + i] ?? 0;
      this.lastLength = length;
      this.lastValue = value;
    } else this.lastLength = -1;
    return value;
  }
}

/** A field set for the whole file (config `files`): the same interpretation for every row. */
class ConstantColumn<T> {
  constructor(private readonly value: T) {}
  get(_reader: RecordReader, _row: ByteRow, _field: number): T {
    return this.value;
  }
}

type Column<T> = ColumnCache<T> | ConstantColumn<T>;

/** A school, area, class or teacher name that holds a personnummer: the row is rejected. */
const ID_IN_LABEL = -9;

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

async function readOne(source: InputSource, store: ResultStore, options: ReadOptions): Promise<FileReport> {
  const fileIndex = store.files.length;
  store.files.push(source.name);
  const ledger = new FileLedger(source.name, options.rawValues === true);
  let report: FileReport | null = null;
  const digest = { hash: createHash('sha256'), bytes: 0 };
  const state: { handler: { row: (row: ByteRow) => void; finish: () => void } | null } = { handler: null };
  const constants = configConstants(options.config, source.name);
  const constantFields = new Set<string>(constants.map((constant) => constant.field));
  /** Records above the header (a title, a date line), and the first of them (for the error when no header is found). */
  const preamble: number[] = [];
  let preambleLines = 0;
  let first: { fields: string[]; line: number; mapping: ColumnMapping } | null = null;
  const reader: RecordReader = new RecordReader(
    {
      record(row) {
        if (state.handler) return state.handler.row(row);
        // The header is the first record that names the export's columns; lines above it (a title,
        // "Utskrivet 2025-06-10") are a preamble: counted, not rows.
        const fields = reader.fields(row).map((field) => visible(field.trim()));
        const mapping = mapHeaders(fields, options.config.columns ?? {});
        const isHeader = REQUIRED.every((field) => mapping.columns[field] !== undefined || constantFields.has(field));
        if (!isHeader && preamble.length < MAX_PREAMBLE) {
          first ??= { fields, line: row.line, mapping };
          preamble.push(row.line);
          return;
        }
        const header = isHeader ? { fields, line: row.line, mapping } : (first ?? { fields, line: row.line, mapping });
        if (isHeader) preambleLines = preamble.length;
        reader.expectedFields = header.fields.length;
        report = startReport(source.name, header.fields, header.mapping, ledger, reader.detectedDelimiter, reader.info, header.line, constants);
        report.preambleLines = preambleLines;
        state.handler = makeRowHandler(reader, header.fields.length, header.mapping, report, fileIndex, store, options);
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
  if (report === null && first !== null) {
    // No record named the export's columns: report the first one, as the header it should have been.
    const head: { fields: string[]; line: number; mapping: ColumnMapping } = first;
    startReport(source.name, head.fields, head.mapping, ledger, reader.detectedDelimiter, reader.info, head.line, constants);
  }
  const finished: FileReport | null = report;
  if (finished === null) throw new InputError(`${source.name}: the file is empty (no header line)`);
  const done: FileReport = finished;
  state.handler?.finish();
  done.encoding = reader.info.encoding;
  done.bom = reader.info.bom;
  done.invalidBytes = reader.info.replaced;
  done.blankLines = reader.blankLines;
  done.lineEnd = reader.detectedLineEnd;
  done.path = source.path ?? null;
  done.sha256 = digest.hash.digest('hex');
  done.bytes = digest.bytes;
  return done;
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
      throw new InputError(`${error.message} The header has characters that are not valid UTF-8: try --encoding windows-1252.`);
    }
    throw error;
  }
  if (!isLong && valueColumns.length === 0) {
    throw new InputError(
      `${file}:${headerLine}: no result column found: need Betyg/Terminsbetyg, Provbetyg, Bedömning/Omdöme, or a kind column (Typ) with a value column (Resultat). Map it with "columns" in --config.`,
    );
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

const KIND_INDEX: Readonly<Record<ResultKind, number>> = { grade: 0, test: 1, assessment: 2 };
const KINDS: readonly ResultKind[] = ['grade', 'test', 'assessment'];

function makeRowHandler(
  reader: RecordReader,
  headerCount: number,
  mapping: ColumnMapping,
  report: FileReport,
  fileIndex: number,
  store: ResultStore,
  options: ReadOptions,
): { row: (row: ByteRow) => void; finish: () => void } {
  const ledger = report.ledger;
  // Fields set for the whole file by the config: they always win over a column of the same field.
  const constantText = new Map(report.constants.filter((k) => k.source === 'config').map((k) => [k.field, k.value] as const));
  const c: Partial<Record<Field, number>> = { ...mapping.columns };
  for (const field of constantText.keys()) c[field] = -1;
  /** The column cache of a field, or its constant. */
  const column = <T>(field: Field, interpret: (text: string) => T): Column<T> => {
    const text = constantText.get(field);
    return text === undefined ? new ColumnCache(interpret) : new ConstantColumn(interpret(text));
  };
  const nameLevel = Number(report.constants.find((k) => k.source === 'file_name' && k.field === 'grade_level')?.value ?? -1);
  const isLong = report.layout === 'long';
  const subjectOf = subjectLookup(options.config.subjects ?? {});
  const extraKinds = new Map<string, ResultKind>(Object.entries(options.config.kinds ?? {}).map(([k, v]) => [fold(k), v]));
  const parseAssessment = assessmentParser(options.config.assessment_scale);

  // Tallies of values on accepted rows: per kind, per tally label.
  const tallyIds = new Map<string, number>();
  const tallyNames: string[] = [];
  const tallyCounts: [number[], number[], number[]] = [[], [], []];
  const tallyId = (name: string): number => {
    let id = tallyIds.get(name);
    if (id === undefined) {
      id = tallyNames.length;
      tallyNames.push(name);
      tallyIds.set(name, id);
    }
    return id;
  };

  const gradeMeaning = (text: string, kind: ResultKind): GradeMeaning => {
    const meaning = gradeMeaningOf(text, kind);
    return { ...meaning, tallyId: tallyId(meaning.tally) };
  };
  const gradeMeaningOf = (text: string, kind: ResultKind): Omit<GradeMeaning, 'tallyId'> => {
    const trimmed = text.trim();
    if (trimmed === '') return { step: -2, invalid: null, tally: 'blank', detail: '' };
    const code = kind === 'test' ? (SCB_TEST_CODES[trimmed] ?? (NOT_TAKEN.has(fold(trimmed)) ? 'not_taken' : undefined)) : undefined;
    if (code !== undefined) return { step: -2, invalid: null, tally: code, detail: '' };
    const grade = normaliseGrade(text);
    if (grade.status === 'invalid') return { step: -9, invalid: grade.reason === 'old_scale' ? 'old_grade_scale' : 'invalid_grade', tally: '', detail: trimmed };
    if (grade.status === 'none') return { step: -1, invalid: null, tally: 'streck', detail: '' };
    return { step: grade.step, invalid: null, tally: GRADE_LETTERS[grade.step], detail: '' };
  };
  const assessmentMeaning = (text: string): AssessmentMeaning => {
    const meaning = assessmentMeaningOf(text);
    return { ...meaning, tallyId: tallyId(meaning.tally) };
  };
  const assessmentMeaningOf = (text: string): Omit<AssessmentMeaning, 'tallyId'> => {
    if (text.trim() === '') return { label: -2, tally: 'blank', detail: '' };
    const result = parseAssessment(text);
    if (result.status === 'invalid') return { label: -9, tally: '', detail: text.trim() };
    if (result.status === 'missing') return { label: store.labelIndex('missing', null, null), tally: 'missing', detail: '' };
    return { label: store.labelIndex(result.label, result.pass, result.step), tally: result.label, detail: '' };
  };

  // Whether a school year is in --school-years is decided once per distinct cell text.
  const selection = options.schoolYears;
  const years = column('school_year', (text) => {
    const year = normaliseSchoolYear(text);
    return { year, detail: text.trim(), inside: year === null || selection === undefined || inSchoolYears(selection, year.startYear) };
  });
  const subjects = column('subject', (text) => {
    const code = subjectOf(text);
    return { index: code === null ? -1 : store.subjectIndex(code), detail: text.trim() };
  });
  const kinds = column('kind', (text) => ({ kind: normaliseKind(text, extraKinds), detail: text.trim() }));
  const nameOf = (text: string): number => {
    const name = tidy(text);
    if (name === '') return store.stringId(null);
    // A personnummer where a name belongs (a shifted column): never a group label.
    return containsPersonalId(name) ? ID_IN_LABEL : store.stringId(name);
  };
  const names = (field: 'school' | 'area' | 'class' | 'teacher') => (c[field] === undefined ? null : column(field, nameOf));
  const schools = names('school');
  const areas = names('area');
  const classes = names('class');
  const teachers = names('teacher');
  // -1: blank (no level of its own); -9: a value that is not a grade level (the row is rejected).
  const levels = column('grade_level', (text) => ({ level: text.trim() === '' ? -1 : (normaliseGradeLevel(text) ?? -9), detail: text.trim() }));
  const genders = column('gender', (text) => normaliseGender(text));
  const rawIds = new ColumnCache((text) => text);
  /** Per value column: grade meanings for each kind (lazily), assessment meanings. */
  const gradeCaches = KINDS.map((kind) => new ColumnCache((text) => gradeMeaning(text, kind)));
  const assessmentCache = new ColumnCache(assessmentMeaning);
  const valueCaches = isLong ? KINDS.map((kind) => (kind === 'assessment' ? null : new ColumnCache((text) => gradeMeaning(text, kind)))) : null;
  const longAssessments = isLong ? new ColumnCache(assessmentMeaning) : null;
  const mappedArea = new Map<number, number>();
  const levelFromClass = new Map<number, number>();

  // Value columns of a wide file, in order.
  const wideColumns: { kind: ResultKind; field: number }[] = [];
  if (!isLong) {
    if (c.grade !== undefined) wideColumns.push({ kind: 'grade', field: c.grade });
    if (c.test !== undefined) wideColumns.push({ kind: 'test', field: c.test });
    if (c.assessment !== undefined) wideColumns.push({ kind: 'assessment', field: c.assessment });
  }
  // The row's values (at most three: grade, test, omdöme), in reused arrays.
  const rowKinds = new Int8Array(3);
  const rowValues = new Int32Array(3);
  const rowTallies = new Int32Array(3);
  let rowN = 0;

  let lastCtx = -1;
  const lastParts = [-2, -2, -2, -2, -2];
  const contextOf = (school: number, area: number, cls: number, teacher: number, level: number): number => {
    if (lastParts[0] === school && lastParts[1] === area && lastParts[2] === cls && lastParts[3] === teacher && lastParts[4] === level) return lastCtx;
    lastParts[0] = school;
    lastParts[1] = area;
    lastParts[2] = cls;
    lastParts[3] = teacher;
    lastParts[4] = level;
    lastCtx = store.context(school, area, cls, teacher, level);
    return lastCtx;
  };

  const idField = mapping.columns.student_id ?? 0;
  const yearField = c.school_year ?? 0;
  const subjectField = c.subject ?? 0;

  const handle = (row: ByteRow): void => {
    const line = row.line;
    const count = row.count;
    if (count !== headerCount) {
      let extraEmpty = count > headerCount;
      for (let i = headerCount; extraEmpty && i < count; i++) if (reader.text(row, i).trim() !== '') extraEmpty = false;
      if (!extraEmpty) return ledger.reject('field_count', line, `${count} of ${headerCount}`);
    }
    const year = years.get(reader, row, yearField);
    // Pupil id: the usual personnummer forms are read straight from the bytes.
    const buf = row.buf;
    let start = row.starts[idField] ?? 0;
    let end = row.ends[idField] ?? 0;
    while (start < end && buf[start] === 32) start++;
    while (end > start && buf[end - 1] === 32) end--;
    if (start === end || (row.quoted[idField] && end - start === 2)) return ledger.reject('missing_id', line);
    if (year.year === null) return ledger.reject('invalid_school_year', line, year.detail);
    // Outside --school-years: counted apart before the pupil, subject or results are looked at,
    // so the rest of the accounting is what a run on exports without these years would show.
    if (!year.inside) return ledger.skipOutside(line, year.year.label);
    const referenceYear = year.year.startYear + 1;
    let pupil = -1;
    let idKind: PupilIdKind = 'opaque';
    const key = row.quoted[idField] ? -1 : pupilKeyFromBytes(buf, start, end, referenceYear);
    if (key >= 0) {
      pupil = store.pupilByNumber(key);
      idKind = keyKind(key);
    } else {
      const normalised = normalisePupilId(rawIds.get(reader, row, idField), referenceYear);
      if (normalised === null) return ledger.reject('missing_id', line);
      pupil = store.pupilByString(normalised.id);
      idKind = normalised.kind;
    }
    const subject = subjects.get(reader, row, subjectField);
    if (subject.index < 0) return ledger.reject('unknown_subject', line, subject.detail);
    const levelValue = c.grade_level === undefined ? null : levels.get(reader, row, c.grade_level);
    if (levelValue !== null && levelValue.level === -9) return ledger.reject('invalid_grade_level', line, levelValue.detail);
    const levelCell = levelValue === null ? -1 : levelValue.level;

    // Collect the row's values before touching the store: a row is used whole or not at all.
    rowN = 0;
    if (valueCaches && longAssessments) {
      const kind = kinds.get(reader, row, c.kind ?? 0);
      if (kind.kind === null) return ledger.reject('unknown_kind', line, kind.detail);
      const valueField = c.value ?? 0;
      if (kind.kind === 'assessment') {
        const meaning = longAssessments.get(reader, row, valueField);
        if (meaning.label === -9) return ledger.reject('invalid_assessment', line, meaning.detail);
        rowKinds[rowN] = 2;
        rowValues[rowN] = meaning.label;
        rowTallies[rowN++] = meaning.tallyId;
      } else {
        const meaning = (valueCaches[KIND_INDEX[kind.kind]] as ColumnCache<GradeMeaning>).get(reader, row, valueField);
        if (meaning.invalid) return ledger.reject(meaning.invalid, line, meaning.detail);
        rowKinds[rowN] = KIND_INDEX[kind.kind];
        rowValues[rowN] = meaning.step;
        rowTallies[rowN++] = meaning.tallyId;
      }
      if (!report.kinds.includes(kind.kind)) report.kinds.push(kind.kind);
    } else {
      for (const { kind, field } of wideColumns) {
        if (kind === 'assessment') {
          const meaning = assessmentCache.get(reader, row, field);
          if (meaning.label === -9) return ledger.reject('invalid_assessment', line, meaning.detail);
          rowKinds[rowN] = 2;
          rowValues[rowN] = meaning.label;
          rowTallies[rowN++] = meaning.tallyId;
        } else {
          const meaning = (gradeCaches[KIND_INDEX[kind]] as ColumnCache<GradeMeaning>).get(reader, row, field);
          if (meaning.invalid) return ledger.reject(meaning.invalid, line, meaning.detail);
          rowKinds[rowN] = KIND_INDEX[kind];
          rowValues[rowN] = meaning.step;
          rowTallies[rowN++] = meaning.tallyId;
        }
      }
    }

    const school = schools ? schools.get(reader, row, c.school ?? 0) : -1;
    const cls = classes ? classes.get(reader, row, c.class ?? 0) : -1;
    const teacher = teachers ? teachers.get(reader, row, c.teacher ?? 0) : -1;
    const areaCell = areas ? areas.get(reader, row, c.area ?? 0) : -1;
    if (school === ID_IN_LABEL || cls === ID_IN_LABEL || teacher === ID_IN_LABEL || areaCell === ID_IN_LABEL) return ledger.reject('personal_id_in_label', line);
    report.idFormats[idKind]++;
    let area = -1;
    if (school >= 0 && options.areas.size > 0) {
      let mapped = mappedArea.get(school);
      if (mapped === undefined) {
        const name = options.areas.get(fold(store.stringOf(school) ?? ''));
        mapped = name === undefined ? -1 : store.stringId(name);
        mappedArea.set(school, mapped);
      }
      area = mapped;
    }
    if (area < 0) area = areaCell;
    let level = levelCell;
    if (level < 0 && cls >= 0) {
      let fromClass = levelFromClass.get(cls);
      if (fromClass === undefined) {
        fromClass = normaliseGradeLevel(store.stringOf(cls) ?? '') ?? -1;
        levelFromClass.set(cls, fromClass);
      }
      level = fromClass;
    }
    if (level < 0) {
      if (nameLevel > 0) {
        level = nameLevel;
        report.levelFromName++;
      } else report.noLevel++;
    }
    if (c.gender !== undefined) store.noteGender(pupil, genders.get(reader, row, c.gender));

    const ctx = contextOf(school, area, cls, teacher, level);
    const yearIndex = store.yearIndex(year.year.startYear);
    const slot = store.slotIndex(pupil, yearIndex, subject.index);
    const term = year.year.term === 'HT' ? 1 : year.year.term === 'VT' ? 2 : 0;
    let added = 0;
    let duplicates = 0;
    let conflict = false;
    for (let i = 0; i < rowN; i++) {
      const value = rowValues[i] ?? -2;
      if (value === -2) continue; // blank: nothing to record
      const kind = rowKinds[i];
      const target = kind === 2 ? KIND_ASSESSMENT : kind === 1 ? KIND_TEST : term === 1 ? KIND_GRADE_AUTUMN : KIND_GRADE;
      const outcome = store.add(target, slot, value, kind === 2 ? 0 : term, ctx, fileIndex, line);
      if (outcome === 'conflict') conflict = true;
      else if (outcome === 'duplicate') duplicates++;
      else added++;
    }
    if (conflict) ledger.reject('conflict', line);
    else if (added === 0 && duplicates > 0) ledger.reject('duplicate', line);
    else {
      ledger.accept();
      for (let i = 0; i < rowN; i++) {
        const counts = tallyCounts[rowKinds[i] ?? 0] ?? [];
        const id = rowTallies[i] ?? 0;
        counts[id] = (counts[id] ?? 0) + 1;
      }
    }
  };

  function finishTallies(): void {
    // Cheap: rebuilt from the small counter arrays (a handful of labels per kind).
    KINDS.forEach((kind, k) => {
      const counts = tallyCounts[k];
      const out: ValueTally = {};
      counts?.forEach((count, id) => {
        if (count > 0) out[tallyNames[id] ?? '?'] = count;
      });
      report.values[kind] = out;
    });
  }
  return { row: handle, finish: finishTallies };
}
