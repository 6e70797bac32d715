/**
 * Pure statistical routines used by the analyses: distributions, confidence
 * intervals, agreement and paired-comparison tests, multiplicity correction.
 *
 * No I/O. Every function validates its arguments and throws `RangeError` on
 * invalid input (negative counts, empty samples where the value is undefined,
 * probabilities outside their domain) unless its doc comment says otherwise.
 */

/** Summary of one sample; `variance` is the sample variance (n − 1 denominator). */
export interface SampleSummary {
  n: number;
  mean: number;
  variance: number;
}

// ---------------------------------------------------------------------------
// Internal helpers
// ---------------------------------------------------------------------------

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
/** Relative convergence tolerance for continued fractions and series. */
const CF_EPS = 1e-15;
/** Smallest magnitude allowed in Lentz's method before it is nudged away from zero. */
const FPMIN = 1e-300;
const MAX_ITER = 100_000;

function fail(message: string): never {
  throw new RangeError(message);
}

function requireFinite(name: string, x: number): void {
  if (!Number.isFinite(x)) fail(`${name} must be a finite number, got ${x}`);
}

function requireCount(name: string, x: number): void {
  if (!Number.isFinite(x) || x < 0) fail(`${name} must be a non-negative finite count, got ${x}`);
}

function requireIntegerCount(name: string, x: number): void {
  if (!Number.isInteger(x) || x < 0) fail(`${name} must be a non-negative integer, got ${x}`);
}

function requireLevel(level: number): void {
  if (!(level > 0 && level < 1)) fail(`confidence level must be in (0, 1), got ${level}`);
}

/** The last level zCritical was asked for and its value: every Wilson interval of a report asks for the same (0.95). */
let zCriticalLevel = NaN;
let zCriticalValue = NaN;

/** Two-sided critical value z_{1−α/2} for a confidence level (the same value each time, remembered for the last level). */
function zCritical(level: number): number {
  if (level !== zCriticalLevel) {
    zCriticalValue = -normalQuantile((1 - level) / 2);
    zCriticalLevel = level;
  }
  return zCriticalValue;
}

/** Element of a numeric table; the caller has already validated the shape. */
function cell(matrix: readonly (readonly number[])[], i: number, j: number): number {
  const row = matrix[i];
  const v = row === undefined ? undefined : row[j];
  if (v === undefined) fail(`matrix has no element [${i}][${j}]`);
  return v;
}

function at(values: readonly number[], i: number): number {
  const v = values[i];
  if (v === undefined) fail(`index ${i} out of range`);
  return v;
}

/** Validate a square table of non-negative finite counts; return k and the total. */
function validateSquareTable(matrix: readonly (readonly number[])[]): { k: number; total: number } {
  const k = matrix.length;
  if (k === 0) fail('table must have at least one row');
  let total = 0;
  for (let i = 0; i < k; i++) {
    const row = matrix[i];
    if (row === undefined || row.length !== k) fail(`table must be square (${k}×${k}); row ${i} has wrong length`);
    for (let j = 0; j < k; j++) {
      const v = cell(matrix, i, j);
      // The check of requireCount, without making the cell's name for every valid count.
      if (!Number.isFinite(v) || v < 0) requireCount(`table[${i}][${j}]`, v);
      total += v;
    }
  }
  if (total === 0) fail('table is empty (total count 0)');
  return { k, total };
}

/**
 * Stirling-series remainder δ(x) = lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], for x ≥ 10
 * (Abramowitz & Stegun 6.1.40); truncation error < 1e-17 at x = 10.
 */
function stirlingCorrection(x: number): number {
  const x2 = 1 / (x * x);
  return (
    (1 / 12 +
      x2 *
        (-1 / 360 +
          x2 * (1 / 1260 + x2 * (-1 / 1680 + x2 * (1 / 1188 + x2 * (-691 / 360360 + x2 * (1 / 156))))))) /
    x
  );
}

/**
 * ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b), evaluated without the catastrophic
 * cancellation of the naive sum when an argument is large (same decomposition as
 * R's nmath lbeta.c).
 */
function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

/** ln x, using log1p(−y) when x is close to 1 and y = 1 − x is known accurately. */
function logComplementAware(x: number, y: number): number {
  return x > 0.5 ? Math.log1p(-y) : Math.log(x);
}

/** Continued fraction for I_x(a, b) (Numerical Recipes 3rd ed. §6.4 `betacf`, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < CF_EPS) break;
  }
  return h;
}

/**
 * I_x(a, b) where y = 1 − x is supplied separately (so tails stay accurate when x
 * is close to 1). The complement 1 − I_x(a, b) is accurately `betaInc(y, x, b, a)`.
 */
