/**
 * From the normalised store to the gap analysis's input: cells of pupils who share every group
 * attribute (school year, grade level, area, school, class, subject, gender, teacher), each with
 * the A–F × A–F counts of teacher grade against test grade and the counts of pupils with only
 * one of the two. Counting per cell, not per pupil, keeps the analysis fast on millions of rows.
 * Also counts what happened to every value, so the report can say where each one went.
 */
import { DIMENSIONS, type BackgroundDimension, type Dimension, type Gender, type GradeStep } from '../types.js';
import { DISAGREE, NO_VALUE, type BackgroundTable } from '../normalise/background.js';
import { CONFLICT, KIND_ASSESSMENT, KIND_GRADE, KIND_GRADE_AUTUMN, KIND_TEST, NONE, STRECK, type ResultStore } from '../normalise/store.js';
import { NumberIndex } from '../read/byte-dict.js';
import { schoolYearLabel } from '../normalise/school-year.js';
import { dimsOf, UNKNOWN_VALUE, type GroupAttributes, type KeyValue } from './groups.js';

/** Shown for a group attribute the export left blank; `null` is reserved for "Totalt". */
export const MISSING_VALUE = '(saknas)';

/** One pupil's pair, for tests and for listing cases. */
export interface GapRecord extends GroupAttributes {
  pupil: string;
  /** A–F teacher grade, null when the pupil has none (no grade, streck or conflict). */
  grade: GradeStep | null;
  /** A–F test grade, null when the pupil has none. */
  test: GradeStep | null;
}

export interface GapCell {
  dims: Record<Dimension, KeyValue>;
  /** counts[teacher * 6 + test], steps F=0 … A=5. */
  counts: Float64Array;
  gradeOnly: number;
  testOnly: number;
}

const COVERAGE_KEYS = [
  'paired',
  'grade_only',
  'test_only',
  'streck',
  'no_test_in_subject_level_year',
  'autumn_grade_superseded',
  'conflict_left_out',
  'assessment_not_used',
] as const;
type CoverageKey = (typeof COVERAGE_KEYS)[number];
type Coverage = Record<CoverageKey, number>;

export interface PairingResult {
  cells: GapCell[];
  coverage: Coverage;
}

/**
 * Cells from plain records (tests, small data): the same aggregation the store path does.
 * @internal (also used by tests)
 */
export function cellsFromRecords(records: readonly GapRecord[], background: readonly BackgroundDimension[] = []): GapCell[] {
  const cells = new Map<string, GapCell>();
  for (const record of records) {
    const dims = dimsOf(record, background);
    const key = JSON.stringify(dims);
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { dims, counts: new Float64Array(36), gradeOnly: 0, testOnly: 0 }));
    if (record.grade !== null && record.test !== null) cell.counts[record.grade * 6 + record.test]! += 1;
    else if (record.grade !== null) cell.gradeOnly++;
    else if (record.test !== null) cell.testOnly++;
  }
  return [...cells.values()];
}

/** Which teacher-grade observation a slot uses (`obs`: its observations by kind): spring, else autumn; NONE if neither. */
function gradeObservation(obs: Int32Array, coverage: Coverage | null): number {
  const spring = obs[KIND_GRADE] ?? NONE;
  const autumn = obs[KIND_GRADE_AUTUMN] ?? NONE;
  if (autumn === NONE) return spring;
  if (spring !== NONE) {
    if (coverage) coverage.autumn_grade_superseded++;
    return spring;
  }
  return autumn;
}

const ALL_DIMENSIONS: ReadonlySet<Dimension> = new Set(DIMENSIONS);

/** A background value as a group key: its category, `(saknas)` for none, `(okänd)` where the rows disagree. */
export function backgroundLabel(table: BackgroundTable, value: number): string {
  if (value === NO_VALUE) return MISSING_VALUE;
  if (value === DISAGREE) return UNKNOWN_VALUE;
  return table.categories[value] ?? MISSING_VALUE;
}

/**
 * The background dimensions asked for that the store read, with their index in its table, and a
 * per-slot lookup of their values as one combination id (interned: pupils share a handful).
 */
