/**
 * The transition analysis: each pupil's assessment in one grade level (default: the teacher's
 * omdöme in år 5) against the same pupil's result in a later grade level (default: the national
 * test in år 6, the next school year). Pure: slots in, plain figures out.
 */
import { GRADE_POINTS, isBackground, type BackgroundDimension, type Dimension, type Gender, type GradeStep } from '../types.js';
import type { Message } from '../messages.js';
import { NO_VALUE } from '../normalise/background.js';
import { NumberIndex } from '../read/byte-dict.js';
import { CONFLICT, KIND_ASSESSMENT, KIND_GRADE, KIND_GRADE_AUTUMN, KIND_TEST, NONE, type Attributes, type KindIndex, type ResultStore } from '../normalise/store.js';
import { schoolYearLabel, startYearOf } from '../normalise/school-year.js';
import {
  sortGroups,
  dimsOf,
  groupKeysOf,
  groupLevel,
  keyString,
  planGroups,
  resultsPerPupil,
  TRANSITION_PUPIL_STRATA,
  type GroupAttributes,
  type GroupKey,
  type GroupPlan,
  type KeyValue,
} from './groups.js';
import { backgroundLabel, MISSING_VALUE } from './pairs.js';
import { clopperPearsonInterval, mcnemarExact, meanConfidenceInterval, weightedKappa } from './stats.js';
import { adjustAcross, type FlagSummary } from './fairness.js';
import { applySuppression, type SuppressionMode, type SuppressionReason } from './suppression.js';

export type SideKind = 'assessment' | 'grade' | 'test';

export interface LinkOptions {
  fromLevel: number;
  toLevel: number;
  fromKind: SideKind;
  toKind: SideKind;
  /** Whose school and area a linked pupil counts under. */
  attributeTo: 'from' | 'to';
}

export const DEFAULT_TRANSITION_BY: readonly Dimension[] = ['area', 'school', 'subject'];

interface Side {
  /** null = missing (no omdöme, streck). */
  pass: boolean | null;
  /** A–F step where the side is on the A–F scale. */
  step: GradeStep | null;
  attributes: Attributes;
  schoolYear: string;
  startYear: number;
}

type LinkStatus = 'linked' | 'from_only' | 'to_only' | 'from_missing' | 'to_missing';

export interface TransitionRecord extends GroupAttributes {
  pupil: string;
  status: LinkStatus;
  /** School year of the --to result (for from_only: the year it was expected). */
  school_year: string;
  grade_level: number;
  fromPass: boolean | null;
  toPass: boolean | null;
  fromStep: GradeStep | null;
  toStep: GradeStep | null;
  /** True when the pupil's school differs between the two sides. */
  changedSchool: boolean;
}

export interface LinkCoverage {
  linked: number;
  from_only: number;
  to_only: number;
  from_missing: number;
  to_missing: number;
  changed_school: number;
  unknown_grade_level: number;
  /** Omdömen with no grade level from any source, placed at --from (omdömen exist only up to år 5). */
  assessment_level_assumed: number;
  conflict_left_out: number;
  /** From-results whose later school year is not in the data at all, and to-results whose earlier one is not. */
  outside_years: number;
}

const KIND_OF_SIDE: Readonly<Record<SideKind, KindIndex>> = { assessment: KIND_ASSESSMENT, grade: KIND_GRADE, test: KIND_TEST };

/** Per-context attributes and per-year labels, made once each (a run links hundreds of thousands of sides). */
class SideCache {
  private readonly attributes: (Attributes | undefined)[] = [];
  private readonly labels = new Map<number, string>();
  constructor(readonly store: ResultStore) {}
  attributesOf(ctx: number): Attributes {
    let attributes = this.attributes[ctx];
    if (!attributes) this.attributes[ctx] = attributes = this.store.attributesOf(ctx);
    return attributes;
  }
  label(startYear: number): string {
    let label = this.labels.get(startYear);
    if (label === undefined) this.labels.set(startYear, (label = schoolYearLabel(startYear)));
    return label;
  }
}

function sideOf(cache: SideCache, slot: number, obs: number, kind: SideKind): Side {
  const store = cache.store;
  const startYear = store.startYearOf(slot);
  const attributes = cache.attributesOf(store.ctxOf(obs));
  const schoolYear = cache.label(startYear);
  const pass = passOf(store, obs, kind);
  const step = stepOf(store, obs, kind);
  return { pass: pass < 0 ? null : pass === 1, step: step < 0 ? null : (step as GradeStep), attributes, schoolYear, startYear };
}

