/**
 * The gap analysis: each pupil's teacher grade against the same pupil's test grade, per group.
 * Pure: records in, plain figures out. Nothing is rounded or formatted here.
 */
import { GRADE_LETTERS, GRADE_POINTS, type Dimension, type GradeLetter } from '../types.js';
import {
  sortGroups,
  groupKeysOf,
  groupLevel,
  keyString,
  parentKeys,
  planGroups,
  totalKey,
  type GroupKey,
  type GroupPlan,
  type KeyValue,
} from './groups.js';
import type { GapCell, GapRecord } from './pairs.js';
import { referenceKey } from '../read/reference.js';
import { benjaminiHochberg, meanConfidenceInterval, stuartMaxwell, weightedKappa, welchTTest, wilsonInterval } from './stats.js';
import { funnelFlag, overdispersion, referenceRates, shrinkEstimates, standardise, Z95, Z998, zPValue, type FunnelFlag, type ReferenceRates } from './fairness.js';
import { applySuppression, type SuppressionMode, type SuppressionReason } from './suppression.js';

export const DEFAULT_GAP_BY: readonly Dimension[] = ['school_year', 'grade_level', 'area', 'school', 'subject'];

export interface GapOptions {
  by: readonly Dimension[];
  /** Groups with fewer paired pupils show no figures. */
  minGroup: number;
  /** `small_groups_only`: no complementary hiding (internal use, never for publication). Default `full`. */
  suppression?: SuppressionMode;
  /** Significance level for the comparison with the rest of the municipality. */
  alpha: number;
  /** Add empirical-Bayes shrunken standardised gaps (`std_gap_shrunk`). */
  shrink?: boolean;
  /**
   * Reference tables to standardise against, keyed by referenceKey(grade level, subject)
   * (counts[teacher * 6 + test]); where none is given for a stratum, the municipality's own total.
   */
  reference?: ReadonlyMap<string, Float64Array>;
}

/** How many flags were raised across the report, and how many chance alone would give. */
interface FlagSummary {
  /** Groups tested (every shown group below the total). */
  tests: number;
  /** p < alpha, unadjusted. */
  flagged: number;
  /** Benjamini–Hochberg adjusted p < alpha (false discovery rate alpha). */
  flagged_adjusted: number;
  /** tests × alpha: the flags to expect if no group really differed. */
  expected_by_chance: number;
}

/** Teacher grade (rows) × test grade (columns), A first: matrix[teacher][test]. */
export type GradeMatrix = Record<GradeLetter, Record<GradeLetter, number>>;

type Comparison = 'higher' | 'lower' | 'in_line';

export interface GapFigures {
  n_grade_only: number;
  n_test_only: number;
  share_higher: number;
  share_higher_ci_low: number;
  share_higher_ci_high: number;
  share_same: number;
  share_same_ci_low: number;
  share_same_ci_high: number;
  share_lower: number;
  share_lower_ci_low: number;
  share_lower_ci_high: number;
  net_gap: number;
  mean_diff: number;
  mean_diff_ci_low: number | null;
  mean_diff_ci_high: number | null;
  share_pass_grade: number;
  share_pass_test: number;
  kappa_w: number | null;
  /** Welch test of the group's mean difference against the rest of the municipality. */
  vs_total_p: number | null;
  vs_total: Comparison | null;
  matrix: GradeMatrix;
  /** Pupils per difference in grade steps, teacher minus test, "-5" … "5". */
  diff_steps: Record<string, number>;
  /** Ceiling effect removed (see fairness.ts): what the municipality's rates per test grade predict for this group's mix of test grades. */
  expected_share_higher: number | null;
  expected_share_lower: number | null;
  expected_mean_diff: number | null;
  /** share_higher − expected_share_higher and share_lower − expected_share_lower, with 95 % intervals. */
  excess_share_higher: number | null;
  excess_share_higher_ci_low: number | null;
  excess_share_higher_ci_high: number | null;
  excess_share_lower: number | null;
  excess_share_lower_ci_low: number | null;
  excess_share_lower_ci_high: number | null;
  /** mean_diff − expected_mean_diff, grade points, with a 95 % interval. */
  std_gap: number | null;
  std_gap_ci_low: number | null;
  std_gap_ci_high: number | null;
  /** std_gap / its standard error, divided by √funnel_phi. */
  funnel_z: number | null;
  /** Overdispersion factor used for the funnel limits (1 = none). */
  funnel_phi: number | null;
  /** Half-widths of the 95 % and 99.8 % control limits around 0, in grade points. */
  funnel_limit_95: number | null;
  funnel_limit_998: number | null;
  funnel_flag: FunnelFlag | null;
  /** Two-sided p-value of funnel_z, and Benjamini–Hochberg adjusted across the report. */
  funnel_p: number | null;
  p_adj: number | null;
  /** vs_total_p adjusted by Benjamini–Hochberg across the report. */
  vs_total_p_adj: number | null;
  /** Stuart–Maxwell test of marginal homogeneity of the A–F × A–F table. */
  marginal_stat: number | null;
  marginal_p: number | null;
  /** Empirical-Bayes estimate of std_gap (only with --shrink). */
  std_gap_shrunk: number | null;
}

