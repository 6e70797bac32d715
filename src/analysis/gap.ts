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
import { meanConfidenceInterval, weightedKappa, welchTTest, wilsonInterval } from './stats.js';
import { applySuppression, type SuppressionReason } from './suppression.js';

export const DEFAULT_GAP_BY: readonly Dimension[] = ['school_year', 'grade_level', 'area', 'school', 'subject'];

export interface GapOptions {
  by: readonly Dimension[];
  /** Groups with fewer paired pupils show no figures. */
  minGroup: number;
  /** Significance level for the comparison with the rest of the municipality. */
  alpha: number;
}

/** Teacher grade (rows) × test grade (columns), A first: matrix[teacher][test]. */
export type GradeMatrix = Record<GradeLetter, Record<GradeLetter, number>>;

export type Comparison = 'higher' | 'lower' | 'in_line';

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
  );

  const groups: GapGroup[] = [];
  for (const [id, acc] of accumulators) {
    const suppressed = suppression.get(id) ?? null;
    const total = accumulators.get(keyString(plan, totalKey(plan, acc.key)));
    groups.push({
      key: acc.key,
      level: groupLevel(plan, acc.key),
      n: acc.n,
      suppressed,
      figures: suppressed ? null : computeFigures(acc, total, options.alpha),
    });
  }
  return { plan, options, groups: sortGroups(plan, groups) };
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
export function compareWithRest(group: Float64Array, total: Float64Array | undefined, alpha: number): { p: number | null; verdict: Comparison | null } {
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
    cases.push({
      pupil: record.pupil,
      school_year: record.school_year,
      grade_level: record.grade_level,
      area: record.area,
      school: record.school,
      class: record.class,
      subject: record.subject,
      teacher: record.teacher,
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
