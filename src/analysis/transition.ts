/**
 * The transition analysis: each pupil's assessment in one grade level (default: the teacher's
 * omdöme in år 5) against the same pupil's result in a later grade level (default: the national
 * test in år 6, the next school year). Pure: slots in, plain figures out.
 */
import { GRADE_POINTS, type BackgroundDimension, type Dimension, type Gender, type GradeStep } from '../types.js';
import type { Message } from '../messages.js';
import { NO_VALUE } from '../normalise/background.js';
import { CONFLICT, KIND_ASSESSMENT, KIND_GRADE, KIND_GRADE_AUTUMN, KIND_TEST, NONE, type Attributes, type KindIndex, type ResultStore } from '../normalise/store.js';
import { schoolYearLabel, startYearOf } from '../normalise/school-year.js';
import {
  sortGroups,
  dimsOf,
  groupKeysOf,
  groupLevel,
  keyString,
  planGroups,
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

/** The observation a side uses in a slot (the spring grade, else the autumn one), or NONE. */
function sideObservation(store: ResultStore, slot: number, kind: SideKind): number {
  const obs = store.slotObs[KIND_OF_SIDE[kind]][slot] ?? NONE;
  if (kind !== 'grade' || obs !== NONE) return obs;
  return store.slotObs[KIND_GRADE_AUTUMN][slot] ?? NONE;
}

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
  const value = store.obsValue[obs] ?? -1;
  const startYear = store.yearStarts[store.slotYear[slot] ?? 0] ?? 0;
  const attributes = cache.attributesOf(store.obsCtx[obs] ?? 0);
  const schoolYear = cache.label(startYear);
  if (kind === 'assessment') {
    const label = store.labels[value];
    return { pass: label?.pass ?? null, step: label?.step ?? null, attributes, schoolYear, startYear };
  }
  const step = value >= 0 ? (value as GradeStep) : null;
  return { pass: step === null ? null : step >= 1, step, attributes, schoolYear, startYear };
}

/**
 * Link every `--from` result to the same pupil's `--to` result (same subject, school year
 * `to − from` years later). `genderOf` resolves a pupil's gender by pupil index. `background`:
 * background dimensions to give each record, from the school year of the side the pupil is
 * counted under (--attribute-to), or, where that year has no value, the other side's year.
 */