export interface GapGroup {
  key: GroupKey;
  level: Dimension | 'total';
  n: number;
  suppressed: SuppressionReason | null;
  /** Null when suppressed. */
  figures: GapFigures | null;
}

export interface GapCase {
  pupil: string;
  school_year: string;
  grade_level: KeyValue;
  area: string;
  school: string;
  class: string;
  subject: string;
  teacher: string;
  grade: GradeLetter;
  test: GradeLetter;
  diff_steps: number;
}

export interface GapResult {
  plan: GroupPlan;
  options: GapOptions;
  groups: GapGroup[];
  comparisons: { funnel: FlagSummary; vs_total: FlagSummary };
}

interface Accumulator {
  key: GroupKey;
  /** counts[teacher * 6 + test], steps F=0 … A=5. */
  counts: Float64Array;
  n: number;
  gradeOnly: number;
  testOnly: number;
}

export function analyseGap(cells: readonly GapCell[], options: GapOptions): GapResult {
  const plan = planGroups(options.by);
  const accumulators = new Map<string, Accumulator>();
  for (const cell of cells) {
    let n = 0;
    for (let i = 0; i < 36; i++) n += cell.counts[i] ?? 0;
    for (const key of groupKeysOf(plan, cell.dims)) {
      const id = keyString(plan, key);
      let acc = accumulators.get(id);
      if (!acc) {
        acc = { key, counts: new Float64Array(36), n: 0, gradeOnly: 0, testOnly: 0 };
        accumulators.set(id, acc);
      }
      for (let i = 0; i < 36; i++) acc.counts[i]! += cell.counts[i] ?? 0;
      acc.n += n;
      acc.gradeOnly += cell.gradeOnly;
      acc.testOnly += cell.testOnly;
    }
  }

  const suppression = applySuppression(
    plan,
    [...accumulators.values()].map((acc) => ({ id: keyString(plan, acc.key), key: acc.key, n: acc.n })),
    options.minGroup,
    options.suppression ?? 'full',
  );

  const groups: GapGroup[] = [];
  const countsOf = new Map<GapGroup, Float64Array>();
  for (const [id, acc] of accumulators) {
    // No paired pupil (only grades without a test, or tests without a grade): nothing to show or
    // protect, so no row (suppression.ts); its unpaired pupils still count in its totals.
    if (acc.n === 0) continue;
    const suppressed = suppression.get(id) ?? null;
    const total = accumulators.get(keyString(plan, totalKey(plan, acc.key)));
    const group: GapGroup = {
      key: acc.key,
      level: groupLevel(plan, acc.key),
      n: acc.n,
      suppressed,
      figures: suppressed ? null : computeFigures(acc, total, options.alpha),
    };
    groups.push(group);
    countsOf.set(group, acc.counts);
  }
  const comparisons = compareFairly(plan, groups, countsOf, accumulators, options);
  return { plan, options, groups: sortGroups(plan, groups), comparisons };
}