function backgroundOf(store: ResultStore, needed: ReadonlySet<Dimension>): { dims: BackgroundDimension[]; comboOf: (slot: number) => number; labels: string[][] } | null {
  const table = store.background;
  if (!table) return null;
  const wanted = table.specs.map((spec, index) => ({ key: spec.key, index })).filter(({ key }) => needed.has(key));
  if (wanted.length === 0) return null;
  const combos = new Map<string, number>();
  const labels: string[][] = [];
  let lastPupil = -1;
  let lastYear = -1;
  let lastCombo = 0;
  const comboOf = (slot: number): number => {
    const pupil = store.pupilOf(slot);
    const year = store.yearOf(slot);
    if (pupil === lastPupil && year === lastYear) return lastCombo;
    const values = wanted.map(({ index }) => table.valueOf(index, pupil, year));
    const key = values.join(',');
    let combo = combos.get(key);
    if (combo === undefined) {
      combo = labels.length;
      combos.set(key, combo);
      labels.push(values.map((value) => backgroundLabel(table, value)));
    }
    lastPupil = pupil;
    lastYear = year;
    lastCombo = combo;
    return combo;
  };
  return { dims: wanted.map(({ key }) => key), comboOf, labels };
}
/** Dimensions a cell can leave out when the report does not group by them. */
const OPTIONAL_DIMENSIONS = ['class', 'teacher', 'gender'] as const;

/** Map each context to one representative among those equal in every needed dimension. */
function reducer(store: ResultStore, needed: ReadonlySet<Dimension>): (ctx: number) => number {
  const withClass = needed.has('class');
  const withTeacher = needed.has('teacher');
  if (withClass && withTeacher) return (ctx) => ctx;
  const representative = new Int32Array(store.ctxSchool.length).fill(-1);
  const byKey = new Map<string, number>();
  return (ctx) => {
    let rep = representative[ctx] ?? -1;
    if (rep < 0) {
      const key = `${store.ctxSchool[ctx]},${store.ctxArea[ctx]},${withClass ? store.ctxClass[ctx] : -1},${withTeacher ? store.ctxTeacher[ctx] : -1},${store.ctxLevel[ctx]}`;
      rep = byKey.get(key) ?? ctx;
      byKey.set(key, rep);
      representative[ctx] = rep;
    }
    return rep;
  };
}

function countLeftOut(value: number, coverage: Coverage): void {
  if (value === CONFLICT) coverage.conflict_left_out++;
  else if (value === STRECK) coverage.streck++;
}

/** A–F step of an observation, or -1 (none, streck or conflict). */
function stepOf(store: ResultStore, obs: number): number {
  if (obs === NONE) return -1;
  const value = store.valueOf(obs);
  return value >= 0 ? value : -1;
}

function levelOf(store: ResultStore, obs: number): number {
  return obs === NONE ? -1 : (store.ctxLevel[store.ctxOf(obs)] ?? -1);
}

/**
 * `genderOf` resolves a pupil's gender by pupil index (column first, then personnummer).
 */
export function pairGradesWithTests(store: ResultStore, genderOf: (pupil: number) => Gender | null, needed: ReadonlySet<Dimension> = ALL_DIMENSIONS): PairingResult {
  const coverage: Coverage = {
    paired: 0,
    grade_only: 0,
    test_only: 0,
    streck: 0,
    no_test_in_subject_level_year: 0,
    autumn_grade_superseded: 0,
    conflict_left_out: 0,
    assessment_not_used: 0,
  };
  const stratum = (slot: number, level: number) => ((store.yearOf(slot)) * 16 + (level + 1)) * 65536 + (store.subjectOf(slot));
  /** Subject × level × year combinations in which at least one pupil has a test result. */
  const tested = new Set<number>();
  for (let slot = 0; slot < store.slotCount; slot++) {
    // Any test result, also streck or a conflicting one, shows the test was given there.
    const test = store.obsOf(KIND_TEST, slot);
    if (test !== NONE) tested.add(stratum(slot, levelOf(store, test)));
  }

  const pairIds = new NumberIndex(1024);
  const pairCtx: { grade: number; test: number }[] = [];
  const cellIndex = new NumberIndex(1024);
  // With background dimensions: one index of cells per combination of their values.
  const background = backgroundOf(store, needed);
  const cellIndexes: NumberIndex[] = [cellIndex];
  const cells: GapCell[] = [];
  const withGender = needed.has('gender');
  const genderCode = (pupil: number) => {
    if (!withGender) return 0;
    const gender = genderOf(pupil);
    return gender === 'girl' ? 1 : gender === 'boy' ? 2 : 3;
  };
  // Contexts that differ only in dimensions the report does not group by share one cell.
  const reduce = reducer(store, needed);
  const slotObs = new Int32Array(4);
  let lastPairKey = -1;
  let lastPair = -1;

  for (let slot = 0; slot < store.slotCount; slot++) {
    const obs = store.observations(slot, slotObs);
    if ((obs[KIND_ASSESSMENT] ?? NONE) !== NONE) coverage.assessment_not_used++;
    const gradeObs = gradeObservation(obs, coverage);
    const testObs = obs[KIND_TEST] ?? NONE;
    if (gradeObs !== NONE) countLeftOut(store.valueOf(gradeObs), coverage);
    if (testObs !== NONE) countLeftOut(store.valueOf(testObs), coverage);
    const grade = stepOf(store, gradeObs);
    const test = stepOf(store, testObs);
    if (grade < 0 && test < 0) continue;
    if (grade >= 0 && test >= 0) coverage.paired += 2;
    else if (test >= 0) coverage.test_only++;
    else if (tested.has(stratum(slot, levelOf(store, gradeObs)))) coverage.grade_only++;
    else {
      coverage.no_test_in_subject_level_year++;
      continue;
    }
    // The cell: which contexts the two sides came from, the school year, the subject, the gender.
    const gradeCtx = grade >= 0 ? reduce(store.ctxOf(gradeObs)) : -1;
    const testCtx = test >= 0 ? reduce(store.ctxOf(testObs)) : -1;
    const pairKey = (gradeCtx + 1) * 67108864 + (testCtx + 1);
    // A pupil's subjects mostly share both contexts: the pair before is the usual answer.
    let pair = pairKey === lastPairKey ? lastPair : pairIds.get(pairKey);
    if (pair < 0) {
      pair = pairCtx.length;
      pairCtx.push({ grade: gradeCtx, test: testCtx });
      pairIds.set(pairKey, pair);
    }
    lastPairKey = pairKey;
    lastPair = pair;
    const cellKey = ((pair * 256 + (store.yearOf(slot))) * 4096 + (store.subjectOf(slot))) * 4 + genderCode(store.pupilOf(slot));
    const combo = background ? background.comboOf(slot) : 0;
    let index = cellIndexes[combo];
    if (!index) cellIndexes[combo] = index = new NumberIndex(1024);
    let cell = index.get(cellKey);
    if (cell < 0) {
      cell = cells.length;
      index.set(cellKey, cell);
      const dims = describeCell(store, slot, gradeCtx, testCtx, genderOf);
      for (const dim of OPTIONAL_DIMENSIONS) if (!needed.has(dim)) dims[dim] = null;
      if (background) background.dims.forEach((dim, i) => (dims[dim] = background.labels[combo]?.[i] ?? MISSING_VALUE));
      cells.push({ dims, counts: new Float64Array(36), gradeOnly: 0, testOnly: 0 });
    }
    const target = cells[cell] as GapCell;
    if (grade >= 0 && test >= 0) target.counts[grade * 6 + test]! += 1;
    else if (grade >= 0) target.gradeOnly++;
    else target.testOnly++;
  }
  return { cells, coverage };
}