export function linkTransition(
  store: ResultStore,
  options: LinkOptions,
  genderOf: (pupil: number) => Gender | null,
  background: readonly BackgroundDimension[] = [],
): { records: TransitionRecord[]; coverage: LinkCoverage } {
  const coverage: LinkCoverage = { linked: 0, from_only: 0, to_only: 0, from_missing: 0, to_missing: 0, changed_school: 0, unknown_grade_level: 0, assessment_level_assumed: 0, conflict_left_out: 0, outside_years: 0 };
  const gap = options.toLevel - options.fromLevel;
  const froms: number[] = [];
  const fromObs: number[] = [];
  const tos = new Map<number, { slot: number; obs: number }>();
  const toKey = (pupil: number, subject: number, startYear: number) => (pupil * 4096 + subject) * 4096 + (startYear - 1900);
  const sides = [
    { kind: options.fromKind, level: options.fromLevel, isFrom: true },
    { kind: options.toKind, level: options.toLevel, isFrom: false },
  ] as const;
  for (let slot = 0; slot < store.slotCount; slot++) {
    for (const { kind, level, isFrom } of sides) {
      const obs = sideObservation(store, slot, kind);
      if (obs === NONE) continue;
      if (store.obsValue[obs] === CONFLICT) {
        if (isFrom || options.toKind !== options.fromKind) coverage.conflict_left_out++;
        continue;
      }
      let obsLevel = store.ctxLevel[store.obsCtx[obs] ?? 0] ?? -1;
      if (obsLevel < 0 && isFrom && kind === 'assessment' && level <= 5) {
        // An omdöme with no grade level from any source (column, class, file name, config):
        // omdömen are given only up to år 5, so it is placed at --from, and counted.
        obsLevel = level;
        coverage.assessment_level_assumed++;
      }
      if (obsLevel < 0) {
        if (isFrom) coverage.unknown_grade_level++;
        continue;
      }
      if (obsLevel !== level) continue;
      if (isFrom) {
        froms.push(slot);
        fromObs.push(obs);
      } else {
        const startYear = store.yearStarts[store.slotYear[slot] ?? 0] ?? 0;
        tos.set(toKey(store.slotPupil[slot] ?? 0, store.slotSubject[slot] ?? 0, startYear), { slot, obs });
      }
    }
  }

  // Only cohorts the data covers at both ends: an år 5 class of the latest year has no år 6 yet,
  // and an år 6 class of the first year had its år 5 before the exports begin. Neither moved.
  const yearOf = (slot: number) => store.yearStarts[store.slotYear[slot] ?? 0] ?? 0;
  const fromYears = new Set(froms.map(yearOf));
  const toYears = new Set([...tos.values()].map(({ slot }) => yearOf(slot)));
  const records: TransitionRecord[] = [];
  const used = new Set<number>();
  const cache = new SideCache(store);
  const table = store.background;
  const wanted = table ? table.specs.flatMap((spec, index) => (background.includes(spec.key) ? [{ key: spec.key, index }] : [])) : [];
  /** The record's background values: the counted side's school year first, the other side's where it has none. */
  const withBackground = (record: TransitionRecord, pupil: number, counted: number, other: number | null): TransitionRecord => {
    if (!table) return record;
    for (const { key, index } of wanted) {
      let value = table.valueOf(index, pupil, store.slotYear[counted] ?? 0);
      if (value === NO_VALUE && other !== null) value = table.valueOf(index, pupil, store.slotYear[other] ?? 0);
      (record as Record<BackgroundDimension, string>)[key] = backgroundLabel(table, value);
    }
    return record;
  };
  const pupilIds = new Map<number, string>();
  const pupilId = (pupil: number) => {
    let id = pupilIds.get(pupil);
    if (id === undefined) pupilIds.set(pupil, (id = store.pupilId(pupil)));
    return id;
  };
  froms.forEach((slot, i) => {
    const startYear = yearOf(slot);
    if (!toYears.has(startYear + gap)) {
      coverage.outside_years++;
      return;
    }
    const pupil = store.slotPupil[slot] ?? 0;
    const subject = store.subjects[store.slotSubject[slot] ?? 0] ?? '';
    const key = toKey(pupil, store.slotSubject[slot] ?? 0, startYear + gap);
    const target = tos.get(key);
    if (target) used.add(key);
    const from = sideOf(cache, slot, fromObs[i] ?? 0, options.fromKind);
    const to = target ? sideOf(cache, target.slot, target.obs, options.toKind) : null;
    const status: LinkStatus = !to ? 'from_only' : from.pass === null ? 'from_missing' : to.pass === null ? 'to_missing' : 'linked';
    coverage[status]++;
    const place = options.attributeTo === 'to' && to ? to.attributes : from.attributes;
    const changedSchool = to !== null && from.attributes.school !== to.attributes.school;
    if (changedSchool) coverage.changed_school++;
    const record = makeRecord(pupilId(pupil), subject, status, to?.schoolYear ?? schoolYearLabel(startYear + gap), options.toLevel, place, from, to, changedSchool, genderOf(pupil));
    const counted = options.attributeTo === 'to' && target ? target.slot : slot;
    records.push(wanted.length > 0 ? withBackground(record, pupil, counted, counted === slot ? (target?.slot ?? null) : slot) : record);
  });
  for (const [key, { slot, obs }] of tos) {
    if (used.has(key)) continue;
    if (!fromYears.has(yearOf(slot) - gap)) {
      coverage.outside_years++;
      continue;
    }
    coverage.to_only++;
    const to = sideOf(cache, slot, obs, options.toKind);
    const pupil = store.slotPupil[slot] ?? 0;
    const record = makeRecord(pupilId(pupil), store.subjects[store.slotSubject[slot] ?? 0] ?? '', 'to_only', to.schoolYear, options.toLevel, to.attributes, null, to, false, genderOf(pupil));
    records.push(wanted.length > 0 ? withBackground(record, pupil, slot, null) : record);
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

/** The cohorts the linked records come from, oldest first (records carry the later side's school year). */
export function transitionCohorts(records: readonly TransitionRecord[], link: Pick<LinkOptions, 'fromLevel' | 'toLevel'>, minGroup: number): TransitionCohort[] {
  const linked = new Map<string, number>();
  for (const record of records) linked.set(record.school_year, (linked.get(record.school_year) ?? 0) + (record.status === 'linked' ? 1 : 0));
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

export function analyseTransition(records: readonly TransitionRecord[], options: TransitionOptions): TransitionResult {
  const plan = planGroups(options.by, options.names);
  // First per cell of pupils sharing every attribute, then the cells into groups: far fewer
  // group-key computations than one per pupil.
  const cells = new Map<string, { dims: Record<Dimension, KeyValue>; acc: Accumulator }>();
  for (const record of records) {
    const cellDims = dimsOf(record, plan.background);
    let cellKey = `${record.school_year}\u0001${record.grade_level}\u0001${record.area}\u0001${record.school}\u0001${record.class}\u0001${record.subject}\u0001${record.gender}\u0001${record.teacher}`;
    for (const dim of plan.background) cellKey += `\u0001${record[dim] ?? ''}`;
    let cell = cells.get(cellKey);
    if (!cell) cells.set(cellKey, (cell = { dims: cellDims, acc: emptyAccumulator({}) }));
    const acc = cell.acc;
    {
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
  const accumulators = new Map<string, Accumulator>();
  for (const { dims: cellDims, acc: cellAcc } of cells.values()) {
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
    options.minGroup,
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
      figures: suppressed ? null : figuresOf(acc, options.alpha),
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

function figuresOf(acc: Accumulator, alpha: number): TransitionFigures {
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
    n_from_only: acc.fromOnly,
    n_to_only: acc.toOnly,
    n_from_missing: acc.fromMissing,
    n_to_missing: acc.toMissing,
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