/**
 * The fair-comparison figures (fairness.ts) for every shown group: standardised gap, funnel
 * limits with overdispersion per family of comparable groups (same year, level, subject, level
 * of breakdown), Stuart–Maxwell, Benjamini–Hochberg across the report, optional shrinkage.
 */
function compareFairly(
  plan: GroupPlan,
  groups: readonly GapGroup[],
  countsOf: ReadonlyMap<GapGroup, Float64Array>,
  accumulators: ReadonlyMap<string, Accumulator>,
  options: GapOptions,
): { funnel: FlagSummary; vs_total: FlagSummary } {
  const rates = new Map<string, ReferenceRates>();
  const families = new Map<string, { group: GapGroup; z: number; se: number }[]>();
  for (const group of groups) {
    const f = group.figures;
    const counts = countsOf.get(group);
    if (!f || !counts) continue;
    const marginal = marginalHomogeneity(counts);
    f.marginal_stat = finiteOrNull(marginal.statistic);
    f.marginal_p = finiteOrNull(marginal.p);
    const totalId = keyString(plan, totalKey(plan, group.key));
    const total = accumulators.get(totalId);
    if (!total) continue;
    const external = options.reference?.get(referenceKey(group.key.grade_level, group.key.subject));
    const rateKey = external ? `ref\u0002${referenceKey(group.key.grade_level, group.key.subject)}` : totalId;
    let reference = rates.get(rateKey);
    if (!reference) rates.set(rateKey, (reference = referenceRates(external ?? total.counts)));
    const std = standardise(counts, reference);
    if (!std) continue;
    f.expected_share_higher = std.expected_share_higher;
    f.expected_share_lower = std.expected_share_lower;
    f.expected_mean_diff = std.expected_mean_diff;
    f.std_gap = std.std_gap;
    f.std_gap_ci_low = std.std_gap - Z95 * std.std_gap_se;
    f.std_gap_ci_high = std.std_gap + Z95 * std.std_gap_se;
    f.excess_share_higher = std.excess_share_higher;
    f.excess_share_higher_ci_low = std.excess_share_higher - Z95 * std.excess_share_higher_se;
    f.excess_share_higher_ci_high = std.excess_share_higher + Z95 * std.excess_share_higher_se;
    f.excess_share_lower = std.excess_share_lower;
    f.excess_share_lower_ci_low = std.excess_share_lower - Z95 * std.excess_share_lower_se;
    f.excess_share_lower_ci_high = std.excess_share_lower + Z95 * std.excess_share_lower_se;
    if (group.level === 'total' || std.std_gap_se <= 0) continue;
    const family = `${totalId}\u0002${group.level}\u0002${group.key.gender === null || group.key.gender === undefined ? '' : 'g'}`;
    let members = families.get(family);
    if (!members) families.set(family, (members = []));
    members.push({ group, z: std.std_gap / std.std_gap_se, se: std.std_gap_se });
  }
  for (const members of families.values()) {
    const phi = overdispersion(members.map((m) => m.z));
    const shrunk = options.shrink ? shrinkEstimates(members.map((m) => m.group.figures?.std_gap ?? NaN), members.map((m) => m.se)).shrunk : null;
    members.forEach((m, i) => {
      const f = m.group.figures;
      if (!f) return;
      const z = m.z / Math.sqrt(phi);
      f.funnel_z = z;
      f.funnel_phi = phi;
      f.funnel_limit_95 = Z95 * m.se * Math.sqrt(phi);
      f.funnel_limit_998 = Z998 * m.se * Math.sqrt(phi);
      f.funnel_flag = funnelFlag(z);
      f.funnel_p = zPValue(z);
      if (shrunk) f.std_gap_shrunk = finiteOrNull(shrunk[i] ?? NaN);
    });
  }
  const adjust = (get: (f: GapFigures) => number | null, set: (f: GapFigures, p: number) => void): FlagSummary => {
    const tested = groups.filter((g) => g.level !== 'total' && g.figures && get(g.figures) !== null);
    const adjusted = benjaminiHochberg(tested.map((g) => get(g.figures as GapFigures) ?? NaN));
    tested.forEach((g, i) => set(g.figures as GapFigures, adjusted[i] ?? NaN));
    return {
      tests: tested.length,
      flagged: tested.filter((g) => (get(g.figures as GapFigures) ?? 1) < options.alpha).length,
      flagged_adjusted: adjusted.filter((p) => p < options.alpha).length,
      expected_by_chance: tested.length * options.alpha,
    };
  };
  return {
    funnel: adjust((f) => f.funnel_p, (f, p) => (f.p_adj = p)),
    vs_total: adjust((f) => f.vs_total_p, (f, p) => (f.vs_total_p_adj = p)),
  };
}