/** A side's pass/fail: 1 pass, 0 fail, −1 missing (no omdöme, streck). */
function passOf(store: ResultStore, obs: number, kind: SideKind): number {
  const value = store.valueOf(obs);
  if (kind === 'assessment') {
    const pass = store.labels[value]?.pass ?? null;
    return pass === null ? -1 : pass ? 1 : 0;
  }
  return value < 0 ? -1 : value >= 1 ? 1 : 0;
}

/** A side's A–F step (F = 0 … A = 5), or −1 where it has none. */
function stepOf(store: ResultStore, obs: number, kind: SideKind): number {
  const value = store.valueOf(obs);
  if (kind === 'assessment') return store.labels[value]?.step ?? -1;
  return value >= 0 ? value : -1;
}

/**
 * One link as the walk finds it: the two sides' slots and observations (−1 for a side that is
 * absent: the to side of from_only, the from side of to_only).
 */
type LinkVisitor = (status: LinkStatus, fromSlot: number, fromObs: number, toSlot: number, toObs: number, changedSchool: boolean) => void;

function emptyCoverage(): LinkCoverage {
  return { linked: 0, from_only: 0, to_only: 0, from_missing: 0, to_missing: 0, changed_school: 0, unknown_grade_level: 0, assessment_level_assumed: 0, conflict_left_out: 0, outside_years: 0 };
}

/**
 * Link every `--from` result to the same pupil's `--to` result (same subject, school year
 * `to − from` years later), on the store's arrays: `visit` is called once per link, first for
 * every --from result in slot order, then for every --to result nothing linked to (to_only), in
 * slot order. Returns the coverage.
 */
function walkLinks(store: ResultStore, options: LinkOptions, visit: LinkVisitor): LinkCoverage {
  const coverage = emptyCoverage();
  const gap = options.toLevel - options.fromLevel;
  const fromSlots: number[] = [];
  const fromObs: number[] = [];
  const toSlots: number[] = [];
  const toObs: number[] = [];
  const toIndex = new NumberIndex(1024);
  const toKey = (pupil: number, subject: number, startYear: number) => (pupil * 4096 + subject) * 4096 + (startYear - 1900);
  const yearOf = (slot: number) => store.startYearOf(slot);
  const fromYears = new Set<number>();
  const toYears = new Set<number>();
  /** A side's observation in a slot (not NONE): kept for linking, or counted as left out. */
  const take = (slot: number, obs: number, kind: SideKind, level: number, isFrom: boolean): void => {
    if (store.valueOf(obs) === CONFLICT) {
      if (isFrom || options.toKind !== options.fromKind) coverage.conflict_left_out++;
      return;
    }
    let obsLevel = store.ctxLevel[store.ctxOf(obs)] ?? -1;
    if (obsLevel < 0 && isFrom && kind === 'assessment' && level <= 5) {
      // An omdöme with no grade level from any source (column, class, file name, config):
      // omdömen are given only up to år 5, so it is placed at --from, and counted.
      obsLevel = level;
      coverage.assessment_level_assumed++;
    }
    if (obsLevel < 0) {
      if (isFrom) coverage.unknown_grade_level++;
      return;
    }
    if (obsLevel !== level) return;
    if (isFrom) {
      fromSlots.push(slot);
      fromObs.push(obs);
      fromYears.add(yearOf(slot));
    } else {
      // One slot per pupil × school year × subject, so no key is set twice.
      toIndex.set(toKey(store.pupilOf(slot), store.subjectOf(slot), yearOf(slot)), toSlots.length);
      toSlots.push(slot);
      toObs.push(obs);
      toYears.add(yearOf(slot));
    }
  };
  // Each side's observations (a teacher grade: the spring one, else the autumn one), read
  // from the store's lists: most slots have none of the kinds a side uses.
  const fromMain = KIND_OF_SIDE[options.fromKind];
  const fromAutumn = options.fromKind === 'grade';
  const toMain = KIND_OF_SIDE[options.toKind];
  const toAutumn = options.toKind === 'grade';
  const obs = new Int32Array(4);
  for (let slot = 0; slot < store.slotCount; slot++) {
    store.observations(slot, obs);
    let from = obs[fromMain] ?? NONE;
    if (from === NONE && fromAutumn) from = obs[KIND_GRADE_AUTUMN] ?? NONE;
    if (from !== NONE) take(slot, from, options.fromKind, options.fromLevel, true);
    let to = obs[toMain] ?? NONE;
    if (to === NONE && toAutumn) to = obs[KIND_GRADE_AUTUMN] ?? NONE;
    if (to !== NONE) take(slot, to, options.toKind, options.toLevel, false);
  }

  // Only cohorts the data covers at both ends: an år 5 class of the latest year has no år 6 yet,
  // and an år 6 class of the first year had its år 5 before the exports begin. Neither moved.
  const used = new Uint8Array(toSlots.length);
  for (let i = 0; i < fromSlots.length; i++) {
    const slot = fromSlots[i] ?? 0;
    const obs = fromObs[i] ?? 0;
    const startYear = yearOf(slot);
    if (!toYears.has(startYear + gap)) {
      coverage.outside_years++;
      continue;
    }
    const target = toIndex.get(toKey(store.pupilOf(slot), store.subjectOf(slot), startYear + gap));
    if (target < 0) {
      coverage.from_only++;
      visit('from_only', slot, obs, -1, NONE, false);
      continue;
    }
    used[target] = 1;
    const toSlot = toSlots[target] ?? 0;
    const to = toObs[target] ?? 0;
    const status: LinkStatus = passOf(store, obs, options.fromKind) < 0 ? 'from_missing' : passOf(store, to, options.toKind) < 0 ? 'to_missing' : 'linked';
    coverage[status]++;
    // Schools compared by their interned name: equal ids, equal names.
    const changedSchool = store.ctxSchool[store.ctxOf(obs)] !== store.ctxSchool[store.ctxOf(to)];
    if (changedSchool) coverage.changed_school++;
    visit(status, slot, obs, toSlot, to, changedSchool);
  }
  for (let i = 0; i < toSlots.length; i++) {
    if (used[i] === 1) continue;
    const slot = toSlots[i] ?? 0;
    if (!fromYears.has(yearOf(slot) - gap)) {
      coverage.outside_years++;
      continue;
    }
    coverage.to_only++;
    visit('to_only', -1, NONE, slot, toObs[i] ?? 0, false);
  }
  return coverage;
}

