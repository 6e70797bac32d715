/**
 * Reference values: unless stated otherwise they were computed independently with
 * SciPy 1.17 (python3, outside the project) and are quoted in the comments as
 * "scipy.<function>(...) = value". Published values are cited where used.
 */
import { describe, expect, it } from 'vitest';
import {
  RunningStats,
  benjaminiHochberg,
  binomialCdf,
  chiSquareQuantile,
  clopperPearsonInterval,
  chiSquareSurvival,
  logGamma,
  mcnemarExact,
  meanConfidenceInterval,
  normalCdf,
  normalQuantile,
  independentProportionDifferenceCI,
  regularizedGammaP,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  stuartMaxwell,
  uncachedStudentTQuantile,
  summarise,
  weightedKappa,
  welchTTest,
  wilsonInterval,
} from '../../src/analysis/stats.js';

/** Compare by relative error: |actual/expected − 1| < 0.5·10^−digits. */
function expectRelative(actual: number, expected: number, digits: number): void {
  expect(actual / expected).toBeCloseTo(1, digits);
}

describe('normalQuantile', () => {
  it('matches scipy.stats.norm.ppf', () => {
    // scipy.stats.norm.ppf(0.975) = 1.959963984540054
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    // scipy.stats.norm.ppf(0.025) = -1.9599639845400545
    expect(normalQuantile(0.025)).toBeCloseTo(-1.9599639845400545, 13);
    // scipy.stats.norm.ppf(0.99) = 2.3263478740408408
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 13);
    // scipy.stats.norm.ppf(0.3) = -0.5244005127080409
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080409, 13);
    // scipy.stats.norm.ppf(0.02425) = -1.972961051311885 (Acklam region boundary)
    expect(normalQuantile(0.02425)).toBeCloseTo(-1.972961051311885, 13);
    // scipy.stats.norm.ppf(1e-10) = -6.361340902404056
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 11);
    // scipy.stats.norm.ppf(1e-20) = -9.262340089798409
    expect(normalQuantile(1e-20)).toBeCloseTo(-9.262340089798409, 11);
    // scipy.stats.norm.ppf(1e-300) = -37.0470962993612
    expect(normalQuantile(1e-300)).toBeCloseTo(-37.0470962993612, 10);
  });

  it('is 0 at 0.5 and antisymmetric', () => {
    expect(normalQuantile(0.5)).toBe(0);
    for (const p of [0.001, 0.1, 0.37]) expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 13);
  });

  it('throws outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 1.5, NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
  });
});

describe('normalCdf', () => {
  it('matches scipy.stats.norm.cdf', () => {
    // scipy.stats.norm.cdf(1.96) = 0.9750021048517795
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    // scipy.stats.norm.cdf(-1.96) = 0.024997895148220435
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 14);
    // scipy.stats.norm.cdf(0.5) = 0.6914624612740131
    expect(normalCdf(0.5)).toBeCloseTo(0.6914624612740131, 14);
    // scipy.stats.norm.cdf(3.3) = 0.9995165758576162
    expect(normalCdf(3.3)).toBeCloseTo(0.9995165758576162, 14);
    // scipy.stats.norm.cdf(1e-8) = 0.5000000039894228
    expect(normalCdf(1e-8)).toBeCloseTo(0.5000000039894228, 15);
    expect(normalCdf(0)).toBe(0.5);
  });

  it('is accurate in relative terms far in the lower tail', () => {
    // scipy.stats.norm.cdf(-5) = 2.866515718791933e-07
    expectRelative(normalCdf(-5), 2.866515718791933e-7, 12);
    // scipy.stats.norm.cdf(-8.5) = 9.47953482220325e-18
    expectRelative(normalCdf(-8.5), 9.47953482220325e-18, 12);
    // scipy.stats.norm.cdf(-10) = 7.61985302416047e-24
    expectRelative(normalCdf(-10), 7.61985302416047e-24, 12);
    // scipy.stats.norm.cdf(-37.5) = 4.605353009581954e-308
    expectRelative(normalCdf(-37.5), 4.605353009581954e-308, 10);
  });

  it('handles infinities and NaN, and inverts normalQuantile', () => {
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(NaN)).toBeNaN();
    for (const p of [1e-12, 0.01, 0.2, 0.5, 0.8, 0.999]) expectRelative(normalCdf(normalQuantile(p)), p, 12);
  });
});

describe('logGamma', () => {
  it('matches scipy.special.gammaln', () => {
    // scipy.special.gammaln(0.5) = 0.5723649429247 (= ln √π)
    expect(logGamma(0.5)).toBeCloseTo(0.5723649429247001, 13);
    // gammaln(1) = gammaln(2) = 0 (Γ(1) = Γ(2) = 1)
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    // scipy.special.gammaln(10.5) = 13.940625219403763
    expect(logGamma(10.5)).toBeCloseTo(13.940625219403763, 12);
    // scipy.special.gammaln(100) = 359.1342053695754
    expect(logGamma(100)).toBeCloseTo(359.1342053695754, 11);
    // scipy.special.gammaln(0.1) = 2.252712651734206
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 13);
    // scipy.special.gammaln(1e-5) = 11.512919692895826
    expect(logGamma(1e-5)).toBeCloseTo(11.512919692895826, 11);
    // scipy.special.gammaln(1e6) = 12815504.569147611
    expectRelative(logGamma(1e6), 12815504.569147611, 14);
    // ln(5!) = ln 120 (hand computation)
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 13);
  });

  it('throws for x <= 0', () => {
    for (const x of [0, -1, -2.5, NaN]) expect(() => logGamma(x)).toThrow(RangeError);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('matches scipy.special.betainc', () => {
    // scipy.special.betainc(2, 3, 0.4) = 0.5248 (exact polynomial: 0.5248)
    expect(regularizedIncompleteBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 14);
    // scipy.special.betainc(0.5, 0.5, 0.1) = 0.20483276469913345 (= (2/π) asin √0.1)
    expect(regularizedIncompleteBeta(0.1, 0.5, 0.5)).toBeCloseTo(0.20483276469913345, 13);
    // scipy.special.betainc(5, 0.5, 0.99) = 0.7571581091015623
    expect(regularizedIncompleteBeta(0.99, 5, 0.5)).toBeCloseTo(0.7571581091015623, 13);
    // scipy.special.betainc(100, 200, 0.3) = 0.10884306564490986
    expect(regularizedIncompleteBeta(0.3, 100, 200)).toBeCloseTo(0.10884306564490986, 12);
    // scipy.special.betainc(1, 1, 0.7) = 0.7 (uniform CDF)
    expect(regularizedIncompleteBeta(0.7, 1, 1)).toBeCloseTo(0.7, 14);
    // scipy.special.betainc(3, 4, 0.999) = 0.999999999985024
    expect(regularizedIncompleteBeta(0.999, 3, 4)).toBeCloseTo(0.999999999985024, 14);
    // scipy.special.betainc(500000, 0.5, 0.9999) = 1.5201662808362044e-23 (large-a path)
    expectRelative(regularizedIncompleteBeta(0.9999, 500000, 0.5), 1.5201662808362044e-23, 8);
  });

  it('is 0 and 1 at the ends and throws on bad arguments', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(() => regularizedIncompleteBeta(-0.1, 2, 3)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(1.1, 2, 3)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 0, 3)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 2, -1)).toThrow(RangeError);
  });
});

