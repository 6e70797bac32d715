/**
 * Trends over school years (the årshjul): the gap and transition figures of each group, year by
 * year, the change since the previous year and over the whole period, and how many springs in a
 * row a group has leaned the same way. Pure: the per-year results of `analyseGap` and
 * `analyseTransition` (grouped by school year) in, plain figures out.
 *
 * Definitions (docs/metoder.md repeats them, "Trender över läsår"):
 * - A series is one group (every `--by` dimension but school_year) across the school years the
 *   data holds. A year whose group is hidden (too few pupils, or complementary suppression) or
 *   absent is `null`: no figure, and no change is computed across it.
 * - `change_prev`: the latest school year of the data minus the year before it; null unless the
 *   group has figures in both. `change_period`: the latest year minus the group's first year with
 *   figures. Shares change in procentenheter (a fraction here; × 100 in reports).
 * - The 95 % interval of a change: for a share, Newcombe's hybrid score interval for two
 *   independent proportions (method 10) from the two years' Wilson intervals (different pupils
 *   each spring); for a mean or a difference, the normal approximation
 *   d ± 1.96·√(se₁² + se₂²), each se read back from that year's 95 % interval (÷ 2·t₀.₉₇₅,ₙ₋₁ for
 *   the t interval of mean_diff, ÷ 2·1.96 otherwise; for diff_pp the unconditional se of the
 *   paired difference, diff_se, Agresti–Min). A change is
 *   `up`/`down` when its interval leaves out 0, else `stable`.
 * - Direction per year: gap, against the tests: `higher` when the group's mean grade-point
 *   difference (teacher − test) has a 95 % interval above 0, `lower` below 0, else `in_line`;
 *   gap, against the municipality: the funnel flag (`above`/`below` outside the 95 % limits, else
 *   `in_line`); transition: the verdict (`strict`/`generous`/`in_line`).
 * - `streak`: how many school years in a row, ending with the latest year of the data, the group
 *   has had the same direction other than in_line. A hidden or missing year ends a streak.
 *   A streak of `minStreak` (default 3) or more is a pattern, not one noisy year.
 */
import type { GapGroup, GapResult } from './gap.js';
import { keyString, planGroups, sortGroups, type GroupKey, type GroupPlan } from './groups.js';
import { independentDifferenceFromIntervals, studentTQuantile, wilsonInterval } from './stats.js';
import type { SuppressionReason } from './suppression.js';
import type { TransitionGroup, TransitionResult } from './transition.js';
import type { Dimension } from '../types.js';
import { Z95 } from './fairness.js';

type TrendAnalysis = 'gap' | 'transition';

/** A series per grade level, area, school and subject (school_year is always added). */
export const DEFAULT_TREND_BY: readonly Dimension[] = ['grade_level', 'area', 'school', 'subject'];

/** A figure with its 95 % interval (null where the report has none). */
export interface Estimate {
  value: number;
  low: number | null;
  high: number | null;
  /** 'share': a proportion with a Wilson interval; 'mean': anything else. */
  scale: 'share' | 'mean';
  /** Degrees of freedom when the interval is Student's t (a mean difference: n − 1); else a normal interval. */
  df?: number;
}

export const GAP_TREND_METRICS = ['share_higher', 'share_lower', 'mean_diff', 'std_gap'] as const;
export const TRANSITION_TREND_METRICS = ['share_pass_from', 'share_pass_to', 'diff_pp'] as const;
export type TrendMetric = (typeof GAP_TREND_METRICS)[number] | (typeof TRANSITION_TREND_METRICS)[number];

export interface YearPoint {
  school_year: string;
  /** Pupils behind the figures; null when hidden. */
  n: number | null;
  suppressed: SuppressionReason | null;
  /** Null for every metric when hidden. */
  estimates: Partial<Record<TrendMetric, Estimate | null>>;
  /** Against the tests (gap) or the verdict (transition). */
  direction: string | null;
  /** gap only: against the municipality (funnel limits). */
  relative: string | null;
  /** Change from the school year before (null unless the group has figures in both). */
  change: Partial<Record<TrendMetric, Change | null>>;
}

export type ChangeSign = 'up' | 'down' | 'stable';

export interface Change {
  /** Earlier school year of the comparison. */
  from: string;
  to: string;
  change: number;
  low: number | null;
  high: number | null;
  sign: ChangeSign | null;
}

interface Streak {
  years: number;
  direction: string | null;
}

export interface TrendSeries {
  analysis: TrendAnalysis;
  key: GroupKey;
  level: Dimension | 'total';
  /** One entry per school year of the analysis (the same list for every series); null = no group that year. */
  points: (YearPoint | null)[];
  change_prev: Partial<Record<TrendMetric, Change | null>>;
  change_period: Partial<Record<TrendMetric, Change | null>>;
  streak: Streak;
  /** gap only: the streak against the municipality. */
  streak_relative: Streak;
}