/** The background dimensions asked for that the store read, with their index in its table. */
function wantedBackground(store: ResultStore, background: readonly BackgroundDimension[]): { key: BackgroundDimension; index: number }[] {
  const table = store.background;
  return table ? table.specs.flatMap((spec, index) => (background.includes(spec.key) ? [{ key: spec.key, index }] : [])) : [];
}

/**
 * A link's background values: from the school year of the side the pupil is counted under
 * (`counted`), or, where that year has none, the other side's (`other`, −1 for none).
 */
function backgroundValues(store: ResultStore, wanted: readonly { index: number }[], pupil: number, counted: number, other: number): number[] {
  const table = store.background;
  return wanted.map(({ index }) => {
    let value = table ? table.valueOf(index, pupil, store.yearOf(counted)) : NO_VALUE;
    if (value === NO_VALUE && other >= 0 && table) value = table.valueOf(index, pupil, store.yearOf(other));
    return value;
  });
}

/** Builds the per-pupil record of a link (plain objects: for report's school sheets, cases and tests). */
function recordMaker(store: ResultStore, options: LinkOptions, genderOf: (pupil: number) => Gender | null, background: readonly BackgroundDimension[]): (status: LinkStatus, fromSlot: number, fromObs: number, toSlot: number, toObs: number, changedSchool: boolean) => TransitionRecord {
  const gap = options.toLevel - options.fromLevel;
  const cache = new SideCache(store);
  const wanted = wantedBackground(store, background);
  const pupilIds = new Map<number, string>();
  const pupilId = (pupil: number) => {
    let id = pupilIds.get(pupil);
    if (id === undefined) pupilIds.set(pupil, (id = store.pupilId(pupil)));
    return id;
  };
  return (status, fromSlot, fromObs, toSlot, toObs, changedSchool) => {
    const from = fromSlot >= 0 ? sideOf(cache, fromSlot, fromObs, options.fromKind) : null;
    const to = toSlot >= 0 ? sideOf(cache, toSlot, toObs, options.toKind) : null;
    const slot = from ? fromSlot : toSlot;
    const pupil = store.pupilOf(slot);
    const place = (options.attributeTo === 'to' || !from) && to ? to.attributes : (from?.attributes ?? EMPTY_ATTRIBUTES);
    const schoolYear = to?.schoolYear ?? schoolYearLabel((from?.startYear ?? 0) + gap);
    const record = makeRecord(pupilId(pupil), store.subjects[store.subjectOf(slot)] ?? '', status, schoolYear, options.toLevel, place, from, to, changedSchool, genderOf(pupil));
    const table = store.background;
    if (wanted.length === 0 || !table) return record;
    const counted = options.attributeTo === 'to' && toSlot >= 0 ? toSlot : fromSlot >= 0 ? fromSlot : toSlot;
    const other = counted === fromSlot ? toSlot : fromSlot;
    const values = backgroundValues(store, wanted, pupil, counted, other);
    wanted.forEach(({ key }, i) => ((record as Record<BackgroundDimension, string>)[key] = backgroundLabel(table, values[i] ?? NO_VALUE)));
    return record;
  };
}