describe('regularizedGammaP', () => {
  it('matches scipy.special.gammainc', () => {
    // scipy.special.gammainc(0.5, 0.3) = 0.5614219739190003
    expect(regularizedGammaP(0.5, 0.3)).toBeCloseTo(0.5614219739190003, 14);
    // scipy.special.gammainc(3, 2) = 0.32332358381693654
    expect(regularizedGammaP(3, 2)).toBeCloseTo(0.32332358381693654, 14);
    // scipy.special.gammainc(10, 15) = 0.9301463393005901
    expect(regularizedGammaP(10, 15)).toBeCloseTo(0.9301463393005901, 14);
    // scipy.special.gammainc(100, 90) = 0.15822098918643007
    expect(regularizedGammaP(100, 90)).toBeCloseTo(0.15822098918643007, 12);
    // scipy.special.gammainc(1, 5) = 0.9932620530009145 (= 1 − e^−5)
    expect(regularizedGammaP(1, 5)).toBeCloseTo(0.9932620530009145, 14);
  });

  it('handles the ends and throws on bad arguments', () => {
    expect(regularizedGammaP(2, 0)).toBe(0);
    expect(regularizedGammaP(2, Infinity)).toBe(1);
    expect(() => regularizedGammaP(0, 1)).toThrow(RangeError);
    expect(() => regularizedGammaP(1, -1)).toThrow(RangeError);
  });
});

describe('studentTCdf', () => {
  it('matches scipy.stats.t.cdf', () => {
    // scipy.stats.t.cdf(2, 10) = 0.9633059826146299
    expect(studentTCdf(2, 10)).toBeCloseTo(0.9633059826146299, 13);
    // scipy.stats.t.cdf(-2, 10) = 0.03669401738537018
    expect(studentTCdf(-2, 10)).toBeCloseTo(0.03669401738537018, 13);
    // scipy.stats.t.cdf(1.5, 3.7) = 0.8932009153989933 (non-integer df)
    expect(studentTCdf(1.5, 3.7)).toBeCloseTo(0.8932009153989933, 13);
    // scipy.stats.t.cdf(-30, 2) = 0.0005546313409798295
    expectRelative(studentTCdf(-30, 2), 0.0005546313409798295, 12);
    // scipy.stats.t.cdf(10, 1) = 0.9682744825694465
    expect(studentTCdf(10, 1)).toBeCloseTo(0.9682744825694465, 13);
    // scipy.stats.t.cdf(-1e5, 0.7) = 9.829276197389851e-05
    expectRelative(studentTCdf(-1e5, 0.7), 9.829276197389851e-5, 11);
    // scipy.stats.t.cdf(2.5, 1e5) = 0.9937895404037205
    expect(studentTCdf(2.5, 1e5)).toBeCloseTo(0.9937895404037205, 11);
  });

  it('is 0.5 at 0, handles infinities, throws for df <= 0', () => {
    expect(studentTCdf(0, 5)).toBe(0.5);
    expect(studentTCdf(Infinity, 5)).toBe(1);
    expect(studentTCdf(-Infinity, 5)).toBe(0);
    expect(studentTCdf(NaN, 5)).toBeNaN();
    expect(studentTCdf(1.96, Infinity)).toBeCloseTo(normalCdf(1.96), 15);
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
    expect(() => studentTCdf(1, -3)).toThrow(RangeError);
  });
});

