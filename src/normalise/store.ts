/**
 * The normalised results, held compactly so memory grows with pupils × subjects, not with rows
 * or text:
 *
 * - one slot per pupil × school year × subject (typed arrays, found through a hash on a numeric
 *   key), pointing at up to four observations: the spring teacher grade, an autumn teacher grade,
 *   the test grade and the omdöme;
 * - one observation per value kept: its value (Int8), its context (the interned tuple school,
 *   area, class, teacher, grade level: rows share a handful of these), and where it came from
 *   (file and line, to report conflicts);
 * - pupils by number (a personnummer is a 12-digit number) or, for other ids, by string.
 *
 * A duplicate row adds nothing; a conflicting one marks the observation and is left out.
 * `slots` materialises plain objects for inspection and tests; the analyses read the arrays.
 */
import type { Gender, GradeStep } from '../types.js';
import { NumberIndex } from '../read/byte-dict.js';
import type { BackgroundTable } from './background.js';
import type { Term } from './school-year.js';

/** A grade or test value: -1 means streck (no grade could be set). */
type StepOrNone = GradeStep | -1;

export const KIND_GRADE = 0;
export const KIND_GRADE_AUTUMN = 1;
export const KIND_TEST = 2;
export const KIND_ASSESSMENT = 3;
export type KindIndex = 0 | 1 | 2 | 3;

/** Observation value for a conflicting (left out) observation. */
export const CONFLICT = -4;
/** No observation. */
export const NONE = -1;

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
  grade?: GradeObservation;
  gradeAutumn?: GradeObservation;
  test?: GradeObservation;
  assessment?: AssessmentObservation;
}

export type AddOutcome = 'added' | 'duplicate' | 'conflict';

export interface AssessmentLabel {
  label: string;
  pass: boolean | null;
  step: GradeStep | null;
}