function betaInc(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = a * logComplementAware(x, y) + b * logComplementAware(y, x) - logBeta(a, b);
  const front = Math.exp(logFront);
  if (x < (a + 1) / (a + b + 2)) {
    return (front * betaContinuedFraction(a, b, x)) / a;
  }
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** Series for P(a, x) (NR §6.2 `gser`); used when x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * CF_EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Continued fraction for Q(a, x) (NR §6.2 `gcf`, modified Lentz); used when x ≥ a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < CF_EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Upper regularized gamma Q(a, x) = 1 − P(a, x), accurate in the upper tail. */
function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  if (x < a + 1) return 1 - gammaSeries(a, x);
  return gammaContinuedFraction(a, x);
}

/** x = df/(df+t²) and y = t²/(df+t²) for t ≥ 0, without overflow for huge t. */
function tBetaArguments(t: number, df: number): { x: number; y: number } {
  const s = t / Math.sqrt(df);
  if (s <= 1) {
    const s2 = s * s;
    return { x: 1 / (1 + s2), y: s2 / (1 + s2) };
  }
  const r2 = 1 / (s * s);
  return { x: r2 / (1 + r2), y: 1 / (1 + r2) };
}

/**
 * Upper tail P(T ≥ t) for t ≥ 0 under Student's t with df degrees of freedom:
 * ½ I_{df/(df+t²)}(df/2, ½) (Abramowitz & Stegun 26.7.1 / 26.5.27).
 */
function studentTUpperTail(t: number, df: number): number {
  if (t === Infinity) return 0;
  const s = t / Math.sqrt(df);
  if (s > 1e100) {
    // x < 1e-200: I_x(a, b) = x^a / (a B(a, b)) · (1 + O(x)), evaluated in logs
    // because x itself may underflow.
    const a = df / 2;
    const logS = Math.log(t) - 0.5 * Math.log(df); // s itself may overflow
    return 0.5 * Math.exp(-2 * a * logS - Math.log(a) - logBeta(a, 0.5));
  }
  const { x, y } = tBetaArguments(t, df);
  return 0.5 * betaInc(x, y, df / 2, 0.5);
}

/** Central probability P(|T| ≤ t) for t ≥ 0: I_{t²/(df+t²)}(½, df/2), accurate for small t. */
function studentTCentral(t: number, df: number): number {
  const s = t / Math.sqrt(df);
  if (s > 1e100) return 1 - 2 * studentTUpperTail(t, df);
  const { x, y } = tBetaArguments(t, df);
  return betaInc(y, x, 0.5, df / 2);
}

/** Student t density f(t; df). */
function studentTPdf(t: number, df: number): number {
  const s = Math.abs(t) / Math.sqrt(df);
  const logKernel = s < 1e150 ? Math.log1p(s * s) : 2 * (Math.log(Math.abs(t)) - 0.5 * Math.log(df));
  return Math.exp(-logBeta(df / 2, 0.5) - 0.5 * Math.log(df) - ((df + 1) / 2) * logKernel);
}

/**
 * Wilson score limits for x successes of n at critical value z, clamped so the
 * limits are exactly 0 / 1 at x = 0 / x = n.
 */
function wilsonLimits(x: number, n: number, z: number): { low: number; high: number } {
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const low = x === 0 ? 0 : Math.max(0, centre - half);
  const high = x === n ? 1 : Math.min(1, centre + half);
  return { low, high };
}

// ---------------------------------------------------------------------------
// Special functions and distributions
// ---------------------------------------------------------------------------

/**
 * ln Γ(x) for x > 0. Lanczos approximation (g = 7, 9 coefficients; relative error
 * ≈ 1e-15), with the reflection formula Γ(x)Γ(1−x) = π/sin(πx) for x < ½.
 * Reference: Lanczos (1964) SIAM J. Numer. Anal. B 1:86–96; coefficients as in
 * Press et al., Numerical Recipes / Godfrey (2001). Throws for x ≤ 0 or NaN.
 * @internal (also used by tests)
 */
