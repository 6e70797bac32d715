/**
 * Fair comparisons between groups (issue 6): pure functions on A–F × A–F count tables.
 *
 * - Indirect standardisation by test grade (the ceiling effect). A pupil with provbetyg A cannot
 *   get a higher grade; a pupil with F on the test often gets E. So a group's raw share "higher"
 *   depends on its mix of test grades. For each test grade t the reference population (the
 *   municipality) gives the rate of higher / lower grades and the mean grade-point difference;
 *   applied to the group's own mix they give what the group would show if it graded like the
 *   reference. Observed − expected is the standardised gap (`std_gap`, grade points).
 *   Its standard error treats the reference rates as known: Var = Σₜ nₜ σₜ² / n², with σₜ² the
 *   reference's variance of the difference among pupils with test grade t.
 * - Funnel limits (Spiegelhalter 2005, "Funnel plots for comparing institutional performance",
 *   Stat Med 24:1185–1202): z = std_gap / SE; control limits at ±1.96 (95 %) and ±3.09 (99.8 %).
 *   Overdispersion by the multiplicative method of that paper: φ = mean of the squared z-scores
 *   after winsorising the 10 % most extreme at each end, used (SE × √φ) when φ > 1 and at least
 *   MIN_GROUPS_FOR_PHI groups are compared.
 * - Empirical-Bayes shrinkage (optional): a normal–normal model with the between-group variance
 *   τ² by the DerSimonian–Laird moment estimator; each estimate moves toward the weighted mean by
 *   the factor se² / (se² + τ²).
 */
import { GRADE_POINTS } from '../types.js';
import { normalCdf, normalQuantile } from './stats.js';

export interface ReferenceRates {
  /** Per test grade step t (F=0 … A=5). */
  n: number[];
  higher: number[];
  lower: number[];
  meanDiff: number[];
  /** Population variance (÷ n) of the point difference among pupils with test grade t. */
  varDiff: number[];
}

const diffPoints = (g: number, t: number) => (GRADE_POINTS[g] ?? 0) - (GRADE_POINTS[t] ?? 0);

/** Rates per test grade from a reference table counts[teacher * 6 + test]. */
export function referenceRates(counts: ArrayLike<number>): ReferenceRates {
  const rates: ReferenceRates = { n: [], higher: [], lower: [], meanDiff: [], varDiff: [] };
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
      sum += count * diffPoints(g, t);
    }
    const mean = n > 0 ? sum / n : 0;
    let squares = 0;
    for (let g = 0; g < 6; g++) squares += (counts[g * 6 + t] ?? 0) * (diffPoints(g, t) - mean) ** 2;
    rates.n.push(n);
    rates.higher.push(n > 0 ? higher / n : 0);
    rates.lower.push(n > 0 ? lower / n : 0);
    rates.meanDiff.push(mean);
    rates.varDiff.push(n > 0 ? squares / n : 0);
  }
  return rates;
}

export interface Standardised {
  expected_share_higher: number;
  expected_share_lower: number;
  expected_mean_diff: number;
  /** Observed − expected mean difference, grade points. */
  std_gap: number;
  std_gap_se: number;
  /** Observed − expected share higher / lower, with standard errors Σₜ nₜ pₜ(1 − pₜ) / n² (binomial within each test grade). */
  excess_share_higher: number;
  excess_share_higher_se: number;
  excess_share_lower: number;
  excess_share_lower_se: number;
}

/** Observed against expected for a group's table, given the reference's rates. Null if n = 0. */
export function standardise(counts: ArrayLike<number>, reference: ReferenceRates): Standardised | null {
  let n = 0;
  let observedSum = 0;
  let expectedHigher = 0;
  let expectedLower = 0;
  let expectedSum = 0;
  let variance = 0;
  let observedHigher = 0;
  let observedLower = 0;
  let varianceHigher = 0;
  let varianceLower = 0;
  for (let t = 0; t < 6; t++) {
    let nt = 0;
    for (let g = 0; g < 6; g++) {
      const count = counts[g * 6 + t] ?? 0;
      nt += count;
      observedSum += count * diffPoints(g, t);
      if (g > t) observedHigher += count;
      if (g < t) observedLower += count;
    }
    if (nt === 0) continue;
    n += nt;
    expectedHigher += nt * (reference.higher[t] ?? 0);
    expectedLower += nt * (reference.lower[t] ?? 0);
    expectedSum += nt * (reference.meanDiff[t] ?? 0);
    variance += nt * (reference.varDiff[t] ?? 0);
    const h = reference.higher[t] ?? 0;
    const l = reference.lower[t] ?? 0;
    varianceHigher += nt * h * (1 - h);
    varianceLower += nt * l * (1 - l);
  }
  if (n === 0) return null;
  return {
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

const MIN_GROUPS_FOR_PHI = 8;
export const Z95 = normalQuantile(0.975);
export const Z998 = normalQuantile(0.999);

/**
 * Multiplicative overdispersion factor φ from the groups' z-scores (Spiegelhalter 2005, §3.4):
 * winsorise the lowest and highest 10 %, φ = Σ z² / k. Returns 1 when fewer than
 * MIN_GROUPS_FOR_PHI z-scores are given or φ ≤ 1 (no overdispersion to allow for).
 */
export function overdispersion(zs: readonly number[]): number {
  const finite = zs.filter((z) => Number.isFinite(z));
  const k = finite.length;
  if (k < MIN_GROUPS_FOR_PHI) return 1;
  const sorted = [...finite].sort((a, b) => a - b);
  const cut = Math.floor(0.1 * k);
  const low = sorted[cut] ?? 0;
  const high = sorted[k - 1 - cut] ?? 0;
  let sum = 0;
  for (const z of finite) {
    const w = Math.min(high, Math.max(low, z));
    sum += w * w;
  }
  const phi = sum / k;
  return phi > 1 ? phi : 1;
}

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

export interface Shrinkage {
  mean: number;
  tau2: number;
  shrunk: number[];
}

/**
 * DerSimonian–Laird: weights w = 1/se², Q = Σ w (x − x̄_w)², τ² = max(0, (Q − (k − 1)) /
 * (Σw − Σw²/Σw)); shrunk_i = μ + τ²/(τ² + se_i²) · (x_i − μ) with μ the 1/(se² + τ²)-weighted
 * mean. Estimates with se = 0 or non-finite values are returned unchanged.
 */
export function shrinkEstimates(estimates: readonly number[], ses: readonly number[]): Shrinkage {
  const usable = estimates.map((x, i) => ({ x, se: ses[i] ?? NaN, i })).filter(({ x, se }) => Number.isFinite(x) && se > 0 && Number.isFinite(se));
  const shrunk = [...estimates];
  if (usable.length < 2) return { mean: NaN, tau2: NaN, shrunk };
  let sw = 0;
  let sw2 = 0;
  let swx = 0;
  for (const { x, se } of usable) {
    const w = 1 / (se * se);
    sw += w;
    sw2 += w * w;
    swx += w * x;
  }
  const fixed = swx / sw;
  let q = 0;
  for (const { x, se } of usable) q += ((x - fixed) * (x - fixed)) / (se * se);
  const tau2 = Math.max(0, (q - (usable.length - 1)) / (sw - sw2 / sw));
  let sv = 0;
  let svx = 0;
  for (const { x, se } of usable) {
    const v = 1 / (se * se + tau2);
    sv += v;
    svx += v * x;
  }
  const mean = svx / sv;
  for (const { x, se, i } of usable) shrunk[i] = mean + (tau2 / (tau2 + se * se)) * (x - mean);
  return { mean, tau2, shrunk };
}