export interface TrendPart {
  analysis: TrendAnalysis;
  /** The grouping without school_year. */
  plan: GroupPlan;
  metrics: readonly TrendMetric[];
  school_years: string[];
  series: TrendSeries[];
}

interface TrendOptions {
  /** A streak this long or longer is a pattern (default 3). */
  minStreak: number;
}

export interface TrendResult {
  options: TrendOptions;
  gap: TrendPart | null;
  transition: TrendPart | null;
}

/** The change from `a` (earlier) to `b` (later), with its 95 % interval. */
export function changeBetween(a: Estimate, b: Estimate): { change: number; low: number | null; high: number | null } {
  const change = b.value - a.value;
  if (a.low === null || a.high === null || b.low === null || b.high === null) return { change, low: null, high: null };
  if (a.scale === 'share' && b.scale === 'share') {
    const ci = independentDifferenceFromIntervals(b.value, b.low, b.high, a.value, a.low, a.high);
    return { change, low: ci.low, high: ci.high };
  }
  const seA = (a.high - a.low) / (2 * criticalValue(a));
  const seB = (b.high - b.low) / (2 * criticalValue(b));
  const half = Z95 * Math.sqrt(seA * seA + seB * seB);
  return { change, low: change - half, high: change + half };
}

/** The multiplier that made the estimate's 95 % interval: t₀.₉₇₅ with its df, else z₀.₉₇₅. */
function criticalValue(estimate: Estimate): number {
  return estimate.df !== undefined && estimate.df >= 1 ? studentTQuantile(0.975, estimate.df) : Z95;
}

function signOf(low: number | null, high: number | null): ChangeSign | null {
  if (low === null || high === null) return null;
  return low > 0 ? 'up' : high < 0 ? 'down' : 'stable';
}

/**
 * Same non-in_line direction, year after year, ending with the latest year.
 * @internal (also used by tests)
 */
export function streakOf(directions: readonly (string | null)[]): Streak {
  const last = directions[directions.length - 1] ?? null;
  if (last === null || last === 'in_line') return { years: 0, direction: null };
  let years = 0;
  for (let i = directions.length - 1; i >= 0 && directions[i] === last; i--) years++;
  return { years, direction: last };
}

function withoutYear(key: GroupKey): GroupKey {
  const rest: GroupKey = { ...key };
  delete rest.school_year;
  return rest;
}

/**
 * Assemble series from per-year points. `points` carry the group key including school_year;
 * the series key leaves it out.
 */
function buildSeries(
  analysis: TrendAnalysis,
  plan: GroupPlan,
  metrics: readonly TrendMetric[],
  items: readonly { key: GroupKey; level: Dimension | 'total'; point: YearPoint }[],
): TrendPart {
  const years = [...new Set(items.map((item) => item.point.school_year))].sort();
  const yearIndex = new Map(years.map((year, index) => [year, index]));
  const seriesPlan = planGroups(plan.by.filter((dim) => dim !== 'school_year'), plan.names);
  const byKey = new Map<string, { key: GroupKey; level: Dimension | 'total'; points: (YearPoint | null)[] }>();
  for (const item of items) {
    const key = withoutYear(item.key);
    const id = keyString(seriesPlan, key);
    let entry = byKey.get(id);
    if (!entry) byKey.set(id, (entry = { key, level: item.level, points: years.map(() => null) }));
    entry.points[yearIndex.get(item.point.school_year) ?? 0] = item.point;
  }
  const series: TrendSeries[] = [];
  const last = years.length - 1;
  for (const entry of byKey.values()) {
    entry.points.forEach((point, index) => {
      if (!point) return;
      for (const metric of metrics) {
        const here = point.estimates[metric] ?? null;
        const before = index >= 1 ? (entry.points[index - 1]?.estimates[metric] ?? null) : null;
        point.change[metric] = here && before ? finish(before, here, years[index - 1] ?? '', years[index] ?? '') : null;
      }
    });
    const change_prev: Partial<Record<TrendMetric, Change | null>> = {};
    const change_period: Partial<Record<TrendMetric, Change | null>> = {};
    for (const metric of metrics) {
      const latest = entry.points[last]?.estimates[metric] ?? null;
      change_prev[metric] = entry.points[last]?.change[metric] ?? null;
      const firstIndex = entry.points.findIndex((point) => (point?.estimates[metric] ?? null) !== null);
      const first = firstIndex >= 0 && firstIndex < last ? (entry.points[firstIndex]?.estimates[metric] ?? null) : null;
      change_period[metric] = latest && first ? finish(first, latest, years[firstIndex] ?? '', years[last] ?? '') : null;
    }
    series.push({
      analysis,
      key: entry.key,
      level: entry.level,
      points: entry.points,
      change_prev,
      change_period,
      streak: streakOf(entry.points.map((point) => point?.direction ?? null)),
      streak_relative: analysis === 'gap' ? streakOf(entry.points.map((point) => point?.relative ?? null)) : { years: 0, direction: null },
    });
  }
  return { analysis, plan: seriesPlan, metrics, school_years: years, series: sortGroups(seriesPlan, series) };
}

