/**
 * One row of an export → what it says, or the reason it is rejected. The parse half of reading:
 * it looks at one row at a time and needs nothing of the rows before it, so it can run on any
 * part of a file, in any thread. Names, subjects, omdöme labels and pupils are interned through
 * a `RowTarget`: the store itself when reading in one thread, a worker's own tables (sent to
 * the main thread with its rows) when reading in several. A row that is not rejected is handed
 * to `target.accept` in file order; what depends on the rows before it (duplicates, conflicts,
 * the first gender given) is decided there.
 */
import type { Config } from '../config.js';
import { ByteDict } from '../read/byte-dict.js';
import type { ByteRow, RecordReader } from '../read/records.js';
import { GRADE_LETTERS, type Gender, type GradeStep, type ResultKind } from '../types.js';
import { assessmentParser } from './assessment.js';
import type { Field } from './headers.js';
import type { RejectReason } from './ledger.js';
import { containsPersonalId, keyKind, normalisePupilId, pupilKeyFromBytes, type PupilIdKind } from './pupil-id.js';
import { inSchoolYears, normaliseSchoolYear, type SchoolYearSelection } from './school-year.js';
import { subjectLookup } from './subject.js';
import { KIND_ASSESSMENT, KIND_GRADE, KIND_GRADE_AUTUMN, KIND_TEST } from './store.js';
import { fold, tidy } from './text.js';
import { normaliseGender, normaliseGrade, normaliseGradeLevel, normaliseKind } from './values.js';

/** A value set for a whole file, not read from a column. */
export interface FileConstant {
  field: Field;
  value: string;
  /** `config`: "files" in the config file, matched by `pattern`; `file_name`: found in the file's name. */
  source: 'config' | 'file_name';
  pattern?: string;
}

/** What parsing a file's rows needs to know (plain data: it is sent to worker threads). */
export interface ParseContext {
  headerCount: number;
  columns: Partial<Record<Field, number>>;
  constants: FileConstant[];
  layout: 'wide' | 'long';
  options: { config: Pick<Config, 'subjects' | 'kinds' | 'assessment_scale'>; schoolYears?: SchoolYearSelection | undefined };
  /** Folded school name → area. */
  areas: ReadonlyMap<string, string>;
  /** The column of each background dimension asked for (-1: this file has none); absent: none asked for. */
  background?: readonly number[] | undefined;
}

/** Where names, subjects, labels, pupils and tallies are interned, and accepted rows go. */
export interface RowTarget {
  stringId(text: string | null): number;
  stringOf(id: number): string | null;
  subjectIndex(code: string): number;
  labelIndex(label: string, pass: boolean | null, step: GradeStep | null): number;
  pupilByNumber(key: number): number;
  pupilByString(id: string): number;
  tallyId(name: string): number;
  /** The id of a distinct cell text of background dimension `dim` (judged when the file has been read). */
  backgroundRaw(dim: number, text: string): number;
  accept(row: ParsedRow): void;
}

/** Where rejected rows and rows outside --school-years are counted. */
interface RejectSink {
  reject(reason: RejectReason, line: number, detail?: string): void;
  skipOutside(line: number, year: string): void;
  /** A row used whose gender cell is not a gender. */
  noteUnreadGender(line: number, value: string): void;
}

/** What parsing counts that is not a row's fate. */
export interface ParseCounts {
  idFormats: Record<PupilIdKind, number>;
  levelFromName: number;
  noLevel: number;
  /** Kinds seen in a long file's kind column, in the order met. */
  kinds: ResultKind[];
}