export function logGamma(x: number): number {
  if (!(x > 0)) fail(`logGamma requires x > 0, got ${x}`);
  if (x === Infinity) return Infinity;
  if (x < 0.5) {
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const xm1 = x - 1;
  let acc = at(coefficients, 0);
  for (let i = 1; i < coefficients.length; i++) acc += at(coefficients, i) / (xm1 + i);
  const t = xm1 + 7.5;
  return LN_SQRT_2PI + (xm1 + 0.5) * Math.log(t) - t + Math.log(acc);
}

/**
 * Regularized incomplete beta function I_x(a, b), x ∈ [0, 1], a, b > 0.
 * Continued fraction (Numerical Recipes 3rd ed. §6.4, `betai`/`betacf`), using the
 * symmetry I_x(a,b) = 1 − I_{1−x}(b,a) so the fraction always converges fast;
 * ln B(a,b) uses Stirling corrections for large arguments. Relative error (vs
 * SciPy/Boost) ≲ 2e-13 for a, b ≤ 1000; near the centre of the distribution it grows
 * with the parameters through cancellation in the fraction (≈ 2e-12 at 1e4, 2e-11 at
 * 1e5, 1e-10 at 1e6).
 * @internal (also used by tests)
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) fail(`x must be in [0, 1], got ${x}`);
  if (!(a > 0) || !Number.isFinite(a)) fail(`a must be a positive finite number, got ${a}`);
  if (!(b > 0) || !Number.isFinite(b)) fail(`b must be a positive finite number, got ${b}`);
  return betaInc(x, 1 - x, a, b);
}

/**
 * Lower regularized incomplete gamma P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0.
 * Series for x < a + 1, Lentz continued fraction for Q otherwise
 * (Numerical Recipes 3rd ed. §6.2, `gser`/`gcf`). x = ∞ gives 1.
 * @internal (also used by tests)
 */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !Number.isFinite(a)) fail(`a must be a positive finite number, got ${a}`);
  if (!(x >= 0)) fail(`x must be >= 0, got ${x}`);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  if (x < a + 1) return gammaSeries(a, x);
  return 1 - gammaContinuedFraction(a, x);
}

/**
 * Standard normal CDF Φ(x) = ½ erfc(−x/√2), with erfc(z) = Q(½, z²) for z ≥ 0
 * (Abramowitz & Stegun 7.1.2, 6.5.17), evaluated through the series / continued
 * fraction of the incomplete gamma function. Relative error ≲ 3e-13 down to x ≈ −37.
 * NaN gives NaN; ±∞ give 1 / 0.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const tail = 0.5 * regularizedGammaQ(0.5, (x * x) / 2);
  return x < 0 ? tail : 1 - tail;
}

/** Acklam's rational approximation to Φ⁻¹(p) for p ≤ ½ (relative error < 1.15e-9). */
function acklamLower(p: number): number {
  const a1 = -3.969683028665376e1, a2 = 2.209460984245205e2, a3 = -2.759285104469687e2;
  const a4 = 1.38357751867269e2, a5 = -3.066479806614716e1, a6 = 2.506628277459239;
  const b1 = -5.447609879822406e1, b2 = 1.615858368580409e2, b3 = -1.556989798598866e2;
  const b4 = 6.680131188771972e1, b5 = -1.328068155288572e1;
  const c1 = -7.784894002430293e-3, c2 = -3.223964580411365e-1, c3 = -2.400758277161838;
  const c4 = -2.549732539343734, c5 = 4.374664141464968, c6 = 2.938163982698783;
  const d1 = 7.784695709041462e-3, d2 = 3.224671290700398e-1, d3 = 2.445134137142996, d4 = 3.754408661907416;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q) /
    (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1);
}

/**
 * Standard normal quantile Φ⁻¹(p), p ∈ (0, 1). Acklam's (2003) rational
 * approximation refined by one Halley step on Φ (as recommended by Acklam);
 * computed in the lower tail and reflected, so accuracy ≈ 1e-15 relative.
 * Throws for p ∉ (0, 1).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) fail(`p must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  if (p > 0.5) return -normalQuantile(1 - p); // 1 − p is exact for p ≥ ½
  let x = acklamLower(p);
  const e = normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  if (Number.isFinite(u)) x = x - u / (1 + (x * u) / 2);
  return x;
}

/**
 * Student t CDF P(T ≤ t) with df > 0 degrees of freedom (df may be non-integer;
 * df = ∞ gives the normal CDF). Uses P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, ½)
 * (Abramowitz & Stegun 26.7.1). NaN t gives NaN.
 * @internal (also used by tests)
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) fail(`df must be > 0, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (df === Infinity) return normalCdf(t);
  const tail = studentTUpperTail(Math.abs(t), df);
  return t < 0 ? tail : 1 - tail;
}

/**
 * Student t quantiles already solved, by p and then df: a gap report asks for t_{0.975, n − 1}
 * for every group (twice), and groups share their n. Bounded: a map that grows past its limit
 * is emptied and starts again. Only values computed by uncachedStudentTQuantile go in, so a
 * value from here is the very number it would compute.
 */
