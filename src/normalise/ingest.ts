/**
 * Read every input once, streaming, and normalise each row into the result store. Bad rows are
 * counted in the file's ledger with their line; file-level problems (unreadable, empty, a
 * required column missing) stop the run with an InputError naming the file.
 */
import type { Config } from '../config.js';
import { InputError, describeFsError } from '../errors.js';
import { CsvParser, type Delimiter } from '../read/csv.js';
import { decodeChunks, type DecodeInfo, type Encoding } from '../read/decode.js';
import type { InputSource } from '../read/inputs.js';
import { GRADE_LETTERS, type ResultKind } from '../types.js';
import { assessmentParser, type AssessmentParse } from './assessment.js';
import { FIELDS, HEADER_ALIASES, mapHeaders, type ColumnMapping, type Field } from './headers.js';
import { FileLedger } from './ledger.js';
import { genderFromPersonnummer, normalisePupilId, type PupilIdKind } from './pupil-id.js';
import { normaliseSchoolYear } from './school-year.js';
import { ResultStore, type AddOutcome, type Attributes, type StepOrNone } from './store.js';
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
  blankLines: number;
  ledger: FileLedger;
  /** Per kind: counts of A–F / streck / blank values on accepted rows. */
  values: Record<ResultKind, ValueTally>;
  idFormats: Record<PupilIdKind, number>;
}

export interface ReadOptions {
  encoding?: Encoding;
  config: Config;
  /** Folded school name → area, from --areas or the config file. */
  areas: ReadonlyMap<string, string>;
}

export interface ReadResult {
  store: ResultStore;
  files: FileReport[];
}

const REQUIRED: readonly Field[] = ['student_id', 'school_year', 'subject'];

function describeMissing(file: string, fields: readonly Field[]): InputError {
  const parts = fields.map((field) => `${field} (looked for: ${HEADER_ALIASES[field].slice(0, 4).join(', ')}, …)`);
  return new InputError(`${file}:1: required column missing: ${parts.join('; ')}. Map it with "columns" in --config.`);
}

export async function readExports(sources: readonly InputSource[], options: ReadOptions): Promise<ReadResult> {
  const store = new ResultStore();
  const files: FileReport[] = [];
  for (const source of sources) files.push(await readOne(source, store, options));
  // The first row of every conflict was counted as accepted when it was read.
  for (const { file, line } of store.conflictFirsts) files[file]?.ledger.reclassify('conflict', line);
  for (const report of files) report.ledger.checkBalance();
  // Gender from the personnummer where no row gave one.
  return { store, files };
}

/** Gender of a pupil: the column if any row had it, else from the personnummer. */
export function pupilGender(store: ResultStore, pupil: string): 'girl' | 'boy' | null {
  const known = store.genders.get(pupil);
  if (known) return known;
  if (/^\d{12}$/.test(pupil)) return genderFromPersonnummer({ id: pupil, kind: 'personnummer' });
  // Protected identity in SCB's collections: birth date + TF10 (boy) / TF20 (girl).
  if (/TF10$/.test(pupil)) return 'boy';
  if (/TF20$/.test(pupil)) return 'girl';
  return null;
}

function emptyTallies(): Record<ResultKind, ValueTally> {
  return { grade: {}, test: {}, assessment: {} };
}