const EMPTY_ATTRIBUTES: Attributes = { school: null, area: null, class: null, teacher: null, gradeLevel: null };

/**
 * Link every `--from` result to the same pupil's `--to` result (same subject, school year
 * `to − from` years later), one record per link. `genderOf` resolves a pupil's gender by pupil
 * index. `background`: background dimensions to give each record, from the school year of the
 * side the pupil is counted under (--attribute-to), or, where that year has no value, the other
 * side's year. The transition command itself aggregates with `linkTransitionCells` instead.
 */
export function linkTransition(
  store: ResultStore,
  options: LinkOptions,
  genderOf: (pupil: number) => Gender | null,
  background: readonly BackgroundDimension[] = [],
): { records: TransitionRecord[]; coverage: LinkCoverage } {
  const records: TransitionRecord[] = [];
  const make = recordMaker(store, options, genderOf, background);
  const coverage = walkLinks(store, options, (...link) => records.push(make(...link)));
  return { records, coverage };
}

/** Pupils who share every group attribute a run needs, with their counts (see Accumulator). */
export interface TransitionCell {
  dims: Record<Dimension, KeyValue>;
  acc: Accumulator;
}

/** Dimensions a cell can leave out when the run does not group by them. */
const OPTIONAL_DIMENSIONS = ['class', 'teacher', 'gender'] as const;

/**
 * The same links as `linkTransition`, counted straight into cells on the store's arrays, with
 * no object per pupil: what the transition command needs when it has the store. `needed`: the
 * dimensions the run groups by (class, teacher and gender are left out of the cells otherwise;
 * background dimensions among them are given to the cells). `cases`: also return the records of
 * linked pupils whose pass/fail changed (--list-cases).
 * The cells come in the order of each one's first link, so the groups that come of them are in
 * the order `analyseTransition` would find them in the records.
 */
export function linkTransitionCells(
  store: ResultStore,
  options: LinkOptions,
  genderOf: (pupil: number) => Gender | null,
  needed: readonly Dimension[],
  cases = false,
): { cells: TransitionCell[]; coverage: LinkCoverage; cases: TransitionRecord[] | null } {
  const gap = options.toLevel - options.fromLevel;
  const background = needed.filter(isBackground);
  const wanted = wantedBackground(store, background);
  const withClass = needed.includes('class');
  const withTeacher = needed.includes('teacher');
  const withGender = needed.includes('gender');
  // Contexts equal in school, area and (where needed) class and teacher share one cell.
  const representative = new Int32Array(store.ctxSchool.length).fill(-1);
  const byPlace = new Map<string, number>();
  const placeOf = (ctx: number): number => {
    let rep = representative[ctx] ?? -1;
    if (rep < 0) {
      const key = `${store.ctxSchool[ctx]},${store.ctxArea[ctx]},${withClass ? store.ctxClass[ctx] : -1},${withTeacher ? store.ctxTeacher[ctx] : -1}`;
      rep = byPlace.get(key) ?? ctx;
      byPlace.set(key, rep);
      representative[ctx] = rep;
    }
    return rep;
  };
  const genderCode = (pupil: number) => {
    if (!withGender) return 0;
    const gender = genderOf(pupil);
    return gender === 'girl' ? 1 : gender === 'boy' ? 2 : 3;
  };
  // Background values as one combination id (pupils share a handful), one cell index per combination.
  const combos = new Map<string, number>();
  const comboLabels: string[][] = [];
  const comboOf = (pupil: number, counted: number, other: number): number => {
    const values = backgroundValues(store, wanted, pupil, counted, other);
    const key = values.join(',');
    let combo = combos.get(key);
    if (combo === undefined) {
      combo = comboLabels.length;
      combos.set(key, combo);
      const table = store.background;
      comboLabels.push(values.map((value) => (table ? backgroundLabel(table, value) : MISSING_VALUE)));
    }
    return combo;
  };
  const cellIndexes: NumberIndex[] = [];
  const cells: TransitionCell[] = [];
  const yearLabels = new Map<number, string>();
  const labelOf = (startYear: number) => {
    let label = yearLabels.get(startYear);
    if (label === undefined) yearLabels.set(startYear, (label = schoolYearLabel(startYear)));
    return label;
  };
  const caseRecords: TransitionRecord[] = [];
  const make = cases ? recordMaker(store, options, genderOf, background) : null;

  const coverage = walkLinks(store, options, (status, fromSlot, fromObs, toSlot, toObs, changedSchool) => {
    const slot = fromSlot >= 0 ? fromSlot : toSlot;
    const pupil = store.pupilOf(slot);
    const subject = store.subjectOf(slot);
    // The later side's school year; for from_only the year it was expected.
    const startYear = toSlot >= 0 ? (store.startYearOf(toSlot)) : (store.startYearOf(fromSlot)) + gap;
    const countedTo = toSlot >= 0 && (options.attributeTo === 'to' || fromSlot < 0);
    const ctx = store.ctxOf(countedTo ? toObs : fromObs);
    const place = placeOf(ctx);
    const combo = wanted.length > 0 ? comboOf(pupil, countedTo ? toSlot : fromSlot, countedTo ? fromSlot : toSlot) : 0;
    let index = cellIndexes[combo];
    if (!index) cellIndexes[combo] = index = new NumberIndex(1024);
    const cellKey = ((place * 4096 + (startYear - 1900)) * 4096 + subject) * 4 + genderCode(pupil);
    let cellAt = index.get(cellKey);
    if (cellAt < 0) {
      cellAt = cells.length;
      index.set(cellKey, cellAt);
      const attributes = store.attributesOf(ctx);
      const gender = genderOf(pupil);
      const dims: Record<Dimension, KeyValue> = {
        school_year: labelOf(startYear),
        grade_level: options.toLevel,
        area: attributes.area ?? MISSING_VALUE,
        school: attributes.school ?? MISSING_VALUE,
        class: attributes.class ?? MISSING_VALUE,
        subject: store.subjects[subject] ?? '',
        gender: gender ?? MISSING_VALUE,
        teacher: attributes.teacher ?? MISSING_VALUE,
      };
      for (const dim of OPTIONAL_DIMENSIONS) if (!needed.includes(dim)) dims[dim] = null;
      wanted.forEach(({ key }, i) => (dims[key] = comboLabels[combo]?.[i] ?? MISSING_VALUE));
      cells.push({ dims, acc: emptyAccumulator({}) });
    }
    const acc = (cells[cellAt] as TransitionCell).acc;
    switch (status) {
      case 'from_only':
        acc.fromOnly++;
        return;
      case 'to_only':
        acc.toOnly++;
        return;
      case 'from_missing':
        acc.fromMissing++;
        return;
      case 'to_missing':
        acc.toMissing++;
        return;
      case 'linked': {
        const fromPass = passOf(store, fromObs, options.fromKind) === 1;
        const toPass = passOf(store, toObs, options.toKind) === 1;
        countLinked(acc, fromPass, toPass, stepOf(store, fromObs, options.fromKind), stepOf(store, toObs, options.toKind));
        if (make && fromPass !== toPass) caseRecords.push(make(status, fromSlot, fromObs, toSlot, toObs, changedSchool));
      }
    }
  });
  return { cells, coverage, cases: make ? caseRecords : null };
}

