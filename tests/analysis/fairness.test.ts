import { describe, expect, it } from 'vitest';
import { betweenGroupVariance, funnelFlag, referenceRates, restTau2, standardise, Z95, Z998 } from '../../src/analysis/fairness.js';
import { analyseGap } from '../../src/analysis/gap.js';
import { cellsFromRecords, type GapRecord } from '../../src/analysis/pairs.js';
import type { GradeStep } from '../../src/types.js';
import { referenceKey } from '../../src/read/reference.js';

/** counts[teacher * 6 + test] from (teacher, test, how many) triples; steps F=0 … A=5. */
function table(entries: [number, number, number][]): Float64Array {
  const counts = new Float64Array(36);
  for (const [g, t, n] of entries) counts[g * 6 + t]! += n;
  return counts;
}

describe('indirect standardisation by test grade (hand-computed)', () => {
  // Reference: test C (3): 5 graded C, 5 graded B → higher 0.5, mean diff 1.25, variance 1.5625;
  // test A (5): 10 graded A → higher 0, mean 0, variance 0.
  const reference = referenceRates(table([[3, 3, 5], [4, 3, 5], [5, 5, 10]]));

  it('reference rates per test grade', () => {
    expect(reference.higher[3]).toBeCloseTo(0.5, 12);
    expect(reference.meanDiff[3]).toBeCloseTo(1.25, 12);
    expect(reference.varDiff[3]).toBeCloseTo(1.5625, 12);
    expect(reference.higher[5]).toBe(0);
    expect(reference.n[5]).toBe(10);
  });

  it('a group with many A on the test: expected = observed, the gap is zero', () => {
    // 4 × (A, A), 1 × (B, C), 1 × (C, C): observed mean 2.5 / 6, share higher 1/6.
    const std = standardise(table([[5, 5, 4], [4, 3, 1], [3, 3, 1]]), reference)!;
    expect(std.expected_share_higher).toBeCloseTo(1 / 6, 12); // (4·0 + 2·0.5) / 6
    expect(std.expected_mean_diff).toBeCloseTo(2.5 / 6, 12); // (4·0 + 2·1.25) / 6
    expect(std.std_gap).toBeCloseTo(0, 12);
    expect(std.std_gap_se).toBeCloseTo(Math.sqrt(2 * 1.5625) / 6, 12); // 0.294628
  });

  it('a group that grades up more than the reference at the same test grades', () => {
    // 4 × (B, C): observed mean 2.5, expected 1.25 → +1.25; SE = √(4 · 1.5625) / 4 = 0.625.
    const std = standardise(table([[4, 3, 4]]), reference)!;
    expect(std.std_gap).toBeCloseTo(1.25, 12);
    expect(std.std_gap_se).toBeCloseTo(0.625, 12);
    expect(std.expected_share_lower).toBe(0);
    // Share higher: observed 4/4, expected 0.5 → +0.5; SE = √(4 · 0.5 · 0.5) / 4 = 0.25.
    expect(std.excess_share_higher).toBeCloseTo(0.5, 12);
    expect(std.excess_share_higher_se).toBeCloseTo(0.25, 12);
    expect(std.excess_share_lower).toBe(0);
  });

  it("adds the standard's own sampling noise when the standard is a separate sample", () => {
    // 4 × (B, C) against the 10 reference pupils with C: Var = 4 · 1.5625 · (1 + 4/10) / 16 = 0.546875.
    const std = standardise(table([[4, 3, 4]]), reference, true)!;
    expect(std.std_gap).toBeCloseTo(1.25, 12);
    expect(std.std_gap_se).toBeCloseTo(Math.sqrt(0.546875), 12);
    // Share higher: 4 · 0.25 · 1.4 / 16 = 0.0875.
    expect(std.excess_share_higher_se).toBeCloseTo(Math.sqrt(0.0875), 12);
  });

  it('in grade steps every step weighs 1', () => {
    // Reference with C on the test: half B (+1 step), half C → mean 0.5, variance 0.25.
    const steps = referenceRates(table([[3, 3, 5], [4, 3, 5], [5, 5, 10]]), 'steps');
    expect(steps.meanDiff[3]).toBeCloseTo(0.5, 12);
    expect(steps.varDiff[3]).toBeCloseTo(0.25, 12);
    const std = standardise(table([[4, 3, 4]]), steps)!;
    expect(std.std_gap).toBeCloseTo(0.5, 12);
    expect(std.std_gap_se).toBeCloseTo(0.25, 12); // √(4 · 0.25) / 4
  });

  it('pupils whose test grade no one in the standard has are left out of the comparison', () => {
    // The reference has no pupil with B on the test: the 2 × (A, B) pupils cannot be compared.
    const std = standardise(table([[4, 3, 4], [5, 4, 2]]), reference)!;
    expect(std.n).toBe(4);
    expect(std.std_gap).toBeCloseTo(1.25, 12);
  });

  it('an empty table has no standardised figures', () => {
    expect(standardise(new Float64Array(36), reference)).toBeNull();
  });
});