describe('studentTQuantile', () => {
  it('matches scipy.stats.t.ppf', () => {
    // scipy.stats.t.ppf(0.975, 10) = 2.228138851986274
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 11);
    // scipy.stats.t.ppf(0.975, 1) = 12.706204736174694
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174694, 10);
    // scipy.stats.t.ppf(0.975, 2) = 4.302652729749462
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652729749462, 11);
    // scipy.stats.t.ppf(0.975, 3) = 3.1824463052837078
    expect(studentTQuantile(0.975, 3)).toBeCloseTo(3.1824463052837078, 11);
    // scipy.stats.t.ppf(0.995, 30) = 2.7499956535672254
    expect(studentTQuantile(0.995, 30)).toBeCloseTo(2.7499956535672254, 11);
    // scipy.stats.t.ppf(0.9, 4.5) = 1.5008853175085577 (non-integer df)
    expect(studentTQuantile(0.9, 4.5)).toBeCloseTo(1.5008853175085577, 11);
    // scipy.stats.t.ppf(0.975, 24.32232070910556) = 2.0624521445809094 (Welch-type df)
    expect(studentTQuantile(0.975, 24.32232070910556)).toBeCloseTo(2.0624521445809094, 11);
    // scipy.stats.t.ppf(0.6, 50) = 0.254699342988588
    expect(studentTQuantile(0.6, 50)).toBeCloseTo(0.254699342988588, 12);
    // scipy.stats.t.ppf(1e-8, 3) = -479.5250695797382
    expectRelative(studentTQuantile(1e-8, 3), -479.5250695797382, 11);
    // scipy.stats.t.ppf(1e-12, 7.3) = -91.09486659389755
    expectRelative(studentTQuantile(1e-12, 7.3), -91.09486659389755, 10);
    // scipy.stats.t.ppf(0.999, 0.5) = 102849.11563017538
    expectRelative(studentTQuantile(0.999, 0.5), 102849.11563017538, 10);
    // scipy.stats.t.ppf(0.975, 1e6) = 1.959966356814107
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966356814107, 9);
  });

  it('keeps relative precision near the median and far in the tail', () => {
    // mpmath 1.3 (40 digits), findroot on ½ + t·Γ(2)·₂F₁(½, 2; 3/2; −t²/3)/(√(3π)Γ(3/2)) = 0.5000001:
    // t = 2.7206990449193156765e-7 (scipy.stats.t.ppf gives 2.720699044672105e-07, off by 9e-11)
    expectRelative(studentTQuantile(0.5000001, 3), 2.7206990449193156765e-7, 13);
    // mpmath 1.3 (40 digits), findroot on ln(½·betainc(df/2, ½, 0, df/(df+t²))) = ln(1e-10), df = 0.05:
    // t = 1.0876044676001677e193 (scipy.stats.t.ppf(1e-10, 0.05) returns -1.499e153, which is wrong)
    expectRelative(studentTQuantile(1e-10, 0.05), -1.0876044676001677e193, 11);
    // df = 1 (Cauchy): t = tan(π(p − ½)); mpmath 1.3: tan(pi*(mpf(0.5000001) - 0.5)) = 3.1415926519363009e-7
    expectRelative(studentTQuantile(0.5000001, 1), 3.1415926519363009e-7, 13);
    // the quantile overflows a double (≈ 1e500) → −∞
    expect(studentTQuantile(1e-5, 0.01)).toBe(-Infinity);
  });

  it('is antisymmetric, 0 at 0.5, and inverts studentTCdf', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    // scipy.stats.t.ppf(0.025, 10) = -2.2281388519862753
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.2281388519862753, 11);
    for (const df of [1, 2, 3.3, 12, 250]) {
      for (const p of [0.001, 0.05, 0.3]) {
        expectRelative(studentTQuantile(1 - p, df), -studentTQuantile(p, df), 13);
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
      }
    }
  });

  it('throws for p outside (0, 1) or df <= 0', () => {
    for (const p of [0, 1, -0.5, 2, NaN]) expect(() => studentTQuantile(p, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, NaN)).toThrow(RangeError);
  });
});

describe('chiSquareSurvival', () => {
  it('matches scipy.stats.chi2.sf', () => {
    // scipy.stats.chi2.sf(3.841458820694124, 1) = 0.04999999999999989
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 13);
    // scipy.stats.chi2.sf(11.957, 3) = 0.0075319212775439535
    expect(chiSquareSurvival(11.957, 3)).toBeCloseTo(0.0075319212775439535, 14);
    // scipy.stats.chi2.sf(26.25, 3) = 8.45431030829819e-06
    expectRelative(chiSquareSurvival(26.25, 3), 8.45431030829819e-6, 12);
    // scipy.stats.chi2.sf(100, 50) = 3.454931382984871e-05
    expectRelative(chiSquareSurvival(100, 50), 3.454931382984871e-5, 11);
    // scipy.stats.chi2.sf(0.5, 4) = 0.9735009788392561
    expect(chiSquareSurvival(0.5, 4)).toBeCloseTo(0.9735009788392561, 14);
    // scipy.stats.chi2.sf(2, 0.5) = 0.06792113201010888 (non-integer df)
    expect(chiSquareSurvival(2, 0.5)).toBeCloseTo(0.06792113201010888, 13);
  });

  it('is 1 at x <= 0, 0 at infinity, throws for df <= 0', () => {
    expect(chiSquareSurvival(0, 2)).toBe(1);
    expect(chiSquareSurvival(-1, 2)).toBe(1);
    expect(chiSquareSurvival(Infinity, 2)).toBe(0);
    expect(chiSquareSurvival(NaN, 2)).toBeNaN();
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
  });
});

describe('wilsonInterval', () => {
  it("reproduces Newcombe (1998) 'Two-sided confidence intervals for the single proportion', Table I", () => {
    // Published (Stat Med 17:857–872, Table I, method 3): 81/263 → 0.2553–0.3662;
    // scipy check (Wilson formula with z = scipy.stats.norm.ppf(0.975)): 0.255288519878, 0.366209576983
    const a = wilsonInterval(81, 263);
    expect(a.low).toBeCloseTo(0.255288519878, 11);
    expect(a.high).toBeCloseTo(0.366209576983, 11);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    // Published 15/148 → 0.0624–0.1605; scipy: 0.062386399531, 0.160487241723
    const b = wilsonInterval(15, 148);
    expect(b.low).toBeCloseTo(0.062386399531, 11);
    expect(b.high).toBeCloseTo(0.160487241723, 11);
    expect(b.low).toBeCloseTo(0.0624, 4);
    expect(b.high).toBeCloseTo(0.1605, 4);
    // Published 0/20 → 0–0.1611; scipy: 0, 0.161125158053
    const c = wilsonInterval(0, 20);
    expect(c.low).toBe(0);
    expect(c.high).toBeCloseTo(0.161125158053, 11);
    expect(c.high).toBeCloseTo(0.1611, 4);
    // Published 1/29 → 0.0061–0.1718; scipy: 0.006113214293, 0.171755218793
    const d = wilsonInterval(1, 29);
    expect(d.low).toBeCloseTo(0.006113214293, 11);
    expect(d.high).toBeCloseTo(0.171755218793, 11);
    expect(d.low).toBeCloseTo(0.0061, 4);
    expect(d.high).toBeCloseTo(0.1718, 4);
  });

  it('supports other levels', () => {
    // Wilson formula with z = scipy.stats.norm.ppf(0.95): 81/263 at 90% → 0.2633136171884814, 0.35656634960848815
    const r = wilsonInterval(81, 263, 0.9);
    expect(r.low).toBeCloseTo(0.2633136171884814, 12);
    expect(r.high).toBeCloseTo(0.35656634960848815, 12);
  });

  it('is exactly 0 / 1 at the extremes and mirrors', () => {
    const all = wilsonInterval(20, 20);
    expect(all.high).toBe(1);
    // mirror of 0/20: low = 1 − 0.161125158053
    expect(all.low).toBeCloseTo(1 - 0.161125158053, 11);
    expect(wilsonInterval(0, 5).low).toBe(0);
  });

  it('throws on invalid arguments', () => {
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(3, 10, 1)).toThrow(RangeError);
    expect(() => wilsonInterval(3, 10, 0)).toThrow(RangeError);
  });
});