/**
 * Stuart–Maxwell on the grades that take part in some disagreement: a grade every pupil agrees
 * on (say D, given to exactly the pupils with D on the test) adds nothing to the statistic but
 * would make its covariance matrix singular. With no disagreement at all, p = 1.
 */
function marginalHomogeneity(counts: Float64Array): { statistic: number; p: number } {
  const cell = (g: number, t: number) => counts[g * 6 + t] ?? 0;
  const kept: number[] = [];
  for (let i = 0; i < 6; i++) {
    let off = 0;
    for (let j = 0; j < 6; j++) if (j !== i) off += cell(i, j) + cell(j, i);
    if (off > 0) kept.push(i);
  }
  if (kept.length < 2) return { statistic: 0, p: 1 };
  const test = stuartMaxwell(kept.map((g) => kept.map((t) => cell(g, t))));
  return { statistic: test.statistic, p: test.p };
}

interface DiffSummary {
  n: number;
  mean: number;
  variance: number;
}

function summariseDiffs(counts: Float64Array): DiffSummary {
  let n = 0;
  let sum = 0;
  for (let g = 0; g < 6; g++) {
    for (let t = 0; t < 6; t++) {
      const count = counts[g * 6 + t] ?? 0;
      n += count;
      sum += count * ((GRADE_POINTS[g] ?? 0) - (GRADE_POINTS[t] ?? 0));
    }
  }
  const mean = n > 0 ? sum / n : NaN;
  let squares = 0;
  for (let g = 0; g < 6; g++) {
    for (let t = 0; t < 6; t++) {
      const d = (GRADE_POINTS[g] ?? 0) - (GRADE_POINTS[t] ?? 0) - mean;
      squares += (counts[g * 6 + t] ?? 0) * d * d;
    }
  }
  return { n, mean, variance: n > 1 ? squares / (n - 1) : NaN };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Compare a group's mean difference with the rest of its municipality total (Welch's t-test). */
function compareWithRest(group: Float64Array, total: Float64Array | undefined, alpha: number): { p: number | null; verdict: Comparison | null } {
  if (total === undefined) return { p: null, verdict: null };
  const rest = new Float64Array(36);
  for (let i = 0; i < 36; i++) rest[i] = (total[i] ?? 0) - (group[i] ?? 0);
  const a = summariseDiffs(group);
  const b = summariseDiffs(rest);
  if (a.n < 2 || b.n < 2) return { p: null, verdict: null };
  const test = welchTTest(a, b);
  if (!Number.isFinite(test.p)) return { p: null, verdict: null };
  const verdict: Comparison = test.p < alpha ? (a.mean > b.mean ? 'higher' : 'lower') : 'in_line';
  return { p: test.p, verdict };
}