describe('funnel limits', () => {
  it('control limits at the normal 97.5 % and 99.9 % quantiles', () => {
    // scipy.stats.norm.ppf(0.975) = 1.959963984540054, norm.ppf(0.999) = 3.090232306167813.
    expect(Z95).toBeCloseTo(1.959963984540054, 9);
    expect(Z998).toBeCloseTo(3.090232306167813, 9);
    expect(funnelFlag(1.9)).toBe('within');
    expect(funnelFlag(2.1)).toBe('above_95');
    expect(funnelFlag(-3.2)).toBe('below_99.8');
  });
});

describe('ordinary variation between groups (DerSimonian–Laird pooled over families, Q-profile interval)', () => {
  it('one family: the classic DerSimonian–Laird estimate', () => {
    // numpy DerSimonian–Laird: τ² = 0.5212272060758734; Q-profile by scipy brentq on the
    // generalised Q against chi2.ppf(0.975 / 0.025, 4): 0.05604377225665885 … 9.754353054968952.
    const r = betweenGroupVariance([[{ y: 1.2, v: 0.25 }, { y: -0.4, v: 0.16 }, { y: 0.8, v: 0.36 }, { y: 2.5, v: 0.81 }, { y: 0.1, v: 0.09 }]]);
    expect(r.tau2!).toBeCloseTo(0.5212272060758734, 10);
    expect(r.q).toBeCloseTo(13.368338536809526, 10);
    expect(r.df).toBe(4);
    expect(r.tau2_ci_low!).toBeCloseTo(0.05604377225665885, 8);
    expect(r.tau2_ci_high!).toBeCloseTo(9.754353054968952, 7);
  });

  it('several families, each with its own mean; a family of one adds nothing', () => {
    // numpy (Q = Σ_f Σ w (y − ȳ_f)², df = Σ (k_f − 1), c = Σ (S1 − S2/S1)): τ² = 0.9939450374744494,
    // Q = 13.368017057569297, df 3; Q-profile 0.12226819907877662 … 19.40406919662588.
    const r = betweenGroupVariance([
      [{ y: 1.2, v: 0.25 }, { y: -0.4, v: 0.16 }, { y: 0.8, v: 0.36 }],
      [{ y: 2.5, v: 0.81 }, { y: 0.1, v: 0.09 }],
      [{ y: 0.3, v: 0.2 }],
    ]);
    expect(r.tau2!).toBeCloseTo(0.9939450374744494, 10);
    expect(r.q).toBeCloseTo(13.368017057569297, 10);
    expect(r.df).toBe(3);
    expect(r.families).toBe(2);
    expect(r.groups).toBe(5);
    expect(r.tau2_ci_low!).toBeCloseTo(0.12226819907877662, 8);
    expect(r.tau2_ci_high!).toBeCloseTo(19.40406919662588, 7);
  });

  it('no spread beyond noise gives τ² = 0; no family of two gives no estimate', () => {
    const flat = betweenGroupVariance([[{ y: 0.1, v: 1 }, { y: -0.1, v: 1 }, { y: 0, v: 1 }]]);
    expect(flat.tau2).toBe(0);
    expect(flat.tau2_ci_low).toBe(0);
    const none = betweenGroupVariance([[{ y: 1, v: 1 }], [{ y: 2, v: 1 }]]);
    expect(none).toMatchObject({ tau2: null, tau2_ci_low: null, tau2_ci_high: null, df: 0 });
  });

  it("against the rest of the family, the rest's own spread adds to τ²", () => {
    // Others of 30 and 10 pupils: 1 + 0.75² + 0.25² = 1.625.
    expect(restTau2(2, 40, 30 * 30 + 10 * 10)).toBeCloseTo(3.25, 12);
    expect(restTau2(2, 0, 0)).toBe(2);
  });
});