describe('meanConfidenceInterval', () => {
  it('matches mean ± scipy.stats.t.ppf(0.975, n−1)·sd/√n', () => {
    // n=11, mean 50, sd 10: 50 ∓ t.ppf(0.975,10)·10/√11 = 43.28190858831664, 56.71809141168336
    const a = meanConfidenceInterval(11, 50, 10);
    expect(a.low).toBeCloseTo(43.28190858831664, 10);
    expect(a.high).toBeCloseTo(56.71809141168336, 10);
    // n=2, mean 1, sd 1: 1 ∓ 12.706204736174694/√2 = -7.984643532093752, 9.984643532093752
    const b = meanConfidenceInterval(2, 1, 1);
    expect(b.low).toBeCloseTo(-7.984643532093752, 10);
    expect(b.high).toBeCloseTo(9.984643532093752, 10);
    // n=30, mean 3.2, sd 0.9: 2.86393447691771, 3.53606552308229
    const c = meanConfidenceInterval(30, 3.2, 0.9);
    expect(c.low).toBeCloseTo(2.86393447691771, 11);
    expect(c.high).toBeCloseTo(3.53606552308229, 11);
  });

  it('returns NaN for n < 2, a point for sd = 0, and throws on invalid input', () => {
    for (const n of [0, 1]) {
      const r = meanConfidenceInterval(n, 3, 1);
      expect(r.low).toBeNaN();
      expect(r.high).toBeNaN();
    }
    expect(meanConfidenceInterval(5, 3, 0)).toEqual({ low: 3, high: 3 });
    expect(() => meanConfidenceInterval(-1, 3, 1)).toThrow(RangeError);
    expect(() => meanConfidenceInterval(5, 3, -1)).toThrow(RangeError);
    expect(() => meanConfidenceInterval(5, 3, 1, 1.2)).toThrow(RangeError);
  });
});

describe('welchTTest', () => {
  it('matches scipy.stats.ttest_ind_from_stats(equal_var=False)', () => {
    // ttest_ind_from_stats(10, 2, 12, 12, 3, 15, equal_var=False): t = -2.0701966780270626, p = 0.04921085214395753;
    // Welch–Satterthwaite df (numpy, same formula) = 24.32232070910556
    const r = welchTTest({ n: 12, mean: 10, variance: 4 }, { n: 15, mean: 12, variance: 9 });
    expect(r.t).toBeCloseTo(-2.0701966780270626, 12);
    expect(r.df).toBeCloseTo(24.32232070910556, 11);
    expect(r.p).toBeCloseTo(0.04921085214395753, 12);
  });

  it('reduces to the pooled test for equal variances and equal n', () => {
    // ttest_ind_from_stats(3, √1.5, 10, 4, √1.5, 10) with equal_var False and True both give
    // t = -1.8257418583505538, p = 0.08452645050808157; df = 18
    const r = welchTTest({ n: 10, mean: 3, variance: 1.5 }, { n: 10, mean: 4, variance: 1.5 });
    expect(r.t).toBeCloseTo(-1.8257418583505538, 12);
    expect(r.df).toBeCloseTo(18, 12);
    expect(r.p).toBeCloseTo(0.08452645050808157, 12);
  });

  it('handles one zero variance (df = n−1 of the other sample)', () => {
    // numpy/scipy: t = -2, df = 7, p = 2·scipy.stats.t.sf(2, 7) = 0.08561932856297605
    const r = welchTTest({ n: 10, mean: 3, variance: 0 }, { n: 8, mean: 4, variance: 2 });
    expect(r.t).toBeCloseTo(-2, 13);
    expect(r.df).toBeCloseTo(7, 12);
    expect(r.p).toBeCloseTo(0.08561932856297605, 12);
  });

  it('handles equal means and both-zero variances', () => {
    // scipy.stats.ttest_ind_from_stats(5.5, √2.5, 20, 5.5, √2.5, 20, equal_var=False): t = 0, p = 1
    const same = welchTTest({ n: 20, mean: 5.5, variance: 2.5 }, { n: 20, mean: 5.5, variance: 2.5 });
    expect(same.t).toBe(0);
    expect(same.p).toBeCloseTo(1, 14);
    const flatEqual = welchTTest({ n: 5, mean: 2, variance: 0 }, { n: 6, mean: 2, variance: 0 });
    expect(flatEqual.t).toBe(0);
    expect(flatEqual.p).toBe(1);
    expect(flatEqual.df).toBeNaN();
    const flatDiff = welchTTest({ n: 5, mean: 3, variance: 0 }, { n: 6, mean: 2, variance: 0 });
    expect(flatDiff.t).toBe(Infinity);
    expect(flatDiff.p).toBe(0);
    expect(welchTTest({ n: 5, mean: 1, variance: 0 }, { n: 6, mean: 2, variance: 0 }).t).toBe(-Infinity);
  });

  it('throws when n < 2 or variance < 0', () => {
    expect(() => welchTTest({ n: 1, mean: 1, variance: 0 }, { n: 5, mean: 1, variance: 1 })).toThrow(RangeError);
    expect(() => welchTTest({ n: 5, mean: 1, variance: 1 }, { n: 0, mean: 1, variance: 1 })).toThrow(RangeError);
    expect(() => welchTTest({ n: 5, mean: 1, variance: -1 }, { n: 5, mean: 1, variance: 1 })).toThrow(RangeError);
  });
});

