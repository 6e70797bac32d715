/**
 * The normalised results, held compactly so memory grows with pupils × subjects, not with rows
 * or text:
 *
 * - one slot per pupil × school year × subject (typed arrays, found through each pupil's runs of
 *   slots, or a hash table for an export in no order), holding a short list of its observations:
 *   the spring teacher grade, an autumn teacher grade, the test grade and the omdöme, each marked
 *   with its kind;
 * - one observation per value kept: its value (Int8), its kind and term (a byte), its context
 *   (the interned tuple school, area, class, teacher, grade level: rows share a handful of
 *   these; 16 bits until there are more than 65 536), and where it came from: the line as a
 *   byte-sized step from the observation before (observations are added in file order), the
 *   file by observation range; the next observation of its slot as a 16-bit distance back.
 *   About 11 bytes per slot and 7 per observation.
 * - pupils by number (a personnummer is a 12-digit number) or, for other ids, by string.
 *
 * A duplicate row adds nothing; a conflicting one marks the observation and is left out.
 * The analyses read the arrays through `obsOf`, `observations`, `ctxOf`, `lineOf` and `fileOf`;
 * `slots` materialises plain objects for inspection and tests.
 */
import type { Gender, GradeStep } from '../types.js';
import { NumberIndex } from '../read/byte-dict.js';
import { resized } from '../read/typed-arrays.js';
import type { BackgroundTable } from './background.js';
import type { Term } from './school-year.js';

/** A grade or test value: -1 means streck (no grade could be set). */
type StepOrNone = GradeStep | -1;

export const KIND_GRADE = 0;
export const KIND_GRADE_AUTUMN = 1;
export const KIND_TEST = 2;
export const KIND_ASSESSMENT = 3;
export type KindIndex = 0 | 1 | 2 | 3;