// scipy.stats.t.ppf(0.975, 17.920353982300885) (the Welch df of the gender-gap example).
const GENDER_T = 2.101591542575896;

let serial = 0;
function rec(grade: GradeStep, test: GradeStep, school: string, area = 'Norra'): GapRecord {
  serial++;
  return { pupil: `P${serial}`, school_year: '2024/25', grade_level: 9, area, school, class: '9A', subject: 'MA', gender: 'girl', teacher: 'T', grade, test };
}
function many(n: number, grade: GradeStep, test: GradeStep, school: string, area?: string): GapRecord[] {
  return Array.from({ length: n }, () => rec(grade, test, school, area));
}

describe('fair comparisons in analyseGap', () => {
  it('a school with many provbetyg A no longer looks strict because of the ceiling', () => {
    // Tak: 20 × (A, A) and 10 pupils with C on the test, 5 graded B. Bred: 30 with C, 15 graded B.
    // Both grade alike at test grade C. Against the rest (Bred), Tak's 20 pupils with A on the
    // test have no one to be compared with (no one else has A), so 10 pupils are compared.
    const records = [...many(20, 5, 5, 'Tak'), ...many(5, 4, 3, 'Tak'), ...many(5, 3, 3, 'Tak'), ...many(15, 4, 3, 'Bred'), ...many(15, 3, 3, 'Bred')];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05 });
    const tak = result.groups.find((g) => g.key.school === 'Tak')!.figures!;
    const bred = result.groups.find((g) => g.key.school === 'Bred')!.figures!;
    expect(tak.share_higher).toBeCloseTo(5 / 30, 12);
    expect(bred.share_higher).toBeCloseTo(0.5, 12);
    expect(tak.vs_total).toBe('lower'); // raw: Tak looks strict
    expect(tak.standard).toBe('rest_of_municipality');
    expect(tak.std_n).toBe(10);
    expect(tak.expected_share_higher).toBeCloseTo(0.5, 12);
    expect(tak.std_gap).toBeCloseTo(0, 12);
    expect(bred.std_gap).toBeCloseTo(0, 12);
    expect(tak.funnel_flag).toBe('within');
  });

  it('each school is compared with the rest of the municipality, not with a total that includes it', () => {
    // A: 10 pupils with C on the test, 8 graded B. B: 30 with C, 15 graded B.
    // Against the rest (B): rate 0.5 → expected 1.25 points, observed 2.0 → +0.75;
    // Var = 10 · 1.5625 · (1 + 10/30) / 100 = 0.208333… Against the whole (23/40 = 0.575) it would be +0.5625.
    const records = [...many(8, 4, 3, 'A'), ...many(2, 3, 3, 'A'), ...many(15, 4, 3, 'B'), ...many(15, 3, 3, 'B')];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05 });
    const a = result.groups.find((g) => g.key.school === 'A')!.figures!;
    expect(a.std_gap).toBeCloseTo(0.75, 12);
    expect(a.std_gap_ci_high! - a.std_gap!).toBeCloseTo(Z95 * Math.sqrt(10 * 1.5625 * (1 + 10 / 30)) / 10, 12);
    // The municipality against itself: no standardised figures (no meaningless 0 ± something).
    const total = result.groups.find((g) => g.level === 'total')!.figures!;
    expect(total.std_gap).toBeNull();
    expect(total.std_gap_ci_low).toBeNull();
    expect(total.funnel_flag).toBeNull();
  });

  it('matches an independent computation: leave-one-out, pooled τ², both kinds of limits, shrinkage', () => {
    // numpy/scipy, written apart from this code (tests/analysis/independent/gapfair.py):
    // two subjects × three schools; τ² pooled over the two families = 0.5704804626739111 (Q 28.0195, df 4).
    const data: Record<string, Record<string, [number, number, number][]>> = {
      MA: {
        S1: [[4, 3, 8], [3, 3, 7], [3, 2, 3], [2, 2, 5], [1, 1, 4], [0, 1, 1]],
        S2: [[3, 3, 10], [2, 3, 4], [2, 2, 6], [1, 2, 3], [1, 1, 5], [0, 1, 2]],
        S3: [[4, 3, 4], [3, 3, 6], [4, 4, 5], [3, 4, 2], [2, 2, 4], [1, 0, 3]],
      },
      EN: {
        S1: [[5, 5, 4], [4, 4, 6], [3, 4, 2], [3, 3, 8], [2, 3, 1]],
        S2: [[4, 4, 3], [5, 4, 4], [4, 3, 5], [3, 3, 6], [2, 2, 3]],
        S3: [[4, 4, 5], [3, 3, 9], [2, 3, 3], [2, 2, 4], [1, 2, 2]],
      },
    };
    const records: GapRecord[] = [];
    for (const [subject, schools] of Object.entries(data)) {
      for (const [school, entries] of Object.entries(schools)) {
        for (const [g, t, n] of entries) records.push(...many(n, g as GradeStep, t as GradeStep, school).map((r) => ({ ...r, subject })));
      }
    }
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 5, alpha: 0.05, shrink: true });
    const expected: [string, string, number, number, number, number, number, number, number, number, number][] = [
      // subject, school, std_n, std_gap, se, std_gap_steps, se_steps, z, z_chance, limit_95, shrunk
      ['MA', 'S1', 28, 1.300039246467818, 0.5533364673884453, 0.4740973312401883, 0.1245825092377382, 1.204244279023027, 2.3494552105042867, 2.115874782176808, 0.9584915924973165],
      ['MA', 'S2', 30, -1.5308333333333333, 0.5975202751092775, -0.5523333333333333, 0.11101746108908575, -1.389120946713907, -2.561977220025491, 2.159911422230298, -1.0807867149472141],
      ['MA', 'S3', 14, 0.4679802955665024, 0.47423728349594596, 0.18719211822660098, 0.18969491339837838, 0.45011406335151555, 0.9868062083113357, 2.0377602022811043, 0.37061392408110205],
      ['EN', 'S1', 17, -0.9484228473998295, 0.39524827260418016, -0.37936913895993174, 0.15809930904167208, -0.9425356676091304, -2.3995622830959817, 1.9722061317147614, -0.8020927905662646],
      ['EN', 'S2', 21, 1.5681144252572825, 0.2658393254334972, 0.6272457701029129, 0.10633573017339887, 1.6287050087110588, 5.898730079532814, 1.8870500064184714, 1.4485655302038503],
      ['EN', 'S3', 23, -0.8768115942028984, 0.29847098039167197, -0.3507246376811594, 0.1193883921566688, -0.9020592201970049, -2.937677870901527, 1.9051067905381138, -0.7941377675034081],
    ];
    for (const [subject, school, stdN, gap, se, steps, seSteps, z, zc, limit, shrunk] of expected) {
      const f = result.groups.find((g) => g.key.subject === subject && g.key.school === school)!.figures!;
      expect(f.std_n).toBe(stdN);
      expect(f.std_gap!).toBeCloseTo(gap, 10);
      expect(f.std_gap_ci_high! - f.std_gap!).toBeCloseTo(Z95 * se, 10);
      expect(f.std_gap_steps!).toBeCloseTo(steps, 10);
      expect(f.std_gap_steps_ci_high! - f.std_gap_steps!).toBeCloseTo(Z95 * seSteps, 10);
      expect(f.funnel_z!).toBeCloseTo(z, 10);
      expect(f.funnel_z_chance!).toBeCloseTo(zc, 10);
      expect(f.funnel_limit_95!).toBeCloseTo(limit, 10);
      expect(f.funnel_limit_95_chance!).toBeCloseTo(Z95 * se, 10);
      expect(f.funnel_tau!).toBeCloseTo(Math.sqrt(0.5704804626739111), 10);
      expect(f.std_gap_shrunk!).toBeCloseTo(shrunk, 10);
    }
    const school = result.between_groups.find((b) => b.level === 'school')!;
    expect(school.tau2!).toBeCloseTo(0.5704804626739111, 10);
    expect(school.q).toBeCloseTo(28.019466677422198, 9);
    expect(school.df).toBe(4);
    // EN S2 is far outside the limits of chance alone but within those that allow for ordinary differences.
    expect(result.comparisons.funnel_chance_alone.flagged).toBe(5);
    expect(result.comparisons.funnel.flagged).toBe(0);
  });

  it('--flag-scale steps: the funnel and the comparison with the rest measure grade steps', () => {
    const records = [...many(8, 4, 3, 'A'), ...many(2, 3, 3, 'A'), ...many(15, 4, 3, 'B'), ...many(15, 3, 3, 'B'), ...many(10, 1, 0, 'C'), ...many(10, 0, 0, 'C')];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05, flagScale: 'steps' });
    const a = result.groups.find((g) => g.key.school === 'A')!.figures!;
    expect(a.funnel_scale).toBe('steps');
    // Against the rest (B and C) at test grade C: rate 0.5 → +0.3 steps; Var = 10 · 0.25 · (1 + 10/30) / 100.
    expect(a.funnel_z_chance!).toBeCloseTo(0.3 / Math.sqrt((10 * 0.25 * (1 + 10 / 30)) / 100), 10);
    expect(a.mean_diff_steps).toBeCloseTo(0.8, 12);
    expect(a.mean_diff).toBeCloseTo(2, 12);
  });

  it('girls are compared with girls and boys with boys; the gender difference is its own figure', () => {
    // Both schools: 10 girls graded B for a C, 10 boys graded C for a C. Against the municipality of
    // both genders girls would look generous (+1.25) and boys strict (−1.25); within their gender
    // neither differs, and the rows for both genders carry the gender gap: 2.5 − 0 = 2.5 points.
    const pupils = (school: string) => [...many(10, 4, 3, school), ...many(10, 3, 3, school).map((r) => ({ ...r, gender: 'boy' as const }))];
    const records = [...pupils('A'), ...pupils('B')];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'school', 'gender'], minGroup: 5, alpha: 0.05 });
    for (const g of result.groups.filter((x) => x.level === 'school')) expect(g.figures!.std_gap).toBeCloseTo(0, 12);
    const both = result.groups.find((g) => g.key.school === 'A' && g.key.gender === null)!.figures!;
    expect(both.gender_gap).toBeCloseTo(2.5, 12);
    expect(both.gender_gap_steps).toBeCloseTo(1, 12);
    // No spread within either gender: the Welch interval has no width to give.
    expect(both.gender_gap_ci_low).toBeNull();
    const girls = result.groups.find((g) => g.key.school === 'A' && g.key.gender === 'girl')!.figures!;
    expect(girls.gender_gap).toBeNull();
  });

  it('the gender gap has a Welch interval', () => {
    // Girls: 6 × +2.5, 4 × 0 → mean 1.5, s² = 1.6666…; boys: 3 × +2.5, 7 × 0 → mean 0.75, s² = 1.4583….
    // Welch: se = √(1.6667/10 + 1.4583/10), df = 17.9204 (scipy); t.ppf(0.975, df) = 2.1016.
    const records = [...many(6, 4, 3, 'A'), ...many(4, 3, 3, 'A'), ...many(3, 4, 3, 'A').map((r) => ({ ...r, gender: 'boy' as const })), ...many(7, 3, 3, 'A').map((r) => ({ ...r, gender: 'boy' as const }))];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'gender'], minGroup: 5, alpha: 0.05 });
    const total = result.groups.find((g) => g.key.gender === null)!.figures!;
    expect(total.gender_gap).toBeCloseTo(0.75, 12);
    const se = Math.sqrt(((6 * 1 * 1 + 4 * 1.5 * 1.5) / 9 / 10) + ((3 * 1.75 * 1.75 + 7 * 0.75 * 0.75) / 9 / 10));
    expect(total.gender_gap_ci_high! - 0.75).toBeCloseTo(GENDER_T * se, 6);
  });

  it("a hidden girls' or boys' row hides the gender gap", () => {
    const records = [...many(10, 4, 3, 'A'), ...many(3, 3, 3, 'A').map((r) => ({ ...r, gender: 'boy' as const }))];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'gender'], minGroup: 5, alpha: 0.05 });
    expect(result.groups.find((g) => g.key.gender === null)!.figures!.gender_gap).toBeNull();
  });

  it('the same raw gap is flagged for a large school and not for a small one (chance alone)', () => {
    // Small: 10 pupils, 8 graded B for a C; large: 100 pupils, 80 graded B; a third school 12 of 90.
    const records = [
      ...many(8, 4, 3, 'Liten'),
      ...many(2, 3, 3, 'Liten'),
      ...many(80, 4, 3, 'Stor'),
      ...many(20, 3, 3, 'Stor'),
      ...many(12, 4, 3, 'Rest'),
      ...many(78, 3, 3, 'Rest'),
    ];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05 });
    const small = result.groups.find((g) => g.key.school === 'Liten')!.figures!;
    const large = result.groups.find((g) => g.key.school === 'Stor')!.figures!;
    expect(small.funnel_flag_chance).toBe('within');
    expect(large.funnel_flag_chance).toBe('above_99.8');
    expect(large.funnel_limit_95_chance!).toBeLessThan(small.funnel_limit_95_chance!);
    // Ordinary differences between schools widen every limit.
    expect(large.funnel_limit_95!).toBeGreaterThan(large.funnel_limit_95_chance!);
  });

  it('counts flags against what chance would give and adjusts p-values (Benjamini–Hochberg)', () => {
    const records = [...many(40, 4, 3, 'A'), ...many(40, 3, 3, 'B'), ...many(20, 4, 3, 'C'), ...many(20, 3, 3, 'C')];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05 });
    expect(result.comparisons.funnel.tests).toBe(3);
    expect(result.comparisons.funnel.expected_by_chance).toBeCloseTo(0.15, 12);
    for (const group of result.groups.filter((g) => g.level !== 'total')) {
      expect(group.figures!.p_adj!).toBeGreaterThanOrEqual(group.figures!.funnel_p!);
    }
    expect(result.comparisons.funnel.flagged).toBeGreaterThanOrEqual(result.comparisons.funnel.flagged_adjusted);
  });

  it('Stuart–Maxwell flags a systematically shifted table', () => {
    const records = [...many(30, 4, 3, 'A'), ...many(10, 3, 3, 'A'), ...many(5, 2, 2, 'A')];
    const f = analyseGap(cellsFromRecords(records), { by: ['subject'], minGroup: 10, alpha: 0.05 }).groups[0]!.figures!;
    expect(f.marginal_p!).toBeLessThan(0.001);
    expect(f.marginal_df).toBe(1);
  });

  it('kappa is null when every pupil got the same teacher grade', () => {
    const records = [...many(10, 3, 3, 'A'), ...many(10, 3, 2, 'A')];
    const f = analyseGap(cellsFromRecords(records), { by: ['subject'], minGroup: 10, alpha: 0.05 }).groups[0]!.figures!;
    expect(f.kappa_w).toBeNull();
  });

  it('--shrink adds shrunken gaps next to the raw ones, toward 0 (the rest of the municipality)', () => {
    const records = [...many(40, 4, 3, 'A'), ...many(40, 3, 3, 'B'), ...many(20, 4, 3, 'C'), ...many(20, 3, 3, 'C')];
    const plain = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05 });
    const shrunk = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05, shrink: true });
    expect(plain.groups.every((g) => g.figures?.std_gap_shrunk === null)).toBe(true);
    const a = shrunk.groups.find((g) => g.key.school === 'A')!.figures!;
    expect(a.std_gap_shrunk).not.toBeNull();
    expect(Math.abs(a.std_gap_shrunk!)).toBeLessThanOrEqual(Math.abs(a.std_gap!) + 1e-12);
  });
});