describe('summarise and RunningStats', () => {
  const data = [2, 4, 4, 4, 5, 5, 7, 9];
  // Hand computation: Σx = 40, Σx² = 232, mean 5, Σ(x−5)² = 32, sample variance 32/7

  it('summarise computes mean and sample variance from sums', () => {
    const s = summarise(40, 232, 8);
    expect(s.n).toBe(8);
    expect(s.mean).toBeCloseTo(5, 14);
    expect(s.variance).toBeCloseTo(32 / 7, 13);
  });

  it('clamps tiny negative variance to 0, gives NaN variance for n = 1, throws otherwise', () => {
    // three copies of 0.1: Σ = 0.30000000000000004, Σx² = 0.030000000000000006 → exact variance 0
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < 3; i++) {
      sum += 0.1;
      sq += 0.1 * 0.1;
    }
    const s = summarise(sum, sq, 3);
    expect(s.variance).toBeGreaterThanOrEqual(0);
    expect(s.variance).toBeCloseTo(0, 15);
    expect(summarise(3, 9, 1).variance).toBeNaN();
    expect(summarise(3, 9, 1).mean).toBe(3);
    expect(() => summarise(0, 0, 0)).toThrow(RangeError);
    expect(() => summarise(1, 1, -2)).toThrow(RangeError);
    expect(() => summarise(10, 1, 2)).toThrow(RangeError); // Σx² < (Σx)²/n
  });

  it('RunningStats (Welford) agrees with the hand computation', () => {
    const r = new RunningStats();
    expect(r.n).toBe(0);
    expect(r.mean).toBeNaN();
    expect(r.variance).toBeNaN();
    expect(() => r.summary()).toThrow(RangeError);
    r.add(3);
    expect(r.variance).toBeNaN();
    expect(r.summary()).toEqual({ n: 1, mean: 3, variance: NaN });
    const w = new RunningStats();
    for (const x of data) w.add(x);
    expect(w.n).toBe(8);
    expect(w.mean).toBeCloseTo(5, 14);
    expect(w.variance).toBeCloseTo(32 / 7, 13);
    const s = w.summary();
    expect(s.variance).toBeCloseTo(32 / 7, 13);
    expect(() => w.add(NaN)).toThrow(RangeError);
  });

  it('RunningStats stays accurate with a large offset', () => {
    // Same data shifted by 1e9: variance unchanged (32/7) by hand
    const w = new RunningStats();
    for (const x of data) w.add(x + 1e9);
    expect(w.variance).toBeCloseTo(32 / 7, 6);
  });
});

describe('weightedKappa', () => {
  // Independent reference: numpy implementation of the *agreement-weight* form
  // κ_w = (p_o(w) − p_e(w)) / (1 − p_e(w)) with agreement weights 1 − d_ij
  // (Fleiss & Cohen 1973), algebraically equal to sklearn.metrics.cohen_kappa_score.
  const grades6 = [
    [5, 3, 1, 0, 0, 0],
    [2, 12, 6, 2, 0, 0],
    [1, 4, 20, 9, 2, 0],
    [0, 1, 7, 25, 6, 1],
    [0, 0, 1, 5, 14, 3],
    [0, 0, 0, 1, 2, 6],
  ];

  it('6×6 grade table (F–A) matches the independent numpy computation', () => {
    // numpy agreement-weight form: quadratic 0.8120015546055187, linear 0.6646501746426128,
    // unweighted 0.47967426282261755
    expect(weightedKappa(grades6)).toBeCloseTo(0.8120015546055187, 13);
    expect(weightedKappa(grades6, 'quadratic')).toBeCloseTo(0.8120015546055187, 13);
    expect(weightedKappa(grades6, 'linear')).toBeCloseTo(0.6646501746426128, 13);
    expect(weightedKappa(grades6, 'unweighted')).toBeCloseTo(0.47967426282261755, 13);
  });

  it('4×4 table matches the independent numpy computation', () => {
    const m = [
      [10, 2, 0, 0],
      [0, 8, 3, 0],
      [1, 0, 0, 4],
      [0, 0, 5, 7],
    ];
    // numpy: quadratic 0.8390701832811803, linear 0.6961063627730295, unweighted 0.49409780775716694
    expect(weightedKappa(m, 'quadratic')).toBeCloseTo(0.8390701832811803, 13);
    expect(weightedKappa(m, 'linear')).toBeCloseTo(0.6961063627730295, 13);
    expect(weightedKappa(m, 'unweighted')).toBeCloseTo(0.49409780775716694, 13);
  });

  it('reproduces published unweighted examples', () => {
    // Fleiss' psychiatric-diagnosis example (Fleiss, "Statistical Methods for Rates and
    // Proportions", kappa chapter): p_o = .89, p_e = .66, κ = .676 (hand-checkable: .23/.34).
    const diag = [
      [75, 1, 4],
      [5, 4, 1],
      [0, 0, 10],
    ];
    expect(weightedKappa(diag, 'unweighted')).toBeCloseTo(0.23 / 0.34, 13);
    expect(weightedKappa(diag, 'unweighted')).toBeCloseTo(0.676, 3);
    // numpy agreement-weight form: quadratic 0.7553191489361695, linear 0.7222222222222222
    expect(weightedKappa(diag, 'quadratic')).toBeCloseTo(0.7553191489361695, 13);
    expect(weightedKappa(diag, 'linear')).toBeCloseTo(0.7222222222222222, 13);
    // Wikipedia "Cohen's kappa" worked example (50 proposals, 20/5/10/15): p_o = .7, p_e = .5, κ = 0.4;
    // with k = 2 all three weightings coincide.
    const yesNo = [
      [20, 5],
      [10, 15],
    ];
    for (const w of ['quadratic', 'linear', 'unweighted'] as const) expect(weightedKappa(yesNo, w)).toBeCloseTo(0.4, 14);
  });

  it('is 1 for perfect agreement and NaN when expected disagreement is 0', () => {
    expect(
      weightedKappa([
        [3, 0, 0],
        [0, 4, 0],
        [0, 0, 5],
      ]),
    ).toBe(1);
    // everybody in one category for both raters
    expect(
      weightedKappa([
        [0, 0, 0],
        [0, 9, 0],
        [0, 0, 0],
      ]),
    ).toBeNaN();
    // one rater puts everyone in one category: the formula gives 0 (sklearn: 0.0), but agreement
    // beyond chance cannot be judged, so it is undefined
    expect(
      weightedKappa([
        [0, 0, 0],
        [3, 5, 2],
        [0, 0, 0],
      ]),
    ).toBeNaN();
    expect(weightedKappa([[7]])).toBeNaN();
  });

  it('throws on invalid tables', () => {
    expect(() => weightedKappa([])).toThrow(RangeError);
    expect(() => weightedKappa([[1, 2], [3]])).toThrow(RangeError);
    expect(() => weightedKappa([[1, -2], [3, 4]])).toThrow(RangeError);
    expect(() => weightedKappa([[0, 0], [0, 0]])).toThrow(RangeError);
  });
});

