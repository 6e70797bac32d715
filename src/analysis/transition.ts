/**
 * The transition analysis: each pupil's assessment in one grade level (default: the teacher's
 * omdöme in år 5) against the same pupil's result in a later grade level (default: the national
 * test in år 6, the next school year). Pure: slots in, plain figures out.
 */
import { GRADE_POINTS, type Dimension, type Gender, type GradeStep } from '../types.js';
import type { Attributes, Slot } from '../normalise/store.js';
import { schoolYearLabel } from '../normalise/school-year.js';
import {
  compareKeys,
  groupKeysOf,
  groupLevel,
  keyString,
  planGroups,
  type GroupKey,
  type GroupPlan,
  type KeyValue,
} from './groups.js';
import { MISSING_VALUE } from './pairs.js';
import { mcnemarExact, meanConfidenceInterval, pairedProportionDifferenceCI, weightedKappa } from './stats.js';
import { applySuppression, type SuppressionReason } from './suppression.js';

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

export type LinkStatus = 'linked' | 'from_only' | 'to_only' | 'from_missing' | 'to_missing';

export interface TransitionRecord {
  pupil: string;
  status: LinkStatus;
  /** School year of the --to result (for from_only: the year it was expected). */
  school_year: string;
  grade_level: number;
  area: string;
  school: string;
  class: string;
  subject: string;
  gender: Gender | string;
  teacher: string;
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
  conflict_left_out: number;
  /** From-results whose later school year is not in the data at all, and to-results whose earlier one is not. */
  outside_years: number;
}

function sideOf(slot: Slot, kind: SideKind): { side: Side | null; conflict: boolean } {
  if (kind === 'assessment') {
    const a = slot.assessment;
    if (!a) return { side: null, conflict: false };
    if (a.conflict) return { side: null, conflict: true };
    return { side: { pass: a.pass, step: a.step, attributes: a, schoolYear: slot.schoolYear, startYear: slot.startYear }, conflict: false };
  }
  const observation = kind === 'test' ? slot.test : (slot.grade ?? slot.gradeAutumn);
  if (!observation) return { side: null, conflict: false };
  if (observation.conflict) return { side: null, conflict: true };
  const step = observation.step === -1 ? null : observation.step;
  return {
    side: { pass: step === null ? null : step >= 1, step, attributes: observation, schoolYear: slot.schoolYear, startYear: slot.startYear },
    conflict: false,
  };
}

/**
 * Link every `--from` result to the same pupil's `--to` result (same subject, school year
 * `to − from` years later). `genderOf` resolves a pupil's gender.
 */
export function linkTransition(slots: Iterable<Slot>, options: LinkOptions, genderOf: (pupil: string) => Gender | null): { records: TransitionRecord[]; coverage: LinkCoverage } {
  const coverage: LinkCoverage = { linked: 0, from_only: 0, to_only: 0, from_missing: 0, to_missing: 0, changed_school: 0, unknown_grade_level: 0, conflict_left_out: 0, outside_years: 0 };
  const gap = options.toLevel - options.fromLevel;
  const froms: { slot: Slot; side: Side }[] = [];
  const tos = new Map<string, { slot: Slot; side: Side }>();
  for (const slot of slots) {
    const from = sideOf(slot, options.fromKind);
    const to = sideOf(slot, options.toKind);
    if (from.conflict) coverage.conflict_left_out++;
    if (to.conflict && options.toKind !== options.fromKind) coverage.conflict_left_out++;
    for (const [side, level, isFrom] of [
      [from.side, options.fromLevel, true],
      [to.side, options.toLevel, false],
    ] as const) {
      if (!side) continue;
      if (side.attributes.gradeLevel === null) {
        if (isFrom) coverage.unknown_grade_level++;
        continue;
      }
      if (side.attributes.gradeLevel !== level) continue;
      if (isFrom) froms.push({ slot, side });
      else tos.set(`${slot.pupil}\u0001${slot.subject}\u0001${slot.startYear}`, { slot, side });
    }
  }

  // Only cohorts the data covers at both ends: an år 5 class of the latest year has no år 6 yet,
  // and an år 6 class of the first year had its år 5 before the exports begin. Neither moved.
  const fromYears = new Set(froms.map(({ slot }) => slot.startYear));
  const toYears = new Set([...tos.values()].map(({ slot }) => slot.startYear));
  const records: TransitionRecord[] = [];
  const used = new Set<string>();
  for (const { slot, side: from } of froms) {
    if (!toYears.has(slot.startYear + gap)) {
      coverage.outside_years++;
      continue;
    }
    const key = `${slot.pupil}\u0001${slot.subject}\u0001${slot.startYear + gap}`;
    const to = tos.get(key)?.side ?? null;
    if (to) used.add(key);
    const status: LinkStatus = !to ? 'from_only' : from.pass === null ? 'from_missing' : to.pass === null ? 'to_missing' : 'linked';
    coverage[status]++;
    const place = options.attributeTo === 'to' && to ? to.attributes : from.attributes;
    const changedSchool = to !== null && from.attributes.school !== to.attributes.school;
    if (changedSchool) coverage.changed_school++;
    records.push(makeRecord(slot.pupil, slot.subject, status, to?.schoolYear ?? schoolYearLabel(slot.startYear + gap), options.toLevel, place, from, to, changedSchool, genderOf));
  }
  for (const [key, { slot, side: to }] of tos) {
    if (used.has(key)) continue;
    if (!fromYears.has(slot.startYear - gap)) {
      coverage.outside_years++;
      continue;
    }
    coverage.to_only++;
    records.push(makeRecord(slot.pupil, slot.subject, 'to_only', to.schoolYear, options.toLevel, to.attributes, null, to, false, genderOf));
  }
  return { records, coverage };
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
  genderOf: (pupil: string) => Gender | null,
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
    gender: genderOf(pupil) ?? MISSING_VALUE,
    teacher: place.teacher ?? MISSING_VALUE,
    fromPass: from?.pass ?? null,
    toPass: to?.pass ?? null,
    fromStep: from?.step ?? null,
    toStep: to?.step ?? null,
    changedSchool,
  };
}