const T_QUANTILES = new Map<number, Map<number, number>>();
const T_QUANTILE_PS = 16;
const T_QUANTILE_DFS = 8192;

/**
 * Student t quantile: the t with studentTCdf(t, df) = p, p ∈ (0, 1), df > 0
 * (non-integer allowed). Closed forms for df = 1, 2 (Hill 1970, CACM 13:617);
 * otherwise a bracketed, bisection-safeguarded Newton iteration on
 * ln P(T ≥ t) started from the normal quantile; both tails are solved as upper tails,
 * so quantile(1 − p) = −quantile(p) up to the rounding of 1 − p.
 * Returns ±∞ only if the quantile overflows a double. Throws for p ∉ (0, 1).
 * Remembers the quantiles it has solved (T_QUANTILES).
 */
export function studentTQuantile(p: number, df: number): number {
  let byDf = T_QUANTILES.get(p);
  const known = byDf?.get(df);
  if (known !== undefined) return known;
  const t = uncachedStudentTQuantile(p, df);
  if (!byDf) {
    if (T_QUANTILES.size >= T_QUANTILE_PS) T_QUANTILES.clear();
    T_QUANTILES.set(p, (byDf = new Map()));
  }
  if (byDf.size >= T_QUANTILE_DFS) byDf.clear();
  byDf.set(df, t);
  return t;
}

/**
 * studentTQuantile without the memory of solved quantiles.
 * @internal (also used by tests)
 */
export function uncachedStudentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) fail(`p must be in (0, 1), got ${p}`);
  if (!(df > 0)) fail(`df must be > 0, got ${df}`);
  if (df === Infinity) return normalQuantile(p);
  if (p === 0.5) return 0;
  const sign = p < 0.5 ? -1 : 1;
  const q = p < 0.5 ? p : 1 - p; // upper-tail probability in (0, ½); exact
  let t: number;
  if (df === 1) {
    // Cauchy: t = cot(πq) = tan(π(½ − q)); ½ − q is exact for q ≥ ¼.
    t = q < 0.25 ? 1 / Math.tan(Math.PI * q) : Math.tan(Math.PI * (0.5 - q));
  } else if (df === 2) {
    t = (1 - 2 * q) / Math.sqrt(2 * q * (1 - q));
  } else {
    t = solveTUpperTail(q, df);
  }
  return sign * t;
}

/**
 * Solve P(T ≥ t) = q for t > 0 (0 < q < ½). For q ≤ ¼ Newton runs on
 * ln P(T ≥ t) − ln q (well scaled in the far tail); for q > ¼ on
 * P(|T| ≤ t) − (1 − 2q) (1 − 2q is exact there), so quantiles near the median keep
 * full relative precision. Each Newton step is safeguarded by a bisection bracket.
 */
function solveTUpperTail(q: number, df: number): number {
  const central = q > 0.25;
  const c = 1 - 2 * q;
  const logQ = Math.log(q);
  // f is increasing in t, negative at 0; fPrime is its derivative.
  const f = (t: number): number => (central ? studentTCentral(t, df) - c : logQ - Math.log(studentTUpperTail(t, df)));
  const newtonStep = (t: number, ft: number): number => {
    const pdf = studentTPdf(t, df);
    const slope = central ? 2 * pdf : pdf / studentTUpperTail(t, df);
    return slope > 0 && Number.isFinite(slope) ? -ft / slope : NaN;
  };
  let lo = 0;
  let hi = Math.max(1e-300, -normalQuantile(q));
  while (!(f(hi) >= 0)) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return Infinity;
  }
  let t = lo > 0 ? lo : hi / 2;
  for (let iter = 0; iter < 2000; iter++) {
    const ft = f(t);
    if (ft === 0) return t;
    if (ft < 0) lo = t;
    else hi = t;
    let next = t + newtonStep(t, ft);
    if (!(next > lo && next < hi)) {
      next = lo > 0 && hi / lo > 4 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
    }
    if (Math.abs(next - t) <= 1e-15 * Math.abs(next) || hi - lo <= 4e-16 * hi) return next;
    t = next;
  }
  return t;
}

/**
 * Upper tail of the χ² distribution, P(X ≥ x) = Q(df/2, x/2) (regularized upper
 * incomplete gamma; A&S 26.4.19). df > 0. x ≤ 0 gives 1, x = ∞ gives 0, NaN gives NaN.
 * @internal (also used by tests)
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df)) fail(`df must be a positive finite number, got ${df}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

/**
 * Quantile of the χ² distribution: the x with P(X ≤ x) = p, by bisection on chiSquareSurvival
 * (monotone), to a relative precision of 1e-13. p ∈ (0, 1), df > 0.
 */