function makeRecord(
  pupil: string,
  subject: string,
  status: LinkStatus,
  schoolYear: string,
  level: number,
  place: Attributes,
  from: Side | null,
  to: Side | null,
  changedSchool: boolean,
  gender: Gender | null,
): TransitionRecord {
  return {
    pupil,
    status,
    school_year: schoolYear,
    grade_level: level,
    area: place.area ?? MISSING_VALUE,
    school: place.school ?? MISSING_VALUE,
    class: place.class ?? MISSING_VALUE,
    subject,
    gender: gender ?? MISSING_VALUE,
    teacher: place.teacher ?? MISSING_VALUE,
    fromPass: from?.pass ?? null,
    toPass: to?.pass ?? null,
    fromStep: from?.step ?? null,
    toStep: to?.step ?? null,
    changedSchool,
  };
}

/**
 * One cohort (årskull) of a transition run: pupils in `from_level` in `from_school_year` followed
 * to `to_level` in `to_school_year`. Without school_year in --by, a run pools every cohort.
 */
export interface TransitionCohort {
  from_school_year: string;
  to_school_year: string;
  from_level: number;
  to_level: number;
  /**
   * Linked pupil–subjects (status linked, the n of the analysis). null for every cohort when any
   * cohort has fewer than min_group: the cohorts add up to the total in meta.coverage, so hiding
   * only the small one would not hide it.
   */
  linked: number | null;
}

/** The cohort whose later side is in `toSchoolYear` ("2024/25"). */
export function cohortFor(toSchoolYear: string, fromLevel: number, toLevel: number): Omit<TransitionCohort, 'linked'> {
  return {
    from_school_year: schoolYearLabel(startYearOf(toSchoolYear) - (toLevel - fromLevel)),
    to_school_year: toSchoolYear,
    from_level: fromLevel,
    to_level: toLevel,
  };
}

