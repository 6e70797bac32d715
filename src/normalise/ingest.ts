/**
 * Read every input once, streaming, and normalise each row into the result store. Bad rows are
 * counted in the file's ledger with their line; file-level problems (unreadable, empty, a
 * required column missing) stop the run with an InputError naming the file.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Config } from '../config.js';
import { InputError, describeFsError } from '../errors.js';
import { ByteDict } from '../read/byte-dict.js';
import { ByteCsvReader, type ByteRow } from '../read/byte-csv.js';
import type { Delimiter } from '../read/csv.js';
import type { DecodeInfo, Encoding } from '../read/decode.js';
import type { InputSource } from '../read/inputs.js';
import { GRADE_LETTERS, type ResultKind } from '../types.js';
import { assessmentParser } from './assessment.js';
import { FIELDS, HEADER_ALIASES, mapHeaders, type ColumnMapping, type Field } from './headers.js';
import { FileLedger } from './ledger.js';
import { centuryYear, dateKind, genderFromPersonnummer, normalisePupilId, type PupilIdKind } from './pupil-id.js';
import { inSchoolYears, normaliseSchoolYear, type SchoolYearSelection } from './school-year.js';
import { KIND_ASSESSMENT, KIND_GRADE, KIND_GRADE_AUTUMN, KIND_TEST, ResultStore } from './store.js';
import { subjectLookup } from './subject.js';
import { fold, tidy } from './text.js';
import { normaliseGender, normaliseGrade, normaliseGradeLevel, normaliseKind } from './values.js';

export type ValueTally = Record<string, number>;

export interface FileReport {
  file: string;
  encoding: DecodeInfo['encoding'];
  bom: boolean;
  invalidBytes: boolean;
  delimiter: Delimiter;
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
}

export interface ReadOptions {
  encoding?: Encoding;
  config: Config;
  /** Folded school name → area, from --areas or the config file. */
  areas: ReadonlyMap<string, string>;
  /**
   * --school-years: rows of other school years are rejected as `outside_school_years` (after the
   * checks for field count, a blank pupil id and an unreadable school year; before all others).
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
  for (const report of files) report.ledger.checkBalance();
  return { store, files };
}

/** Gender of a pupil by id: the column if any row had it, else from the personnummer. */
export function pupilGender(store: ResultStore, pupil: string): 'girl' | 'boy' | null {
  const index = store.findPupil(pupil);
  return (index >= 0 ? store.genderColumn(index) : null) ?? genderFromId(pupil);
}