function computeFigures(acc: Accumulator, total: Accumulator | undefined, alpha: number): GapFigures | null {
  const { counts, n } = acc;
  if (n === 0) return null;
  let higher = 0;
  let same = 0;
  let lower = 0;
  let passGrade = 0;
  let passTest = 0;
  const matrixRows: number[][] = [];
  const steps: Record<string, number> = {};
  for (let d = -5; d <= 5; d++) steps[String(d)] = 0;
  for (let g = 0; g < 6; g++) {
    const row: number[] = [];
    for (let t = 0; t < 6; t++) {
      const count = counts[g * 6 + t] ?? 0;
      row.push(count);
      if (g > t) higher += count;
      else if (g === t) same += count;
      else lower += count;
      if (g >= 1) passGrade += count;
      if (t >= 1) passTest += count;
      steps[String(g - t)] = (steps[String(g - t)] ?? 0) + count;
    }
    matrixRows.push(row);
  }
  const diffs = summariseDiffs(counts);
  const ci = n >= 2 ? meanConfidenceInterval(n, diffs.mean, Math.sqrt(diffs.variance)) : { low: NaN, high: NaN };
  const wilson = (k: number) => wilsonInterval(k, n);
  const hi = wilson(higher);
  const sa = wilson(same);
  const lo = wilson(lower);
  const comparison = total && total !== acc ? compareWithRest(counts, total.counts, alpha) : { p: null, verdict: null };
  return {
    n_grade_only: acc.gradeOnly,
    n_test_only: acc.testOnly,
    share_higher: higher / n,
    share_higher_ci_low: hi.low,
    share_higher_ci_high: hi.high,
    share_same: same / n,
    share_same_ci_low: sa.low,
    share_same_ci_high: sa.high,
    share_lower: lower / n,
    share_lower_ci_low: lo.low,
    share_lower_ci_high: lo.high,
    net_gap: (higher - lower) / n,
    mean_diff: diffs.mean,
    mean_diff_ci_low: finiteOrNull(ci.low),
    mean_diff_ci_high: finiteOrNull(ci.high),
    share_pass_grade: passGrade / n,
    share_pass_test: passTest / n,
    kappa_w: finiteOrNull(weightedKappa(matrixRows, 'quadratic')),
    vs_total_p: comparison.p,
    vs_total: comparison.verdict,
    matrix: toMatrix(matrixRows),
    diff_steps: steps,
    expected_share_higher: null,
    expected_share_lower: null,
    expected_mean_diff: null,
    excess_share_higher: null,
    excess_share_higher_ci_low: null,
    excess_share_higher_ci_high: null,
    excess_share_lower: null,
    excess_share_lower_ci_low: null,
    excess_share_lower_ci_high: null,
    std_gap: null,
    std_gap_ci_low: null,
    std_gap_ci_high: null,
    funnel_z: null,
    funnel_phi: null,
    funnel_limit_95: null,
    funnel_limit_998: null,
    funnel_flag: null,
    funnel_p: null,
    p_adj: null,
    vs_total_p_adj: null,
    marginal_stat: null,
    marginal_p: null,
    std_gap_shrunk: null,
  };
}

/** Steps (F=0 … A=5) to a letter-keyed matrix, A first. */
function toMatrix(rows: number[][]): GradeMatrix {
  const matrix = {} as GradeMatrix;
  for (let g = 5; g >= 0; g--) {
    const teacher = GRADE_LETTERS[g] as GradeLetter;
    const row = {} as Record<GradeLetter, number>;
    for (let t = 5; t >= 0; t--) row[GRADE_LETTERS[t] as GradeLetter] = rows[g]?.[t] ?? 0;
    matrix[teacher] = row;
  }
  return matrix;
}

/** Pupils whose teacher grade and test grade differ by `minSteps` or more, for follow-up. */
export function listCases(records: readonly GapRecord[], minSteps = 2): GapCase[] {
  const cases: GapCase[] = [];
  for (const record of records) {
    if (record.grade === null || record.test === null) continue;
    const diff = record.grade - record.test;
    if (Math.abs(diff) < minSteps) continue;
    const { pupil, school_year, grade_level, area, school, subject, teacher } = record;
    cases.push({
      pupil,
      school_year,
      grade_level,
      area,
      school,
      class: record.class,
      subject,
      teacher,
      grade: GRADE_LETTERS[record.grade],
      test: GRADE_LETTERS[record.test],
      diff_steps: diff,
    });
  }
  const collator = new Intl.Collator('sv', { numeric: true });
  const order: (keyof GapCase)[] = ['school_year', 'grade_level', 'area', 'school', 'class', 'subject', 'pupil'];
  cases.sort((a, b) => {
    for (const field of order) {
      const c = collator.compare(String(a[field]), String(b[field]));
      if (c !== 0) return c;
    }
    return 0;
  });
  return cases;
}