export function chiSquareQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) fail(`p must be in (0, 1), got ${p}`);
  let lo = 0;
  let hi = Math.max(1, df);
  while (chiSquareSurvival(hi, df) > 1 - p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquareSurvival(mid, df) > 1 - p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Quantile of the Beta(a, b) distribution by bisection on the regularized incomplete beta,
 * to an absolute precision of 1e-15.
 */
function betaQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (betaInc(mid, 1 - mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Clopper–Pearson (1934) "exact" interval for a binomial proportion x/n: the π₀ that the
 * two-sided equal-tailed exact binomial test does not reject at 1 − level,
 * low = B(α/2; x, n − x + 1), high = B(1 − α/2; x + 1, n − x) (0 at x = 0, 1 at x = n).
 * Matches scipy.stats.binomtest(x, n).proportion_ci(method='exact').
 */
export function clopperPearsonInterval(x: number, n: number, level = 0.95): { low: number; high: number } {
  requireIntegerCount('n', n);
  if (n === 0) fail('n must be positive');
  if (!(x >= 0 && x <= n) || !Number.isInteger(x)) fail(`x must be an integer in [0, n], got ${x}`);
  requireLevel(level);
  const alpha = 1 - level;
  return {
    low: x === 0 ? 0 : betaQuantile(alpha / 2, x, n - x + 1),
    high: x === n ? 1 : betaQuantile(1 - alpha / 2, x + 1, n - x),
  };
}

/**
 * Binomial CDF P(X ≤ k), X ~ Bin(n, p): for 0 ≤ k < n equals I_{1−p}(n − k, k + 1)
 * (A&S 26.5.24), evaluated with the incomplete-beta continued fraction.
 * k is floored; k < 0 gives 0, k ≥ n gives 1. n must be a non-negative integer,
 * p ∈ [0, 1] (p = 0 and p = 1 are the degenerate distributions).
 * @internal (also used by tests)
 */
export function binomialCdf(k: number, n: number, p: number): number {
  requireIntegerCount('n', n);
  if (!(p >= 0 && p <= 1)) fail(`p must be in [0, 1], got ${p}`);
  if (Number.isNaN(k)) fail('k must be a number');
  const kk = Math.floor(k);
  if (kk < 0) return 0;
  if (kk >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  return betaInc(1 - p, p, n - kk, kk + 1);
}

// ---------------------------------------------------------------------------
// Intervals and tests
// ---------------------------------------------------------------------------

/**
 * Wilson (1927) score interval for a binomial proportion, without continuity
 * correction: (p̂ + z²/2n ± z√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), z = Φ⁻¹(1 − α/2)
 * (Newcombe 1998, Stat Med 17:857–872, method 3). Limits are exactly 0 at
 * x = 0 and 1 at x = n. Throws if n ≤ 0, successes ∉ [0, n] or level ∉ (0, 1).
 */
export function wilsonInterval(successes: number, n: number, level = 0.95): { low: number; high: number } {
  if (!(n > 0) || !Number.isFinite(n)) fail(`n must be a positive finite number, got ${n}`);
  if (!(successes >= 0 && successes <= n)) fail(`successes must be in [0, n], got ${successes}`);
  requireLevel(level);
  return wilsonLimits(successes, n, zCritical(level));
}

/**
 * t-based confidence interval for a mean: mean ± t_{1−α/2, n−1} · sd/√n.
 * For n < 2 (no variance estimate) returns { low: NaN, high: NaN }.
 * Throws for negative or non-finite n, negative/non-finite sd, or level ∉ (0, 1).
 */
export function meanConfidenceInterval(
  n: number,
  mean: number,
  sd: number,
  level = 0.95,
): { low: number; high: number } {
  requireCount('n', n);
  if (!(sd >= 0) || !Number.isFinite(sd)) fail(`sd must be a non-negative finite number, got ${sd}`);
  requireLevel(level);
  if (n < 2) return { low: NaN, high: NaN };
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { low: mean - half, high: mean + half };
}

/** welchTTest's checks of one sample (the messages made only when one fails). */
function requireSample(name: string, s: SampleSummary): void {
  if (!(s.n >= 2) || !Number.isFinite(s.n)) fail(`sample ${name}: n must be >= 2, got ${s.n}`);
  if (!Number.isFinite(s.mean)) requireFinite(`sample ${name}: mean`, s.mean);
  if (!(s.variance >= 0) || !Number.isFinite(s.variance)) {
    fail(`sample ${name}: variance must be a non-negative finite number, got ${s.variance}`);
  }
}

/**
 * Welch's unequal-variance t test (Welch 1947, Biometrika 34:28–35):
 * t = (m_a − m_b)/√(v_a/n_a + v_b/n_b), Welch–Satterthwaite
 * df = (v_a/n_a + v_b/n_b)² / [(v_a/n_a)²/(n_a−1) + (v_b/n_b)²/(n_b−1)],
 * two-sided p = I_{df/(df+t²)}(df/2, ½). If both variances are 0: equal means give
 * t = 0, p = 1; otherwise t = ±∞, p = 0; df is NaN in both cases.
 * Throws if either n < 2, a variance is negative, or a value is not finite.
 */
export function welchTTest(a: SampleSummary, b: SampleSummary): { t: number; df: number; p: number } {
  requireSample('a', a);
  requireSample('b', b);
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const diff = a.mean - b.mean;
  const se2 = va + vb;
  if (se2 === 0) {
    if (diff === 0) return { t: 0, df: NaN, p: 1 };
    return { t: diff > 0 ? Infinity : -Infinity, df: NaN, p: 0 };
  }
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const p = Math.min(1, 2 * studentTUpperTail(Math.abs(t), df));
  return { t, df, p };
}

/**
 * Sample summary from streaming sums: mean = Σx/n, variance = (Σx² − (Σx)²/n)/(n − 1).
 * Tiny negative variances from rounding are clamped to 0; sums that are clearly
 * inconsistent (Σx² < (Σx)²/n beyond a 1e-8 relative tolerance) throw. n = 1 gives
 * variance NaN. Throws for n ≤ 0, negative Σx², or non-finite input.
 * Prefer `RunningStats` (Welford) when values have a large mean relative to their spread.
 * @internal (also used by tests)
 */
export function summarise(sum: number, sumSquares: number, n: number): SampleSummary {
  if (!(n > 0) || !Number.isFinite(n)) fail(`n must be a positive finite count, got ${n}`);
  requireFinite('sum', sum);
  if (!(sumSquares >= 0) || !Number.isFinite(sumSquares)) fail(`sumSquares must be a non-negative finite number, got ${sumSquares}`);
  const mean = sum / n;
  if (n < 2) return { n, mean, variance: NaN };
  let ss = sumSquares - sum * mean;
  if (ss < 0) {
    if (ss < -1e-8 * sumSquares) fail('inconsistent sums: sumSquares < sum²/n');
    ss = 0;
  }
  return { n, mean, variance: ss / (n - 1) };
}

/**
 * Streaming mean / sample variance by Welford's (1962) algorithm
 * (Technometrics 4:419–420). `mean` is NaN while empty, `variance` NaN while n < 2;
 * `add` throws for non-finite values and `summary()` throws while empty.
 * @internal (also used by tests)
 */
export class RunningStats {
  private count = 0;
  private mu = 0;
  private m2 = 0;

  /** Add one observation (must be finite). */
  add(x: number): void {
    requireFinite('x', x);
    this.count += 1;
    const delta = x - this.mu;
    this.mu += delta / this.count;
    this.m2 += delta * (x - this.mu);
  }

  /** Number of observations added. */
  get n(): number {
    return this.count;
  }

  /** Arithmetic mean (NaN when empty). */
  get mean(): number {
    return this.count === 0 ? NaN : this.mu;
  }

  /** Sample variance with n − 1 denominator (NaN when n < 2). */
  get variance(): number {
    return this.count < 2 ? NaN : Math.max(0, this.m2) / (this.count - 1);
  }

  /** Snapshot as a SampleSummary; throws RangeError when empty. */
  summary(): SampleSummary {
    if (this.count === 0) fail('RunningStats is empty');
    return { n: this.count, mean: this.mean, variance: this.variance };
  }
}

/**
 * Cohen's (weighted) kappa for a k×k table of counts (rows rater 1, columns rater 2,
 * ordered categories): κ = 1 − Σ w_ij o_ij / Σ w_ij e_ij with e_ij = r_i c_j / N and
 * disagreement weights w_ij = ((i−j)/(k−1))² (quadratic), |i−j|/(k−1) (linear) or
 * 1[i≠j] (unweighted). Cohen (1960) Educ Psychol Meas 20:37–46; Cohen (1968)
 * Psychol Bull 70:213–220; Fleiss & Cohen (1973). Equals sklearn's cohen_kappa_score.
 * Returns NaN when either rater puts everyone in one category (the formula would give 0, which
 * reads as "no agreement beyond chance" although nothing can be judged; sklearn returns 0 there)
 * or k = 1. Throws for a non-square/empty table,
 * negative counts, or total 0.
 */
export function weightedKappa(
  matrix: readonly (readonly number[])[],
  weights: 'quadratic' | 'linear' | 'unweighted' = 'quadratic',
): number {
  const { k, total } = validateSquareTable(matrix);
  if (k === 1) return NaN;
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = cell(matrix, i, j);
      rows[i] = at(rows, i) + v;
      cols[j] = at(cols, j) + v;
    }
  }
  // One side gives everyone the same category: the formula gives 0 (observed = expected), but
  // agreement beyond chance cannot be judged when one rater does not vary, so it is undefined.
  let usedRows = 0;
  let usedCols = 0;
  for (let i = 0; i < k; i++) {
    if (at(rows, i) > 0) usedRows++;
    if (at(cols, i) > 0) usedCols++;
  }
  if (usedRows < 2 || usedCols < 2) return NaN;
  const weight = (i: number, j: number): number => {
    if (weights === 'unweighted') return i === j ? 0 : 1;
    const d = Math.abs(i - j) / (k - 1);
    return weights === 'quadratic' ? d * d : d;
  };
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = weight(i, j);
      if (w === 0) continue;
      observed += w * cell(matrix, i, j);
      expected += (w * at(rows, i) * at(cols, j)) / total;
    }
  }
  if (expected === 0) return NaN;
  return 1 - observed / expected;
}