describe('binomialCdf', () => {
  it('matches scipy.stats.binom.cdf', () => {
    // scipy.stats.binom.cdf(3, 10, 0.5) = 0.171875 (= 176/1024)
    expect(binomialCdf(3, 10, 0.5)).toBeCloseTo(0.171875, 14);
    // scipy.stats.binom.cdf(1, 8, 0.5) = 0.03515625 (= 9/256)
    expect(binomialCdf(1, 8, 0.5)).toBeCloseTo(0.03515625, 14);
    // scipy.stats.binom.cdf(40, 100, 0.5) = 0.028443966820490444
    expect(binomialCdf(40, 100, 0.5)).toBeCloseTo(0.028443966820490444, 13);
    // scipy.stats.binom.cdf(0, 5, 0.2) = 0.32768 (= 0.8^5)
    expect(binomialCdf(0, 5, 0.2)).toBeCloseTo(0.32768, 14);
    // scipy.stats.binom.cdf(5, 20, 0.1) = 0.988746865835491
    expect(binomialCdf(5, 20, 0.1)).toBeCloseTo(0.988746865835491, 13);
    // scipy.stats.binom.cdf(450, 1000, 0.5) = 0.0008652680424881513
    expectRelative(binomialCdf(450, 1000, 0.5), 0.0008652680424881513, 11);
    // scipy.stats.binom.cdf(49990, 100000, 0.5) = 0.4760446749068145
    expect(binomialCdf(49990, 100000, 0.5)).toBeCloseTo(0.4760446749068145, 10);
  });

  it('handles edges and throws on invalid arguments', () => {
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
    expect(binomialCdf(3.7, 10, 0.5)).toBeCloseTo(0.171875, 14); // floored to 3
    expect(binomialCdf(0, 0, 0.5)).toBe(1);
    expect(binomialCdf(2, 10, 0)).toBe(1);
    expect(binomialCdf(9, 10, 1)).toBe(0);
    expect(() => binomialCdf(1, -1, 0.5)).toThrow(RangeError);
    expect(() => binomialCdf(1, 2.5, 0.5)).toThrow(RangeError);
    expect(() => binomialCdf(1, 5, 1.5)).toThrow(RangeError);
    expect(() => binomialCdf(NaN, 5, 0.5)).toThrow(RangeError);
  });
});

describe('mcnemarExact', () => {
  it('matches scipy.stats.binomtest(min(b,c), b+c, 0.5).pvalue', () => {
    // scipy.stats.binomtest(1, 8, 0.5).pvalue = 0.0703125 (= 2·9/256)
    expect(mcnemarExact(1, 7)).toBeCloseTo(0.0703125, 14);
    expect(mcnemarExact(7, 1)).toBeCloseTo(0.0703125, 14);
    // scipy.stats.binomtest(0, 10, 0.5).pvalue = 0.001953125 (= 2/1024)
    expect(mcnemarExact(0, 10)).toBeCloseTo(0.001953125, 14);
    // scipy.stats.binomtest(25, 65, 0.5).pvalue = 0.08168153394154003
    expect(mcnemarExact(25, 40)).toBeCloseTo(0.08168153394154003, 13);
    // scipy.stats.binomtest(100, 230, 0.5).pvalue = 0.05561357778139238
    expect(mcnemarExact(100, 130)).toBeCloseTo(0.05561357778139238, 12);
    // scipy.stats.binomtest(0, 3, 0.5).pvalue = 0.25
    expect(mcnemarExact(3, 0)).toBeCloseTo(0.25, 14);
  });

  it('reproduces a published example', () => {
    // Cavo et al. (2012) data, b = 6, c = 16: "McNemar exact conditional test: P = 0.052479"
    // (Fagerland, Lydersen & Laake 2017, Statistical Analysis of Contingency Tables, ch. 8;
    // as reproduced in the tests of the R package `contingencytables`).
    // scipy.stats.binomtest(6, 22, 0.5).pvalue = 0.052478790283203125
    expect(mcnemarExact(6, 16)).toBeCloseTo(0.052478790283203125, 13);
    expect(mcnemarExact(6, 16)).toBeCloseTo(0.052479, 6);
  });

  it('is 1 for b = c and for b + c = 0; throws for invalid counts', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(5, 5)).toBe(1);
    expect(() => mcnemarExact(-1, 3)).toThrow(RangeError);
    expect(() => mcnemarExact(1.5, 3)).toThrow(RangeError);
  });
});

