/**
 * Fair comparisons between groups: pure functions on A–F × A–F count tables
 * (counts[teacher * 6 + test], steps F=0 … A=5). The README's method section (and
 * docs/metoder.md) explains them for the board and for the analyst.
 *
 * - Indirect standardisation by test grade (the ceiling effect). A pupil with provbetyg A cannot
 *   get a higher grade; a pupil with F on the test often gets E. So a group's raw share "higher"
 *   depends on its mix of test grades. For each test grade t a standard population (the rest of
 *   the municipality, or a reference table) gives the rate of higher / lower grades and the mean
 *   difference; applied to the group's own mix they give what the group would show if it graded
 *   like the standard. Observed − expected is the standardised gap (`std_gap`).
 *   Differences are measured on one of two scales: grade points (A=20 … E=10, F=0, so a step
 *   across the pass bar weighs 10 and any other step 2.5) or grade steps (every step 1).
 * - The standard error counts both samples: Var = Σₜ nₜ σₜ² (1 + nₜ/mₜ) / n², with nₜ the group's
 *   pupils with test grade t, mₜ the standard's, σₜ² the standard's variance (divisor mₜ) of the
 *   difference among its pupils with test grade t. The second term is the standard's own
 *   sampling noise; it matters when the standard is the rest of a small municipality.
 *   Pupils whose test grade no one in the standard has cannot be compared and are left out (`n`).
 * - Between-group variation ("ordinary differences between schools"): the variance τ² of groups'
 *   true standardised gaps beyond sampling noise, estimated by the DerSimonian–Laird moment method
 *   pooled over many families of comparable groups (every school year, grade level and subject:
 *   each family keeps its own mean), with a Q-profile confidence interval (Viechtbauer 2007, Stat
 *   Med 26:37–52). A municipality has 1–4 schools per family; pooling over families is what makes
 *   τ² estimable at all.
 * - Funnel limits (Spiegelhalter 2005, "Funnel plots for comparing institutional performance",
 *   Stat Med 24:1185–1202, §3.4 random-effects limits): z = std_gap / √(se² + τ²_eff), limits at
 *   ±1.96 and ±3.09 × √(se² + τ²_eff); "chance alone" uses se only.
 * - Empirical-Bayes shrinkage: each estimate moves toward its centre by τ²_eff / (τ²_eff + se²).
 * - Background adjustment (`standardiseWithin`): the same indirect standardisation with finer
 *   strata, test grade × the pupils' background values (nyanländ, föräldrarnas
 *   utbildningsnivå, …): a group is compared with what the standard's teachers give pupils with
 *   the same test grade and the same background. Indirect, not direct: direct standardisation
 *   would need the group's own rate in every stratum of a common population, which a school of
 *   20 pupils spread over 6 test grades × a few background values does not have.
 */
import { GRADE_POINTS } from '../types.js';
import { benjaminiHochberg, chiSquareQuantile, normalCdf, normalQuantile } from './stats.js';

/** The scale differences are measured on: grade points (A=20 … F=0) or grade steps (F=0 … A=5). */
export type FlagScale = 'points' | 'steps';

/** Teacher minus test on a scale, from steps g and t. */
export function difference(scale: FlagScale, g: number, t: number): number {
  return scale === 'steps' ? g - t : (GRADE_POINTS[g] ?? 0) - (GRADE_POINTS[t] ?? 0);
}

export interface ReferenceRates {
  scale: FlagScale;
  /** Per test grade step t (F=0 … A=5). */
  n: number[];
  higher: number[];
  lower: number[];
  meanDiff: number[];
  /** Population variance (÷ n) of the difference among pupils with test grade t. */
  varDiff: number[];
}