export interface TransitionOptions {
  by: readonly Dimension[];
  minGroup: number;
  alpha: number;
}

export type Verdict = 'strict' | 'generous' | 'in_line';

export interface TransitionFigures {
  n_from_only: number;
  n_to_only: number;
  n_from_missing: number;
  n_to_missing: number;
  share_pass_from: number;
  share_pass_to: number;
  /** share_pass_from − share_pass_to, a fraction (× 100 = percentage points). */
  diff_pp: number;
  diff_ci_low: number;
  diff_ci_high: number;
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

function dims(record: TransitionRecord): Record<Dimension, KeyValue> {
  return {
    school_year: record.school_year,
    grade_level: record.grade_level,
    area: record.area,
    school: record.school,
    class: record.class,
    subject: record.subject,
    gender: record.gender,
    teacher: record.teacher,
  };
}

export function analyseTransition(records: readonly TransitionRecord[], options: TransitionOptions): TransitionResult {
  const plan = planGroups(options.by);
  const accumulators = new Map<string, Accumulator>();
  for (const record of records) {
    for (const key of groupKeysOf(plan, dims(record))) {
      const id = keyString(plan, key);
      let acc = accumulators.get(id);
      if (!acc) {
        acc = { key, a: 0, b: 0, c: 0, d: 0, fromOnly: 0, toOnly: 0, fromMissing: 0, toMissing: 0, steps: new Float64Array(36), stepped: 0 };
        accumulators.set(id, acc);
      }
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
          if (record.fromPass) {
            if (record.toPass) acc.a++;
            else acc.b++;
          } else if (record.toPass) acc.c++;
          else acc.d++;
          if (record.fromStep !== null && record.toStep !== null) {
            acc.steps[record.fromStep * 6 + record.toStep]! += 1;
            acc.stepped++;
          }
      }
    }
  }
  const n = (acc: Accumulator) => acc.a + acc.b + acc.c + acc.d;
  const suppression = applySuppression(
    plan,
    [...accumulators.values()].map((acc) => ({ id: keyString(plan, acc.key), key: acc.key, n: n(acc) })),
    options.minGroup,
  );
  const groups: TransitionGroup[] = [];
  for (const [id, acc] of accumulators) {
    const suppressed = suppression.get(id) ?? null;
    groups.push({
      key: acc.key,
      level: groupLevel(plan, acc.key),
      n: n(acc),
      suppressed,
      figures: suppressed || n(acc) === 0 ? null : figuresOf(acc, options.alpha),
    });
  }
  groups.sort((x, y) => compareKeys(plan, x.key, y.key));
  return { plan, options, groups };
}

function figuresOf(acc: Accumulator, alpha: number): TransitionFigures {
  const { a, b, c, d } = acc;
  const n = a + b + c + d;
  const ci = pairedProportionDifferenceCI(a, b, c, d);
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
    n_from_only: acc.fromOnly,
    n_to_only: acc.toOnly,
    n_from_missing: acc.fromMissing,
    n_to_missing: acc.toMissing,
    share_pass_from: (a + b) / n,
    share_pass_to: (a + c) / n,
    diff_pp: ci.diff,
    diff_ci_low: ci.low,
    diff_ci_high: ci.high,
    pass_pass: a,
    pass_fail: b,
    fail_pass: c,
    fail_fail: d,
    share_pass_pass: a / n,
    share_pass_fail: b / n,
    share_fail_pass: c / n,
    share_fail_fail: d / n,
    p_value: p,
    verdict,
    mean_diff: meanDiff,
    mean_diff_ci_low: meanLow,
    mean_diff_ci_high: meanHigh,
    kappa_w: kappa,
  };
}