describe('clopperPearsonInterval', () => {
  it('matches scipy.stats.binomtest(x, n).proportion_ci(method="exact")', () => {
    const cases: [number, number, number, number][] = [
      [7, 8, 0.4734903291248362, 0.9968402764687477],
      [1, 8, 0.003159723531252275, 0.5265096708751638],
      [10, 12, 0.5158622513139235, 0.9791374745403382],
      [0, 5, 0, 0.5218237501049814],
      [5, 5, 0.47817624989501856, 1],
      [3, 20, 0.03207093718554477, 0.37892682654529564],
    ];
    for (const [x, n, low, high] of cases) {
      const r = clopperPearsonInterval(x, n);
      expect(r.low).toBeCloseTo(low, 12);
      expect(r.high).toBeCloseTo(high, 12);
    }
  });

  it('leaves out ½ exactly when the doubled-tail exact test rejects (the McNemar duality)', () => {
    for (let m = 1; m <= 60; m++) {
      for (let b = 0; b <= m; b++) {
        const ci = clopperPearsonInterval(b, m);
        const excludes = ci.low > 0.5 || ci.high < 0.5;
        expect(excludes).toBe(mcnemarExact(b, m - b) < 0.05);
      }
    }
  });

  it('throws on invalid input', () => {
    expect(() => clopperPearsonInterval(1, 0)).toThrow(RangeError);
    expect(() => clopperPearsonInterval(3, 2)).toThrow(RangeError);
    expect(() => clopperPearsonInterval(1, 2, 1.5)).toThrow(RangeError);
  });
});

describe('chiSquareQuantile', () => {
  it('matches scipy.stats.chi2.ppf', () => {
    expect(chiSquareQuantile(0.975, 3)).toBeCloseTo(9.348403604496148, 9);
    expect(chiSquareQuantile(0.025, 3)).toBeCloseTo(0.21579528262389785, 11);
    expect(chiSquareQuantile(0.5, 1)).toBeCloseTo(0.454936423119572, 11);
    expect(chiSquareQuantile(0.99, 40)).toBeCloseTo(63.690739751564465, 8);
  });
});

describe('stuartMaxwell', () => {
  it('reproduces Stuart (1955) unaided distance vision data (7477 women)', () => {
    // Published: Stuart (1955) Biometrika 42:412–416; Agresti, Categorical Data Analysis: X² = 11.96, df 3.
    // numpy (dᵀS⁻¹d): 11.956569622982554; scipy.stats.chi2.sf(.., 3) = 0.007533425054800539
    const vision = [
      [1520, 266, 124, 66],
      [234, 1512, 432, 78],
      [117, 362, 1772, 205],
      [36, 82, 179, 492],
    ];
    const r = stuartMaxwell(vision);
    expect(r.statistic).toBeCloseTo(11.956569622982554, 10);
    expect(r.statistic).toBeCloseTo(11.96, 2);
    expect(r.df).toBe(3);
    expect(r.p).toBeCloseTo(0.007533425054800539, 12);
  });

  it('reproduces the Peterson et al. (2007) example of Fagerland, Lydersen & Laake', () => {
    // Published (Statistical Analysis of Contingency Tables, 2017, ch. 9; reproduced in the
    // `contingencytables` R package tests): "Stuart test: P = 0.000008, T0 = 26.250 (df=3)".
    // numpy: 26.25; scipy.stats.chi2.sf(26.25, 3) = 8.45431030829819e-06
    const r = stuartMaxwell([
      [596, 18, 6, 5],
      [0, 2, 0, 0],
      [0, 0, 42, 0],
      [11, 0, 0, 0],
    ]);
    expect(r.statistic).toBeCloseTo(26.25, 10);
    expect(r.df).toBe(3);
    expectRelative(r.p, 8.45431030829819e-6, 10);
  });

  it('matches an independent numpy computation on a 6×6 grade table', () => {
    // numpy (dᵀS⁻¹d, last category dropped): 1.4496646958454025, df 5, scipy chi2.sf = 0.9188043779040258
    const r = stuartMaxwell([
      [5, 3, 1, 0, 0, 0],
      [2, 12, 6, 2, 0, 0],
      [1, 4, 20, 9, 2, 0],
      [0, 1, 7, 25, 6, 1],
      [0, 0, 1, 5, 14, 3],
      [0, 0, 0, 1, 2, 6],
    ]);
    expect(r.statistic).toBeCloseTo(1.4496646958454025, 11);
    expect(r.df).toBe(5);
    expect(r.p).toBeCloseTo(0.9188043779040258, 12);
  });

  it('drops categories that are empty in both margins', () => {
    // numpy on the 3×3 table without the empty category: 0.5106382978723405, df 2, p 0.7746692236459021
    const withEmpty = stuartMaxwell([
      [5, 0, 3, 1],
      [0, 0, 0, 0],
      [1, 0, 10, 2],
      [4, 0, 1, 8],
    ]);
    expect(withEmpty.statistic).toBeCloseTo(0.5106382978723405, 12);
    expect(withEmpty.df).toBe(2);
    expect(withEmpty.p).toBeCloseTo(0.7746692236459021, 12);
  });

  it('gives statistic 0, p 1 for identical margins and for a table with no disagreement', () => {
    const symmetric = stuartMaxwell([
      [5, 2, 1],
      [2, 6, 3],
      [1, 3, 4],
    ]);
    expect(symmetric.statistic).toBeCloseTo(0, 14);
    expect(symmetric.p).toBeCloseTo(1, 14);
    expect(stuartMaxwell([
      [4, 0, 0],
      [0, 5, 0],
      [0, 0, 6],
    ])).toEqual({ statistic: 0, df: 0, p: 1 });
    expect(stuartMaxwell([
      [0, 0],
      [0, 9],
    ])).toEqual({ statistic: 0, df: 0, p: 1 });
  });

  it('uses the pseudo-inverse with df = rank when the disagreements do not connect all grades', () => {
    // Categories {0,1} and {2} never exchange pupils: numpy d @ pinv(S) @ d = 0.33333333333333315,
    // matrix_rank(S) = 1, scipy chi2.sf = 0.5637028616507731.
    const two = stuartMaxwell([
      [4, 2, 0],
      [1, 5, 0],
      [0, 0, 6],
    ]);
    expect(two.statistic).toBeCloseTo(1 / 3, 12);
    expect(two.df).toBe(1);
    expect(two.p).toBeCloseTo(0.5637028616507731, 12);
    // Three separate pairs of grades (F/E, D/C, B/A): numpy 3.9230769230769225, rank 3, sf 0.2698911311003999.
    const three = stuartMaxwell([
      [5, 3, 0, 0, 0, 0],
      [1, 12, 0, 0, 0, 0],
      [0, 0, 20, 4, 0, 0],
      [0, 0, 9, 25, 0, 0],
      [0, 0, 0, 0, 14, 3],
      [0, 0, 0, 0, 1, 6],
    ]);
    expect(three.statistic).toBeCloseTo(3.9230769230769225, 12);
    expect(three.df).toBe(3);
    expect(three.p).toBeCloseTo(0.2698911311003999, 12);
  });

  it('throws on invalid tables', () => {
    expect(() => stuartMaxwell([[1, 2, 3], [4, 5, 6]])).toThrow(RangeError);
    expect(() => stuartMaxwell([[1, -1], [0, 2]])).toThrow(RangeError);
    expect(() => stuartMaxwell([[0, 0], [0, 0]])).toThrow(RangeError);
  });
});