function resizeInt32(array: Int32Array, size: number): Int32Array {
  const next = new Int32Array(size);
  next.set(array.subarray(0, Math.min(array.length, size)));
  return next;
}
function resizeInt8(array: Int8Array, size: number): Int8Array {
  const next = new Int8Array(size);
  next.set(array.subarray(0, Math.min(array.length, size)));
  return next;
}
function resizeUint16(array: Uint16Array, size: number): Uint16Array {
  const next = new Uint16Array(size);
  next.set(array.subarray(0, Math.min(array.length, size)));
  return next;
}
function growInt32(array: Int32Array, size: number): Int32Array {
  const next = new Int32Array(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}
function growInt8(array: Int8Array, size: number): Int8Array {
  const next = new Int8Array(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}
function growUint16(array: Uint16Array, size: number): Uint16Array {
  const next = new Uint16Array(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

export class ResultStore {
  readonly files: string[] = [];

  // ── strings (school, area, class, teacher names) ──
  readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();

  /** Id of a display string; -1 for null. */
  stringId(text: string | null): number {
    if (text === null) return -1;
    let id = this.stringIds.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.stringIds.set(text, id);
    }
    return id;
  }

  stringOf(id: number): string | null {
    return id < 0 ? null : (this.strings[id] ?? null);
  }

  // ── contexts: (school, area, class, teacher, grade level) ──
  readonly ctxSchool: number[] = [];
  readonly ctxArea: number[] = [];
  readonly ctxClass: number[] = [];
  readonly ctxTeacher: number[] = [];
  readonly ctxLevel: number[] = [];
  private readonly ctxIds = new Map<string, number>();

  context(school: number, area: number, cls: number, teacher: number, level: number): number {
    const key = `${school},${area},${cls},${teacher},${level}`;
    let id = this.ctxIds.get(key);
    if (id === undefined) {
      id = this.ctxSchool.length;
      this.ctxSchool.push(school);
      this.ctxArea.push(area);
      this.ctxClass.push(cls);
      this.ctxTeacher.push(teacher);
      this.ctxLevel.push(level);
      this.ctxIds.set(key, id);
    }
    return id;
  }

  attributesOf(ctx: number): Attributes {
    const level = this.ctxLevel[ctx] ?? -1;
    return {
      school: this.stringOf(this.ctxSchool[ctx] ?? -1),
      area: this.stringOf(this.ctxArea[ctx] ?? -1),
      class: this.stringOf(this.ctxClass[ctx] ?? -1),
      teacher: this.stringOf(this.ctxTeacher[ctx] ?? -1),
      gradeLevel: level < 0 ? null : level,
    };
  }

  // ── school years and subjects ──
  readonly yearStarts: number[] = [];
  private readonly yearIds = new Map<number, number>();
  readonly subjects: string[] = [];
  private readonly subjectIds = new Map<string, number>();

  yearIndex(startYear: number): number {
    let id = this.yearIds.get(startYear);
    if (id === undefined) {
      id = this.yearStarts.length;
      if (id > 255) throw new Error('more than 256 school years');
      this.yearStarts.push(startYear);
      this.yearIds.set(startYear, id);
    }
    return id;
  }

  subjectIndex(code: string): number {
    let id = this.subjectIds.get(code);
    if (id === undefined) {
      id = this.subjects.length;
      this.subjects.push(code);
      this.subjectIds.set(code, id);
    }
    return id;
  }

  // ── assessment labels ──
  readonly labels: AssessmentLabel[] = [];
  private readonly labelIds = new Map<string, number>();

  labelIndex(label: string, pass: boolean | null, step: GradeStep | null): number {
    const key = `${label}\u0001${pass}\u0001${step}`;
    let id = this.labelIds.get(key);
    if (id === undefined) {
      id = this.labels.length;
      if (id > 127) throw new Error('more than 128 distinct omdöme labels');
      this.labels.push({ label, pass, step });
      this.labelIds.set(key, id);
    }
    return id;
  }

  // ── pupils ──
  pupilCount = 0;
  /** Numeric key (12-digit personnummer) or −(1 + opaque index). */
  private pupilKeys = new Float64Array(1024);
  private readonly numericPupils = new NumberIndex(1024);
  private readonly opaquePupils = new Map<string, number>();
  private readonly opaqueIds: string[] = [];
  /** 0 unknown, 1 girl, 2 boy: the first gender a row gives. */
  pupilGenders: Int8Array = new Int8Array(1024);

  private newPupil(key: number): number {
    const index = this.pupilCount++;
    if (index >= this.pupilKeys.length) {
      const keys = new Float64Array(this.pupilKeys.length * 2);
      keys.set(this.pupilKeys);
      this.pupilKeys = keys;
      this.pupilGenders = growInt8(this.pupilGenders, keys.length);
    }
    this.pupilKeys[index] = key;
    return index;
  }

  private lastPupilKey = -1;
  private lastPupil = -1;

  /** A personnummer as the number YYYYMMDDNNNN. */
  pupilByNumber(key: number): number {
    if (key === this.lastPupilKey) return this.lastPupil;
    this.lastPupilKey = key;
    this.lastPupil = this.pupilByNumberUncached(key);
    return this.lastPupil;
  }

  private pupilByNumberUncached(key: number): number {
    const known = this.numericPupils.get(key);
    if (known >= 0) return known;
    const index = this.newPupil(key);
    this.numericPupils.set(key, index);
    return index;
  }

  pupilByString(id: string): number {
    if (/^\d{12}$/.test(id)) return this.pupilByNumber(Number(id));
    const known = this.opaquePupils.get(id);
    if (known !== undefined) return known;
    this.opaqueIds.push(id);
    const index = this.newPupil(-this.opaqueIds.length);
    this.opaquePupils.set(id, index);
    return index;
  }

  /** The index of a pupil by normalised id, or -1 if no row named them. */
  findPupil(id: string): number {
    if (/^\d{12}$/.test(id)) return this.numericPupils.get(Number(id));
    return this.opaquePupils.get(id) ?? -1;
  }

  pupilId(index: number): string {
    const key = this.pupilKeys[index] ?? 0;
    return key >= 0 ? String(key).padStart(12, '0') : (this.opaqueIds[-key - 1] ?? '');
  }

  noteGender(pupil: number, gender: Gender | null): void {
    if (gender !== null && this.pupilGenders[pupil] === 0) this.pupilGenders[pupil] = gender === 'girl' ? 1 : 2;
  }

  /** Gender from a column when any row gave one. */
  genderColumn(pupil: number): Gender | null {
    const code = this.pupilGenders[pupil];
    return code === 1 ? 'girl' : code === 2 ? 'boy' : null;
  }

  /** Background columns per pupil and school year (background.ts); null when none was asked for. */
  background: BackgroundTable | null = null;

  // ── slots ──
  slotCount = 0;
  slotPupil: Int32Array = new Int32Array(4096);
  slotYear: Uint8Array = new Uint8Array(4096);
  slotSubject: Uint16Array = new Uint16Array(4096);
  /** Observation index per kind, or NONE. */
  slotObs: [Int32Array, Int32Array, Int32Array, Int32Array] = [new Int32Array(4096), new Int32Array(4096), new Int32Array(4096), new Int32Array(4096)];
  /**
   * Slots are found per pupil: each pupil's slots form a list (first slot per pupil, next slot
   * per slot), and the current pupil's slots sit in a direct table by (year, subject). Exports
   * list a pupil's rows together, so a row usually finds its slot with one array read, and no
   * hash over millions of slots is needed.
   */
  private pupilFirstSlot: Int32Array = new Int32Array(1024).fill(-1);
  private slotNext: Int32Array = new Int32Array(4096);
  private currentPupil = -1;
  private readonly recentSlot = new Int32Array(256 * 1024);
  private readonly recentStamp = new Int32Array(256 * 1024);
  private stamp = 0;

  slotIndex(pupil: number, year: number, subject: number): number {
    if (subject >= 1024) return this.slotIndexSlow(pupil, year, subject);
    if (pupil !== this.currentPupil) {
      this.currentPupil = pupil;
      this.stamp++;
      for (let slot = this.pupilFirstSlot[pupil] ?? -1; slot >= 0; slot = this.slotNext[slot] ?? -1) {
        const subjectOf = this.slotSubject[slot] ?? 0;
        if (subjectOf >= 1024) continue;
        const key = (this.slotYear[slot] ?? 0) * 1024 + subjectOf;
        this.recentSlot[key] = slot;
        this.recentStamp[key] = this.stamp;
      }
    }
    const key = year * 1024 + subject;
    if (this.recentStamp[key] === this.stamp) return this.recentSlot[key] ?? 0;
    const slot = this.newSlot(pupil, year, subject);
    this.recentSlot[key] = slot;
    this.recentStamp[key] = this.stamp;
    return slot;
  }

  private slotIndexSlow(pupil: number, year: number, subject: number): number {
    for (let slot = this.pupilFirstSlot[pupil] ?? -1; slot >= 0; slot = this.slotNext[slot] ?? -1) {
      if (this.slotYear[slot] === year && this.slotSubject[slot] === subject) return slot;
    }
    return this.newSlot(pupil, year, subject);
  }

  /** Make room for about `rows` more observations (and as many slots) without regrowing. */
  reserve(rows: number): void {
    const obs = this.obsCount + rows;
    if (obs > this.obsValue.length) {
      this.obsValue = resizeInt8(this.obsValue, obs);
      this.obsCtx = resizeInt32(this.obsCtx, obs);
      this.obsLine = resizeInt32(this.obsLine, obs);
      this.obsFile = resizeUint16(this.obsFile, obs);
      this.obsTerm = resizeInt8(this.obsTerm, obs);
    }
    const slots = this.slotCount + rows;
    if (slots > this.slotPupil.length) {
      this.slotPupil = resizeInt32(this.slotPupil, slots);
      const years = new Uint8Array(slots);
      years.set(this.slotYear.subarray(0, this.slotCount));
      this.slotYear = years;
      this.slotSubject = resizeUint16(this.slotSubject, slots);
      this.slotObs = [resizeInt32(this.slotObs[0], slots), resizeInt32(this.slotObs[1], slots), resizeInt32(this.slotObs[2], slots), resizeInt32(this.slotObs[3], slots)];
      this.slotNext = resizeInt32(this.slotNext, slots);
    }
  }

  private newSlot(pupil: number, year: number, subject: number): number {
    const index = this.slotCount++;
    if (index >= this.slotPupil.length) {
      const size = this.slotPupil.length * 2;
      this.slotPupil = growInt32(this.slotPupil, size);
      const years = new Uint8Array(size);
      years.set(this.slotYear);
      this.slotYear = years;
      this.slotSubject = growUint16(this.slotSubject, size);
      this.slotObs = [growInt32(this.slotObs[0], size), growInt32(this.slotObs[1], size), growInt32(this.slotObs[2], size), growInt32(this.slotObs[3], size)];
      this.slotNext = growInt32(this.slotNext, size);
    }
    if (pupil >= this.pupilFirstSlot.length) {
      const firsts = new Int32Array(Math.max(pupil + 1, this.pupilFirstSlot.length * 2)).fill(-1);
      firsts.set(this.pupilFirstSlot);
      this.pupilFirstSlot = firsts;
    }
    this.slotNext[index] = this.pupilFirstSlot[pupil] ?? -1;
    this.pupilFirstSlot[pupil] = index;
    this.slotPupil[index] = pupil;
    this.slotYear[index] = year;
    this.slotSubject[index] = subject;
    this.slotObs[0][index] = NONE;
    this.slotObs[1][index] = NONE;
    this.slotObs[2][index] = NONE;
    this.slotObs[3][index] = NONE;
    return index;
  }

  // ── observations ──
  obsCount = 0;
  /** Grade kinds: step 0–5 or -1 streck; assessment: label index; CONFLICT when left out. */
  obsValue: Int8Array = new Int8Array(4096);
  obsCtx: Int32Array = new Int32Array(4096);
  obsLine: Int32Array = new Int32Array(4096);
  obsFile: Uint16Array = new Uint16Array(4096);
  /** Term of a grade observation: 0 none, 1 HT, 2 VT. */
  obsTerm: Int8Array = new Int8Array(4096);

  conflictKeys = 0;
  /** (file, line) of the first row of every conflict, once per row, to reclassify at the end. */
  readonly conflictFirsts: { file: number; line: number }[] = [];
  private readonly conflictRows = new Set<number>();

  /** Add a value of `kind` to a slot; returns what happened to it. */
  add(kind: KindIndex, slot: number, value: number, term: number, ctx: number, file: number, line: number): AddOutcome {
    const existing = this.slotObs[kind][slot] ?? NONE;
    if (existing !== NONE) {
      const old = this.obsValue[existing] ?? 0;
      if (old !== CONFLICT && old === value) return 'duplicate';
      if (old !== CONFLICT) {
        this.obsValue[existing] = CONFLICT;
        this.conflictKeys++;
        const file0 = this.obsFile[existing] ?? 0;
        const line0 = this.obsLine[existing] ?? 0;
        // A wide row can conflict in two values; it is reclassified once.
        const row = file0 * 4294967296 + line0;
        if (!this.conflictRows.has(row)) {
          this.conflictRows.add(row);
          this.conflictFirsts.push({ file: file0, line: line0 });
        }
      }
      return 'conflict';
    }
    const index = this.obsCount++;
    if (index >= this.obsValue.length) {
      const size = this.obsValue.length * 2;
      this.obsValue = growInt8(this.obsValue, size);
      this.obsCtx = growInt32(this.obsCtx, size);
      this.obsLine = growInt32(this.obsLine, size);
      this.obsFile = growUint16(this.obsFile, size);
      this.obsTerm = growInt8(this.obsTerm, size);
    }
    this.obsValue[index] = value;
    this.obsCtx[index] = ctx;
    this.obsLine[index] = line;
    this.obsFile[index] = file;
    this.obsTerm[index] = term;
    this.slotObs[kind][slot] = index;
    return 'added';
  }

  // ── plain-object views (inspection and tests; the analyses use the arrays) ──
  private gradeView(obs: number): GradeObservation | undefined {
    if (obs === NONE) return undefined;
    const value = this.obsValue[obs] ?? 0;
    const term = this.obsTerm[obs];
    const conflict = value === CONFLICT;
    const step: StepOrNone = conflict || value < 0 ? -1 : (value as GradeStep);
    return { ...this.attributesOf(this.obsCtx[obs] ?? 0), step, term: term === 1 ? 'HT' : term === 2 ? 'VT' : null, file: this.obsFile[obs] ?? 0, line: this.obsLine[obs] ?? 0, conflict };
  }

  private assessmentView(obs: number): AssessmentObservation | undefined {
    if (obs === NONE) return undefined;
    const value = this.obsValue[obs] ?? 0;
    const conflict = value === CONFLICT;
    const label = conflict ? { label: 'conflict', pass: null, step: null } : (this.labels[value] ?? { label: '?', pass: null, step: null });
    return { ...this.attributesOf(this.obsCtx[obs] ?? 0), pass: label.pass, step: label.step, label: label.label, file: this.obsFile[obs] ?? 0, line: this.obsLine[obs] ?? 0, conflict };
  }

  slotView(slot: number): Slot {
    const startYear = this.yearStarts[this.slotYear[slot] ?? 0] ?? 0;
    const view: Slot = {
      pupil: this.pupilId(this.slotPupil[slot] ?? 0),
      schoolYear: `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`,
      startYear,
      subject: this.subjects[this.slotSubject[slot] ?? 0] ?? '',
    };
    const grade = this.gradeView(this.slotObs[0][slot] ?? NONE);
    const autumn = this.gradeView(this.slotObs[1][slot] ?? NONE);
    const test = this.gradeView(this.slotObs[2][slot] ?? NONE);
    const assessment = this.assessmentView(this.slotObs[3][slot] ?? NONE);
    if (grade) view.grade = grade;
    if (autumn) view.gradeAutumn = autumn;
    if (test) view.test = test;
    if (assessment) view.assessment = assessment;
    return view;
  }

  /** Every slot as a plain object, keyed pupil/year/subject. Allocates: for small data only. */
  get slots(): ReadonlyMap<string, Slot> {
    const map = new Map<string, Slot>();
    for (let slot = 0; slot < this.slotCount; slot++) {
      const view = this.slotView(slot);
      map.set(`${view.pupil}\u0001${view.schoolYear}\u0001${view.subject}`, view);
    }
    return map;
  }

  /** The gender column's value per pupil id, as a map (tests, inspection). */
  get genders(): ReadonlyMap<string, Gender> {
    const map = new Map<string, Gender>();
    for (let pupil = 0; pupil < this.pupilCount; pupil++) {
      const gender = this.genderColumn(pupil);
      if (gender) map.set(this.pupilId(pupil), gender);
    }
    return map;
  }
}