async function readOne(source: InputSource, store: ResultStore, options: ReadOptions): Promise<FileReport> {
  const fileIndex = store.files.length;
  store.files.push(source.name);
  const ledger = new FileLedger(source.name);
  const info: DecodeInfo = { encoding: 'ascii', bom: false, replaced: false };
  const subjectOf = subjectLookup(options.config.subjects ?? {});
  const extraKinds = new Map<string, ResultKind>(Object.entries(options.config.kinds ?? {}).map(([k, v]) => [fold(k), v]));
  const parseAssessment = assessmentParser(options.config.assessment_scale);

  let report: FileReport | null = null;
  let handleRow: ((fields: string[], line: number) => void) | null = null;

  const parser = new CsvParser((fields, line) => {
    if (handleRow === null) {
      const mapping = mapHeaders(fields.map((field) => field.trim()), options.config.columns ?? {});
      report = startReport(source.name, fields, mapping, ledger, parser.detectedDelimiter ?? ';', info);
      handleRow = makeRowHandler(fields.length, mapping, report, fileIndex, store, options, subjectOf, extraKinds, parseAssessment);
      return;
    }
    handleRow(fields, line);
  });

  try {
    for await (const text of decodeChunks(source.open(), options.encoding, info)) parser.push(text);
    parser.end();
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw describeFsError(error, source.name);
  }
  const finished: FileReport | null = report;
  if (finished === null) throw new InputError(`${source.name}: the file is empty (no header line)`);
  const done: FileReport = finished;
  done.encoding = info.encoding;
  done.bom = info.bom;
  done.invalidBytes = info.replaced;
  done.blankLines = parser.blankLines;
  if (done.ledger.read === 0) throw new InputError(`${source.name}: the file has a header but no rows`);
  return done;
}