describe('benjaminiHochberg', () => {
  it('matches scipy.stats.false_discovery_control(method="bh")', () => {
    // false_discovery_control([0.01,0.04,0.03,0.005,0.2,0.5,0.041], method='bh')
    // = [0.035, 0.0574, 0.0574, 0.035, 0.23333333333333336, 0.5, 0.0574]
    const expected = [0.035, 0.0574, 0.0574, 0.035, 0.23333333333333336, 0.5, 0.0574];
    const got = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.041]);
    expect(got).toHaveLength(expected.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 14));
    // false_discovery_control([0.02,0.9,0.02,0.001], method='bh') = [0.026666666666666665, 0.9, 0.026666666666666665, 0.004]
    const expected2 = [0.026666666666666665, 0.9, 0.026666666666666665, 0.004];
    benjaminiHochberg([0.02, 0.9, 0.02, 0.001]).forEach((v, i) => expect(v).toBeCloseTo(expected2[i] ?? NaN, 14));
  });

  it('keeps NaN in place and excludes it from m', () => {
    // same as scipy on [0.02, 0.9, 0.02, 0.001] with NaNs interleaved
    const got = benjaminiHochberg([NaN, 0.02, 0.9, NaN, 0.02, 0.001]);
    expect(got[0]).toBeNaN();
    expect(got[3]).toBeNaN();
    expect(got[1]).toBeCloseTo(0.026666666666666665, 14);
    expect(got[2]).toBeCloseTo(0.9, 14);
    expect(got[4]).toBeCloseTo(0.026666666666666665, 14);
    expect(got[5]).toBeCloseTo(0.004, 14);
  });

  it('caps at 1, handles empty input, throws outside [0, 1]', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([1, 1, 0.99])).toEqual([1, 1, 1]);
    expect(() => benjaminiHochberg([0.5, 1.2])).toThrow(RangeError);
    expect(() => benjaminiHochberg([-0.1])).toThrow(RangeError);
  });
});

describe('independentProportionDifferenceCI (Newcombe 1998, Stat Med 17:873, method 10)', () => {
  // Newcombe's Table II, method 10 (score intervals combined), four of his worked examples.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
  ])('%i/%i − %i/%i → [%f, %f]', (x1, n1, x2, n2, low, high) => {
    const r = independentProportionDifferenceCI(x1, n1, x2, n2);
    expect(r.diff).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });
});

describe('studentTQuantile remembers what it solved', () => {
  const ps = [0.975, 0.025, 0.995, 0.9, 0.6, 0.5000001, 1e-8, 0.999];
  const dfs = [3, 3.5, 4, 9, 10, 29, 30, 99, 100, 1234, 24.32232070910556, 1e6, 0.05, 1, 2];

  it('gives exactly the number a fresh solution gives, whatever was asked before and in whatever order', () => {
    const fresh = (p: number, df: number) => uncachedStudentTQuantile(p, df);
    for (let round = 0; round < 3; round++) {
      const order = round === 1 ? [...dfs].reverse() : dfs;
      for (const df of order) for (const p of round === 2 ? [...ps].reverse() : ps) expect(studentTQuantile(p, df)).toBe(fresh(p, df));
    }
    // The same df under another p is another quantile (the memory is keyed by both).
    expect(studentTQuantile(0.975, 10)).not.toBe(studentTQuantile(0.995, 10));
    // 1 − 0.975 is not exactly 0.025: the two are kept apart, each the value solved for its own p.
    expect(studentTQuantile(0.025, 10)).toBe(uncachedStudentTQuantile(0.025, 10));
  });

  it('stays right after it has been filled past its limits and emptied', () => {
    for (let df = 3; df < 3 + 9000; df++) studentTQuantile(0.975, df);
    for (let i = 0; i < 20; i++) studentTQuantile(0.9 + i / 1000, 7);
    for (const df of [3, 4, 5000, 8194, 8195, 9002]) expect(studentTQuantile(0.975, df)).toBe(uncachedStudentTQuantile(0.975, df));
    for (let i = 0; i < 20; i++) expect(studentTQuantile(0.9 + i / 1000, 7)).toBe(uncachedStudentTQuantile(0.9 + i / 1000, 7));
  });

  it('still throws for what it cannot compute, also after a good value for the same df', () => {
    studentTQuantile(0.975, 5);
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.975, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(NaN, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.975, NaN)).toThrow(RangeError);
  });
});

describe('wilsonInterval at changing levels', () => {
  it('uses each call\'s own level (the critical value is remembered for the last level only)', () => {
    const at90 = wilsonInterval(3, 5, 0.9);
    // Wilson 3/5 at 95 %: [0.2307243, 0.8823792] (numpy/scipy, as in the gap tests).
    const at95 = wilsonInterval(3, 5, 0.95);
    expect(at95.low).toBeCloseTo(0.2307243, 6);
    expect(at95.high).toBeCloseTo(0.8823792, 6);
    expect(wilsonInterval(3, 5, 0.9)).toEqual(at90);
    expect(at90.low).toBeGreaterThan(at95.low);
    expect(wilsonInterval(3, 5)).toEqual(at95);
  });
});