/** The cohorts the linked pupils come from, oldest first (cells carry the later side's school year). */
export function transitionCohorts(cells: readonly TransitionCell[], link: Pick<LinkOptions, 'fromLevel' | 'toLevel'>, minGroup: number): TransitionCohort[] {
  const linked = new Map<string, number>();
  for (const { dims, acc } of cells) {
    const year = String(dims.school_year);
    linked.set(year, (linked.get(year) ?? 0) + acc.a + acc.b + acc.c + acc.d);
  }
  const years = [...linked.keys()].sort();
  const hide = years.some((year) => (linked.get(year) ?? 0) < minGroup);
  return years.map((year) => ({ ...cohortFor(year, link.fromLevel, link.toLevel), linked: hide ? null : (linked.get(year) ?? 0) }));
}

/** A linked pupil whose pass/fail changed between the years (for follow-up, --list-cases). */
export interface TransitionCase {
  pupil: string;
  school_year: string;
  area: string;
  school: string;
  class: string;
  subject: string;
  from: 'pass' | 'fail';
  to: 'pass' | 'fail';
  changed_school: boolean;
}

export function listTransitionCases(records: readonly TransitionRecord[]): TransitionCase[] {
  const cases: TransitionCase[] = [];
  for (const record of records) {
    if (record.status !== 'linked' || record.fromPass === record.toPass) continue;
    cases.push({
      pupil: record.pupil,
      school_year: record.school_year,
      area: record.area,
      school: record.school,
      class: record.class,
      subject: record.subject,
      from: record.fromPass ? 'pass' : 'fail',
      to: record.toPass ? 'pass' : 'fail',
      changed_school: record.changedSchool,
    });
  }
  const collator = new Intl.Collator('sv', { numeric: true });
  const order = ['school_year', 'area', 'school', 'class', 'subject', 'pupil'] as const;
  return cases.sort((a, b) => {
    for (const field of order) {
      const c = collator.compare(a[field], b[field]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

export interface TransitionOptions {
  by: readonly Dimension[];
  /** What each background dimension in `by` is called (tables, --excel). */
  names?: ReadonlyMap<BackgroundDimension, Message>;
  minGroup: number;
  alpha: number;
  /** `small_groups_only`: no complementary hiding (internal use, never for publication). Default `full`. */
  suppression?: SuppressionMode;
}

type Verdict = 'strict' | 'generous' | 'in_line';

export interface TransitionFigures {
  /**
   * Pupils with only the earlier or only the later result, and linked pupils missing one. Null with
   * background dimensions in the plan: a background group with no linked pupil has no row and is
   * never hidden, so its unlinked pupils, counted in its parent's row, would give away a background
   * value (as gap's n_grade_only).
   */
  n_from_only: number | null;
  n_to_only: number | null;
  n_from_missing: number | null;
  n_to_missing: number | null;
  share_pass_from: number;
  share_pass_to: number;
  /** share_pass_from − share_pass_to, a fraction (× 100 = percentage points). */
  diff_pp: number;
  diff_ci_low: number;
  diff_ci_high: number;
  /**
   * Unconditional standard error of diff_pp (Agresti & Min 2005: ½ added to each cell), for
   * comparing years (trend, --compare-with); the interval above is conditional on the pupils who
   * crossed the bar and made to agree with the verdict.
   */
  diff_se: number;
  pass_pass: number;
  pass_fail: number;
  fail_pass: number;
  fail_fail: number;
  share_pass_pass: number;
  share_pass_fail: number;
  share_fail_pass: number;
  share_fail_fail: number;
  /** McNemar's exact test on the discordant pairs. */
  p_value: number;
  /** p_value adjusted by Benjamini–Hochberg across the groups below the total (null on the total). */
  p_adj: number | null;
  /** strict / generous when p_value < α (the interval diff_ci_low … diff_ci_high then leaves out 0). */
  verdict: Verdict;
  /** Where both sides are A–F for every linked pupil: grade points, from − to. */
  mean_diff: number | null;
  mean_diff_ci_low: number | null;
  mean_diff_ci_high: number | null;
  kappa_w: number | null;
}

export interface TransitionGroup {
  key: GroupKey;
  level: Dimension | 'total';
  n: number;
  /** Linked pupils. Hidden groups show nothing, their moved-away/moved-in counts included. */
  suppressed: SuppressionReason | null;
  figures: TransitionFigures | null;
}

export interface TransitionResult {
  plan: GroupPlan;
  options: TransitionOptions;
  groups: TransitionGroup[];
  /** Verdicts other than in_line below the total, and how many survive Benjamini–Hochberg. */
  comparisons: { verdicts: FlagSummary };
}

interface Accumulator {
  key: GroupKey;
  a: number;
  b: number;
  c: number;
  d: number;
  fromOnly: number;
  toOnly: number;
  fromMissing: number;
  toMissing: number;
  /** Steps on both sides: 6×6 counts, from × to. */
  steps: Float64Array;
  stepped: number;
}


function emptyAccumulator(key: GroupKey): Accumulator {
  return { key, a: 0, b: 0, c: 0, d: 0, fromOnly: 0, toOnly: 0, fromMissing: 0, toMissing: 0, steps: new Float64Array(36), stepped: 0 };
}

function merge(into: Accumulator, from: Accumulator): void {
  into.a += from.a;
  into.b += from.b;
  into.c += from.c;
  into.d += from.d;
  into.fromOnly += from.fromOnly;
  into.toOnly += from.toOnly;
  into.fromMissing += from.fromMissing;
  into.toMissing += from.toMissing;
  into.stepped += from.stepped;
  for (let i = 0; i < 36; i++) into.steps[i]! += from.steps[i] ?? 0;
}

/** Counts one linked pupil: the 2×2 pass/fail cell and, where both sides are A–F (steps ≥ 0), the 6×6 steps. */
function countLinked(acc: Accumulator, fromPass: boolean, toPass: boolean, fromStep: number, toStep: number): void {
  if (fromPass) {
    if (toPass) acc.a++;
    else acc.b++;
  } else if (toPass) acc.c++;
  else acc.d++;
  if (fromStep >= 0 && toStep >= 0) {
    acc.steps[fromStep * 6 + toStep]! += 1;
    acc.stepped++;
  }
}

/**
 * Cells of records sharing every attribute (the background ones given), in the order of each
 * one's first record: what `linkTransitionCells` makes from the store, here from plain records.
 * @internal (also used by tests)
 */
export function transitionCells(records: readonly TransitionRecord[], background: readonly BackgroundDimension[] = []): TransitionCell[] {
  const cells = new Map<string, TransitionCell>();
  for (const record of records) {
    let cellKey = `${record.school_year}\u0001${record.grade_level}\u0001${record.area}\u0001${record.school}\u0001${record.class}\u0001${record.subject}\u0001${record.gender}\u0001${record.teacher}`;
    for (const dim of background) cellKey += `\u0001${record[dim] ?? ''}`;
    let cell = cells.get(cellKey);
    if (!cell) cells.set(cellKey, (cell = { dims: dimsOf(record, background), acc: emptyAccumulator({}) }));
    const acc = cell.acc;
    switch (record.status) {
      case 'from_only':
        acc.fromOnly++;
        break;
      case 'to_only':
        acc.toOnly++;
        break;
      case 'from_missing':
        acc.fromMissing++;
        break;
      case 'to_missing':
        acc.toMissing++;
        break;
      case 'linked':
        countLinked(acc, record.fromPass === true, record.toPass === true, record.fromStep ?? -1, record.toStep ?? -1);
    }
  }
  return [...cells.values()];
}

export function analyseTransition(records: readonly TransitionRecord[], options: TransitionOptions): TransitionResult {
  return analyseTransitionCells(transitionCells(records, planGroups(options.by, options.names).background), options);
}

/** The analysis from cells (`linkTransitionCells`, or `transitionCells` of records). */
export function analyseTransitionCells(cells: readonly TransitionCell[], options: TransitionOptions): TransitionResult {
  const plan = planGroups(options.by, options.names);
  // The cells into groups: far fewer group-key computations than one per pupil.
  const accumulators = new Map<string, Accumulator>();
  for (const { dims: cellDims, acc: cellAcc } of cells) {
    for (const key of groupKeysOf(plan, cellDims)) {
      const id = keyString(plan, key);
      let acc = accumulators.get(id);
      if (!acc) accumulators.set(id, (acc = emptyAccumulator(key)));
      merge(acc, cellAcc);
    }
  }
  const n = (acc: Accumulator) => acc.a + acc.b + acc.c + acc.d;
  const suppression = applySuppression(
    plan,
    [...accumulators.values()].map((acc) => ({ id: keyString(plan, acc.key), key: acc.key, n: n(acc) })),
    options.minGroup * resultsPerPupil(plan, cells, TRANSITION_PUPIL_STRATA),
    options.suppression ?? 'full',
  );
  const groups: TransitionGroup[] = [];
  for (const [id, acc] of accumulators) {
    // No linked pupil (e.g. a 6–9 school's år 6 pupils without år 5 results): nothing to show or
    // protect, so no row (suppression.ts); its moved-in and missing counts stay in its totals.
    if (n(acc) === 0) continue;
    const suppressed = suppression.get(id) ?? null;
    groups.push({
      key: acc.key,
      level: groupLevel(plan, acc.key),
      n: n(acc),
      suppressed,
      figures: suppressed ? null : figuresOf(acc, options.alpha, plan.background.length > 0),
    });
  }
  const verdicts = adjustAcross(
    groups.filter((g) => g.level !== 'total'),
    (g) => g.figures?.p_value ?? null,
    (g, p) => {
      if (g.figures) g.figures.p_adj = p;
    },
    options.alpha,
  );
  return { plan, options, groups: sortGroups(plan, groups), comparisons: { verdicts } };
}

/**
 * The interval of diff_pp that inverts the same exact McNemar test as the verdict. Given the m =
 * b + c pupils on opposite sides of the pass bar in the two years, b ~ Bin(m, π), and diff_pp =
 * (b − c) / n = m (2π̂ − 1) / n. The Clopper–Pearson interval for π at level 1 − α is exactly the
 * set of π₀ the doubled-tail exact test does not reject, so the transformed interval
 * m (2π − 1) / n leaves out 0 exactly when p < α: the verdict and its interval always agree. It is
 * conditional on m; with no pupil on opposite sides (m = 0) diff_pp is 0 and so is its interval.
 */
function discordantDifferenceInterval(b: number, c: number, n: number, level: number): { diff: number; low: number; high: number } {
  const m = b + c;
  const diff = (b - c) / n;
  if (m === 0) return { diff, low: 0, high: 0 };
  const pi = clopperPearsonInterval(b, m, level);
  return { diff, low: (m * (2 * pi.low - 1)) / n, high: (m * (2 * pi.high - 1)) / n };
}

/** se of (b − c) / n with ½ added to every cell (Agresti & Min 2005, Biometrics 61:515–523). */
function pairedDifferenceSe(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d + 2;
  const bb = b + 0.5;
  const cc = c + 0.5;
  return Math.sqrt(bb + cc - (bb - cc) ** 2 / n) / n;
}

/** `unlinkedHidden`: background dimensions in the plan, so the unlinked counts are null (TransitionFigures). */
function figuresOf(acc: Accumulator, alpha: number, unlinkedHidden: boolean): TransitionFigures {
  const { a, b, c, d } = acc;
  const n = a + b + c + d;
  const ci = discordantDifferenceInterval(b, c, n, 1 - alpha);
  const p = mcnemarExact(b, c);
  const verdict: Verdict = p < alpha ? (b < c ? 'strict' : 'generous') : 'in_line';
  let meanDiff: number | null = null;
  let meanLow: number | null = null;
  let meanHigh: number | null = null;
  let kappa: number | null = null;
  if (acc.stepped === n) {
    let sum = 0;
    for (let f = 0; f < 6; f++) for (let t = 0; t < 6; t++) sum += (acc.steps[f * 6 + t] ?? 0) * ((GRADE_POINTS[f] ?? 0) - (GRADE_POINTS[t] ?? 0));
    const mean = sum / n;
    let squares = 0;
    for (let f = 0; f < 6; f++) {
      for (let t = 0; t < 6; t++) {
        const dev = (GRADE_POINTS[f] ?? 0) - (GRADE_POINTS[t] ?? 0) - mean;
        squares += (acc.steps[f * 6 + t] ?? 0) * dev * dev;
      }
    }
    const interval = n >= 2 ? meanConfidenceInterval(n, mean, Math.sqrt(squares / (n - 1))) : { low: NaN, high: NaN };
    meanDiff = mean;
    meanLow = Number.isFinite(interval.low) ? interval.low : null;
    meanHigh = Number.isFinite(interval.high) ? interval.high : null;
    const rows: number[][] = [];
    for (let f = 0; f < 6; f++) rows.push(Array.from({ length: 6 }, (_, t) => acc.steps[f * 6 + t] ?? 0));
    const k = weightedKappa(rows, 'quadratic');
    kappa = Number.isFinite(k) ? k : null;
  }
  return {
    n_from_only: unlinkedHidden ? null : acc.fromOnly,
    n_to_only: unlinkedHidden ? null : acc.toOnly,
    n_from_missing: unlinkedHidden ? null : acc.fromMissing,
    n_to_missing: unlinkedHidden ? null : acc.toMissing,
    share_pass_from: (a + b) / n,
    share_pass_to: (a + c) / n,
    diff_pp: ci.diff,
    diff_ci_low: ci.low,
    diff_ci_high: ci.high,
    diff_se: pairedDifferenceSe(a, b, c, d),
    pass_pass: a,
    pass_fail: b,
    fail_pass: c,
    fail_fail: d,
    share_pass_pass: a / n,
    share_pass_fail: b / n,
    share_fail_pass: c / n,
    share_fail_fail: d / n,
    p_value: p,
    p_adj: null,
    verdict,
    mean_diff: meanDiff,
    mean_diff_ci_low: meanLow,
    mean_diff_ci_high: meanHigh,
    kappa_w: kappa,
  };
}