function startReport(
  file: string,
  headers: string[],
  mapping: ColumnMapping,
  ledger: FileLedger,
  delimiter: Delimiter,
  info: DecodeInfo,
): FileReport {
  const { columns } = mapping;
  const missing = REQUIRED.filter((field) => columns[field] === undefined);
  const isLong = columns.kind !== undefined && columns.value !== undefined;
  const valueColumns = (['grade', 'test', 'assessment'] as const).filter((field) => columns[field] !== undefined);
  if (missing.length > 0) throw describeMissing(file, missing);
  if (!isLong && valueColumns.length === 0) {
    throw new InputError(
      `${file}:1: no result column found: need Betyg/Terminsbetyg, Provbetyg, Bedömning/Omdöme, or a kind column (Typ) with a value column (Resultat). Map it with "columns" in --config.`,
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
    blankLines: 0,
    ledger,
    values: emptyTallies(),
    idFormats: { personnummer: 0, samordningsnummer: 0, opaque: 0 },
  };
}

const SCB_TEST_CODES: Readonly<Record<string, string>> = { '99': 'not_taken (99)', '88': 'unavailable (88)' };

/** One result on a row; null = a blank cell (counted, nothing recorded). */
type RowValue =
  | { kind: 'grade' | 'test'; tally: string; step: StepOrNone | null }
  | { kind: 'assessment'; tally: string; result: AssessmentParse | null };

function makeRowHandler(
  headerCount: number,
  mapping: ColumnMapping,
  report: FileReport,
  fileIndex: number,
  store: ResultStore,
  options: ReadOptions,
  subjectOf: (raw: string) => string | null,
  extraKinds: ReadonlyMap<string, ResultKind>,
  parseAssessment: (raw: string) => AssessmentParse,
): (fields: string[], line: number) => void {
  const c = mapping.columns;
  const ledger = report.ledger;
  const cell = (fields: string[], index: number | undefined): string => (index === undefined ? '' : (fields[index] ?? ''));
  const text = (fields: string[], index: number | undefined): string | null => {
    if (index === undefined) return null;
    const value = tidy(fields[index] ?? '');
    return value === '' ? null : store.intern(value);
  };
  const isLong = report.layout === 'long';

  return (fields, line) => {
    if (fields.length !== headerCount) {
      // Trailing empty fields (a delimiter at the end of the line) are harmless.
      const extraEmpty = fields.length > headerCount && fields.slice(headerCount).every((field) => field.trim() === '');
      if (!extraEmpty) {
        ledger.reject('field_count', line, `${fields.length} of ${headerCount}`);
        return;
      }
    }
    const year = normaliseSchoolYear(cell(fields, c.school_year));
    const rawId = cell(fields, c.student_id);
    if (rawId.trim() === '') return ledger.reject('missing_id', line);
    if (year === null) return ledger.reject('invalid_school_year', line, cell(fields, c.school_year).trim());
    const pupil = normalisePupilId(rawId, year.startYear + 1);
    if (pupil === null) return ledger.reject('missing_id', line);
    const subjectText = cell(fields, c.subject);
    const subject = subjectOf(subjectText);
    if (subject === null) return ledger.reject('unknown_subject', line, subjectText.trim());

    // Collect the row's values before touching the store: a row is used whole or not at all.
    const values: { kind: ResultKind; raw: string }[] = [];
    if (isLong) {
      const kindText = cell(fields, c.kind);
      const kind = normaliseKind(kindText, extraKinds);
      if (kind === null) return ledger.reject('unknown_kind', line, kindText.trim());
      values.push({ kind, raw: cell(fields, c.value) });
      if (!report.kinds.includes(kind)) report.kinds.push(kind);
    } else {
      if (c.grade !== undefined) values.push({ kind: 'grade', raw: cell(fields, c.grade) });
      if (c.test !== undefined) values.push({ kind: 'test', raw: cell(fields, c.test) });
      if (c.assessment !== undefined) values.push({ kind: 'assessment', raw: cell(fields, c.assessment) });
    }
    const parsed: RowValue[] = [];
    for (const { kind, raw } of values) {
      const blank = raw.trim() === '';
      if (kind === 'assessment') {
        const result = blank ? null : parseAssessment(raw);
        if (result?.status === 'invalid') return ledger.reject('invalid_assessment', line, raw.trim());
        const tally = result === null ? 'blank' : result.status === 'value' ? result.label : 'missing';
        parsed.push({ kind, tally, result });
        continue;
      }
      // SCB's codes in national-test collections: 99 did not take the test, 88 test unavailable.
      const code = kind === 'test' ? SCB_TEST_CODES[raw.trim()] : undefined;
      if (code !== undefined) {
        parsed.push({ kind, tally: code, step: null });
        continue;
      }
      const grade = blank ? null : normaliseGrade(raw);
      if (grade?.status === 'invalid') return ledger.reject(grade.reason === 'old_scale' ? 'old_grade_scale' : 'invalid_grade', line, raw.trim());
      const step: StepOrNone | null = grade === null ? null : grade.status === 'grade' ? grade.step : -1;
      parsed.push({ kind, tally: step === null ? 'blank' : step === -1 ? 'streck' : GRADE_LETTERS[step], step });
    }

    report.idFormats[pupil.kind]++;
    const school = text(fields, c.school);
    const classText = text(fields, c.class);
    const areaFromMap = school === null ? undefined : options.areas.get(fold(school));
    const levelText = cell(fields, c.grade_level);
    const attributes: Attributes = {
      school,
      area: areaFromMap !== undefined ? store.intern(areaFromMap) : text(fields, c.area),
      class: classText,
      teacher: text(fields, c.teacher),
      gradeLevel: normaliseGradeLevel(levelText) ?? (classText === null ? null : normaliseGradeLevel(classText)),
    };
    const pupilId = store.intern(pupil.id) ?? pupil.id;
    if (c.gender !== undefined) store.noteGender(pupilId, normaliseGender(cell(fields, c.gender)));

    const slot = store.slot(pupilId, year.label, year.startYear, subject);
    const outcomes: AddOutcome[] = [];
    for (const value of parsed) {
      const common = { ...attributes, file: fileIndex, line, conflict: false };
      if (value.kind === 'assessment') {
        if (value.result === null) continue; // blank: nothing to record
        const result = value.result;
        outcomes.push(
          result.status === 'value'
            ? store.addAssessment(slot, { ...common, pass: result.pass, step: result.step, label: result.label })
            : store.addAssessment(slot, { ...common, pass: null, step: null, label: 'missing' }),
        );
      } else if (value.step !== null) {
        const target = value.kind === 'test' ? 'test' : year.term === 'HT' ? 'gradeAutumn' : 'grade';
        outcomes.push(store.addGrade(slot, target, { ...common, step: value.step, term: year.term }));
      }
    }
    if (outcomes.includes('conflict')) ledger.reject('conflict', line);
    else if (outcomes.length > 0 && outcomes.every((outcome) => outcome === 'duplicate')) ledger.reject('duplicate', line);
    else {
      ledger.accept();
      for (const value of parsed) {
        const tallies = report.values[value.kind];
        tallies[value.tally] = (tallies[value.tally] ?? 0) + 1;
      }
    }
  };
}