describe('--reference: standardising against another grading standard', () => {
  it('uses the reference table for its grade level and subject, the municipality elsewhere', () => {
    // Reference for år 9 MA: every pupil with C on the test got C (rate higher 0, mean 0).
    const reference = new Map([[referenceKey(9, 'MA'), table([[3, 3, 50]])]]);
    const records = [...many(4, 4, 3, 'A'), ...many(6, 4, 3, 'B')];
    const own = analyseGap(cellsFromRecords(records), { by: ['grade_level', 'subject', 'school'], minGroup: 1, alpha: 0.05 });
    const against = analyseGap(cellsFromRecords(records), { by: ['grade_level', 'subject', 'school'], minGroup: 1, alpha: 0.05, reference });
    // Everyone got B for a C: like the municipality (std gap 0), 2.5 points above the reference.
    expect(own.groups.find((g) => g.key.school === 'A')!.figures!.std_gap).toBeCloseTo(0, 12);
    expect(against.groups.find((g) => g.key.school === 'A')!.figures!.std_gap).toBeCloseTo(2.5, 12);
    expect(against.groups.find((g) => g.level === 'total')!.figures!.expected_share_higher).toBe(0);
    const elsewhere = analyseGap(cellsFromRecords(records.map((r) => ({ ...r, subject: 'EN' }))), { by: ['grade_level', 'subject', 'school'], minGroup: 1, alpha: 0.05, reference });
    expect(elsewhere.groups.find((g) => g.key.school === 'A')!.figures!.std_gap).toBeCloseTo(0, 12);
  });
});