/** Rates per test grade from a standard table counts[teacher * 6 + test]. */
export function referenceRates(counts: ArrayLike<number>, scale: FlagScale = 'points'): ReferenceRates {
  const rates: ReferenceRates = { scale, n: [], higher: [], lower: [], meanDiff: [], varDiff: [] };
  for (let t = 0; t < 6; t++) {
    let n = 0;
    let higher = 0;
    let lower = 0;
    let sum = 0;
    for (let g = 0; g < 6; g++) {
      const count = counts[g * 6 + t] ?? 0;
      n += count;
      if (g > t) higher += count;
      if (g < t) lower += count;
      sum += count * difference(scale, g, t);
    }
    const mean = n > 0 ? sum / n : 0;
    let squares = 0;
    for (let g = 0; g < 6; g++) squares += (counts[g * 6 + t] ?? 0) * (difference(scale, g, t) - mean) ** 2;
    rates.n.push(n);
    rates.higher.push(n > 0 ? higher / n : 0);
    rates.lower.push(n > 0 ? lower / n : 0);
    rates.meanDiff.push(mean);
    rates.varDiff.push(n > 0 ? squares / n : 0);
  }
  return rates;
}

export interface Standardised {
  /** Pupils compared: those whose test grade occurs in the standard. */
  n: number;
  expected_share_higher: number;
  expected_share_lower: number;
  expected_mean_diff: number;
  /** Observed − expected mean difference, on the rates' scale. */
  std_gap: number;
  std_gap_se: number;
  /** Observed − expected share higher / lower, with standard errors Σₜ nₜ pₜ(1 − pₜ)(1 + nₜ/mₜ) / n². */
  excess_share_higher: number;
  excess_share_higher_se: number;
  excess_share_lower: number;
  excess_share_lower_se: number;
}

/**
 * Observed against expected for a group's table, given the standard's rates. With
 * `standardSampling` the standard's own sampling noise is added (the standard is a sample
 * independent of the group: the rest of the municipality, another year, other municipalities);
 * without it the standard's rates are taken as known (the group is part of the standard, as
 * when τ² is estimated). Null when no pupil can be compared.
 */
export function standardise(counts: ArrayLike<number>, reference: ReferenceRates, standardSampling = false): Standardised | null {
  let n = 0;
  let observedSum = 0;
  let observedHigher = 0;
  let observedLower = 0;
  let expectedHigher = 0;
  let expectedLower = 0;
  let expectedSum = 0;
  let variance = 0;
  let varianceHigher = 0;
  let varianceLower = 0;
  for (let t = 0; t < 6; t++) {
    const m = reference.n[t] ?? 0;
    if (m === 0) continue;
    let nt = 0;
    for (let g = 0; g < 6; g++) {
      const count = counts[g * 6 + t] ?? 0;
      if (count === 0) continue;
      nt += count;
      observedSum += count * difference(reference.scale, g, t);
      if (g > t) observedHigher += count;
      if (g < t) observedLower += count;
    }
    if (nt === 0) continue;
    n += nt;
    const inflate = standardSampling ? 1 + nt / m : 1;
    const h = reference.higher[t] ?? 0;
    const l = reference.lower[t] ?? 0;
    expectedHigher += nt * h;
    expectedLower += nt * l;
    expectedSum += nt * (reference.meanDiff[t] ?? 0);
    variance += nt * (reference.varDiff[t] ?? 0) * inflate;
    varianceHigher += nt * h * (1 - h) * inflate;
    varianceLower += nt * l * (1 - l) * inflate;
  }
  if (n === 0) return null;
  return {
    n,
    expected_share_higher: expectedHigher / n,
    expected_share_lower: expectedLower / n,
    expected_mean_diff: expectedSum / n,
    std_gap: (observedSum - expectedSum) / n,
    std_gap_se: Math.sqrt(variance) / n,
    excess_share_higher: (observedHigher - expectedHigher) / n,
    excess_share_higher_se: Math.sqrt(varianceHigher) / n,
    excess_share_lower: (observedLower - expectedLower) / n,
    excess_share_lower_se: Math.sqrt(varianceLower) / n,
  };
}

/**
 * The standardised gap of `standardiseWithin` and its standard error. (Its pupils compared and
 * expected mean difference are not given: gap does not publish them, see std_n_adjusted.)
 */