/**
 * Exact two-sided McNemar test on the discordant counts b and c (conditional
 * binomial test): p = min(1, 2·P(X ≤ min(b, c))), X ~ Bin(b + c, ½).
 * b + c = 0 gives 1. Reference: Fagerland, Lydersen & Laake (2013) BMC Med Res
 * Methodol 13:91. Throws unless b and c are non-negative integers.
 */
export function mcnemarExact(b: number, c: number): number {
  requireIntegerCount('b', b);
  requireIntegerCount('c', c);
  const n = b + c;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5));
}

/**
 * Newcombe's hybrid score interval for the difference of two independent proportions
 * (Newcombe 1998, Stat Med 17:873–890, method 10), from each proportion's own interval:
 * low = D − √((p₁−l₁)² + (u₂−p₂)²), high = D + √((u₁−p₁)² + (p₂−l₂)²), D = p₁ − p₂.
 * With Wilson intervals this is Newcombe's method 10; the trend analysis feeds it the Wilson
 * limits the gap report already holds, so a year-on-year change and the yearly figures agree.
 */
export function independentDifferenceFromIntervals(
  p1: number,
  low1: number,
  high1: number,
  p2: number,
  low2: number,
  high2: number,
): { diff: number; low: number; high: number } {
  const diff = p1 - p2;
  const low = diff - Math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2);
  const high = diff + Math.sqrt((high1 - p1) ** 2 + (p2 - low2) ** 2);
  return { diff, low: Math.max(-1, low), high: Math.min(1, high) };
}