describe('--reference with girls\' and boys\' tables', () => {
  it('girls are standardised against the reference\'s girls, boys against its boys; without them, no standardised figures', () => {
    // Reference: girls with C on the test all got B (+2.5), boys all got C (0).
    const reference = new Map([
      [referenceKey(9, 'MA'), table([[4, 3, 50], [3, 3, 50]])],
      [referenceKey(9, 'MA', 'girl'), table([[4, 3, 50]])],
      [referenceKey(9, 'MA', 'boy'), table([[3, 3, 50]])],
    ]);
    const records = [...many(10, 4, 3, 'A'), ...many(10, 4, 3, 'A').map((r) => ({ ...r, gender: 'boy' as const }))];
    const by = ['grade_level', 'subject', 'school', 'gender'] as const;
    const result = analyseGap(cellsFromRecords(records), { by: [...by], minGroup: 5, alpha: 0.05, reference });
    const row = (gender: string | null) => result.groups.find((g) => g.level === 'school' && g.key.gender === gender)!.figures!;
    expect(row('girl').std_gap).toBeCloseTo(0, 12);
    expect(row('boy').std_gap).toBeCloseTo(2.5, 12);
    expect(row(null).std_gap).toBeCloseTo(1.25, 12);
    expect(row('girl').standard).toBe('reference');
    const noGender = new Map([[referenceKey(9, 'MA'), table([[4, 3, 50], [3, 3, 50]])]]);
    const plain = analyseGap(cellsFromRecords(records), { by: [...by], minGroup: 5, alpha: 0.05, reference: noGender });
    expect(plain.groups.find((g) => g.level === 'school' && g.key.gender === 'girl')!.figures!.std_gap).toBeNull();
    expect(plain.groups.find((g) => g.level === 'school' && g.key.gender === null)!.figures!.std_gap).toBeCloseTo(1.25, 12);
  });
});

describe('when the ordinary variation cannot be estimated', () => {
  it('one school per family (against a reference): no τ, limits of chance alone, no shrunken figure', () => {
    const reference = new Map([[referenceKey(9, 'MA'), table([[4, 3, 50], [3, 3, 50]])]]);
    const records = many(20, 4, 3, 'Ensam');
    const result = analyseGap(cellsFromRecords(records), { by: ['grade_level', 'subject', 'school'], minGroup: 5, alpha: 0.05, reference, shrink: true });
    const f = result.groups.find((g) => g.level === 'school')!.figures!;
    expect(f.std_gap).toBeCloseTo(1.25, 12);
    expect(f.funnel_tau).toBeNull();
    expect(f.funnel_z).toBeCloseTo(f.funnel_z_chance!, 12);
    expect(f.funnel_limit_95).toBeCloseTo(f.funnel_limit_95_chance!, 12);
    expect(f.std_gap_shrunk).toBeNull();
    expect(result.between_groups).toEqual([expect.objectContaining({ level: 'school', tau2: null, df: 0 })]);
  });
});