interface StandardisedWithin {
  std_gap: number;
  std_gap_se: number;
}

/**
 * Indirect standardisation within strata of test grade × background: `group` and `total` give,
 * per combination of background values, the A–F × A–F counts of the group and of the total it is
 * part of; the standard in each combination is the total minus the group (the rest of the
 * municipality with those values). Per combination c, standardise() against the rest's rates
 * with its sampling noise; then, over the n = Σ n_c pupils compared,
 * std_gap = Σ n_c std_gap_c / n and Var = Σ (n_c se_c)² / n², which is
 * Σ_{t,c} n_tc σ²_tc (1 + n_tc/m_tc) / n² (the combinations are disjoint samples). Pupils whose
 * test grade no one in the rest with their background has are left out. Null when no pupil can
 * be compared.
 */
export function standardiseWithin(group: ReadonlyMap<string, ArrayLike<number>>, total: ReadonlyMap<string, ArrayLike<number>>, scale: FlagScale): StandardisedWithin | null {
  let n = 0;
  let gap = 0;
  let variance = 0;
  for (const [combo, counts] of group) {
    const all = total.get(combo);
    if (!all) continue;
    const rest = new Float64Array(36);
    for (let i = 0; i < 36; i++) rest[i] = (all[i] ?? 0) - (counts[i] ?? 0);
    const within = standardise(counts, referenceRates(rest, scale), true);
    if (!within) continue;
    n += within.n;
    gap += within.n * within.std_gap;
    variance += (within.n * within.std_gap_se) ** 2;
  }
  if (n === 0) return null;
  return { std_gap: gap / n, std_gap_se: Math.sqrt(variance) / n };
}

export const Z95 = normalQuantile(0.975);
export const Z998 = normalQuantile(0.999);

export type FunnelFlag = 'above_99.8' | 'above_95' | 'within' | 'below_95' | 'below_99.8';

export function funnelFlag(z: number): FunnelFlag {
  if (z > Z998) return 'above_99.8';
  if (z > Z95) return 'above_95';
  if (z < -Z998) return 'below_99.8';
  if (z < -Z95) return 'below_95';
  return 'within';
}

/** Two-sided normal p-value of a z-score. */
export function zPValue(z: number): number {
  return 2 * (1 - normalCdf(Math.abs(z)));
}

/** One group's estimate and its sampling variance. */
export interface Estimate {
  y: number;
  v: number;
}

export interface BetweenGroups {
  /** τ², or null when not estimable (no family with two groups). */
  tau2: number | null;
  /** Q-profile 95 % interval for τ². */
  tau2_ci_low: number | null;
  tau2_ci_high: number | null;
  /** Cochran's Q summed over families, and its degrees of freedom Σ (kᵢ − 1). */
  q: number;
  df: number;
  /** Families with at least two groups, and the groups in them. */
  families: number;
  groups: number;
}

/** Generalised Q at τ²: Σ families Σ groups (y − ȳ(τ²))² / (v + τ²), ȳ weighted by 1 / (v + τ²). */
function generalisedQ(families: readonly (readonly Estimate[])[], tau2: number): number {
  let q = 0;
  for (const family of families) {
    let sw = 0;
    let swy = 0;
    for (const { y, v } of family) {
      const w = 1 / (v + tau2);
      sw += w;
      swy += w * y;
    }
    const mean = swy / sw;
    for (const { y, v } of family) q += (y - mean) ** 2 / (v + tau2);
  }
  return q;
}