/** A row that was not rejected, as the target's ids. One object is reused for every row. */
export class ParsedRow {
  line = 0;
  pupil = 0;
  /** 0 no gender in the row, 1 girl, 2 boy. */
  gender = 0;
  startYear = 0;
  /** 0 none, 1 HT, 2 VT. */
  term = 0;
  subject = 0;
  school = -1;
  area = -1;
  cls = -1;
  teacher = -1;
  level = -1;
  /** Values in the row (at most three). */
  n = 0;
  /** The store's kind of each value (KIND_GRADE, KIND_GRADE_AUTUMN for an HT grade, KIND_TEST, KIND_ASSESSMENT). */
  readonly kinds = new Int8Array(3);
  /** Grade step (−1 streck, −2 blank) or assessment label id (−2 blank). */
  readonly values = new Int32Array(3);
  readonly tallies = new Int32Array(3);
  /** Per background dimension: the cell's id (RowTarget.backgroundRaw), −1 where the file has no such column. */
  background = new Int32Array(0);
}

const GENDER_CODE: Readonly<Record<Gender | 'none', number>> = { none: 0, girl: 1, boy: 2 };

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
  /** The value of the last row looked up, and that row's `seq` (-1: none). */
  private lastValue: T | undefined;
  private lastSeq = -1;
  /** The last row's bytes (raw, quotes included), when short: exports are sorted, so a column often repeats itself. */
  private readonly last = new Uint8Array(64);
  private lastLength = -1;
  constructor(private readonly interpret: (text: string) => T) {}

  /** The meaning of field `field` of `row` (a cache is always asked about the same field). */
  get(reader: RecordReader, row: ByteRow, field: number): T {
    // The reader saw this field's bytes repeat the row before's, which this cache was asked about.
    if (field < row.same && this.lastSeq === row.seq - 1) {
      this.lastSeq = row.seq;
      return this.lastValue as T;
    }
    const buf = row.buf;
    const start = row.starts[field] ?? 0;
    const end = row.ends[field] ?? 0;
    const length = end - start;
    // (Raw bytes, quotes included: the same bytes are the same text whether quoted or not.)
    if (length === this.lastLength) {
      const last = this.last;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (last[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.lastSeq = row.seq;
        return this.lastValue as T;
      }
    }
    const id = this.dict.intern(buf, start, end);
    if (this.dict.isNew) this.values[id] = this.interpret(reader.text(row, field));
    const value = this.values[id] as T;
    this.lastValue = value;
    this.lastSeq = row.seq;
    if (length <= 64) {
      const last = this.last;
      for (let i = 0; i < length; i++) last[i] = buf[start + i] ?? 0;
      this.lastLength = length;
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

/** A result kind's cache index (grade, test, assessment). */
const KIND_INDEX: Readonly<Record<ResultKind, number>> = { grade: 0, test: 1, assessment: 2 };
const KINDS: readonly ResultKind[] = ['grade', 'test', 'assessment'];

/** The store's kind of a grade (0) or test (1) value: a grade of an autumn term is its own kind. */
const storeKind = (resultKind: number, autumn: boolean): number => (resultKind === 1 ? KIND_TEST : autumn ? KIND_GRADE_AUTUMN : KIND_GRADE);

/**
 * What a row parser reads from and counts into. A worker thread parses block after block with
 * one parser, setting these for each block: a new parser per block would start its compiled code
 * and its value caches cold every time.
 */
export interface RowParserIo {
  reader: RecordReader;
  ledger: RejectSink;
  counts: ParseCounts;
}

export function makeRowParser(io: RowParserIo, context: ParseContext, target: RowTarget): (row: ByteRow) => void {
  const { headerCount, constants, options } = context;
  const store = target;
  // Fields set for the whole file by the config: they always win over a column of the same field.
  const constantText = new Map(constants.filter((k) => k.source === 'config').map((k) => [k.field, k.value] as const));
  const c: Partial<Record<Field, number>> = { ...context.columns };
  for (const field of constantText.keys()) c[field] = -1;
  /** The column cache of a field, or its constant. */
  const column = <T>(field: Field, interpret: (text: string) => T): Column<T> => {
    const text = constantText.get(field);
    return text === undefined ? new ColumnCache(interpret) : new ConstantColumn(interpret(text));
  };
  const nameLevel = Number(constants.find((k) => k.source === 'file_name' && k.field === 'grade_level')?.value ?? -1);
  const isLong = context.layout === 'long';
  const subjectOf = subjectLookup(options.config.subjects ?? {});
  const extraKinds = new Map<string, ResultKind>(Object.entries(options.config.kinds ?? {}).map(([k, v]) => [fold(k), v]));
  const parseAssessment = assessmentParser(options.config.assessment_scale);

  const tallyId = (name: string): number => target.tallyId(name);

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
  const kinds = column('kind', (text) => {
    const kind = normaliseKind(text, extraKinds);
    return { kind, index: kind === null ? -1 : KIND_INDEX[kind], detail: text.trim() };
  });
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
  // -1: a value that is not a gender (noted; the row is used, its gender left to the other rows or the id).
  const genders = column('gender', (text) => {
    const gender = normaliseGender(text);
    return { code: gender !== null ? GENDER_CODE[gender] : text.trim() === '' ? 0 : -1, text };
  });
  const rawIds = new ColumnCache((text) => text);
  /** Per value column: grade meanings for each kind (lazily), assessment meanings. */
  const gradeCaches = KINDS.map((kind) => new ColumnCache((text) => gradeMeaning(text, kind)));
  const assessmentCache = new ColumnCache(assessmentMeaning);
  const valueCaches = isLong ? KINDS.map((kind) => (kind === 'assessment' ? null : new ColumnCache((text) => gradeMeaning(text, kind)))) : null;
  const longAssessments = isLong ? new ColumnCache(assessmentMeaning) : null;
  const background = (context.background ?? []).map((column, dim) => (column < 0 ? null : { column, cells: new ColumnCache((text) => target.backgroundRaw(dim, text)) }));
  const mappedArea = new Map<number, number>();
  const levelFromClass = new Map<number, number>();

  // Value columns of a wide file, in order.
  const wideColumns: { kind: ResultKind; field: number }[] = [];
  if (!isLong) {
    if (c.grade !== undefined) wideColumns.push({ kind: 'grade', field: c.grade });
    if (c.test !== undefined) wideColumns.push({ kind: 'test', field: c.test });
    if (c.assessment !== undefined) wideColumns.push({ kind: 'assessment', field: c.assessment });
  }
  // The row handed on (one object, reused): its values (at most three: grade, test, omdöme).
  const parsed = new ParsedRow();
  parsed.background = new Int32Array(background.length).fill(-1);
  const rowBackground = parsed.background;
  const rowKinds = parsed.kinds;
  const rowValues = parsed.values;
  const rowTallies = parsed.tallies;
  let rowN = 0;

  const idField = context.columns.student_id ?? 0;
  const lastId = new Uint8Array(32);
  let lastIdLength = -1;
  let lastIdYear = -1;
  let lastIdKey = -1;
  /** The seq of the row whose id bytes are in lastId (-1: none). */
  let lastIdSeq = -1;
  let lastKindKey = -1;
  /** The kinds already noted in `kindsSeenBy` (the counts of the block being read). */
  const kindsSeen = new Uint8Array(3);
  let kindsSeenBy: ParseCounts | null = null;
  let lastKind: PupilIdKind = 'personnummer';
  const yearField = c.school_year ?? 0;
  const subjectField = c.subject ?? 0;

  /** The seq of the last row accepted; its context is in `parsed` (pupil, year, level, names). */
  let contextSeq = -1;
  let contextIdKind: PupilIdKind = 'opaque';
  /** How that row's grade level was found: 0 its own (or its class's), 1 the file name's, 2 none. */
  let levelSource = 0;
  /** The last column of a row's context: a row that repeats the one before past it has the same context. */
  const lastContextField = Math.max(
    -1,
    ...[context.columns.student_id, c.school_year, c.grade_level, c.school, c.class, c.teacher, c.area].map((column) => (column === undefined ? -1 : column)),
  );
  const handle = (row: ByteRow): void => {
    const { reader, ledger, counts } = io;
    const line = row.line;
    const count = row.count;
    if (count !== headerCount) {
      let extraEmpty = count > headerCount;
      for (let i = headerCount; extraEmpty && i < count; i++) if (reader.text(row, i).trim() !== '') extraEmpty = false;
      if (!extraEmpty) return ledger.reject('field_count', line, `${count} of ${headerCount}`);
    }
    // A row that repeats the row before (accepted) in every field of its context (pupil, school year,
    // grade level, school, class, teacher, area) has that row's context: only its subject, results,
    // gender and background are read. Exports list a pupil's rows together, so this is most rows.
    const repeat = contextSeq === row.seq - 1 && row.same > lastContextField;
    let startYear = parsed.startYear;
    let term = parsed.term;
    let pupil = parsed.pupil;
    let idKind = contextIdKind;
    if (!repeat) {
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
      // A quoted id with no quote inside ("201304129826", as systems that quote every field write
      // it) is its inner bytes.
      let plainId = row.quoted[idField] === 0;
      if (!plainId && end - start > 2 && buf[start] === 34 && buf[end - 1] === 34) {
        plainId = true;
        for (let i = start + 1; plainId && i < end - 1; i++) if (buf[i] === 34) plainId = false;
        if (plainId) {
          start++;
          end--;
        }
      }
      // Most rows repeat the row before's pupil (exports list a pupil's rows together): the same id
      // bytes in the same school year give the same key without parsing them again.
      let key = -1;
      if (plainId) {
        const length = end - start;
        // The reader saw the id's bytes repeat the row before's: no need to compare them again.
        let same = idField < row.same && lastIdSeq === row.seq - 1 && referenceYear === lastIdYear;
        if (!same) {
          same = length === lastIdLength && referenceYear === lastIdYear;
          for (let i = 0; same && i < length; i++) same = lastId[i] === buf[start + i];
        }
        if (same) {
          key = lastIdKey;
          lastIdSeq = row.seq;
        } else {
          key = pupilKeyFromBytes(buf, start, end, referenceYear);
          if (length <= lastId.length) {
            for (let i = 0; i < length; i++) lastId[i] = buf[start + i] ?? 0;
            lastIdLength = length;
            lastIdYear = referenceYear;
            lastIdKey = key;
            lastIdSeq = row.seq;
          } else {
            lastIdLength = -1;
            lastIdSeq = -1;
          }
        }
      } else lastIdSeq = -1;
      if (key >= 0) {
        pupil = store.pupilByNumber(key);
        if (key !== lastKindKey) {
          lastKindKey = key;
          lastKind = keyKind(key);
        }
        idKind = lastKind;
      } else {
        const normalised = normalisePupilId(rawIds.get(reader, row, idField), referenceYear);
        if (normalised === null) return ledger.reject('missing_id', line);
        pupil = store.pupilByString(normalised.id);
        idKind = normalised.kind;
      }
      startYear = year.year.startYear;
      term = year.year.term === 'HT' ? 1 : year.year.term === 'VT' ? 2 : 0;
    } else if (lastIdSeq === row.seq - 1) lastIdSeq = row.seq;
    const subject = subjects.get(reader, row, subjectField);
    if (subject.index < 0) return ledger.reject('unknown_subject', line, subject.detail);
    let levelCell = -1;
    if (!repeat) {
      const levelValue = c.grade_level === undefined ? null : levels.get(reader, row, c.grade_level);
      if (levelValue !== null && levelValue.level === -9) return ledger.reject('invalid_grade_level', line, levelValue.detail);
      levelCell = levelValue === null ? -1 : levelValue.level;
    }

    // Collect the row's values before touching the store: a row is used whole or not at all.
    rowN = 0;
    const autumn = term === 1;
    if (valueCaches && longAssessments) {
      const kind = kinds.get(reader, row, c.kind ?? 0);
      if (kind.kind === null) return ledger.reject('unknown_kind', line, kind.detail);
      const valueField = c.value ?? 0;
      if (kind.kind === 'assessment') {
        const meaning = longAssessments.get(reader, row, valueField);
        if (meaning.label === -9) return ledger.reject('invalid_assessment', line, meaning.detail);
        rowKinds[rowN] = KIND_ASSESSMENT;
        rowValues[rowN] = meaning.label;
        rowTallies[rowN++] = meaning.tallyId;
      } else {
        const meaning = (valueCaches[kind.index] as ColumnCache<GradeMeaning>).get(reader, row, valueField);
        if (meaning.invalid) return ledger.reject(meaning.invalid, line, meaning.detail);
        rowKinds[rowN] = storeKind(kind.index, autumn);
        rowValues[rowN] = meaning.step;
        rowTallies[rowN++] = meaning.tallyId;
      }
      if (kindsSeenBy !== counts) {
        kindsSeenBy = counts;
        kindsSeen.fill(0);
      }
      if (kindsSeen[kind.index] === 0) {
        kindsSeen[kind.index] = 1;
        if (!counts.kinds.includes(kind.kind)) counts.kinds.push(kind.kind);
      }
    } else {
      for (const { kind, field } of wideColumns) {
        if (kind === 'assessment') {
          const meaning = assessmentCache.get(reader, row, field);
          if (meaning.label === -9) return ledger.reject('invalid_assessment', line, meaning.detail);
          rowKinds[rowN] = KIND_ASSESSMENT;
          rowValues[rowN] = meaning.label;
          rowTallies[rowN++] = meaning.tallyId;
        } else {
          const meaning = (gradeCaches[KIND_INDEX[kind]] as ColumnCache<GradeMeaning>).get(reader, row, field);
          if (meaning.invalid) return ledger.reject(meaning.invalid, line, meaning.detail);
          rowKinds[rowN] = storeKind(KIND_INDEX[kind], autumn);
          rowValues[rowN] = meaning.step;
          rowTallies[rowN++] = meaning.tallyId;
        }
      }
    }

    if (!repeat) {
      const school = schools ? schools.get(reader, row, c.school ?? 0) : -1;
      const cls = classes ? classes.get(reader, row, c.class ?? 0) : -1;
      const teacher = teachers ? teachers.get(reader, row, c.teacher ?? 0) : -1;
      const areaCell = areas ? areas.get(reader, row, c.area ?? 0) : -1;
      if (school === ID_IN_LABEL || cls === ID_IN_LABEL || teacher === ID_IN_LABEL || areaCell === ID_IN_LABEL) return ledger.reject('personal_id_in_label', line);
      let area = -1;
      if (school >= 0 && context.areas.size > 0) {
        let mapped = mappedArea.get(school);
        if (mapped === undefined) {
          const name = context.areas.get(fold(store.stringOf(school) ?? ''));
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
      levelSource = 0;
      if (level < 0) {
        if (nameLevel > 0) {
          level = nameLevel;
          levelSource = 1;
        } else levelSource = 2;
      }
      parsed.pupil = pupil;
      parsed.startYear = startYear;
      parsed.term = term;
      parsed.school = school;
      parsed.area = area;
      parsed.cls = cls;
      parsed.teacher = teacher;
      parsed.level = level;
      contextIdKind = idKind;
    }
    // (Named, not keyed by the kind's string: a keyed update per row is a slow property lookup.)
    const formats = counts.idFormats;
    if (idKind === 'personnummer') formats.personnummer++;
    else if (idKind === 'samordningsnummer') formats.samordningsnummer++;
    else formats.opaque++;
    if (levelSource === 1) counts.levelFromName++;
    else if (levelSource === 2) counts.noLevel++;
    parsed.line = line;
    if (c.gender === undefined) parsed.gender = 0;
    else {
      const gender = genders.get(reader, row, c.gender);
      if (gender.code < 0) ledger.noteUnreadGender(line, gender.text);
      parsed.gender = gender.code < 0 ? 0 : gender.code;
    }
    parsed.subject = subject.index;
    parsed.n = rowN;
    for (let dim = 0; dim < background.length; dim++) {
      const column = background[dim];
      if (column) rowBackground[dim] = column.cells.get(reader, row, column.column);
    }
    contextSeq = row.seq;
    target.accept(parsed);
  };
  return handle;
}