/**
 * Newcombe's method 10 for x₁/n₁ − x₂/n₂ (independent samples), Wilson limits at `level`.
 * @internal (also used by tests)
 */
export function independentProportionDifferenceCI(x1: number, n1: number, x2: number, n2: number, level = 0.95): { diff: number; low: number; high: number } {
  const w1 = wilsonInterval(x1, n1, level);
  const w2 = wilsonInterval(x2, n2, level);
  return independentDifferenceFromIntervals(x1 / n1, w1.low, w1.high, x2 / n2, w2.low, w2.high);
}

/**
 * Stuart–Maxwell test of marginal homogeneity for a k×k paired table
 * (Stuart 1955, Biometrika 42:412–416; Maxwell 1970, Br J Psychiatry 116:651–655):
 * X² = dᵀ S⁺ d, d_i = r_i − c_i, S_ii = r_i + c_i − 2n_ii, S_ij = −(n_ij + n_ji), with S⁺ the
 * Moore–Penrose pseudo-inverse and df = rank(S). S is the Laplacian of the "discordance graph"
 * (categories joined when some pair moves between them), so rank(S) = k − (number of connected
 * parts), and dᵀS⁺d is the sum over the connected parts of the usual statistic on that part
 * (one category dropped per part). When the discordant pairs connect all categories this is the
 * textbook test with df = k − 1; when they do not (say only D↔E and B↔A pairs), the degrees of
 * freedom are reduced accordingly instead of the test failing. A table with no discordant pair
 * gives statistic 0, df 0, p 1 (the margins are identical).
 * Throws for a non-square table, negative counts, or total 0.
 */
