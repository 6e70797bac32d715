/**
 * From normalised slots to one record per pupil × subject × school year for the gap analysis:
 * the teacher grade and the test grade side by side (either may be absent), with the group
 * attributes. Also counts what happened to every value, so the report can say where each one went.
 */
import type { Gender, GradeStep } from '../types.js';
import type { GradeObservation, Slot } from '../normalise/store.js';

/** Shown for a group attribute the export left blank; `null` is reserved for "Totalt". */
export const MISSING_VALUE = '(saknas)';

export interface GapRecord {
  pupil: string;
  school_year: string;
  grade_level: number | string;
  area: string;
  school: string;
  class: string;
  subject: string;
  gender: Gender | string;
  teacher: string;
  /** A–F teacher grade, null when the pupil has none (no grade, streck or conflict). */
  grade: GradeStep | null;
  /** A–F test grade, null when the pupil has none. */
  test: GradeStep | null;
}

export const COVERAGE_KEYS = [
  'paired',
  'grade_only',
  'test_only',
  'streck',
  'no_test_in_subject_level_year',
  'autumn_grade_superseded',
  'conflict_left_out',
  'assessment_not_used',
] as const;
export type CoverageKey = (typeof COVERAGE_KEYS)[number];
export type Coverage = Record<CoverageKey, number>;

export interface PairingResult {
  records: GapRecord[];
  coverage: Coverage;
}

function usable(observation: GradeObservation | undefined): observation is GradeObservation & { step: GradeStep } {
  return observation !== undefined && !observation.conflict && observation.step >= 0;
}

/**
 * `genderOf` resolves a pupil's gender (column first, then personnummer); kept outside so this
 * stays a pure function of its inputs.
 */
export function pairGradesWithTests(slots: Iterable<Slot>, genderOf: (pupil: string) => Gender | null): PairingResult {
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
  const candidates: { slot: Slot; grade: GradeObservation | undefined }[] = [];
  /** Subject × level × year combinations in which at least one pupil has a test grade. */
  const tested = new Set<string>();

  for (const slot of slots) {
    if (slot.assessment) coverage.assessment_not_used++;
    let grade = slot.grade;
    if (slot.gradeAutumn) {
      if (grade) coverage.autumn_grade_superseded++;
      else grade = slot.gradeAutumn;
    }
    for (const observation of [grade, slot.test]) {
      if (observation?.conflict) coverage.conflict_left_out++;
      else if (observation?.step === -1) coverage.streck++;
    }
    if (usable(slot.test)) tested.add(stratumKey(slot, slot.test.gradeLevel));
    if (usable(grade) || usable(slot.test)) candidates.push({ slot, grade });
  }

  const records: GapRecord[] = [];
  for (const { slot, grade } of candidates) {
    const test = slot.test;
    const hasGrade = usable(grade);
    const hasTest = usable(test);
    const level = grade?.gradeLevel ?? test?.gradeLevel ?? null;
    if (hasGrade && hasTest) coverage.paired += 2;
    else if (hasTest) coverage.test_only++;
    else if (tested.has(stratumKey(slot, level))) coverage.grade_only++;
    else {
      coverage.no_test_in_subject_level_year++;
      continue;
    }
    // School and area come from one side together (the grade's, else the test's).
    const place = grade?.school ? grade : (test ?? grade);
    records.push({
      pupil: slot.pupil,
      school_year: slot.schoolYear,
      grade_level: level ?? MISSING_VALUE,
      area: place?.area ?? MISSING_VALUE,
      school: place?.school ?? MISSING_VALUE,
      class: grade?.class ?? test?.class ?? MISSING_VALUE,
      subject: slot.subject,
      gender: genderOf(slot.pupil) ?? MISSING_VALUE,
      teacher: grade?.teacher ?? MISSING_VALUE,
      grade: hasGrade ? grade.step : null,
      test: hasTest ? test.step : null,
    });
  }
  return { records, coverage };
}

function stratumKey(slot: Slot, level: number | null): string {
  return `${slot.schoolYear}\u0001${level ?? ''}\u0001${slot.subject}`;
}