/** Grade value for streck (a grade or test row that says no grade could be set). */
export const STRECK = -1;
/** Observation value for a conflicting (left out) observation. */
export const CONFLICT = -4;
/** Slots the hash table can hold: an entry is (slot + 1) × 32 + a 5-bit tag in 32 bits. */
const MAX_HASHED_SLOTS = 2 ** 27 - 1;
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
  /** 0 unknown, 1 girl, 2 boy (every row that gives one agrees), 3 rows disagree. */
  pupilGenders: Int8Array = new Int8Array(1024);

  private newPupil(key: number): number {
    const index = this.pupilCount++;
    if (index >= this.pupilKeys.length) {
      const keys = new Float64Array(this.pupilKeys.length * 2);
      keys.set(this.pupilKeys);
      this.pupilKeys = keys;
      this.pupilGenders = resized(this.pupilGenders, keys.length);
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

  /**
   * A row's gender for its pupil. Rows that disagree make it 3 (none from the column: the
   * personnummer decides), whatever their order; the first row's used to win, so the same rows in
   * another order could count a pupil as a girl or as a boy.
   */
  noteGender(pupil: number, gender: Gender | null): void {
    if (gender === null) return;
    const code = gender === 'girl' ? 1 : 2;
    const known = this.pupilGenders[pupil] ?? 0;
    if (known === 0) this.pupilGenders[pupil] = code;
    else if (known !== code) this.pupilGenders[pupil] = 3;
  }

  /** Gender from a column when rows gave one and none disagreed. */
  genderColumn(pupil: number): Gender | null {
    const code = this.pupilGenders[pupil];
    return code === 1 ? 'girl' : code === 2 ? 'boy' : null;
  }

  /** Background columns per pupil and school year (background.ts); null when none was asked for. */
  background: BackgroundTable | null = null;

  // ── slots ──
  slotCount = 0;
  private slotPupil: Int32Array = new Int32Array(4096);
  private slotYear: Uint8Array = new Uint8Array(4096);
  private slotSubject: Uint16Array = new Uint16Array(4096);
  /**
   * A slot's observations form a list (first observation per slot, next observation per
   * observation, each marked with its kind): most slots hold one value, so four index arrays per
   * slot would be three quarters NONE. Read them with `obsOf` or `observations`.
   */
  private slotFirstObs: Int32Array = new Int32Array(4096);
  /**
   * Slots are found per pupil: each pupil's slots are a list of runs of consecutive slots (a
   * pupil's rows come together, so a run is a pupil's slots of one stretch of the file: one or a
   * few per pupil, 12 bytes each, instead of a next-slot link per slot), and the current pupil's
   * slots sit in a direct table by (year, subject). A row usually finds its slot with one array
   * read, and no hash over millions of slots is needed.
   */
  private pupilLastRun: Int32Array = new Int32Array(1024).fill(-1);
  private runStart: Int32Array = new Int32Array(1024);
  private runEnd: Int32Array = new Int32Array(1024);
  /** The pupil's run before this one, or −1. */
  private runNext: Int32Array = new Int32Array(1024);
  private runCount = 0;
  private currentPupil = -1;
  private readonly recentSlot = new Int32Array(256 * 1024);
  private readonly recentStamp = new Int32Array(256 * 1024);
  private stamp = 0;

  /** Lookups, and slots walked refilling the recent table: how well the per-pupil lists suit this file. */
  private lookups = 0;
  private walked = 0;
  /**
   * Slots by (pupil, school year, subject) in an open-addressing table, made once rows stop coming
   * pupil by pupil (a file sorted by subject, or in no order): walking a pupil's list for every
   * row would cost tens of slots a row. An entry is (slot + 1) × 32 + 5 bits of the key's hash
   * (0: empty), so most probes need no look at the slot itself. The per-pupil lists are then let go.
   */
  private slotTable: Uint32Array | null = null;
  slotIndex(pupil: number, year: number, subject: number): number {
    if (this.slotTable !== null) return this.hashedSlot(pupil, year, subject);
    if ((++this.lookups & 0xffff) === 0 && this.walked > this.lookups * 4) {
      this.buildSlotTable();
      return this.hashedSlot(pupil, year, subject);
    }
    if (subject >= 1024) return this.slotIndexSlow(pupil, year, subject);
    if (pupil !== this.currentPupil) {
      this.currentPupil = pupil;
      // The stamps are Int32: start them again before they would wrap.
      if (++this.stamp === 0x7fffffff) {
        this.recentStamp.fill(0);
        this.stamp = 1;
      }
      for (let run = this.pupilLastRun[pupil] ?? -1; run >= 0; run = this.runNext[run] ?? -1) {
        const end = this.runEnd[run] ?? 0;
        for (let slot = this.runStart[run] ?? 0; slot < end; slot++) {
          this.walked++;
          const subjectOf = this.slotSubject[slot] ?? 0;
          if (subjectOf >= 1024) continue;
          const key = (this.slotYear[slot] ?? 0) * 1024 + subjectOf;
          this.recentSlot[key] = slot;
          this.recentStamp[key] = this.stamp;
        }
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
    for (let run = this.pupilLastRun[pupil] ?? -1; run >= 0; run = this.runNext[run] ?? -1) {
      const end = this.runEnd[run] ?? 0;
      for (let slot = this.runStart[run] ?? 0; slot < end; slot++) {
        this.walked++;
        if (this.slotYear[slot] === year && this.slotSubject[slot] === subject) return slot;
      }
    }
    return this.newSlot(pupil, year, subject);
  }

  private static slotHash(pupil: number, year: number, subject: number): number {
    let h = Math.imul(pupil, 0x9e3779b1) ^ Math.imul((year << 16) | subject, 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 13);
  }

  private hashedSlot(pupil: number, year: number, subject: number): number {
    const table = this.slotTable as Uint32Array;
    const mask = table.length - 1;
    const h = ResultStore.slotHash(pupil, year, subject);
    const tag = h >>> 27;
    let i = h & mask;
    for (;;) {
      const entry = table[i] ?? 0;
      if (entry === 0) break;
      if ((entry & 31) === tag) {
        const slot = (entry >>> 5) - 1;
        if (this.slotPupil[slot] === pupil && this.slotYear[slot] === year && this.slotSubject[slot] === subject) return slot;
      }
      i = (i + 1) & mask;
    }
    if (this.slotCount >= MAX_HASHED_SLOTS) throw new Error('more than 134 million pupil × school year × subject combinations');
    const slot = this.newSlot(pupil, year, subject);
    table[i] = (slot + 1) * 32 + tag;
    // At most 70 % full.
    if (this.slotCount * 10 > table.length * 7) this.fillSlotTable(table.length * 2);
    return slot;
  }

  /**
   * Switch to finding slots by hash: a table for every slot so far and as many as the rows still
   * expected (reserve) may add, at most 70 % full; the per-pupil lists let go.
   */
  private buildSlotTable(): void {
    const expected = Math.max(this.slotCount * 2, this.slotPupil.length);
    let size = 1 << 16;
    while (size * 7 < expected * 10) size *= 2;
    this.fillSlotTable(size);
    this.pupilLastRun = new Int32Array(0);
    this.runStart = new Int32Array(0);
    this.runEnd = new Int32Array(0);
    this.runNext = new Int32Array(0);
    this.runCount = 0;
    this.currentPupil = -1;
  }

  private fillSlotTable(size: number): void {
    if (this.slotCount >= MAX_HASHED_SLOTS) throw new Error('more than 134 million pupil × school year × subject combinations');
    const table = new Uint32Array(size);
    const mask = size - 1;
    for (let slot = 0; slot < this.slotCount; slot++) {
      const h = ResultStore.slotHash(this.slotPupil[slot] ?? 0, this.slotYear[slot] ?? 0, this.slotSubject[slot] ?? 0);
      let i = h & mask;
      while ((table[i] ?? 0) !== 0) i = (i + 1) & mask;
      table[i] = (slot + 1) * 32 + (h >>> 27);
    }
    this.slotTable = table;
  }

  /** Make room for about `rows` more observations (and as many slots) without regrowing. */
  reserve(rows: number): void {
    const obs = this.obsCount + rows;
    if (obs > this.obsValue.length) this.resizeObservations(obs);
    const slots = this.slotCount + rows;
    if (slots > this.slotPupil.length) this.resizeSlots(slots);
  }

  private resizeSlots(size: number): void {
    this.slotPupil = resized(this.slotPupil, size);
    this.slotYear = resized(this.slotYear, size);
    this.slotSubject = resized(this.slotSubject, size);
    this.slotFirstObs = resized(this.slotFirstObs, size);
  }

  private newSlot(pupil: number, year: number, subject: number): number {
    const index = this.slotCount++;
    if (index >= this.slotPupil.length) this.resizeSlots(this.slotPupil.length * 2);
    if (this.slotTable === null) {
      if (pupil >= this.pupilLastRun.length) {
        const runs = new Int32Array(Math.max(pupil + 1, this.pupilLastRun.length * 2)).fill(-1);
        runs.set(this.pupilLastRun);
        this.pupilLastRun = runs;
      }
      const last = this.pupilLastRun[pupil] ?? -1;
      // The pupil's latest run goes on if it ends just here (the slot before is theirs).
      if (last >= 0 && this.runEnd[last] === index) this.runEnd[last] = index + 1;
      else {
        const run = this.runCount++;
        if (run >= this.runStart.length) {
          const size = this.runStart.length * 2;
          this.runStart = resized(this.runStart, size);
          this.runEnd = resized(this.runEnd, size);
          this.runNext = resized(this.runNext, size);
        }
        this.runStart[run] = index;
        this.runEnd[run] = index + 1;
        this.runNext[run] = last;
        this.pupilLastRun[pupil] = run;
      }
    }
    this.slotPupil[index] = pupil;
    this.slotYear[index] = year;
    this.slotSubject[index] = subject;
    this.slotFirstObs[index] = NONE;
    return index;
  }

  // ── observations ──
  obsCount = 0;
  /** Grade kinds: step 0–5 or -1 streck; assessment: label index; CONFLICT when left out. */
  private obsValue: Int8Array = new Int8Array(4096);
  /** Kind (bits 0–1) and term (bits 2–3: 0 none, 1 HT, 2 VT). */
  private obsMeta: Uint8Array = new Uint8Array(4096);
  /** Context per observation: 16 bits until there are more than 65 536 contexts. */
  private obsCtx: Uint16Array | Int32Array = new Uint16Array(4096);
  /**
   * The slot's next observation (an earlier one: a slot's list starts with its newest), as the
   * distance back to it: 0 none. A slot's observations are usually a few rows apart (a pupil's
   * rows come together), so 16 bits hold it; a farther one (an export in no order) is kept whole
   * in `farNext` (the distance here is then −1).
   */
  private obsNextBack: Int16Array = new Int16Array(4096);
  private readonly farNext = new NumberIndex(1024);
  /**
   * Lines, kept small: observations are added in file order, so each one's line is the one
   * before's plus a small step (a byte). Every 64th observation keeps its whole line; a step that
   * does not fit a byte (255) is kept whole in `lineWhole`.
   */
  private lineStep: Uint8Array = new Uint8Array(4096);
  private lineBase: Int32Array = new Int32Array(64);
  private readonly lineWhole = new Map<number, number>();
  private previousLine = 0;
  /** Files by observation range: observation `fileStarts[i]` onwards came from file `fileIds[i]`. */
  private readonly fileStarts: number[] = [];
  private readonly fileIds: number[] = [];

  private resizeObservations(size: number): void {
    this.obsValue = resized(this.obsValue, size);
    this.obsMeta = resized(this.obsMeta, size);
    this.obsCtx = resized(this.obsCtx, size);
    this.obsNextBack = resized(this.obsNextBack, size);
    this.lineStep = resized(this.lineStep, size);
    const bases = (size >> 6) + 1;
    if (bases > this.lineBase.length) this.lineBase = resized(this.lineBase, bases);
  }

  /** A slot's pupil (index; `pupilId` gives the id). */
  pupilOf(slot: number): number {
    return this.slotPupil[slot] ?? 0;
  }

  /** A slot's school year (index in `yearStarts`). */
  yearOf(slot: number): number {
    return this.slotYear[slot] ?? 0;
  }

  /** The first calendar year of a slot's school year (2024 for 2024/25). */
  startYearOf(slot: number): number {
    return this.yearStarts[this.slotYear[slot] ?? 0] ?? 0;
  }

  /** A slot's subject (index in `subjects`). */
  subjectOf(slot: number): number {
    return this.slotSubject[slot] ?? 0;
  }

  /**
   * An observation's value: a grade kind's step 0–5 (F–A) or STRECK; an omdöme's label index (in
   * `labels`); CONFLICT when rows disagreed and it is left out.
   */
  valueOf(obs: number): number {
    return this.obsValue[obs] ?? 0;
  }

  /** The next (earlier) observation of the same slot, or NONE. */
  private nextObs(obs: number): number {
    const back = this.obsNextBack[obs] ?? 0;
    if (back > 0) return obs - back;
    return back === 0 ? NONE : this.farNext.get(obs);
  }

  /** The observation of `kind` in a slot, or NONE. */
  obsOf(kind: KindIndex, slot: number): number {
    let obs = this.slotFirstObs[slot] ?? NONE;
    while (obs !== NONE) {
      if (((this.obsMeta[obs] ?? 0) & 3) === kind) return obs;
      obs = this.nextObs(obs);
    }
    return NONE;
  }

  /** A slot's observation of each kind (indexed by kind), NONE where it has none. */
  observations(slot: number, out: Int32Array): Int32Array {
    out[0] = NONE;
    out[1] = NONE;
    out[2] = NONE;
    out[3] = NONE;
    let obs = this.slotFirstObs[slot] ?? NONE;
    while (obs !== NONE) {
      out[(this.obsMeta[obs] ?? 0) & 3] = obs;
      obs = this.nextObs(obs);
    }
    return out;
  }

  /** An observation's context. */
  ctxOf(obs: number): number {
    return this.obsCtx[obs] ?? 0;
  }

  /** An observation's term: 0 none, 1 HT, 2 VT. */
  termOf(obs: number): number {
    return (this.obsMeta[obs] ?? 0) >> 2;
  }

  /** The line an observation was read from. */
  lineOf(obs: number): number {
    let sum = 0;
    for (let i = obs; ; i--) {
      if ((i & 63) === 0) return (this.lineBase[i >> 6] ?? 0) + sum;
      const step = this.lineStep[i] ?? 0;
      if (step === 255) return (this.lineWhole.get(i) ?? 0) + sum;
      sum += step;
    }
  }

  /** The file (index in `files`) an observation was read from. */
  fileOf(obs: number): number {
    const starts = this.fileStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= obs) low = mid;
      else high = mid - 1;
    }
    return this.fileIds[low] ?? 0;
  }

  conflictKeys = 0;
  /** (file, line) of the first row of every conflict, once per row, to reclassify at the end. */
  readonly conflictFirsts: { file: number; line: number }[] = [];
  private readonly conflictRows = new Set<number>();

  /** Add a value of `kind` to a slot; returns what happened to it. */
  add(kind: KindIndex, slot: number, value: number, term: number, ctx: number, file: number, line: number): AddOutcome {
    const existing = this.obsOf(kind, slot);
    if (existing !== NONE) {
      const old = this.obsValue[existing] ?? 0;
      if (old !== CONFLICT && old === value) return 'duplicate';
      if (old !== CONFLICT) {
        this.obsValue[existing] = CONFLICT;
        this.conflictKeys++;
        const file0 = this.fileOf(existing);
        const line0 = this.lineOf(existing);
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
    if (index >= this.obsValue.length) this.resizeObservations(this.obsValue.length * 2);
    if (this.fileIds.length === 0 || this.fileIds[this.fileIds.length - 1] !== file) {
      this.fileStarts.push(index);
      this.fileIds.push(file);
    }
    if (ctx > 65535 && this.obsCtx instanceof Uint16Array) {
      const wide = new Int32Array(this.obsCtx.length);
      wide.set(this.obsCtx);
      this.obsCtx = wide;
    }
    this.obsValue[index] = value;
    this.obsMeta[index] = kind | (term << 2);
    this.obsCtx[index] = ctx;
    if ((index & 63) === 0) this.lineBase[index >> 6] = line;
    else {
      const step = line - this.previousLine;
      if (step >= 0 && step < 255) this.lineStep[index] = step;
      else {
        this.lineStep[index] = 255;
        this.lineWhole.set(index, line);
      }
    }
    this.previousLine = line;
    const head = this.slotFirstObs[slot] ?? NONE;
    if (head !== NONE) {
      const back = index - head;
      if (back < 32768) this.obsNextBack[index] = back;
      else {
        this.obsNextBack[index] = -1;
        this.farNext.set(index, head);
      }
    }
    this.slotFirstObs[slot] = index;
    return 'added';
  }

  // ── plain-object views (inspection and tests; the analyses use the arrays) ──
  private gradeView(obs: number): GradeObservation | undefined {
    if (obs === NONE) return undefined;
    const value = this.obsValue[obs] ?? 0;
    const term = this.termOf(obs);
    const conflict = value === CONFLICT;
    const step: StepOrNone = conflict || value < 0 ? -1 : (value as GradeStep);
    return { ...this.attributesOf(this.ctxOf(obs)), step, term: term === 1 ? 'HT' : term === 2 ? 'VT' : null, file: this.fileOf(obs), line: this.lineOf(obs), conflict };
  }

  private assessmentView(obs: number): AssessmentObservation | undefined {
    if (obs === NONE) return undefined;
    const value = this.obsValue[obs] ?? 0;
    const conflict = value === CONFLICT;
    const label = conflict ? { label: 'conflict', pass: null, step: null } : (this.labels[value] ?? { label: '?', pass: null, step: null });
    return { ...this.attributesOf(this.ctxOf(obs)), pass: label.pass, step: label.step, label: label.label, file: this.fileOf(obs), line: this.lineOf(obs), conflict };
  }

  slotView(slot: number): Slot {
    const startYear = this.yearStarts[this.slotYear[slot] ?? 0] ?? 0;
    const view: Slot = {
      pupil: this.pupilId(this.slotPupil[slot] ?? 0),
      schoolYear: `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`,
      startYear,
      subject: this.subjects[this.slotSubject[slot] ?? 0] ?? '',
    };
    const grade = this.gradeView(this.obsOf(KIND_GRADE, slot));
    const autumn = this.gradeView(this.obsOf(KIND_GRADE_AUTUMN, slot));
    const test = this.gradeView(this.obsOf(KIND_TEST, slot));
    const assessment = this.assessmentView(this.obsOf(KIND_ASSESSMENT, slot));
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