function finish(a: Estimate, b: Estimate, from: string, to: string): Change {
  const { change, low, high } = changeBetween(a, b);
  return { from, to, change, low, high, sign: signOf(low, high) };
}

function yearOf(key: GroupKey): string {
  return String(key.school_year ?? '');
}

function gapPoint(group: GapGroup): YearPoint {
  const f = group.figures;
  const shown = f !== null && group.suppressed === null;
  const estimates: Partial<Record<TrendMetric, Estimate | null>> = {};
  if (shown) {
    estimates.share_higher = { value: f.share_higher, low: f.share_higher_ci_low, high: f.share_higher_ci_high, scale: 'share' };
    estimates.share_lower = { value: f.share_lower, low: f.share_lower_ci_low, high: f.share_lower_ci_high, scale: 'share' };
    estimates.mean_diff = { value: f.mean_diff, low: f.mean_diff_ci_low, high: f.mean_diff_ci_high, scale: 'mean', df: group.n - 1 };
    // The municipality's own total is its standard: its std_gap is 0 by definition, not a finding.
    estimates.std_gap = f.std_gap === null || group.level === 'total' ? null : { value: f.std_gap, low: f.std_gap_ci_low, high: f.std_gap_ci_high, scale: 'mean' };
  } else for (const metric of GAP_TREND_METRICS) estimates[metric] = null;
  let direction: string | null = null;
  let relative: string | null = null;
  if (shown) {
    const low = f.mean_diff_ci_low;
    const high = f.mean_diff_ci_high;
    direction = low !== null && low > 0 ? 'higher' : high !== null && high < 0 ? 'lower' : 'in_line';
    // Against the rest of the municipality, beyond chance alone (funnel_flag_chance): the streak
    // asks whether a difference persists year after year, not whether it is rare among schools
    // (that is the year's funnel_flag). Three years on one side by chance alone: about 0.025³.
    const flag = f.funnel_flag_chance;
    relative = flag === null || group.level === 'total' ? null : flag.startsWith('above') ? 'above' : flag.startsWith('below') ? 'below' : 'in_line';
  }
  return { school_year: yearOf(group.key), n: group.suppressed ? null : group.n, suppressed: group.suppressed, estimates, direction, relative, change: {} };
}

function transitionPoint(group: TransitionGroup): YearPoint {
  const f = group.figures;
  const shown = f !== null && group.suppressed === null;
  const estimates: Partial<Record<TrendMetric, Estimate | null>> = {};
  if (shown) {
    const share = (value: number): Estimate => {
      const ci = wilsonInterval(Math.round(value * group.n), group.n);
      return { value, low: ci.low, high: ci.high, scale: 'share' };
    };
    estimates.share_pass_from = share(f.share_pass_from);
    estimates.share_pass_to = share(f.share_pass_to);
    estimates.diff_pp = { value: f.diff_pp, low: f.diff_pp - Z95 * f.diff_se, high: f.diff_pp + Z95 * f.diff_se, scale: 'mean' };
  } else for (const metric of TRANSITION_TREND_METRICS) estimates[metric] = null;
  return {
    school_year: yearOf(group.key),
    n: group.suppressed ? null : group.n,
    suppressed: group.suppressed,
    estimates,
    direction: shown ? f.verdict : null,
    relative: null,
    change: {},
  };
}

/** Gap series from a gap result grouped by school_year (and anything else). */
export function gapTrend(result: GapResult): TrendPart {
  if (!result.plan.by.includes('school_year')) throw new Error('gapTrend needs a result grouped by school_year');
  return buildSeries(
    'gap',
    result.plan,
    GAP_TREND_METRICS,
    result.groups.map((group) => ({ key: group.key, level: group.level, point: gapPoint(group) })),
  );
}

/** Transition series from a transition result grouped by school_year (the later, år 6 year). */
export function transitionTrend(result: TransitionResult): TrendPart {
  if (!result.plan.by.includes('school_year')) throw new Error('transitionTrend needs a result grouped by school_year');
  return buildSeries(
    'transition',
    result.plan,
    TRANSITION_TREND_METRICS,
    result.groups.map((group) => ({ key: group.key, level: group.level, point: transitionPoint(group) })),
  );
}

/**
 * Series whose streak is a pattern (at least `minStreak` springs in a row), longest first.
 * @internal (also used by tests)
 */
export function patterns(part: TrendPart, minStreak: number): TrendSeries[] {
  return part.series
    .filter((series) => series.streak.years >= minStreak || series.streak_relative.years >= minStreak)
    .sort((a, b) => Math.max(b.streak.years, b.streak_relative.years) - Math.max(a.streak.years, a.streak_relative.years));
}