export function stuartMaxwell(matrix: readonly (readonly number[])[]): { statistic: number; df: number; p: number } {
  const { k } = validateSquareTable(matrix);
  const parent: number[] = [];
  for (let i = 0; i < k; i++) parent.push(i);
  const find = (i: number): number => {
    let r = i;
    while (at(parent, r) !== r) r = at(parent, r);
    return r;
  };
  const linked = new Array<boolean>(k).fill(false);
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      if (cell(matrix, i, j) + cell(matrix, j, i) > 0) {
        linked[i] = true;
        linked[j] = true;
        parent[find(i)] = find(j);
      }
    }
  }
  const parts = new Map<number, number[]>();
  for (let i = 0; i < k; i++) {
    if (!linked[i]) continue;
    const root = find(i);
    const members = parts.get(root);
    if (members) members.push(i);
    else parts.set(root, [i]);
  }
  let statistic = 0;
  let df = 0;
  for (const members of parts.values()) {
    // Within a connected part the differences sum to 0, so the last category is dropped.
    const m = members.length - 1;
    const dVec: number[] = [];
    const S: number[][] = [];
    for (let ii = 0; ii < m; ii++) {
      const i = at(members, ii);
      let r = 0;
      let c = 0;
      for (let j = 0; j < k; j++) {
        if (j === i) continue;
        r += cell(matrix, i, j);
        c += cell(matrix, j, i);
      }
      dVec.push(r - c);
      const row: number[] = [];
      for (let jj = 0; jj < m; jj++) {
        const j = at(members, jj);
        row.push(ii === jj ? r + c : -(cell(matrix, i, j) + cell(matrix, j, i)));
      }
      S.push(row);
    }
    const part = quadraticFormCholesky(S, dVec);
    if (Number.isNaN(part)) return { statistic: NaN, df: NaN, p: NaN };
    statistic += part;
    df += m;
  }
  if (df === 0) return { statistic: 0, df: 0, p: 1 };
  return { statistic, df, p: chiSquareSurvival(statistic, df) };
}

function quadraticFormCholesky(S: readonly (readonly number[])[], dVec: readonly number[]): number {
  const m = dVec.length;
  let maxDiag = 0;
  for (let i = 0; i < m; i++) maxDiag = Math.max(maxDiag, Math.abs(cell(S, i, i)));
  if (maxDiag === 0) return NaN;
  const tol = 1e-12 * maxDiag;
  const L: number[][] = [];
  for (let i = 0; i < m; i++) L.push(new Array<number>(m).fill(0));
  for (let j = 0; j < m; j++) {
    let diag = cell(S, j, j);
    for (let k = 0; k < j; k++) diag -= cell(L, j, k) ** 2;
    if (!(diag > tol)) return NaN;
    const ljj = Math.sqrt(diag);
    const Lj = L[j];
    if (Lj === undefined) return NaN;
    Lj[j] = ljj;
    for (let i = j + 1; i < m; i++) {
      let s = cell(S, i, j);
      for (let k = 0; k < j; k++) s -= cell(L, i, k) * cell(L, j, k);
      const Li = L[i];
      if (Li === undefined) return NaN;
      Li[j] = s / ljj;
    }
  }
  // Forward substitution L y = d; dᵀS⁻¹d = yᵀy.
  const y: number[] = [];
  let q = 0;
  for (let i = 0; i < m; i++) {
    let s = at(dVec, i);
    for (let k = 0; k < i; k++) s -= cell(L, i, k) * at(y, k);
    const yi = s / cell(L, i, i);
    y.push(yi);
    q += yi * yi;
  }
  return q;
}

/**
 * Benjamini–Hochberg (1995, JRSS B 57:289–300) step-up adjusted p-values:
 * p̃_(i) = min_{j ≥ i} min(1, m·p_(j)/j), returned in input order. NaN entries stay
 * NaN and are excluded from m. Matches scipy.stats.false_discovery_control(method='bh')
 * and R p.adjust(method = "BH"). Throws for values outside [0, 1].
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const result = new Array<number>(pValues.length).fill(NaN);
  const order: number[] = [];
  pValues.forEach((p, i) => {
    if (Number.isNaN(p)) return;
    if (!(p >= 0 && p <= 1)) fail(`p-value at index ${i} must be in [0, 1], got ${p}`);
    order.push(i);
  });
  // Every index in order holds a p-value (checked above), so no bounds check per comparison.
  order.sort((x, y) => (pValues[x] as number) - (pValues[y] as number));
  const m = order.length;
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const idx = at(order, rank - 1);
    running = Math.min(running, (at(pValues, idx) * m) / rank);
    result[idx] = running;
  }
  return result;
}