/** The group attributes of a cell, from the contexts of its two sides (grade side first). */
function describeCell(store: ResultStore, slot: number, gradeCtx: number, testCtx: number, genderOf: (pupil: number) => Gender | null): Record<Dimension, KeyValue> {
  const grade = gradeCtx >= 0 ? store.attributesOf(gradeCtx) : null;
  const test = testCtx >= 0 ? store.attributesOf(testCtx) : null;
  // School and area come from one side together (the grade's, else the test's).
  const place = grade?.school ? grade : (test ?? grade);
  const level = grade?.gradeLevel ?? test?.gradeLevel ?? null;
  return {
    school_year: schoolYearLabel(store.startYearOf(slot)),
    grade_level: level ?? MISSING_VALUE,
    area: place?.area ?? MISSING_VALUE,
    school: place?.school ?? MISSING_VALUE,
    class: grade?.class ?? test?.class ?? MISSING_VALUE,
    subject: store.subjects[store.subjectOf(slot)] ?? MISSING_VALUE,
    gender: genderOf(store.pupilOf(slot)) ?? MISSING_VALUE,
    teacher: grade?.teacher ?? MISSING_VALUE,
  };
}

/** Every pupil with both grades whose difference is at least `minSteps`, as records (for --list-cases). */
export function divergentPairs(store: ResultStore, genderOf: (pupil: number) => Gender | null, minSteps = 2): GapRecord[] {
  const records: GapRecord[] = [];
  const slotObs = new Int32Array(4);
  for (let slot = 0; slot < store.slotCount; slot++) {
    const obs = store.observations(slot, slotObs);
    const gradeObs = gradeObservation(obs, null);
    const testObs = obs[KIND_TEST] ?? NONE;
    const grade = stepOf(store, gradeObs);
    const test = stepOf(store, testObs);
    if (grade < 0 || test < 0 || Math.abs(grade - test) < minSteps) continue;
    const dims = describeCell(store, slot, store.ctxOf(gradeObs), store.ctxOf(testObs), genderOf);
    records.push({
      pupil: store.pupilId(store.pupilOf(slot)),
      school_year: String(dims.school_year),
      grade_level: dims.grade_level ?? MISSING_VALUE,
      area: String(dims.area),
      school: String(dims.school),
      class: String(dims.class),
      subject: String(dims.subject),
      gender: String(dims.gender),
      teacher: String(dims.teacher),
      grade: grade as GradeStep,
      test: test as GradeStep,
    });
  }
  return records;
}
