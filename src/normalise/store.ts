/**
 * The normalised results, one slot per pupil × school year × subject. Memory grows with pupils
 * and subjects, not with rows: a duplicate row adds nothing, and every repeated text (school,
 * class, teacher) is interned so each distinct name is held once.
 */
import type { Gender, GradeStep, SourceRef } from '../types.js';
import type { Term } from './school-year.js';

/** A grade or test value: -1 means streck/blank (no grade could be set). */
export type StepOrNone = GradeStep | -1;

export interface Attributes {
  school: string | null;
  area: string | null;
  class: string | null;
  teacher: string | null;
  gradeLevel: number | null;
}

export interface GradeObservation extends Attributes {
  step: StepOrNone;
  term: Term | null;
  file: number;
  line: number;
  conflict: boolean;
}

export interface AssessmentObservation extends Attributes {
  /** null = missing omdöme. */
  pass: boolean | null;
  step: GradeStep | null;
  label: string;
  file: number;
  line: number;
  conflict: boolean;
}

export interface Slot {
  pupil: string;
  schoolYear: string;
  startYear: number;
  subject: string;
  /** Spring (or unspecified-term) teacher grade. */
  grade?: GradeObservation;
  /** Autumn teacher grade, used only where no spring grade exists. */
  gradeAutumn?: GradeObservation;
  test?: GradeObservation;
  assessment?: AssessmentObservation;
}

export type SlotKind = 'grade' | 'gradeAutumn' | 'test' | 'assessment';

export interface Conflict {
  kind: SlotKind;
  refs: SourceRef[];
}

export type AddOutcome = 'added' | 'duplicate' | 'conflict';

export class ResultStore {
  readonly slots = new Map<string, Slot>();
  readonly genders = new Map<string, Gender>();
  readonly files: string[] = [];
  /** Conflicting observations: (file index, line) of the first one met, to reclassify at the end. */
  readonly conflictFirsts: { file: number; line: number }[] = [];
  private readonly conflictRows = new Set<string>();
  conflictKeys = 0;
  private readonly strings = new Map<string, string>();

  intern(text: string | null): string | null {
    if (text === null) return null;
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  slot(pupil: string, schoolYear: string, startYear: number, subject: string): Slot {
    const key = `${pupil}\u0001${schoolYear}\u0001${subject}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { pupil, schoolYear, startYear, subject };
      this.slots.set(key, slot);
    }
    return slot;
  }

  /** Add a grade/test observation; returns what happened to it. */
  addGrade(slot: Slot, kind: 'grade' | 'gradeAutumn' | 'test', observation: GradeObservation): AddOutcome {
    const existing = slot[kind];
    if (existing === undefined) {
      slot[kind] = observation;
      return 'added';
    }
    if (!existing.conflict && existing.step === observation.step) return 'duplicate';
    this.markConflict(existing);
    return 'conflict';
  }

  addAssessment(slot: Slot, observation: AssessmentObservation): AddOutcome {
    const existing = slot.assessment;
    if (existing === undefined) {
      slot.assessment = observation;
      return 'added';
    }
    if (!existing.conflict && existing.pass === observation.pass && existing.label === observation.label) return 'duplicate';
    this.markConflict(existing);
    return 'conflict';
  }

  private markConflict(existing: GradeObservation | AssessmentObservation): void {
    if (existing.conflict) return;
    existing.conflict = true;
    this.conflictKeys++;
    // A wide row can conflict in two values; it is reclassified once.
    const row = `${existing.file}:${existing.line}`;
    if (this.conflictRows.has(row)) return;
    this.conflictRows.add(row);
    this.conflictFirsts.push({ file: existing.file, line: existing.line });
  }

  /** First gender seen for a pupil wins; a later different one is ignored (ids decide, not rows). */
  noteGender(pupil: string, gender: Gender | null): void {
    if (gender !== null && !this.genders.has(pupil)) this.genders.set(pupil, gender);
  }
}