/** Gender from an id alone: personnummer (second-to-last digit) or SCB's TF10/TF20. */
export function genderFromId(pupil: string): 'girl' | 'boy' | null {
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

  get(reader: ByteCsvReader, row: ByteRow, field: number): T {
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

const DIGIT0 = 48;

async function readOne(source: InputSource, store: ResultStore, options: ReadOptions): Promise<FileReport> {
  const fileIndex = store.files.length;
  store.files.push(source.name);
  const ledger = new FileLedger(source.name);
  let report: FileReport | null = null;
  const digest = { hash: createHash('sha256'), bytes: 0 };
  const state: { handler: { row: (row: ByteRow) => void; finish: () => void } | null } = { handler: null };
  const reader: ByteCsvReader = new ByteCsvReader(
    {
      header(fields, delimiter) {
        const mapping = mapHeaders(fields.map((field) => field.trim()), options.config.columns ?? {});
        report = startReport(source.name, fields, mapping, ledger, delimiter, reader.info, reader.headerLine);
        state.handler = makeRowHandler(reader, fields.length, mapping, report, fileIndex, store, options);
      },
      row(row) {
        state.handler?.row(row);
      },
      brokenQuote(line) {
        if (state.handler) ledger.reject('unterminated_quote', line);
      },
      firstChunk(bytes, lines) {
        // Size the store once for a big file instead of doubling its arrays as rows arrive.
        if (source.size !== undefined && lines > 0 && bytes < source.size) store.reserve(Math.ceil((source.size / bytes) * lines * 1.02));
      },
    },
    options.encoding,
  );
  try {
    await reader.readAll(counted(source, options.onProgress, digest));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw describeFsError(error, source.name);
  }
  const finished: FileReport | null = report;
  if (finished === null) throw new InputError(`${source.name}: the file is empty (no header line)`);
  const done: FileReport = finished;
  state.handler?.finish();
  done.encoding = reader.info.encoding;
  done.bom = reader.info.bom;
  done.invalidBytes = reader.info.replaced;
  done.blankLines = reader.blankLines;
  done.sha256 = digest.hash.digest('hex');
  done.bytes = digest.bytes;
  if (done.ledger.read === 0) throw new InputError(`${source.name}: the file has a header but no rows`);
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
): FileReport {
  const { columns } = mapping;
  const missing = REQUIRED.filter((field) => columns[field] === undefined);
  const isLong = columns.kind !== undefined && columns.value !== undefined;
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
    if (index !== undefined) named[field] = (headers[index] ?? '').trim();
  }
  return {
    file,
    encoding: info.encoding,
    bom: info.bom,
    invalidBytes: false,
    delimiter,
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
  };
}

const KIND_INDEX: Readonly<Record<ResultKind, number>> = { grade: 0, test: 1, assessment: 2 };
const KINDS: readonly ResultKind[] = ['grade', 'test', 'assessment'];

function makeRowHandler(
  reader: ByteCsvReader,
  headerCount: number,
  mapping: ColumnMapping,
  report: FileReport,
  fileIndex: number,
  store: ResultStore,
  options: ReadOptions,
): { row: (row: ByteRow) => void; finish: () => void } {
  const c = mapping.columns;
  const ledger = report.ledger;
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
  const years = new ColumnCache((text) => {
    const year = normaliseSchoolYear(text);
    return { year, detail: text.trim(), inside: year === null || selection === undefined || inSchoolYears(selection, year.startYear) };
  });
  const subjects = new ColumnCache((text) => {
    const code = subjectOf(text);
    return { index: code === null ? -1 : store.subjectIndex(code), detail: text.trim() };
  });
  const kinds = new ColumnCache((text) => ({ kind: normaliseKind(text, extraKinds), detail: text.trim() }));
  const names = (field: number | undefined) => (field === undefined ? null : new ColumnCache((text) => store.stringId(tidy(text) === '' ? null : tidy(text))));
  const schools = names(c.school);
  const areas = names(c.area);
  const classes = names(c.class);
  const teachers = names(c.teacher);
  const levels = new ColumnCache((text) => normaliseGradeLevel(text) ?? -1);
  const genders = new ColumnCache((text) => normaliseGender(text));
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

  const idField = c.student_id ?? 0;
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
    // Outside --school-years: counted before the pupil, subject or results are looked at, so
    // the rest of the accounting is what a run on exports without these years would show.
    if (!year.inside) return ledger.reject('outside_school_years', line, year.year.label);
    const referenceYear = year.year.startYear + 1;
    let pupil = -1;
    let idKind: PupilIdKind = 'opaque';
    if (!row.quoted[idField]) {
      const length = end - start;
      let digits = 0;
      let value = 0;
      let sepAt = -1;
      let plus = false;
      for (let i = start; i < end; i++) {
        const b = buf[i] ?? 0;
        if (b >= DIGIT0 && b <= DIGIT0 + 9) {
          value = value * 10 + (b - DIGIT0);
          digits++;
        } else if ((b === 45 || b === 43) && sepAt < 0) {
          sepAt = i - start;
          plus = b === 43;
        } else {
          digits = -1;
          break;
        }
      }
      if (digits === 12 && (sepAt < 0 || (sepAt === 8 && length === 13))) {
        const y = Math.floor(value / 1e8);
        const m = Math.floor(value / 1e6) % 100;
        const d = Math.floor(value / 1e4) % 100;
        const kind = dateKind(y, m, d);
        if (kind) {
          pupil = store.pupilByNumber(value);
          idKind = kind;
        }
      } else if (digits === 10 && (sepAt < 0 || (sepAt === 6 && length === 11))) {
        const yy = Math.floor(value / 1e8);
        const m = Math.floor(value / 1e6) % 100;
        const d = Math.floor(value / 1e4) % 100;
        const y = centuryYear(yy, plus, referenceYear);
        const kind = dateKind(y, m, d);
        if (kind) {
          pupil = store.pupilByNumber(y * 1e8 + (value % 1e8));
          idKind = kind;
        }
      }
    }
    if (pupil < 0) {
      const normalised = normalisePupilId(rawIds.get(reader, row, idField), referenceYear);
      if (normalised === null) return ledger.reject('missing_id', line);
      pupil = store.pupilByString(normalised.id);
      idKind = normalised.kind;
    }
    const subject = subjects.get(reader, row, subjectField);
    if (subject.index < 0) return ledger.reject('unknown_subject', line, subject.detail);

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

    report.idFormats[idKind]++;
    const school = schools ? schools.get(reader, row, c.school ?? 0) : -1;
    const cls = classes ? classes.get(reader, row, c.class ?? 0) : -1;
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
    if (area < 0 && areas) area = areas.get(reader, row, c.area ?? 0);
    let level = c.grade_level === undefined ? -1 : levels.get(reader, row, c.grade_level);
    if (level < 0 && cls >= 0) {
      let fromClass = levelFromClass.get(cls);
      if (fromClass === undefined) {
        fromClass = normaliseGradeLevel(store.stringOf(cls) ?? '') ?? -1;
        levelFromClass.set(cls, fromClass);
      }
      level = fromClass;
    }
    const teacher = teachers ? teachers.get(reader, row, c.teacher ?? 0) : -1;
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