/** The τ² where the (decreasing) generalised Q equals `target`; 0 when Q(0) is below it already. */
function solveQ(families: readonly (readonly Estimate[])[], target: number): number {
  if (generalisedQ(families, 0) <= target) return 0;
  let hi = 1;
  let vmax = 0;
  for (const family of families) for (const { v } of family) vmax = Math.max(vmax, v);
  hi = Math.max(hi, vmax);
  while (generalisedQ(families, hi) > target) hi *= 2;
  let lo = 0;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (generalisedQ(families, mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Between-group variance pooled over families (each family: comparable groups that share one
 * standard, with their own mean). DerSimonian–Laird with a fixed mean per family:
 * Q = Σ_f Σ_i wᵢ (yᵢ − ȳ_f)², wᵢ = 1/vᵢ, df = Σ_f (k_f − 1),
 * τ² = max(0, (Q − df) / Σ_f (S1_f − S2_f / S1_f)), S1 = Σ w, S2 = Σ w².
 * The interval: the τ² where the generalised Q equals the χ²_df 97.5 % and 2.5 % quantiles.
 * Groups with v ≤ 0 or non-finite values are left out; families with fewer than two groups add
 * nothing.
 */
export function betweenGroupVariance(families: readonly (readonly Estimate[])[]): BetweenGroups {
  const usable = families
    .map((family) => family.filter(({ y, v }) => Number.isFinite(y) && Number.isFinite(v) && v > 0))
    .filter((family) => family.length >= 2);
  let q = 0;
  let df = 0;
  let c = 0;
  let groups = 0;
  for (const family of usable) {
    let s1 = 0;
    let s2 = 0;
    let swy = 0;
    for (const { y, v } of family) {
      const w = 1 / v;
      s1 += w;
      s2 += w * w;
      swy += w * y;
    }
    const mean = swy / s1;
    for (const { y, v } of family) q += (y - mean) ** 2 / v;
    df += family.length - 1;
    c += s1 - s2 / s1;
    groups += family.length;
  }
  if (df === 0) return { tau2: null, tau2_ci_low: null, tau2_ci_high: null, q, df, families: 0, groups: 0 };
  return {
    tau2: Math.max(0, (q - df) / c),
    tau2_ci_low: solveQ(usable, chiSquareQuantile(0.975, df)),
    tau2_ci_high: solveQ(usable, chiSquareQuantile(0.025, df)),
    q,
    df,
    families: usable.length,
    groups,
  };
}

/**
 * τ² as it applies to a group compared with the rest of its family: the group's own true effect
 * and the rest's pupil-weighted mean of the others' effects both vary, so
 * Var(u_i − ū_rest) = τ² (1 + Σ_{j≠i} (n_j / m)²), m = Σ_{j≠i} n_j.
 * `rest` is m and `restSquares` Σ_{j≠i} n_j².
 */
export function restTau2(tau2: number, rest: number, restSquares: number): number {
  return rest > 0 ? tau2 * (1 + restSquares / (rest * rest)) : tau2;
}

/** How many comparisons were made, how many fall below α, and how many survive Benjamini–Hochberg. */
export interface FlagSummary {
  /** Groups tested. */
  tests: number;
  /** p < alpha, unadjusted. */
  flagged: number;
  /** Benjamini–Hochberg adjusted p < alpha (false discovery rate alpha). */
  flagged_adjusted: number;
  /** tests × alpha: the flags to expect if no group really differed. */
  expected_by_chance: number;
}

/** Benjamini–Hochberg across `items` (those with a p-value); `set` receives each adjusted p. */
export function adjustAcross<T>(items: readonly T[], get: (item: T) => number | null, set: (item: T, p: number) => void, alpha: number): FlagSummary {
  // Each item's p-value is asked for once (some are computed on the way, e.g. from a z-score).
  const tested: T[] = [];
  const raw: number[] = [];
  for (const item of items) {
    const p = get(item);
    if (p === null) continue;
    tested.push(item);
    raw.push(p);
  }
  const adjusted = benjaminiHochberg(raw);
  tested.forEach((item, i) => set(item, adjusted[i] ?? NaN));
  return {
    tests: tested.length,
    flagged: raw.filter((p) => p < alpha).length,
    flagged_adjusted: adjusted.filter((p) => p < alpha).length,
    expected_by_chance: tested.length * alpha,
  };
}
